"""The lattice test: closed-form stability, quadrature evidence, posteriors, LOO and calibration.

Every number is compared with an independent computation (scipy.stats, a brute-force grid
written out here, Monte Carlo, or the truth of a simulation), never with a stored output.
"""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from scipy import stats
from scipy.special import logsumexp

import tcfit
from tcfit import lattice
from tcfit.errors import InputError
from tcfit.lattice import _model as lm
from tcfit.lattice import _posterior as lp
from tcfit.lattice import _simulate as sim
from tcfit.lattice import (
    cell_probabilities,
    evidence_label,
    lattice_test,
    lattice_test_arrays,
    stability,
)
from tcfit.policies import get_policy

GRIDS = {name: get_policy(name).values for name in ("integer", "paper", "half", "rational")}
SIGMA = 0.10898522  # tcfit's default σ(ln i): √((2·0.05)² + (0.05/3)² + (2·0.02)²)


@pytest.fixture(scope="module")
def table1() -> tcfit.FitResult:
    return tcfit.fit("table1")


@pytest.fixture(scope="module")
def table1_test(table1: tcfit.FitResult) -> lattice.LatticeTest:
    return lattice_test(table1, n_sim=19)


def _arrays(result: tcfit.FitResult) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    t = result.table
    x = np.log(t["i_implied"].to_numpy())
    return (
        t["material"].tolist(),
        x,
        (t["i_implied_err"] / t["i_implied"]).to_numpy(),
        (result.policy.values),
    )


# --- closed-form stability -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GRIDS))
def test_cell_probabilities_equal_the_normal_cdf_differences(name, rng):
    grid = GRIDS[name]
    x = rng.uniform(np.log(grid[0]) - 1.0, np.log(grid[-1]) + 1.0, 200)
    sigma = rng.uniform(0.005, 0.4, 200)
    g = np.log(grid)
    edges = np.concatenate([[-np.inf], (g[1:] + g[:-1]) / 2, [np.inf]])
    expected = stats.norm.cdf(edges[None, 1:], x[:, None], sigma[:, None]) - stats.norm.cdf(
        edges[None, :-1], x[:, None], sigma[:, None]
    )
    got = cell_probabilities(x, sigma, grid)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got.sum(axis=1), 1.0, rtol=0, atol=1e-12)


def test_cell_probabilities_keep_precision_in_the_upper_tail():
    # Cells far above x: Φ(b) − Φ(a) would be 1 − 1 = 0; the survival function keeps the mass.
    grid = np.arange(1.0, 21.0)
    got = cell_probabilities([np.log(1.0)], 0.1, grid)[0]
    g = np.log(grid)
    edges = np.concatenate([[-np.inf], (g[1:] + g[:-1]) / 2, [np.inf]])
    expected = stats.norm.sf(edges[:-1], 0.0, 0.1) - stats.norm.sf(edges[1:], 0.0, 0.1)
    np.testing.assert_allclose(got[2:6], expected[2:6], rtol=1e-10)
    assert got[2] > 0


def test_cell_probabilities_agree_with_monte_carlo_assignment(rng):
    """Re-draw ln i around each value and assign with the Policy itself (independent code)."""
    policy = get_policy("integer")
    x = np.log([1.3, 2.45, 3.0, 3.4, 7.2, 16.0, 19.8])
    n = 100_000
    draws = x[None, :] + SIGMA * rng.standard_normal((n, x.size))
    assigned, _ = policy.assign(np.exp(draws))
    probs = cell_probabilities(x, SIGMA, policy.values)
    freq = (assigned[..., None] == policy.values).mean(axis=0)
    se = np.sqrt(probs * (1 - probs) / n)
    assert np.all(np.abs(freq - probs) <= 4.5 * se + 1e-12)


def test_stability_is_the_assigned_cell_and_nan_outside_the_grid():
    policy = get_policy("integer")
    implied = np.array([0.7, 1.0, 2.449, np.sqrt(6.0), 3.3, 12.5, 20.0, 29.96])
    x = np.log(implied)
    got = stability(x, SIGMA, policy.values)
    assigned, _ = policy.assign(implied)
    probs = cell_probabilities(x, SIGMA, policy.values)
    expected = probs[np.arange(x.size), np.searchsorted(policy.values, assigned)]
    inside = (implied >= 1.0) & (implied <= 20.0)
    np.testing.assert_array_equal(np.isnan(got), ~inside)
    np.testing.assert_allclose(got[inside], expected[inside], rtol=0, atol=1e-15)


# --- quadrature against brute force ----------------------------------------------------------


def _brute_force_log_evidence(x, sigma, grid, s):
    """ln Z of both models at fixed s on a fine (μ, ln τ) grid, written out independently."""
    g = np.log(grid)
    mu_lo, mu_hi = min(0.0, g[0]), g[-1] + np.log(1.5)
    mu = np.linspace(mu_lo, mu_hi, 701)
    tau = np.exp(np.linspace(np.log(0.05), np.log(2.0), 301))
    edges = np.concatenate([[-np.inf], (g[1:] + g[:-1]) / 2, [np.inf]])
    cdf = stats.norm.cdf(edges[None, None, :], mu[:, None, None], tau[None, :, None])
    pi = np.diff(cdf, axis=2)  # (μ, τ, K)
    dens = stats.norm.pdf(x[:, None], g[None, :], s * sigma[:, None])  # (m, K)
    with np.errstate(divide="ignore"):  # nodes with no mass near a material: ln 0 = −inf
        lat = np.log(np.einsum("atk,jk->atj", pi, dens)).sum(axis=2)
    sd = np.sqrt(tau[None, :, None] ** 2 + (s * sigma) ** 2)
    con = stats.norm.logpdf(x[None, None, :], mu[:, None, None], sd).sum(axis=2)

    def integrate(values):  # trapezoid in μ and ln τ, normalised (uniform priors)
        w_mu = np.full(mu.size, 1.0)
        w_mu[[0, -1]] = 0.5
        w_tau = np.full(tau.size, 1.0)
        w_tau[[0, -1]] = 0.5
        w = np.log(w_mu / w_mu.sum())[:, None] + np.log(w_tau / w_tau.sum())[None, :]
        return logsumexp(values + w)

    return integrate(lat), integrate(con)


@pytest.mark.parametrize("scale", [0.5, 1.0])
def test_evidence_matches_a_brute_force_grid(table1, scale):
    _, x, sigma, grid = _arrays(table1)
    quad = lm.make_quadrature(np.log(grid), np.array([np.log(scale)]))
    z_lat, z_con = lm.log_evidence_by_scale(x[None], sigma, quad)
    ref_lat, ref_con = _brute_force_log_evidence(x, sigma, grid, scale)
    assert z_lat[0, 0] == pytest.approx(ref_lat, abs=2e-3)
    assert z_con[0, 0] == pytest.approx(ref_con, abs=2e-3)


def test_marginal_bayes_factor_is_converged_in_the_quadrature_steps(table1, monkeypatch):
    _, x, sigma, grid = _arrays(table1)
    coarse = lm.log_bayes_factor(
        x[None], sigma, lm.make_quadrature(np.log(grid), lm.scale_nodes(sigma))
    )
    monkeypatch.setattr(lm, "STEP_MU", 0.03)
    monkeypatch.setattr(lm, "STEP_LOG_TAU", 0.05)
    fine = lm.log_bayes_factor(
        x[None], sigma, lm.make_quadrature(np.log(grid), lm.scale_nodes(sigma, 0.03))
    )
    assert coarse[0] == pytest.approx(fine[0], abs=0.01)


def test_posterior_matches_brute_force_enumeration(rng):
    """P(k_j = k | x) at fixed s against a direct sum over a fine (μ, τ) grid."""
    grid = np.arange(1.0, 7.0)
    x = np.log([1.1, 2.05, 2.9, 3.2, 4.6])
    sigma = np.full(x.size, 0.08)
    quad = lm.make_quadrature(np.log(grid), np.array([0.0]))
    got = lp.analyse(x[None], sigma, quad).posterior[0]

    g = np.log(grid)
    mu = np.linspace(0.0, g[-1] + np.log(1.5), 501)
    tau = np.exp(np.linspace(np.log(0.05), np.log(2.0), 241))
    edges = np.concatenate([[-np.inf], (g[1:] + g[:-1]) / 2, [np.inf]])
    pi = np.diff(
        stats.norm.cdf(edges[None, None, :], mu[:, None, None], tau[None, :, None]), axis=2
    )
    dens = stats.norm.pdf(x[:, None], g[None, :], sigma[:, None])
    joint = pi[:, :, None, :] * dens[None, None, :, :]  # (μ, τ, j, k)
    per_material = joint.sum(axis=3)
    total = per_material.prod(axis=2)
    weight = (total / total.sum())[:, :, None, None]
    expected = (weight * joint / per_material[..., None]).sum(axis=(0, 1))
    np.testing.assert_allclose(got, expected, atol=2e-3)
    np.testing.assert_allclose(got.sum(axis=1), 1.0, atol=1e-12)


def test_leave_one_out_equals_the_ratio_of_evidences(table1):
    _, x, sigma, grid = _arrays(table1)
    quad = lm.make_quadrature(np.log(grid), lm.scale_nodes(sigma))
    analysis = lp.analyse(x[None], sigma, quad)
    keep = np.ones(x.size, bool)
    held = [0, 4, 14, 20]  # Al, Mo, Zn, Nb
    for j in held:  # a handful of independent re-computations without material j
        keep[:] = True
        keep[j] = False
        z_lat, z_con = lm.log_evidence_by_scale(x[None, keep], sigma[keep], quad)
        rest_lat = logsumexp(z_lat[0] + quad.log_w_s)
        rest_con = logsumexp(z_con[0] + quad.log_w_s)
        assert analysis.elpd_lattice[0, j] == pytest.approx(
            analysis.log_z_lattice[0] - rest_lat, abs=1e-9
        )
        assert analysis.elpd_continuous[0, j] == pytest.approx(
            analysis.log_z_continuous[0] - rest_con, abs=1e-9
        )


def test_results_do_not_depend_on_material_order(table1, rng):
    names, x, sigma, grid = _arrays(table1)
    order = rng.permutation(x.size)
    a = lattice_test_arrays(names, x, sigma, grid, n_sim=5)
    b = lattice_test_arrays([names[i] for i in order], x[order], sigma[order], grid, n_sim=5)
    assert b.ln_bayes_factor == pytest.approx(a.ln_bayes_factor, abs=1e-10)
    assert b.ln_bayes_factor_fixed == pytest.approx(a.ln_bayes_factor_fixed, abs=1e-10)
    assert b.elpd_diff == pytest.approx(a.elpd_diff, abs=1e-9)
    np.testing.assert_allclose(b.posterior.to_numpy(), a.posterior.to_numpy()[order], atol=1e-12)
    np.testing.assert_allclose(
        b.elpd["elpd_diff"].to_numpy(), a.elpd["elpd_diff"].to_numpy()[order], atol=1e-9
    )


# --- simulation: recovery, posterior calibration, size of the calibrated p --------------------


def _lattice_population(rng, n, m, sigma, grid, *, mu=None, tau=None):
    """Datasets drawn from the lattice model itself (hyperparameters from the prior if None)."""
    g = np.log(grid)
    if mu is None:
        mu = rng.uniform(*lm.mu_prior_range(g), size=n)
    if tau is None:
        tau = np.exp(rng.uniform(np.log(0.05), np.log(2.0), size=n))
    edges = np.concatenate([[-np.inf], (g[1:] + g[:-1]) / 2, [np.inf]])
    latent = np.broadcast_to(mu, (n,))[:, None] + np.broadcast_to(tau, (n,))[
        :, None
    ] * rng.standard_normal((n, m))
    k = np.searchsorted(edges[1:-1], latent)  # the cell of the envelope draw
    return g[k] + sigma * rng.standard_normal((n, m)), k


def test_bayes_factor_recovers_the_generating_model(rng):
    grid = np.arange(1.0, 21.0)
    sigma = np.full(21, 0.06)
    quad = lm.make_quadrature(np.log(grid), lm.scale_nodes(sigma))
    on_lattice, _ = _lattice_population(rng, 40, 21, 0.06, grid, mu=np.log(3.9), tau=0.68)
    smooth = rng.normal(np.log(3.9), 0.68, (40, 21)) + 0.06 * rng.standard_normal((40, 21))
    assert np.mean(lm.log_bayes_factor(on_lattice, sigma, quad) > 0) >= 0.8
    assert np.mean(lm.log_bayes_factor(smooth, sigma, quad) < 0) >= 0.8


def _expected_calibration_error(confidence, correct, bins=10):
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges) - 1, 0, bins - 1)
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.mean() * abs(confidence[inside].mean() - correct[inside].mean())
    return total


@pytest.mark.parametrize("scale", ["fixed", "marginal"])
def test_posterior_is_calibrated_on_a_population_from_the_model(rng, scale):
    """Assignments with posterior ≈ q are right a share ≈ q of the time (ECE ≤ 0.03)."""
    grid = np.arange(1.0, 21.0)
    n, m = (400, 21) if scale == "fixed" else (200, 21)
    sigma = np.full(m, SIGMA)
    if scale == "fixed":
        true_s = np.ones(n)
        quad = lm.make_quadrature(np.log(grid), np.array([0.0]))
    else:
        lo, hi = lm.scale_prior_range(sigma)
        true_s = np.exp(rng.uniform(np.log(lo), np.log(hi), n))
        quad = lm.make_quadrature(np.log(grid), lm.scale_nodes(sigma))
    x, k = _lattice_population(rng, n, m, true_s[:, None] * SIGMA, grid)
    posterior = lp.analyse(x, sigma, quad).posterior
    g = np.log(grid)
    nearest = np.searchsorted((g[1:] + g[:-1]) / 2, x)
    confidence = np.take_along_axis(posterior, nearest[..., None], axis=2)[..., 0].ravel()
    ece = _expected_calibration_error(confidence, (nearest == k).ravel())
    assert ece <= 0.03


def test_calibrated_p_has_its_size_under_the_fitted_envelopes(table1, rng):
    """21 materials from the normal and the KDE envelope fitted to table1: reject ≤ 8 % at 5 %.

    The Monte Carlo p with 39 null datasets per envelope has an exact 5 % level when the null
    is right (p ≤ 0.05 ⟺ at most one null statistic ≥ the observed one).
    """
    _, x, sigma, grid = _arrays(table1)
    quad = lm.make_quadrature(np.log(grid), np.array([0.0]))  # s fixed at 1: fast
    n_rep = 300
    rates = {}
    for envelope in sim.ENVELOPES:
        data = sim.simulate_null(envelope, x[None], sigma, 1.0, n_rep, rng)[0]
        observed = lm.log_bayes_factor(data, sigma, quad)
        p = sim.bootstrap_p_values(data, sigma, quad, observed, scale=1.0, n_sim=39, rng=rng)
        rates[envelope] = np.mean(np.maximum(p["normal"], p["kde"]) <= 0.05)
    assert rates["normal"] <= 0.08, rates
    assert rates["kde"] <= 0.08, rates


def test_calibrated_p_detects_a_lattice(table1, rng):
    grid = table1.policy.values
    quad = lm.make_quadrature(np.log(grid), np.array([0.0]))
    data, _ = _lattice_population(rng, 100, 21, 0.06, grid, mu=np.log(3.9), tau=0.68)
    observed = lm.log_bayes_factor(data, np.full(21, 0.06), quad)
    p = sim.bootstrap_p_values(
        data, np.full(21, 0.06), quad, observed, scale=1.0, n_sim=39, rng=rng
    )
    assert np.mean(np.maximum(p["normal"], p["kde"]) <= 0.05) >= 0.7


# --- the public result -----------------------------------------------------------------------


def test_lattice_test_fields(table1, table1_test):
    t = table1_test
    names = table1.table["material"].tolist()
    assert t.posterior.shape == (21, 20)
    assert t.posterior.index.tolist() == names
    np.testing.assert_allclose(t.posterior.sum(axis=1), 1.0, atol=1e-12)
    assert t.p_value == max(t.p_values.values())
    assert set(t.p_values) == {"normal", "kde"}
    d = t.elpd["elpd_diff"].to_numpy()
    assert t.elpd_diff == pytest.approx(d.sum())
    assert t.elpd_diff_se == pytest.approx(np.sqrt(21) * d.std(ddof=1))
    assert t.verdict == evidence_label(t.ln_bayes_factor)
    np.testing.assert_allclose(
        t.p_stable.to_numpy(),
        stability(np.log(table1.table["i_implied"]), SIGMA, table1.policy.values),
        atol=1e-15,
    )
    # evidence curve: posterior densities integrate to one over ln s
    ln_s = np.log(t.evidence["error_scale"].to_numpy())
    assert np.trapezoid(t.evidence["posterior_lattice"], ln_s) == pytest.approx(1.0)
    assert t.sigma_eff == pytest.approx(t.error_scale * SIGMA, rel=1e-6)
    # every crossing really is one: ln BF at that scale equals the threshold
    for row in t.crossings.itertuples():
        fixed = lattice_test(table1, error_scale=row.error_scale, n_sim=1)
        assert fixed.ln_bayes_factor == pytest.approx(row.threshold, abs=1e-4)
    assert np.isfinite(t.flip_scale)
    assert t.flip_scale in set(t.crossings["error_scale"])


def test_outside_grid_rows_get_no_probability_figure():
    elements = tcfit.fit("elements")
    t = lattice_test(elements, n_sim=2)
    outside = elements.table["outside_grid"].to_numpy()
    assert outside.any()  # Nb, implied i ≈ 30 on the grid 1…20
    np.testing.assert_array_equal(t.p_stable.isna().to_numpy(), outside)
    np.testing.assert_array_equal(t.posterior_assigned.isna().to_numpy(), outside)
    assert t.posterior.loc["Nb"].sum() == pytest.approx(1.0)


def test_headline_counts_match_the_fit_and_the_grid_bound(table1, table1_test):
    counts = table1_test.counts.set_index("tolerance")
    assert counts.loc[0.05, "observed"] == table1.summary["within_5pct"]
    assert counts.loc[0.10, "observed"] == table1.summary["within_10pct"]
    # Worst case in [k, k+1] is (1 + 1/k)^(1/4) − 1: within 10 % from k = 3, within 5 % from k = 5.
    implied = table1.table["i_implied"].to_numpy()
    k = np.floor(implied)
    inside = (implied >= 1) & (implied <= 20)
    assert counts.loc[0.10, "guaranteed"] == np.sum(inside & ((1 + 1 / k) ** 0.25 - 1 <= 0.10))
    assert counts.loc[0.05, "guaranteed"] == np.sum(inside & ((1 + 1 / k) ** 0.25 - 1 <= 0.05))


def test_headline_expectation_matches_monte_carlo(rng):
    grid = np.arange(1.0, 21.0)
    x = rng.normal(1.3, 0.7, 15)
    _, _, expected = sim.headline_counts(x[None], np.full(15, SIGMA), np.log(grid), 0.05)
    mu, tau = sim.fit_normal_envelope(x[None], np.full(15, SIGMA), 1.0)
    draws = rng.normal(mu[0], np.hypot(tau[0], SIGMA), (40_000, 15))
    assigned, _ = get_policy("integer").assign(np.exp(draws))
    within = np.abs(np.sqrt(np.exp(draws) / assigned) - 1) <= 0.05
    assert expected[0] == pytest.approx(within.sum(axis=1).mean(), abs=0.05)


def test_rayleigh_statistic_by_hand_and_absent_for_irregular_grids():
    i = np.array([1.02, 2.1, 2.95, 4.4, 6.0])
    z, p = sim.rayleigh(np.log(i)[None], np.full(5, 0.1), 1.0)
    w = np.exp(-2 * np.pi**2 * (0.1 * i) ** 2)
    expected = np.sum(w * np.cos(2 * np.pi * i)) / np.sqrt(0.5 * np.sum(w**2))
    assert z[0] == pytest.approx(expected)
    assert p[0] == pytest.approx(stats.norm.sf(expected))
    assert sim.lattice_spacing(GRIDS["half"]) == 0.5
    assert sim.lattice_spacing(GRIDS["paper"]) is None
    t = lattice_test_arrays(list("abcde"), np.log(i), 0.1, GRIDS["paper"], n_sim=2)
    assert np.isnan(t.rayleigh_p)


def test_seeded_results_are_identical(table1):
    a = lattice_test(table1, n_sim=9, seed=3).to_dict()
    b = lattice_test(table1, n_sim=9, seed=3).to_dict()
    assert a == b
    assert (a["n_sim"], a["seed"]) == (9, 3)


def test_to_dict_is_plain_json(table1_test):
    import json

    text = json.dumps(table1_test.to_dict(), allow_nan=False)
    data = json.loads(text)
    assert data["posterior"]["values"][:3] == [1.0, 2.0, 3.0]
    assert len(data["posterior_assigned"]) == 21
    assert data["priors"]["tau"] == {"distribution": "log-uniform", "low": 0.05, "high": 2.0}


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (-7.0, "very strong against"),
        (-5.0, "strong against"),
        (-3.5, "strong against"),
        (-2.0, "positive against"),
        (-0.5, "none"),
        (0.0, "barely worth mentioning"),
        (1.0, "barely worth mentioning"),
        (1.1, "positive"),
        (2.9, "positive"),
        (3.0, "strong"),
        (5.0, "very strong"),
    ],
)
def test_evidence_label_follows_kass_raftery(value, label):
    assert evidence_label(value) == label


# --- argument errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"error_scale": "margnal"}, r"`error_scale` parameter must be 'marginal' or a positive"),
        ({"error_scale": -1.0}, r"`error_scale` parameter must be 'marginal' or a positive"),
        ({"error_scale": True}, r"`error_scale` parameter must be 'marginal' or a positive"),
        ({"n_sim": 0}, r"`n_sim` parameter must be an integer of at least 1"),
        ({"seed": -1}, r"`seed` parameter must be an integer of at least 0"),
    ],
)
def test_bad_options_are_refused(table1, kwargs, match):
    with pytest.raises(InputError, match=match):
        lattice_test(table1, **kwargs)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((["a", "b"], [1.0, 1.1, 1.2], 0.1, [1, 2]), r"must name every material: got 2 names"),
        ((["a", "b"], [1.0, 1.1], 0.1, [1, 2]), r"at least 3 materials; got 2"),
        ((list("abc"), [1.0, 1.1, 1.2], 0.1, [2]), r"at least 2 allowed values"),
        ((list("abc"), [1.0, np.nan, 1.2], 0.1, [1, 2]), r"`x` parameter .* finite numbers"),
        ((list("abc"), [1.0, 1.1, 1.2], 0.0, [1, 2]), r"`sigma` parameter .* positive"),
        ((list("abc"), [1.0, 1.1, 1.2], [0.1, 0.1], [1, 2]), r"one value per material \(3\)"),
        ((list("abc"), [1.0, 1.1, 1.2], 0.1, [1, -2]), r"`grid` parameter must hold"),
    ],
)
def test_bad_arrays_are_refused(args, match):
    with pytest.raises(InputError, match=match):
        lattice_test_arrays(*args)


def test_a_non_fit_result_is_refused():
    with pytest.raises(InputError, match=r"`result` parameter must be a FitResult"):
        lattice_test("table1")
    with pytest.raises(InputError, match=r"`ln_bf` parameter must be a number; not nan"):
        evidence_label(float("nan"))


def test_doctests():
    for module in (lattice, __import__("tcfit.lattice._result", fromlist=["_"])):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0
