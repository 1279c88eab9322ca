r"""Per-material posteriors and exact leave-one-out scores of both models (private).

Built on the kernels of ``tcfit.lattice._model``; used by :func:`tcfit.lattice.lattice_test` and
by the calibration study. Vectorised over a leading batch axis of datasets, chunked.

Leave-one-out is exact by quadrature: :math:`\ln p(x_j \mid x_{-j}) = \ln Z(x) - \ln Z(x_{-j})`
with the same priors, so no importance sampling is needed (Vehtari, Gelman and Gabry 2017 define
the ELPD; PSIS is their approximation of exactly this quantity).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._model import (
    FloatArray,
    Quadrature,
    cell_sums,
    chunk_size,
    continuous_loglik,
    continuous_loglik_loo,
    logsumexp,
    scaled_densities,
)


@dataclass(frozen=True, eq=False)
class Analysis:
    """Evidence, per-material posteriors and leave-one-out scores of a batch of datasets.

    Attributes
    ----------
    log_z_lattice, log_z_continuous : ndarray of shape (B,)
        ln marginal likelihood of each model (over μ, τ and the quadrature's s nodes).
    posterior : ndarray of shape (B, m, K)
        P(k_j = k | x) under the lattice model, marginalised over μ, τ and s.
    elpd_lattice, elpd_continuous : ndarray of shape (B, m)
        ln p(x_j | x_{−j}) under each model (exact leave-one-out by quadrature).
    """

    log_z_lattice: FloatArray
    log_z_continuous: FloatArray
    posterior: FloatArray
    elpd_lattice: FloatArray
    elpd_continuous: FloatArray


def _analyse_lattice(
    X: FloatArray, sigma: FloatArray, quad: Quadrature
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """ln Z, posterior (B, m, K) and LOO elpd (B, m) of the lattice model for one chunk."""
    a, log_max = scaled_densities(X, sigma, quad)
    # A cell sum of 0 (the envelope puts no representable mass near x_j) is floored at 1e-300:
    # such nodes are negligible, and the floor keeps Σ_{i≠j} ℓ_i = total − ℓ_j finite.
    sums = np.maximum(cell_sums(a, quad), 1e-300)  # (B, m, Gs, G)
    ell = np.log(sums) + log_max[..., None]
    total = ell.sum(axis=1)  # (B, Gs, G)
    log_w_mt = (quad.log_w_mu[:, None] + quad.log_w_tau[None, :]).reshape(-1)
    log_w = quad.log_w_s[:, None] + log_w_mt[None, :]  # (Gs, G)
    log_z = logsumexp(total + log_w, axis=(1, 2))
    weight = np.exp(total + log_w - log_z[:, None, None])  # posterior mass of each node
    ratio = weight[:, None] / sums  # (B, m, Gs, G)
    per_scale = (ratio.reshape(-1, ratio.shape[-1]) @ quad.pi).reshape(*ratio.shape[:3], -1)
    posterior = np.einsum("bjsk,bkjs->bjk", per_scale, a)
    log_z_rest = logsumexp(total[:, None] - ell + log_w, axis=(2, 3))
    return log_z, posterior, log_z[:, None] - log_z_rest


def _analyse_continuous(
    X: FloatArray, sigma: FloatArray, quad: Quadrature
) -> tuple[FloatArray, FloatArray]:
    """ln Z and LOO elpd (B, m) of the continuous model for one chunk."""
    log_w = quad.log_w_tau[:, None] + quad.log_w_s[None, :]
    log_z = logsumexp(continuous_loglik(X, sigma, quad) + log_w, axis=(1, 2))
    rest = logsumexp(continuous_loglik_loo(X, sigma, quad) + log_w[..., None], axis=(1, 2))
    return log_z, log_z[:, None] - rest


def analyse(X: FloatArray, sigma: FloatArray, quad: Quadrature) -> Analysis:
    """Evidence, posteriors and leave-one-out scores of every dataset in ``X`` (B, m).

    Parameters
    ----------
    X : ndarray of shape (B, m)
        ln i_implied of each dataset.
    sigma : ndarray of shape (m,) or (B, m)
        σ(ln i) (not yet multiplied by s).
    quad : Quadrature

    Returns
    -------
    Analysis
    """
    n, m = X.shape
    per_item = 4 * quad.pi.shape[0] * m * quad.log_s.size
    step = chunk_size(n, per_item)
    sig_all = np.broadcast_to(sigma, X.shape)
    parts: list[tuple[FloatArray, ...]] = []
    for start in range(0, n, step):  # loop over chunks of datasets only
        xs, sig = X[start : start + step], sig_all[start : start + step]
        parts.append((*_analyse_lattice(xs, sig, quad), *_analyse_continuous(xs, sig, quad)))
    lz_l, post, elpd_l, lz_c, elpd_c = (np.concatenate(p) for p in zip(*parts, strict=True))
    return Analysis(lz_l, lz_c, post, elpd_l, elpd_c)
