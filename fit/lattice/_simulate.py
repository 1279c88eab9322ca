r"""Smooth null envelopes, the parametric bootstrap, and the cheap companions (private).

Used by :mod:`tcfit.lattice` and by ``validation/calibration.py``. Every function takes a batch
of datasets ``X`` of shape ``(R, m)`` (ln i_implied) so that the calibration study can run the
whole double bootstrap as array operations, chunked only over datasets.

Null envelopes (continuous, not quantized), each fitted to one observed dataset:

``normal``
    :math:`\ln i \sim N(\hat\mu, \hat\tau^2)` with :math:`\hat\mu` the mean of x and
    :math:`\hat\tau^2 = \max(\mathrm{var}(x) - \overline{s^2\sigma^2},\ 0.05^2)` (the measurement
    variance removed, floored at the τ prior's lower end); the simulated observation adds
    :math:`N(0, s^2\sigma_j^2)`. So the simulated x have the observed mean and variance.
``kde``
    The kernel density of the observed x themselves (which already carry the measurement
    noise, so none is added and nothing is deconvolved): Gaussian kernel with Silverman's
    bandwidth :math:`h = 0.9\,\min(\mathrm{sd}, \mathrm{IQR}/1.34)\,m^{-1/5}` (sd when IQR = 0),
    shrunk towards the mean by :math:`1/\sqrt{1 + h^2/\mathrm{var}(x)}` so that the variance is
    the observed one (Silverman 1986, §6.4.1, the variance-corrected smoothed bootstrap).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import ndtr

from ._model import TAU_RANGE, FloatArray, Quadrature, cell_bounds, log_bayes_factor

#: Names of the null envelopes of the calibrated p-value, in reporting order.
ENVELOPES: tuple[str, ...] = ("normal", "kde")


def fit_normal_envelope(
    X: FloatArray, sigma: FloatArray, scale: float
) -> tuple[FloatArray, FloatArray]:
    """Moment estimates (μ̂, τ̂) of the normal envelope of every dataset, measurement removed."""
    var_noise = np.mean(np.broadcast_to((scale * sigma) ** 2, X.shape), axis=1)
    tau2 = np.maximum(np.var(X, axis=1, ddof=1) - var_noise, TAU_RANGE[0] ** 2)
    return X.mean(axis=1), np.sqrt(tau2)


def silverman_bandwidth(X: FloatArray) -> FloatArray:
    """Silverman's rule of thumb per dataset, 0.9·min(sd, IQR/1.34)·m^(−1/5) (sd if IQR = 0)."""
    sd = np.std(X, axis=1, ddof=1)
    q75, q25 = np.percentile(X, [75, 25], axis=1)
    spread = np.where(q75 > q25, np.minimum(sd, (q75 - q25) / 1.34), sd)
    out: FloatArray = 0.9 * spread * X.shape[1] ** -0.2
    return out


def _simulate_normal(
    X: FloatArray, sigma: FloatArray, scale: float, n: int, rng: np.random.Generator
) -> FloatArray:
    mu, tau = fit_normal_envelope(X, sigma, scale)
    r, m = X.shape
    true = mu[:, None, None] + tau[:, None, None] * rng.standard_normal((r, n, m))
    noise = scale * np.broadcast_to(sigma, X.shape)[:, None, :]
    out: FloatArray = true + noise * rng.standard_normal((r, n, m))
    return out


def _simulate_kde(
    X: FloatArray, sigma: FloatArray, scale: float, n: int, rng: np.random.Generator
) -> FloatArray:
    del sigma, scale  # the observed x already carry the noise
    r, m = X.shape
    h = silverman_bandwidth(X)
    mean = X.mean(axis=1)
    shrink = 1.0 / np.sqrt(1.0 + h**2 / np.var(X, axis=1, ddof=1))
    pick = rng.integers(0, m, size=(r, n, m))
    base = np.take_along_axis(X, pick.reshape(r, n * m), axis=1).reshape(r, n, m)
    kernel = h[:, None, None] * rng.standard_normal((r, n, m))
    out: FloatArray = (
        mean[:, None, None] + (base - mean[:, None, None] + kernel) * shrink[:, None, None]
    )
    return out


_SIMULATORS: dict[
    str, Callable[[FloatArray, FloatArray, float, int, np.random.Generator], FloatArray]
] = {"normal": _simulate_normal, "kde": _simulate_kde}


def simulate_null(
    envelope: str,
    X: FloatArray,
    sigma: FloatArray,
    scale: float,
    n: int,
    rng: np.random.Generator,
) -> FloatArray:
    """``n`` null datasets per observed dataset from a smooth envelope fitted to it: (R, n, m)."""
    return _SIMULATORS[envelope](X, sigma, scale, n, rng)


def bootstrap_p_values(
    X: FloatArray,
    sigma: FloatArray,
    quad: Quadrature,
    observed: FloatArray,
    *,
    scale: float,
    n_sim: int,
    rng: np.random.Generator,
) -> dict[str, FloatArray]:
    """Monte Carlo p-values of ln BF under every envelope, (1 + #{T* ≥ T}) / (1 + n_sim).

    Parameters
    ----------
    X : ndarray of shape (R, m)
        Observed datasets.
    sigma : ndarray of shape (m,) or (R, m)
    quad : Quadrature
        The quadrature that produced ``observed`` (the same statistic is recomputed).
    observed : ndarray of shape (R,)
        ln BF of each observed dataset.
    scale : float
        Error scale s used to simulate the measurement noise.
    n_sim : int
        Null datasets per envelope and observed dataset.
    rng : numpy.random.Generator

    Returns
    -------
    dict
        Envelope name → p-values of shape (R,).
    """
    r, m = X.shape
    sig = np.broadcast_to(sigma, X.shape)
    out: dict[str, FloatArray] = {}
    for envelope in ENVELOPES:  # two envelopes, each one batched computation
        sims = simulate_null(envelope, X, sigma, scale, n_sim, rng).reshape(r * n_sim, m)
        sig_sims = np.repeat(sig, n_sim, axis=0)
        stats = log_bayes_factor(sims, sig_sims, quad).reshape(r, n_sim)
        out[envelope] = (1.0 + np.sum(stats >= observed[:, None], axis=1)) / (1.0 + n_sim)
    return out


def lattice_spacing(grid: FloatArray) -> float | None:
    """The spacing d if the grid is {n₀d, (n₀+1)d, …} (e.g. integers, halves), else None."""
    if grid.size < 2:
        return None
    d = float(grid[1] - grid[0])
    steps = np.diff(grid)
    start = float(grid[0]) / d
    if np.allclose(steps, d, rtol=1e-9, atol=0) and abs(start - round(start)) < 1e-9:
        return d
    return None


def rayleigh(
    X: FloatArray, sigma: FloatArray, spacing: float, scale: float = 1.0
) -> tuple[FloatArray, FloatArray]:
    r"""Weighted one-sided Rayleigh test of the phases of i on the lattice {d, 2d, …}: (Z, p).

    Phase :math:`\phi_j = 2\pi i_j/d`; weight :math:`w_j = \exp(-2\pi^2 (i_j s\sigma_j/d)^2)`, the
    attenuation of :math:`E\cos\phi` by the measurement noise (σ_i = i·σ(ln i));
    :math:`Z = \sum w_j\cos\phi_j / \sqrt{\tfrac12\sum w_j^2}`, p = 1 − Φ(Z) (normal
    approximation under uniform phases).
    """
    i = np.exp(X)
    sig = np.broadcast_to(sigma, X.shape)
    w = np.exp(-2.0 * np.pi**2 * (i * scale * sig / spacing) ** 2)
    norm = np.sqrt(0.5 * np.sum(w**2, axis=1))
    z = np.sum(w * np.cos(2.0 * np.pi * i / spacing), axis=1) / np.maximum(norm, 1e-300)
    z = np.where(norm > 0, z, 0.0)
    return z, ndtr(-z)


def headline_counts(
    X: FloatArray,
    sigma: FloatArray,
    log_grid: FloatArray,
    tolerance: float,
    scale: float = 1.0,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Observed, grid-guaranteed and continuous-model-expected counts with |residual| ≤ tol.

    A row is *guaranteed* if every i in its bracketing interval [v_k, v_{k+1}] would be assigned
    within ``tolerance``: the worst case is the log-midpoint, residual e^{Δ/4} − 1 with
    Δ = ln(v_{k+1}/v_k); rows outside the grid are never guaranteed. The *expected* count is
    Σ_j P(|residual| ≤ tol) for x_j ~ N(μ̂, τ̂² + s²σ_j²), the normal envelope fitted as in
    :func:`fit_normal_envelope`: each allowed value contributes the part of
    [g_k + 2 ln(1 − tol), g_k + 2 ln(1 + tol)] inside its cell.
    """
    bounds = cell_bounds(log_grid)
    nearest = np.searchsorted(bounds[1:-1], X)
    residual = np.expm1(0.5 * (X - log_grid[nearest]))
    observed = np.sum(np.abs(residual) <= tolerance, axis=1).astype(float)

    inside = (X >= log_grid[0]) & (X <= log_grid[-1])
    k = np.clip(np.searchsorted(log_grid, X, side="right") - 1, 0, log_grid.size - 2)
    gap = log_grid[k + 1] - log_grid[k]
    guaranteed = np.sum(inside & (np.expm1(gap / 4.0) <= tolerance), axis=1).astype(float)

    mu, tau = fit_normal_envelope(X, sigma, scale)
    sd = np.sqrt(tau[:, None] ** 2 + (scale * np.broadcast_to(sigma, X.shape)) ** 2)
    lo = np.maximum(log_grid + 2.0 * np.log1p(-tolerance), bounds[:-1])  # (K,)
    hi = np.minimum(log_grid + 2.0 * np.log1p(tolerance), bounds[1:])
    z_lo = (lo[None, None, :] - mu[:, None, None]) / sd[..., None]
    z_hi = (hi[None, None, :] - mu[:, None, None]) / sd[..., None]
    expected = np.sum(np.clip(ndtr(z_hi) - ndtr(z_lo), 0.0, 1.0), axis=(1, 2))
    return observed, guaranteed, expected
