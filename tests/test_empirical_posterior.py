"""The empirical-Bayes posterior of large tables (:mod:`tcfit.lattice._empirical`).

Its gradient is compared with finite differences, its result with the full marginal posterior of
the same materials, and its independence of row order is checked bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import approx_fprime
from scipy.special import logsumexp
from scipy.stats import norm

from tcfit.lattice import _empirical as eb
from tcfit.lattice import assigned_posterior


def _population(rng, m, *, mu=2.0, tau=0.8, sigma=0.06, grid=None):
    """m materials drawn from the lattice model: envelope cell, then a normal error in ln i."""
    grid = np.arange(1.0, 21.0) if grid is None else grid
    g = np.log(grid)
    mid = (g[1:] + g[:-1]) / 2
    k = np.searchsorted(mid, mu + tau * rng.standard_normal(m))
    s = sigma * np.exp(rng.uniform(-0.3, 0.3, m))  # per-material errors that differ
    x = g[k] + s * rng.standard_normal(m)
    return x, s, grid, np.searchsorted(mid, x)


@pytest.mark.parametrize("fixed", [None, 0.2])
@pytest.mark.parametrize("params", [(1.5, -0.5, 0.1), (2.6, 0.3, -0.4), (0.2, -2.5, 0.6)])
def test_gradient_matches_finite_differences(rng, fixed, params):
    x, s, grid, _ = _population(rng, 3000)
    log_grid = np.log(grid)
    p0 = np.array(params if fixed is None else params[:2])
    value, grad = eb._neg_loglik(p0, x, s, log_grid, fixed)
    numeric = approx_fprime(p0, lambda p: eb._neg_loglik(p, x, s, log_grid, fixed)[0], 1e-6)
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-3 * len(x) * 1e-3)
    # and the value is the lattice model's log likelihood written out per material (envelope
    # cell masses floored at 1e-300, as documented)
    mu, tau = p0[0], np.exp(p0[1])
    sd = s * np.exp(p0[2] if fixed is None else fixed)
    edges = np.concatenate([[-np.inf], (log_grid[1:] + log_grid[:-1]) / 2, [np.inf]])
    lo, hi = (edges[:-1] - mu) / tau, (edges[1:] - mu) / tau
    pi = np.where(lo > 0, norm.sf(lo) - norm.sf(hi), norm.cdf(hi) - norm.cdf(lo))
    pi = np.maximum(pi, 1e-300)
    log_dens = logsumexp(
        np.log(pi)[None, :] + norm.logpdf(x[:, None], log_grid[None, :], sd[:, None]), axis=1
    )
    assert value == pytest.approx(-np.sum(log_dens), rel=1e-10)


def test_empirical_bayes_agrees_with_the_marginal_posterior(rng):
    """With 1500 materials the hyperposterior is narrow: both methods give the same posteriors."""
    x, s, grid, idx = _population(rng, 1500)
    marginal, m1 = assigned_posterior(x, s, grid, idx, method="marginal")
    empirical, m2 = assigned_posterior(x, s, grid, idx, method="empirical Bayes")
    assert (m1, m2) == ("marginal", "empirical Bayes")
    assert np.max(np.abs(marginal - empirical)) < 0.02
    assert np.mean(np.abs(marginal - empirical)) < 0.01


def test_map_recovers_the_generating_hyperparameters(rng):
    x, s, grid, _ = _population(rng, 20_000, mu=2.2, tau=0.6, sigma=0.05)
    mu, tau, scale = eb._map_hyperparameters(x, s, np.log(grid), None)
    assert mu == pytest.approx(2.2, abs=0.02)
    assert tau == pytest.approx(0.6, rel=0.03)
    assert scale == pytest.approx(1.0, rel=0.03)


def test_results_do_not_depend_on_row_order(rng, monkeypatch):
    monkeypatch.setattr(eb, "HYPER_SAMPLE", 500)  # the subset is a proper subset here
    monkeypatch.setattr(eb, "_CHUNK", 256)  # several chunks
    x, s, grid, idx = _population(rng, 4000)
    first, _ = assigned_posterior(x, s, grid, idx, method="empirical Bayes")
    perm = rng.permutation(x.size)
    again, _ = assigned_posterior(x[perm], s[perm], grid, idx[perm], method="empirical Bayes")
    assert np.array_equal(again, first[perm])
    assert np.all(first > 0)
    assert np.all(first <= 1)


def test_hyper_sample_is_a_fixed_subset_of_values(rng):
    x, s, _, _ = _population(rng, 5000)
    chosen = eb.hyper_sample(x, s, 300)
    assert chosen.size == 300
    assert np.unique(chosen).size == 300
    perm = rng.permutation(x.size)
    again = perm[eb.hyper_sample(x[perm], s[perm], 300)]
    assert np.array_equal(x[again], x[chosen])
    assert np.array_equal(s[again], s[chosen])
    # sorted by (ln i, σ); all rows (sorted) when the table is small
    assert np.all(np.diff(x[chosen]) >= 0)
    small = eb.hyper_sample(x[:100], s[:100], 300)
    assert np.array_equal(np.sort(small), np.arange(100))
    # spread over the whole table, not one end of it
    assert abs(np.median(x[chosen]) - np.median(x)) < 0.1


def test_memory_is_bounded_by_chunks(rng, monkeypatch):
    """No temporary array holds more than one chunk of materials × values."""
    x, s, grid, idx = _population(rng, 3000)
    seen: list[int] = []
    original = eb._exponents

    def spy(xs, sd, log_grid):
        seen.append(xs.size * log_grid.size)
        return original(xs, sd, log_grid)

    monkeypatch.setattr(eb, "_exponents", spy)
    monkeypatch.setattr(eb, "_CHUNK", 700)
    assigned_posterior(x, s, grid, idx, method="empirical Bayes")
    assert seen
    assert max(seen) <= 700 * grid.size
