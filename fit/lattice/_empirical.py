"""Per-material posteriors of the lattice model for tables of any size, in bounded memory.

For up to :data:`FULL_POSTERIOR_MAX` materials the posterior P(i = k | data) is marginalised over
the envelope (μ, τ) and the error scale s by the quadrature of :mod:`tcfit.lattice._posterior`,
exactly as :func:`tcfit.lattice_test` reports it. Its cost grows as materials × nodes (≈ 3 ms
per material), so for larger tables the hyperparameters are instead set to their maximum a
posteriori values (the priors are uniform on the same ranges, so this is the constrained maximum
likelihood of the lattice model; with thousands of materials the hyperposterior is narrow and
the two agree) — *empirical Bayes* — and the posterior of every material follows in closed form,
processed in chunks of materials so memory stays bounded. The hyperparameters are fitted on at most
:data:`HYPER_SAMPLE` materials: with 20 000 materials their uncertainty is already negligible.
The subset is the materials with the smallest values of a fixed hash of (ln i, σ), so it
depends on the table's values only, never on its row order, and costs O(m) without a sort. The
likelihood's gradient is exact (closed form, :func:`_neg_loglik`), so L-BFGS-B needs no finite
differences.

Everything here is independent of the row order: the same materials in any order give the same
bits (the subset is sorted before the likelihood is summed, and every other step is per row).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from . import _model as lm
from ._model import FloatArray

__all__ = ["FULL_POSTERIOR_MAX", "HYPER_SAMPLE", "assigned_posterior"]

#: Above this many materials the posterior uses empirical Bayes (module docstring).
FULL_POSTERIOR_MAX = 1000
_CHUNK = 16_384  # at most this many materials per chunk (a few MB: the chunk stays in cache)
_CHUNK_CELLS = 2_000_000  # and at most this many materials × allowed values (≈ 16 MB a float array)


def _rows_per_chunk(values: int) -> int:
    """Materials per chunk for a grid of ``values`` allowed values: memory stays bounded."""
    return max(1, min(_CHUNK, _CHUNK_CELLS // max(values, 1)))


#: At most this many materials (chosen by a fixed hash of their values) fix the
#: empirical-Bayes hyperparameters; the posterior is then computed for every material.
HYPER_SAMPLE = 20_000
_LOG_2PI = float(np.log(2.0 * np.pi))
_TINY = 1e-300  # envelope cell masses are floored here (a cell the envelope cannot reach)


def _splitmix64(v: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser of unsigned 64-bit integers (a fixed, well-mixed hash)."""
    z = v + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    out: np.ndarray = z ^ (z >> np.uint64(31))
    return out


def hyper_sample(x: FloatArray, sigma: FloatArray, size: int | None = None) -> np.ndarray:
    """Indices of the materials that fix the hyperparameters, in canonical (ln i, σ) order.

    All materials when there are at most ``size``; otherwise the ``size`` with the smallest hash
    of their (ln i, σ) bit patterns. Either way the chosen values, and their order, do not depend
    on the order of the rows. ``size`` defaults to :data:`HYPER_SAMPLE`.
    """
    size = HYPER_SAMPLE if size is None else size
    if x.size > size:
        with np.errstate(over="ignore"):
            key = _splitmix64(
                np.ascontiguousarray(x, dtype=float).view(np.uint64)
                ^ _splitmix64(np.ascontiguousarray(sigma, dtype=float).view(np.uint64))
            )
        chosen = np.argpartition(key, size - 1)[:size]
    else:
        chosen = np.arange(x.size)
    out: np.ndarray = chosen[np.lexsort((sigma[chosen], x[chosen]))]
    return out


def _envelope(
    mu: float, tau: float, log_grid: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Cell masses π_k of the normal envelope N(μ, τ²) and their derivatives in μ and ln τ.

    π is floored at ``_TINY``; where the floor applies both derivatives are zero (the floored
    objective does not change there).
    """
    bounds = lm.cell_bounds(log_grid)
    z = (bounds - mu) / tau
    pi_raw = np.exp(lm.log_interval(z[:-1], z[1:]))
    with np.errstate(invalid="ignore"):
        phi = np.where(np.isfinite(z), np.exp(-0.5 * z**2) / np.sqrt(2.0 * np.pi), 0.0)
        zphi = np.where(np.isfinite(z), z * phi, 0.0)
    d_mu = -(phi[1:] - phi[:-1]) / tau
    d_log_tau = -(zphi[1:] - zphi[:-1])
    floored = pi_raw < _TINY
    pi = np.where(floored, _TINY, pi_raw)
    return pi, np.where(floored, 0.0, d_mu), np.where(floored, 0.0, d_log_tau)


def _exponents(
    x: FloatArray, sd: FloatArray, log_grid: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """For one chunk: e_jk = −((x_j − g_k)² − min_k (x_j − g_k)²) / (2 sd_j²), at most 0 (to
    rounding), and q_j = min_k (x_j − g_k)² / sd_j².

    π_k·exp(e_jk) is π_k N(x_j; g_k, sd_j²) divided by the row's largest normal density
    N(x_j; nearest g, sd_j²) = exp(−q_j / 2) / (sd_j √(2π)): at most 1, and the ratios within a row
    are exact.
    """
    mid = 0.5 * (log_grid[:-1] + log_grid[1:])
    nearest2 = np.square(x - log_grid[np.searchsorted(mid, x)])  # the nearest value, in O(log K)
    e = x[:, None] - log_grid[None, :]
    np.square(e, out=e)
    e -= nearest2[:, None]
    inv = 1.0 / sd**2
    e *= (-0.5 * inv)[:, None]
    return e, nearest2 * inv


def _neg_loglik(params: FloatArray, x: FloatArray, sigma: FloatArray, log_grid: FloatArray,
                fixed_log_s: float | None) -> tuple[float, FloatArray]:  # fmt: skip
    """Minus the log likelihood of the lattice model at (μ, ln τ[, ln s]) and its exact gradient.

    With r_jk = a_jk / Σ_k a_jk (the responsibilities) and R_k = Σ_j r_jk:
    ∂/∂μ = −Σ_k R_k (∂π_k/∂μ) / π_k, the same in ln τ, and
    ∂/∂ln s = −Σ_j (Σ_k r_jk (x_j − g_k)² / sd_j² − 1).
    """
    mu, tau = float(params[0]), float(np.exp(params[1]))
    log_s = fixed_log_s if fixed_log_s is not None else float(params[2])
    pi, d_mu, d_log_tau = _envelope(mu, tau, log_grid)
    total, resp, spread = 0.0, np.zeros(log_grid.size), 0.0
    chunk = _rows_per_chunk(log_grid.size)
    for start in range(0, x.size, chunk):
        xs, sd = x[start : start + chunk], sigma[start : start + chunk] * np.exp(log_s)
        e, q = _exponents(xs, sd, log_grid)
        a = np.exp(e) * pi
        row_sum = np.maximum(a.sum(axis=1), 1e-300)
        total += float(np.sum(np.log(row_sum) - 0.5 * q - np.log(sd) - 0.5 * _LOG_2PI))
        a /= row_sum[:, None]  # the responsibilities r_jk
        resp += a.sum(axis=0)
        # (x_j − g_k)² / sd_j² = q_j − 2 e_jk, and Σ_k r_jk = 1:
        spread += float(np.sum(q)) - 2.0 * float(np.sum(a * e))
    grad = [-float(resp @ (d_mu / pi)), -float(resp @ (d_log_tau / pi))]
    if fixed_log_s is None:
        grad.append(-(spread - x.size))
    return -total, np.array(grad)


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
        jac=True, bounds=bounds,
    )  # fmt: skip
    log_s = fixed if fixed is not None else float(best.x[2])
    return float(best.x[0]), float(np.exp(best.x[1])), float(np.exp(log_s))


def assigned_posterior(
    x: FloatArray, sigma: FloatArray, grid: FloatArray, assigned: np.ndarray,
    *, fixed_scale: float | None = None, method: str = "auto",
) -> tuple[FloatArray, str]:  # fmt: skip
    """Posterior probability of each material's assigned value, and the method used.

    The result does not depend on the order of the materials (the same bits in any order).

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

    x, sigma = np.asarray(x, dtype=float), np.asarray(sigma, dtype=float)
    log_grid = np.log(grid)
    if method == "marginal" or (method == "auto" and x.size <= FULL_POSTERIOR_MAX):
        # The marginal sums over every material: in canonical order, so any row order gives
        # the same bits.
        order = np.lexsort((sigma, x))
        base = lm.make_quadrature(log_grid, lm.scale_nodes(sigma[order]))
        quad = (
            base if fixed_scale is None else lm.with_scales(base, np.array([np.log(fixed_scale)]))
        )
        post = analyse(x[order][None], sigma[order], quad).posterior[0]
        out = np.empty(x.size)
        out[order] = post[np.arange(x.size), np.asarray(assigned)[order]]
        return out, "marginal"
    sample = hyper_sample(x, sigma)
    mu, tau, s = _map_hyperparameters(x[sample], sigma[sample], log_grid, fixed_scale)
    pi = _envelope(mu, tau, log_grid)[0]
    out = np.empty(x.size)
    chunk = _rows_per_chunk(log_grid.size)
    for start in range(0, x.size, chunk):
        part = slice(start, start + chunk)
        a = _exponents(x[part], sigma[part] * s, log_grid)[0]
        np.exp(a, out=a)
        a *= pi
        out[part] = a[np.arange(a.shape[0]), assigned[part]] / a.sum(axis=1)
    return out, "empirical Bayes"
