r"""Are the implied i on the allowed lattice? Probabilities and a calibrated model comparison.

Notation: :math:`x_j = \ln i_{\rm implied}`, :math:`\sigma_j = \sigma(\ln i)` its first-order 1σ
(``i_implied_err / i_implied``), allowed values :math:`v_1 < … < v_K` with logs :math:`g_k`, and
cells bounded by the log-midpoints :math:`b_k = (g_k + g_{k+1})/2`, :math:`b_0 = -\infty`,
:math:`b_K = +\infty` (the policy's log-nearest assignment).

**Stability** (:func:`cell_probabilities`, :func:`stability`). Under tcfit's error model x is
normal around its true value, so the probability that a re-measurement lands in value k's cell
is :math:`\Phi((b_k - x)/\sigma) - \Phi((b_{k-1} - x)/\sigma)`, exactly (no Monte Carlo). This is
a *stability* of the assignment, not the probability that it is right.

**Models** (:func:`lattice_test`). Both share one normal envelope of ln i across materials:

- continuous: :math:`x_j \sim N(\mu, \tau^2 + s^2\sigma_j^2)`;
- lattice: :math:`k_j` has probability :math:`\pi_k = \Phi((b_k-\mu)/\tau) -
  \Phi((b_{k-1}-\mu)/\tau)` (the envelope integrated over each cell; mass beyond the grid goes to
  the end values) and :math:`x_j \sim N(g_{k_j}, s^2\sigma_j^2)`.

Priors: μ uniform on [min(0, g_1), ln(1.5 v_K)] (= [0, ln 30] for the integers 1…20);
ln τ uniform on [ln 0.05, ln 2]; the error scale s either fixed or ln s uniform on
[ln(0.02/σ̃), ln(0.3/σ̃)], σ̃ = median σ_j, so the effective error s·σ̃ spans modern precision
(0.02) to generous errors (0.3). Marginal likelihoods, posteriors P(k_j = k | x) (marginalised
over μ, τ and s) and exact leave-one-out predictive densities are computed by deterministic
quadrature (trapezoid rule, μ in closed form for the continuous model; see
``tcfit.lattice._model`` for steps and measured accuracy).

**Calibration.** ln BF is referred to its distribution under smooth, *continuous* envelopes
fitted to the data (parametric bootstrap; envelopes ``normal`` and ``kde``, described in
``tcfit.lattice._simulate``): :math:`p = (1 + \#\{T^* \ge T\})/(1 + n_{\rm sim})` per envelope, and
the headline p is the larger. Measured in ``docs/calibration.md`` (``nox -s calibration``) on
21 materials: its size is at most 0.042 under five smooth envelopes (σ(ln i) = 0.03–0.109), and
its power against integer i is 0.28–0.32 with tcfit's default errors (σ(ln i) = 0.109), 0.87 at
0.06 and ≥ 0.95 at 0.03. ln BF alone is not a test: with s marginalised 7–21 % of smooth
21-material datasets give ln BF > 0 (≤ 6 % give ln BF > ln 3).

**How sure is an assignment?** ``posterior_assigned`` (the posterior of the log-nearest value)
answers it; ``p_stable`` does not (its calibration error is 0.08–0.10 at the default errors).
With s marginalised the posterior is conservative when the stated errors are right (ECE 0.06,
stated probabilities 0.06 below the share right); with s fixed at the right scale it is
calibrated (ECE 0.015 on the model's own population, 0.04 on a Table-1-like one).

**Wording** (:func:`evidence_label`): the Kass–Raftery scale on ln BF — below 1.1 (BF 3)
"barely worth mentioning", 1.1–3 (BF 3–20) "positive", 3–5 (BF 20–150) "strong", above 5 "very
strong"; the same bands below zero read "… against", and |ln BF| < 1.1 on the negative side
reads "none".

References
----------
Kass, R. E. and Raftery, A. E. (1995). Bayes factors. *J. Amer. Statist. Assoc.* 90, 773–795.
Vehtari, A., Gelman, A. and Gabry, J. (2017). Practical Bayesian model evaluation using
leave-one-out cross-validation and WAIC. *Statistics and Computing* 27, 1413–1432.
Silverman, B. W. (1986). *Density Estimation for Statistics and Data Analysis*, §3.4.2, §6.4.1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr

from tcfit.errors import InputError
from tcfit.policies import TIE_TOLERANCE

from ._empirical import FULL_POSTERIOR_MAX, assigned_posterior
from ._model import FloatArray, cell_bounds
from ._result import EVIDENCE_THRESHOLDS, LatticeTest, evidence_label
from ._run import run_lattice_test

__all__ = [
    "DEFAULT_N_SIM",
    "EVIDENCE_THRESHOLDS",
    "FULL_POSTERIOR_MAX",
    "LATTICE_MAX_MATERIALS",
    "LatticeTest",
    "assigned_posterior",
    "cell_probabilities",
    "default_n_sim",
    "evidence_label",
    "lattice_test",
    "lattice_test_arrays",
    "stability",
]

#: Default number of null datasets per envelope (keeps lattice_test on ~20 materials < 2 s).
DEFAULT_N_SIM: int = 199
#: Analyses (the report, ``--lattice``, the valence verdicts) skip the lattice test above this
#: many materials: its calibration covers 13–50 materials, and its cost grows as materials ×
#: null datasets (≈ 0.1 s per material at 199 nulls on this machine class).
LATTICE_MAX_MATERIALS: int = 1000


def default_n_sim(m: int) -> int:
    """Null datasets per envelope an analysis uses for ``m`` materials: 199 up to 100
    materials, then fewer (never below 19) so that the bootstrap's cost stays about constant.

    Examples
    --------
    >>> default_n_sim(21), default_n_sim(400), default_n_sim(1000)
    (199, 49, 19)
    """
    if m <= 100:
        return DEFAULT_N_SIM
    return max(19, round((DEFAULT_N_SIM + 1) * 100 / m) - 1)


def _as_grid(grid: npt.ArrayLike) -> FloatArray:
    try:
        values = np.asarray(grid, dtype=float).ravel()
    except (TypeError, ValueError) as err:
        raise InputError(
            f"The `grid` parameter must be a list of allowed values of i; not {grid!r}.",
            argument="grid",
        ) from err
    if values.size == 0 or not np.all(np.isfinite(values) & (values > 0)):
        raise InputError(
            "The `grid` parameter must hold at least one positive, finite allowed value of i; "
            f"got {grid!r}.",
            argument="grid",
        )
    return np.unique(values)


def _as_x_sigma(x: npt.ArrayLike, sigma: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    x_arr = np.atleast_1d(np.asarray(x, dtype=float))
    if x_arr.ndim != 1 or not np.all(np.isfinite(x_arr)):
        raise InputError(
            f"The `x` parameter (ln i_implied) must be a 1-d array of finite numbers; got {x!r}.",
            argument="x",
        )
    sig = np.asarray(sigma, dtype=float)
    if sig.ndim > 1 or (sig.ndim == 1 and sig.size != x_arr.size):
        raise InputError(
            f"The `sigma` parameter must be a number or one value per material ({x_arr.size}); "
            f"got shape {sig.shape}.",
            argument="sigma",
        )
    if not np.all(np.isfinite(sig) & (sig > 0)):
        raise InputError(
            f"The `sigma` parameter (σ of ln i) must be positive and finite; got {sigma!r}.",
            argument="sigma",
        )
    return x_arr, np.broadcast_to(sig, x_arr.shape).astype(float)


def cell_probabilities(x: npt.ArrayLike, sigma: npt.ArrayLike, grid: npt.ArrayLike) -> FloatArray:
    r"""Probability that a re-measurement of each material lands in each allowed value's cell.

    .. math:: P_{jk} = \Phi\!\left(\frac{b_k - x_j}{\sigma_j}\right)
              - \Phi\!\left(\frac{b_{k-1} - x_j}{\sigma_j}\right),

    with :math:`b` the log-midpoints of the sorted grid and ±∞ at the ends. Exact under tcfit's
    error model (x normal with sd σ), O(m·K). Cells wholly in the upper tail are computed as
    :math:`\Phi(-a) - \Phi(-b)`, so no precision is lost to 1 − 1.

    Parameters
    ----------
    x : array_like of shape (m,)
        ln i_implied (dimensionless).
    sigma : float or array_like of shape (m,)
        σ(ln i) = i_implied_err / i_implied, positive.
    grid : array_like of shape (K,)
        Allowed values of i (positive; sorted and de-duplicated here).

    Returns
    -------
    ndarray of shape (m, K)
        Rows sum to 1; columns follow the sorted grid.

    Raises
    ------
    InputError
        For non-finite x, non-positive σ or a bad grid.

    Examples
    --------
    >>> p = cell_probabilities([np.log(3.0)], 0.109, [1, 2, 3, 4])
    >>> p.round(4).tolist(), float(p.sum())
    ([[0.0, 0.0314, 0.8751, 0.0935]], 1.0)
    """
    x_arr, sig = _as_x_sigma(x, sigma)
    bounds = cell_bounds(np.log(_as_grid(grid)))
    lo = (bounds[None, :-1] - x_arr[:, None]) / sig[:, None]
    hi = (bounds[None, 1:] - x_arr[:, None]) / sig[:, None]
    upper = lo > 0
    out: FloatArray = np.where(upper, ndtr(-lo) - ndtr(-hi), ndtr(hi) - ndtr(lo))
    return out


def stability(x: npt.ArrayLike, sigma: npt.ArrayLike, grid: npt.ArrayLike) -> FloatArray:
    """Probability that a re-measurement keeps each material's log-nearest assignment.

    The entry of :func:`cell_probabilities` for the assigned (log-nearest, ties to the smaller)
    value. NaN where the implied i lies outside [min grid, max grid]: there the end value is
    assigned whatever the error, and a stability figure would mislead.

    Parameters
    ----------
    x : array_like of shape (m,)
        ln i_implied.
    sigma : float or array_like of shape (m,)
        σ(ln i).
    grid : array_like of shape (K,)
        Allowed values of i.

    Returns
    -------
    ndarray of shape (m,)

    Raises
    ------
    InputError
        As :func:`cell_probabilities`.

    Examples
    --------
    >>> stability(np.log([3.0, 30.0]), 0.109, np.arange(1, 21)).round(3).tolist()
    [0.875, nan]
    """
    x_arr, sig = _as_x_sigma(x, sigma)
    log_grid = np.log(_as_grid(grid))
    mid = 0.5 * (log_grid[:-1] + log_grid[1:])
    idx = np.searchsorted(mid, x_arr - TIE_TOLERANCE, side="left")
    # The assigned cell's entry of cell_probabilities, element for element the same arithmetic,
    # in O(m) memory instead of O(m·K).
    bounds = cell_bounds(np.log(_as_grid(np.exp(log_grid))))
    lo = (bounds[idx] - x_arr) / sig
    hi = (bounds[idx + 1] - x_arr) / sig
    chosen = np.where(lo > 0, ndtr(-lo) - ndtr(-hi), ndtr(hi) - ndtr(lo))
    inside = (x_arr >= log_grid[0]) & (x_arr <= log_grid[-1])
    out: FloatArray = np.where(inside, chosen, np.nan)
    return out


#: Largest number of null datasets per envelope (a bound checked before any allocation).
MAX_SIM = 100_000


def _check_count(name: str, value: Any, minimum: int, maximum: int | None = None) -> int:
    from tcfit._validate import check_count

    return check_count(name, value, minimum, maximum=maximum)


def _check_error_scale(error_scale: Any) -> float | None:
    """None for "marginal", else the fixed positive scale."""
    if isinstance(error_scale, str) and error_scale == "marginal":
        return None
    if (
        not isinstance(error_scale, bool)
        and isinstance(error_scale, int | float | np.integer | np.floating)
        and math.isfinite(float(error_scale))
        and float(error_scale) > 0
    ):
        return float(error_scale)
    raise InputError(
        "The `error_scale` parameter must be 'marginal' or a positive number (a factor on the "
        f"stated σ(ln i), 1 = as stated); not {error_scale!r}.",
        argument="error_scale",
    )


def lattice_test_arrays(
    names: Sequence[str],
    x: npt.ArrayLike,
    sigma: npt.ArrayLike,
    grid: npt.ArrayLike,
    *,
    error_scale: str | float = "marginal",
    n_sim: int = DEFAULT_N_SIM,
    seed: int = 0,
) -> LatticeTest:
    """:func:`lattice_test` on plain arrays.

    Parameters
    ----------
    names : sequence of str, length m
        Material names (labels only; duplicates allowed).
    x : array_like of shape (m,)
        ln i_implied.
    sigma : float or array_like of shape (m,)
        σ(ln i) at error scale 1.
    grid : array_like of shape (K,)
        Allowed values of i (at least two).
    error_scale : "marginal" or float, default="marginal"
        Marginalise s over its log-uniform prior, or fix it (1 = the stated errors).
    n_sim : int, default=199
        Null datasets per envelope for the calibrated p (resolution 1/(n_sim + 1)).
    seed : int, default=0
        Seed of :func:`numpy.random.default_rng`; same input + seed → identical numbers.

    Returns
    -------
    LatticeTest

    Raises
    ------
    InputError
        Fewer than 3 materials, fewer than 2 allowed values, mismatched lengths, non-finite x,
        non-positive σ, a bad ``error_scale``, ``n_sim`` < 1 or ``seed`` < 0.
    """
    x_arr, sig = _as_x_sigma(x, sigma)
    grid_arr = _as_grid(grid)
    labels = [str(n) for n in names]
    if len(labels) != x_arr.size:
        raise InputError(
            f"The `names` parameter must name every material: got {len(labels)} names for "
            f"{x_arr.size} values of x.",
            argument="names",
        )
    if x_arr.size < 3:
        raise InputError(
            f"The lattice test needs at least 3 materials; got {x_arr.size}.", argument="x"
        )
    if grid_arr.size < 2:
        raise InputError(
            f"The lattice test needs at least 2 allowed values; got {grid_arr.tolist()!r}.",
            argument="grid",
        )
    return run_lattice_test(
        labels,
        x_arr,
        sig,
        grid_arr,
        fixed_scale=_check_error_scale(error_scale),
        n_sim=_check_count("n_sim", n_sim, 1, maximum=MAX_SIM),
        seed=_check_count("seed", seed, 0),
        stable=stability(x_arr, sig, grid_arr),
    )


def lattice_test(
    result: Any,
    *,
    error_scale: str | float = "marginal",
    n_sim: int = DEFAULT_N_SIM,
    seed: int = 0,
) -> LatticeTest:
    """Integer (lattice) against continuous i for a finished fit: evidence, p, LOO, posteriors.

    Parameters
    ----------
    result : FitResult
        A :func:`tcfit.fit` result. Only ``result.table["material"]``, ``["i_implied"]``,
        ``["i_implied_err"]`` and ``result.policy.values`` are used.
    error_scale : "marginal" or float, default="marginal"
        See :func:`lattice_test_arrays`.
    n_sim : int, default=199
        Null datasets per envelope.
    seed : int, default=0
        Seed of the bootstrap.

    Returns
    -------
    LatticeTest

    Raises
    ------
    InputError
        If ``result`` lacks those columns or the policy, or as :func:`lattice_test_arrays`.

    References
    ----------
    Jiang, Eq. (5) (the integer i under test); Kass and Raftery (1995); Vehtari et al. (2017).

    Examples
    --------
    >>> from tcfit import fit
    >>> test = lattice_test(fit("table1"), n_sim=19)
    >>> round(test.ln_bayes_factor_fixed, 2), test.verdict
    (2.73, 'positive')
    """
    try:
        table = result.table
        names = table["material"].astype(str).tolist()
        implied = table["i_implied"].to_numpy(dtype=float)
        implied_err = table["i_implied_err"].to_numpy(dtype=float)
        grid = np.asarray(result.policy.values, dtype=float)
    except (AttributeError, KeyError, TypeError) as err:
        raise InputError(
            "The `result` parameter must be a FitResult from tcfit.fit (with a table holding "
            f"material, i_implied and i_implied_err, and a policy); not {type(result)!r}.",
            argument="result",
        ) from err
    if not np.all(np.isfinite(implied) & (implied > 0)):
        raise InputError(
            "Every implied i must be positive and finite for the lattice test.",
            argument="result",
        )
    return lattice_test_arrays(
        names,
        np.log(implied),
        implied_err / implied,
        grid,
        error_scale=error_scale,
        n_sim=n_sim,
        seed=seed,
    )
