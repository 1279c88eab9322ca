r"""Deterministic quadrature of the hierarchical lattice and continuous models (private).

The public entry points are in :mod:`tcfit.lattice`; this module holds the numerical kernels.
Every kernel is vectorised over a leading *batch* axis of datasets, ``X`` of shape ``(B, m)``,
so the same code serves one observed table (``B = 1``) and thousands of simulated ones.

Models (x = ln i_implied, σ_j its 1σ, s a global error scale, g_k = ln of the allowed values,
cells bounded by the log-midpoints b_k with b_0 = −∞ and b_K = +∞):

- continuous: :math:`x_j \sim N(\mu, \tau^2 + s^2\sigma_j^2)`;
- lattice: :math:`P(k_j = k) = \pi_k(\mu, \tau) = \Phi((b_k-\mu)/\tau) - \Phi((b_{k-1}-\mu)/\tau)`,
  :math:`x_j \mid k_j \sim N(g_{k_j}, s^2\sigma_j^2)`.

Priors, identical for both models: μ uniform on ``[min(0, g_1), ln(1.5·v_K)]``, ln τ uniform on
``[ln 0.05, ln 2]``, and ln s uniform on ``[ln(0.02/σ̃), ln(0.3/σ̃)]`` (σ̃ = median σ_j) or s fixed.

Quadrature: the trapezoid rule on uniform grids in μ, ln τ and ln s (steps :data:`STEP_MU`,
:data:`STEP_LOG_TAU`, :data:`STEP_LOG_S`). For a smooth integrand that is negligible at the ends
the trapezoid rule converges geometrically, error ~ exp(−2π²w²/h²) for a peak of width w, so
the steps need only be about the posterior width. Under the continuous model μ is integrated in
closed form. Measured against grids 3–5 times finer: ln BF changes by 2e-4 on table1 and
elements, by ≤ 0.01 on typical simulated tables of 13–50 materials, by a few per cent of |ln BF|
when |ln BF| > 5 (the s integrand is then steep), and by up to ~0.5 in the degenerate case of
every material on one allowed value with tiny errors (τ's posterior piles up at its lower bound).
Chunking over datasets bounds the largest temporary at :data:`CHUNK_ELEMENTS` doubles.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from scipy.special import log_ndtr

FloatArray = npt.NDArray[np.float64]

#: Prior range of the envelope width τ (log-uniform).
TAU_RANGE: tuple[float, float] = (0.05, 2.0)
#: Prior range of the effective error s·σ̃ (log-uniform in s), σ̃ = median σ(ln i).
SIGMA_EFF_RANGE: tuple[float, float] = (0.02, 0.3)
#: The upper end of the μ prior is ln(MU_HIGH_FACTOR × largest allowed value).
MU_HIGH_FACTOR: float = 1.5
#: Trapezoid steps in μ, ln τ and ln s.
STEP_MU: float = 0.1
STEP_LOG_TAU: float = 0.15
STEP_LOG_S: float = 0.1
#: Upper bound on the elements of the largest temporary array (doubles; 2**22 = 32 MiB).
CHUNK_ELEMENTS: int = 2**22
#: Materials are multiplied in blocks of this size before one logarithm is taken.
_BLOCK = 8
#: Block products below this are recomputed as sums of logarithms (no underflow).
_TINY = 1e-280
_LOG_2PI = float(np.log(2.0 * np.pi))


def log_interval(lo: npt.ArrayLike, hi: npt.ArrayLike) -> FloatArray:
    """ln(Φ(hi) − Φ(lo)) for lo ≤ hi, accurate in both tails (−inf where the interval is empty).

    Parameters
    ----------
    lo, hi : array_like
        Standardised bounds (broadcast together); ±inf allowed.

    Returns
    -------
    ndarray
    """
    lo_arr = np.asarray(lo, dtype=float)
    hi_arr = np.asarray(hi, dtype=float)
    flip = lo_arr > 0  # both bounds in the upper tail: use the mirror image, Φ(−lo) − Φ(−hi)
    a = np.where(flip, -hi_arr, lo_arr)
    b = np.where(flip, -lo_arr, hi_arr)
    log_b = log_ndtr(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.minimum(log_ndtr(a) - log_b, 0.0)  # ln(Φ(a)/Φ(b)) ≤ 0
        log1mexp = np.where(d > -np.log(2.0), np.log(-np.expm1(d)), np.log1p(-np.exp(d)))
    out: FloatArray = np.where(b > a, log_b + log1mexp, -np.inf)
    return out


def cell_bounds(log_grid: FloatArray) -> FloatArray:
    """Log cell boundaries: −∞, the log-midpoints of neighbours, +∞ (shape ``(K + 1,)``)."""
    mid = 0.5 * (log_grid[:-1] + log_grid[1:])
    return np.concatenate([[-np.inf], mid, [np.inf]])


def _trapezoid_log_weights(n: int) -> FloatArray:
    """ln of trapezoid weights normalised to sum to one (a uniform prior on the interval)."""
    if n == 1:
        return np.zeros(1)
    w = np.ones(n)
    w[[0, -1]] = 0.5
    return np.log(w / (n - 1))


def _uniform_nodes(low: float, high: float, step: float) -> FloatArray:
    return np.linspace(low, high, max(2, int(np.ceil((high - low) / step - 1e-9)) + 1))


@dataclass(frozen=True, eq=False)
class Quadrature:
    """Nodes, prior-normalised log weights and envelope cell masses for one grid of i.

    Attributes
    ----------
    log_grid : ndarray of shape (K,)
        ln of the allowed values.
    mu, log_tau, log_s : ndarray
        Nodes; ``log_s`` has one node when the error scale is fixed.
    log_w_mu, log_w_tau, log_w_s : ndarray
        ln trapezoid weights, each summing to one (the uniform priors).
    pi : ndarray of shape (Gμ·Gτ, K)
        Envelope mass of every cell at every (μ, τ) node (rows ordered μ-major).
    """

    log_grid: FloatArray
    mu: FloatArray
    log_tau: FloatArray
    log_s: FloatArray
    log_w_mu: FloatArray
    log_w_tau: FloatArray
    log_w_s: FloatArray
    pi: FloatArray

    @property
    def mu_range(self) -> tuple[float, float]:
        """The μ prior interval."""
        return float(self.mu[0]), float(self.mu[-1])


def mu_prior_range(log_grid: FloatArray) -> tuple[float, float]:
    """The μ prior interval ``[min(0, g_1), ln(MU_HIGH_FACTOR · v_K)]``."""
    return min(0.0, float(log_grid[0])), float(log_grid[-1]) + float(np.log(MU_HIGH_FACTOR))


def scale_prior_range(sigma: FloatArray) -> tuple[float, float]:
    """The s prior interval: s·median(σ) spans :data:`SIGMA_EFF_RANGE`."""
    med = float(np.median(sigma))
    return SIGMA_EFF_RANGE[0] / med, SIGMA_EFF_RANGE[1] / med


def make_quadrature(
    log_grid: FloatArray, log_s: FloatArray, *, log_w_s: FloatArray | None = None
) -> Quadrature:
    """Build the (μ, ln τ) trapezoid grid and the envelope cell masses for given ln s nodes.

    Parameters
    ----------
    log_grid : ndarray of shape (K,)
        ln of the allowed values, ascending.
    log_s : ndarray of shape (Gs,)
        ln s nodes (one node for a fixed scale).
    log_w_s : ndarray of shape (Gs,), optional
        ln weights of the s nodes; default the trapezoid rule over the nodes' range.
    """
    mu = _uniform_nodes(*mu_prior_range(log_grid), STEP_MU)
    log_tau = _uniform_nodes(float(np.log(TAU_RANGE[0])), float(np.log(TAU_RANGE[1])), STEP_LOG_TAU)
    bounds = cell_bounds(log_grid)
    tau = np.exp(log_tau)[None, :, None]
    lo = (bounds[None, None, :-1] - mu[:, None, None]) / tau
    hi = (bounds[None, None, 1:] - mu[:, None, None]) / tau
    pi = np.exp(log_interval(lo, hi)).reshape(mu.size * log_tau.size, log_grid.size)
    return Quadrature(
        log_grid=log_grid,
        mu=mu,
        log_tau=log_tau,
        log_s=np.asarray(log_s, dtype=float),
        log_w_mu=_trapezoid_log_weights(mu.size),
        log_w_tau=_trapezoid_log_weights(log_tau.size),
        log_w_s=_trapezoid_log_weights(len(log_s)) if log_w_s is None else log_w_s,
        pi=pi,
    )


def scaled_densities(
    X: FloatArray, sigma: FloatArray, quad: Quadrature
) -> tuple[FloatArray, FloatArray]:
    """Normalised point densities Ã (B, K, m, Gs) and their log maxima (B, m, Gs).

    Ã_jk(s) = N(x_j; g_k, s²σ_j²) / max_k N(x_j; g_k, s²σ_j²), so every Ã ≤ 1 and the cell sum
    Σ_k π_k Ã_jk ≤ 1.
    """
    ss = np.exp(quad.log_s)[None, None, :] * np.broadcast_to(sigma, X.shape)[..., None]  # B, m, Gs
    diff = X[:, None, :] - quad.log_grid[None, :, None]  # (B, K, m)
    nearest = np.min(np.abs(diff), axis=1)  # (B, m)
    excess = (diff**2 - nearest[:, None, :] ** 2)[..., None]  # (B, K, m, 1) ≥ 0
    a = np.exp(-0.5 * excess / ss[:, None, :, :] ** 2)
    log_max = -0.5 * (nearest[..., None] / ss) ** 2 - np.log(ss) - 0.5 * _LOG_2PI
    return a, log_max


def cell_sums(a: FloatArray, quad: Quadrature) -> FloatArray:
    """L̃_j(μ, τ, s) = Σ_k π_k(μ, τ) Ã_jk(s) as (B, m, Gs, Gμ·Gτ), by one 2-d matrix product.

    One (B·m·Gs, K) × (K, G) product with the node axis last: a stacked ``matmul`` of the same
    size can be ten times slower when the BLAS threads compete with other work.
    """
    b, k, m, gs = a.shape
    rows = np.moveaxis(a, 1, -1).reshape(b * m * gs, k)
    out: FloatArray = (rows @ quad.pi.T).reshape(b, m, gs, -1)
    return out


def _sum_log_blocks(values: FloatArray) -> FloatArray:
    """Σ over axis 1 of ln(values), as ln of block products; underflowing blocks summed exactly.

    ``np.log`` costs ~20 times a multiplication, so materials are multiplied in blocks of
    :data:`_BLOCK` first (the last block may be shorter). Every value is at most 1 (a mixture of
    normalised densities), and a block product below :data:`_TINY` is recomputed as a sum of
    logarithms.
    """
    b, m, gs, g = values.shape
    full = m - m % _BLOCK
    blocks = values[:, :full].reshape(b, full // _BLOCK, _BLOCK, gs, g)
    prod = blocks.prod(axis=2)
    if full < m:
        prod = np.concatenate([prod, values[:, full:].prod(axis=1, keepdims=True)], axis=1)
    with np.errstate(divide="ignore"):
        log_prod = np.log(prod)
        small = prod < _TINY
        if small.any():
            i0, i1, i2, i3 = np.nonzero(small)
            # Material indices of each flagged block (the short last block repeats its end).
            members = np.minimum(i1[:, None] * _BLOCK + np.arange(_BLOCK), m - 1)
            start = np.minimum(i1 * _BLOCK, m - 1)
            length = np.minimum(_BLOCK, m - start)
            logs = np.log(values[i0[:, None], members, i2[:, None], i3[:, None]])
            log_prod[small] = np.sum(np.where(np.arange(_BLOCK) < length[:, None], logs, 0.0), 1)
    out: FloatArray = log_prod.sum(axis=1)
    return out


def logsumexp(values: FloatArray, axis: int | tuple[int, ...]) -> FloatArray:
    """ln Σ exp(values) over ``axis`` (max-shifted; −inf where every term is −inf)."""
    top = np.max(values, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        out: FloatArray = np.log(np.sum(np.exp(values - top), axis=axis)) + np.squeeze(
            top, axis=axis
        )
    return out


def chunk_size(n_items: int, per_item: int) -> int:
    """Datasets per chunk so that the largest temporary holds ≤ CHUNK_ELEMENTS doubles."""
    return max(1, min(n_items, CHUNK_ELEMENTS // max(per_item, 1)))


def lattice_loglik(X: FloatArray, sigma: FloatArray, quad: Quadrature) -> FloatArray:
    """ln p(x | μ, τ, s) under the lattice model at every node, shape (B, Gs, Gμ·Gτ)."""
    a, log_max = scaled_densities(X, sigma, quad)
    out: FloatArray = _sum_log_blocks(cell_sums(a, quad)) + log_max.sum(axis=1)[:, :, None]
    return out


def _continuous_parts(
    X: FloatArray, sigma: FloatArray, quad: Quadrature
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Weights w = 1/v (B, m, Gτ, Gs), W = Σw, weighted mean, Q = Σw(x − x̄)² and Σ ln v."""
    s2 = np.exp(2.0 * quad.log_s)[None, None, None, :]
    sig = np.broadcast_to(sigma, X.shape)[..., None, None]
    v = np.exp(2.0 * quad.log_tau)[None, None, :, None] + s2 * sig**2
    w = 1.0 / v
    w_sum = w.sum(axis=1)
    mean = np.einsum("bmts,bm->bts", w, X) / w_sum
    q = np.einsum("bmts,bmts->bts", w, (X[:, :, None, None] - mean[:, None]) ** 2)
    return w, w_sum, mean, q, np.log(v).sum(axis=1)


def _mu_integral(
    q: FloatArray,
    log_det: FloatArray,
    w_sum: FloatArray,
    mean: FloatArray,
    m: int,
    quad: Quadrature,
) -> FloatArray:
    """ln ∫ U(μ; a, b) Π_j N(x_j; μ, v_j) dμ from the Gaussian sufficient statistics."""
    a, b = quad.mu_range
    root = np.sqrt(w_sum)
    out: FloatArray = (
        -0.5 * q
        - 0.5 * log_det
        - 0.5 * (m - 1) * _LOG_2PI
        - 0.5 * np.log(w_sum)
        + log_interval((a - mean) * root, (b - mean) * root)
        - np.log(b - a)
    )
    return out


def continuous_loglik(X: FloatArray, sigma: FloatArray, quad: Quadrature) -> FloatArray:
    """ln p(x | τ, s) under the continuous model, μ integrated over its prior: (B, Gτ, Gs)."""
    _, w_sum, mean, q, log_det = _continuous_parts(X, sigma, quad)
    return _mu_integral(q, log_det, w_sum, mean, X.shape[1], quad)


def continuous_loglik_loo(X: FloatArray, sigma: FloatArray, quad: Quadrature) -> FloatArray:
    """ln p(x_{−j} | τ, s) under the continuous model for every held-out j: (B, Gτ, Gs, m).

    Downdating: W₋ = W − w_j, x̄₋ = (W x̄ − w_j x_j)/W₋, Q₋ = Q − w_j (W/W₋)(x_j − x̄)².
    """
    w, w_sum, mean, q, log_det = _continuous_parts(X, sigma, quad)
    w = np.moveaxis(w, 1, -1)  # (B, Gτ, Gs, m)
    x = X[:, None, None, :]
    w_rest = w_sum[..., None] - w
    mean_rest = (w_sum[..., None] * mean[..., None] - w * x) / w_rest
    q_rest = q[..., None] - w * (w_sum[..., None] / w_rest) * (x - mean[..., None]) ** 2
    log_det_rest = log_det[..., None] + np.log(w)  # ln v_j = −ln w_j
    return _mu_integral(q_rest, log_det_rest, w_rest, mean_rest, X.shape[1] - 1, quad)


def log_evidence_by_scale(
    X: FloatArray, sigma: FloatArray, quad: Quadrature
) -> tuple[FloatArray, FloatArray]:
    """ln Z(s) of the lattice and the continuous model at every s node: two (B, Gs) arrays.

    Integrates over μ and τ only; chunked over datasets so memory stays bounded.
    """
    n, m = X.shape
    gs = quad.log_s.size
    per_item = quad.pi.shape[0] * (m + 1) * gs
    step = chunk_size(n, per_item)
    log_w_mt = (quad.log_w_mu[:, None] + quad.log_w_tau[None, :]).reshape(-1)
    z_lat = np.empty((n, gs))
    z_con = np.empty((n, gs))
    for start in range(0, n, step):  # loop over chunks of datasets only
        part = slice(start, start + step)
        sig = np.broadcast_to(sigma, X.shape)[part]
        ll = lattice_loglik(X[part], sig, quad)
        z_lat[part] = logsumexp(ll + log_w_mt, axis=2)
        cl = continuous_loglik(X[part], sig, quad)
        z_con[part] = logsumexp(cl + quad.log_w_tau[None, :, None], axis=1)
    return z_lat, z_con


def log_bayes_factor(X: FloatArray, sigma: FloatArray, quad: Quadrature) -> FloatArray:
    """ln Z_lattice − ln Z_continuous, s integrated with the quadrature's s weights: (B,)."""
    z_lat, z_con = log_evidence_by_scale(X, sigma, quad)
    out: FloatArray = logsumexp(z_lat + quad.log_w_s, axis=1) - logsumexp(
        z_con + quad.log_w_s, axis=1
    )
    return out


def with_scales(quad: Quadrature, log_s: FloatArray) -> Quadrature:
    """The same (μ, τ) quadrature with other ln s nodes (trapezoid weights over their range)."""
    nodes = np.atleast_1d(np.asarray(log_s, dtype=float))
    return replace(quad, log_s=nodes, log_w_s=_trapezoid_log_weights(nodes.size))


def scale_nodes(sigma: FloatArray, step: float = STEP_LOG_S) -> FloatArray:
    """ln s quadrature nodes over the s prior (uniform, about ``step`` apart)."""
    lo, hi = scale_prior_range(sigma)
    return _uniform_nodes(float(np.log(lo)), float(np.log(hi)), step)
