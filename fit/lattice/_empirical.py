"""Per-material posteriors of the lattice model for tables of any size, in bounded memory.

For up to :data:`FULL_POSTERIOR_MAX` materials the posterior P(i = k | data) is marginalised over
the envelope (μ, τ) and the error scale s by the quadrature of :mod:`tcfit.lattice._posterior`,
exactly as :func:`tcfit.lattice_test` reports it. Its cost grows as materials × nodes (≈ 3 ms
per material), so for larger tables the hyperparameters are instead set to their maximum a
posteriori values (the priors are uniform on the same ranges, so this is the constrained maximum
likelihood of the lattice model; with thousands of materials the hyperposterior is narrow and
the two agree) — *empirical Bayes* — and the posterior of every material follows in closed form,
processed in chunks of materials so memory stays bounded. The hyperparameters are fitted on at most
:data:`HYPER_SAMPLE` materials (a fixed-seed random subset, so a table always gives the same
numbers): with 20 000 materials their uncertainty is already negligible.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from . import _model as lm
from ._model import FloatArray

__all__ = ["FULL_POSTERIOR_MAX", "assigned_posterior"]

#: Above this many materials the posterior uses empirical Bayes (module docstring).
FULL_POSTERIOR_MAX = 1000
_CHUNK = 100_000  # at most this many materials per chunk in the empirical-Bayes path
_CHUNK_CELLS = 2_000_000  # and at most this many materials × allowed values (≈ 16 MB a float array)


def _rows_per_chunk(values: int) -> int:
    """Materials per chunk for a grid of ``values`` allowed values: memory stays bounded."""
    return max(1, min(_CHUNK, _CHUNK_CELLS // max(values, 1)))


#: At most this many materials (a fixed-seed random subset) fix the empirical-Bayes
#: hyperparameters; the posterior is then computed for every material.
HYPER_SAMPLE = 20_000
_LOG_2PI = float(np.log(2.0 * np.pi))


def _cells(mu: float, tau: float, log_grid: FloatArray) -> FloatArray:
    bounds = lm.cell_bounds(log_grid)
    out: FloatArray = np.exp(lm.log_interval((bounds[:-1] - mu) / tau, (bounds[1:] - mu) / tau))
    return out


def _mixture(x: FloatArray, sd: FloatArray, log_grid: FloatArray, pi: FloatArray) -> FloatArray:
    """π_k N(x_j; g_k, sd_j²) for every material and value (m, K), each row divided by its
    largest density (so the values stay ≤ 1; ratios within a row are exact)."""
    diff = x[:, None] - log_grid[None, :]
    nearest = np.min(np.abs(diff), axis=1)
    a: FloatArray = np.exp(-0.5 * (diff**2 - nearest[:, None] ** 2) / sd[:, None] ** 2) * pi
    return a


def _neg_loglik(params: FloatArray, x: FloatArray, sigma: FloatArray, log_grid: FloatArray,
                fixed_log_s: float | None) -> float:  # fmt: skip
    mu, log_tau = float(params[0]), float(params[1])
    log_s = fixed_log_s if fixed_log_s is not None else float(params[2])
    pi = np.maximum(_cells(mu, float(np.exp(log_tau)), log_grid), 1e-300)
    total = 0.0
    chunk = _rows_per_chunk(log_grid.size)
    for start in range(0, x.size, chunk):
        xs, sd = x[start : start + chunk], sigma[start : start + chunk] * np.exp(log_s)
        diff = xs[:, None] - log_grid[None, :]
        nearest = np.min(np.abs(diff), axis=1)
        a = _mixture(xs, sd, log_grid, pi)
        log_max = -0.5 * (nearest / sd) ** 2 - np.log(sd) - 0.5 * _LOG_2PI
        total += float(np.sum(np.log(np.maximum(a.sum(axis=1), 1e-300)) + log_max))
    return -total


def _map_hyperparameters(
    x: FloatArray, sigma: FloatArray, log_grid: FloatArray, fixed_scale: float | None
) -> tuple[float, float, float]:
    """(μ, τ, s) maximising the lattice likelihood within the prior ranges."""
    mu_lo, mu_hi = lm.mu_prior_range(log_grid)
    tau_lo, tau_hi = (float(np.log(t)) for t in lm.TAU_RANGE)
    s_lo, s_hi = (float(np.log(s)) for s in lm.scale_prior_range(sigma))
    start = [
        float(np.clip(np.median(x), mu_lo, mu_hi)),
        float(np.clip(np.log(np.std(x) + 1e-3), tau_lo, tau_hi)),
    ]
    bounds = [(mu_lo, mu_hi), (tau_lo, tau_hi)]
    fixed = None if fixed_scale is None else float(np.log(fixed_scale))
    if fixed is None:
        start.append(float(np.clip(0.0, s_lo, s_hi)))
        bounds.append((s_lo, s_hi))
    best = minimize(
        _neg_loglik, np.array(start), args=(x, sigma, log_grid, fixed), method="L-BFGS-B",
        bounds=bounds,
    )  # fmt: skip
    log_s = fixed if fixed is not None else float(best.x[2])
    return float(best.x[0]), float(np.exp(best.x[1])), float(np.exp(log_s))


def assigned_posterior(
    x: FloatArray, sigma: FloatArray, grid: FloatArray, assigned: np.ndarray,
    *, fixed_scale: float | None = None, method: str = "auto",
) -> tuple[FloatArray, str]:  # fmt: skip
    """Posterior probability of each material's assigned value, and the method used.

    Parameters
    ----------
    x : ndarray of shape (m,)
        ln i_implied.
    sigma : ndarray of shape (m,)
        σ(ln i) at error scale 1.
    grid : ndarray of shape (K,)
        Allowed values (ascending).
    assigned : ndarray of int, shape (m,)
        Index into ``grid`` of each material's assigned value.
    fixed_scale : float, optional
        Fix the error scale instead of marginalising (or maximising) over it.
    method : {"auto", "marginal", "empirical Bayes"}, default="auto"
        "auto": marginal up to :data:`FULL_POSTERIOR_MAX` materials, empirical Bayes above.

    Returns
    -------
    posterior : ndarray of shape (m,)
    method : {"marginal", "empirical Bayes"}
    """
    from ._posterior import analyse

    log_grid = np.log(grid)
    rows = np.arange(x.size)
    if method == "marginal" or (method == "auto" and x.size <= FULL_POSTERIOR_MAX):
        base = lm.make_quadrature(log_grid, lm.scale_nodes(sigma))
        quad = (
            base if fixed_scale is None else lm.with_scales(base, np.array([np.log(fixed_scale)]))
        )
        post = analyse(x[None], sigma, quad).posterior[0]
        return np.asarray(post[rows, assigned], dtype=float), "marginal"
    sample = np.arange(x.size)
    if x.size > HYPER_SAMPLE:  # fixed seed: the same table always gives the same subset
        sample = np.sort(np.random.default_rng(0).choice(x.size, HYPER_SAMPLE, replace=False))
    mu, tau, s = _map_hyperparameters(x[sample], sigma[sample], log_grid, fixed_scale)
    pi = np.maximum(_cells(mu, tau, log_grid), 1e-300)
    out = np.empty(x.size)
    chunk = _rows_per_chunk(log_grid.size)
    for start in range(0, x.size, chunk):
        part = slice(start, start + chunk)
        a = _mixture(x[part], sigma[part] * s, log_grid, pi)
        out[part] = a[np.arange(a.shape[0]), assigned[part]] / a.sum(axis=1)
    return out, "empirical Bayes"
