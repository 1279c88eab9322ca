r"""Profiled global inference: exponents and prefactor with every material's i re-assigned.

The conditional global fits (:mod:`tcfit.global_fit`) hold each material's i at the value assigned
*under Eq. (5) as written* and then fit Eq. (5)'s exponents — circular, since every i was chosen to
make Eq. (5) fit. A profile removes the circle: at each trial value of one parameter, every
material's i is **re-assigned** under the fit's policy, the other parameter is profiled out, and
the minimum χ² is recorded.

Parameters (``parameter=``):

``"alpha"``
    the exponent α of n (Eq. 5: 1/6), with the prefactor scale profiled and β = 1;
``"beta"``
    the exponent β of Bc (Eq. 5: 1), with the prefactor scale profiled and α = 1/6;
``"scale"``
    s = prefactor / C (C the fit's prefactor, CODATA by default), with α and β at Eq. (5)'s values.

For a trial (α, β, s) the model is :math:`\ln T = \ln(sC) + \beta \ln B_c - \alpha \ln n -
\tfrac12 \ln i`; the implied i follows, the policy assigns it (log-nearest), and
:math:`\chi^2 = \sum_j (\ln T_{{\rm model},j} - \ln T_j)^2 / \sigma_j^2` with the effective variance
:math:`\sigma_j^2 = r_T^2 + (\beta r_B)^2 + (\alpha r_n)^2` **at the trial values** (the choice
stated in every result; the audit shows σ frozen at α = 1/6 moves the allowed set only slightly).

**Nuisance prefactor.** A change of α by 0.1 moves ln T by 0.1·ln n ≈ 6.7, which a free prefactor
must absorb. For α and β the prefactor is therefore profiled around the value that keeps the
implied i on their scale, :math:`\ln A = \ln C + \overline{(\alpha - \alpha_0)\ln n
- (\beta - \beta_0)\ln B_c} + \ln s` (the bar a mean over materials; α0 = 1/6, β0 = 1), on a grid
:math:`\ln s \in [-0.35, 0.35]` (``scale_grid`` points). A discrete i re-assigned at every s makes
χ²(s) piecewise, hence the grid; wider ranges would only trade s against a shift of every i
(s → 2s with i → 4i) and are not searched. Everything — trial values × scale grid ×
materials — is one vectorised array, processed in chunks of trial values so memory stays bounded.

**Allowed set.** The trial values with :math:`\chi^2 \le \chi^2_{\min} + 3.84` (Δχ² for one
parameter at 95 %). With re-assignment χ² is bumpy, so the set may be a union of disjoint
intervals; it is reported as such (:attr:`Profile.allowed`), each interval spanning the grid
points inside it. It is a *profile-likelihood region on a grid*, not a calibrated confidence
interval: its coverage with discrete re-assignment has not been measured, and no verdict is drawn
from it beyond "these values fit as well as Eq. (5)'s".

References
----------
Jiang, Eq. (5). Statistics audit (2026-11), part 1b.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ._display import Display, Displayable
from ._json import json_dict
from ._validate import check_count, check_option
from .errors import InputError
from .models import log_ratio

if TYPE_CHECKING:
    import pandas as pd

    from .fitting import FitResult

__all__ = ["DELTA_CHI2_95", "PARAMETERS", "Profile", "profile"]

#: The profiled parameters.
PARAMETERS: tuple[str, ...] = ("alpha", "beta", "scale")
#: Δχ² of the 95 % set for one parameter (χ² with 1 dof).
DELTA_CHI2_95 = 3.841458820694124
_DEFAULT_RANGES = {"alpha": (-0.5, 1.0), "beta": (0.5, 1.5), "scale": (0.7, 1.42)}
_LN_SCALE_HALF_WIDTH = 0.35
_CHUNK_CELLS = 4_000_000  # trial × scale × material cells per chunk (≈ 32 MB per float array)


@dataclass(frozen=True, eq=False)
class Profile(Displayable):
    """χ² profile of one parameter with every i re-assigned at each trial value.

    Attributes
    ----------
    parameter : {"alpha", "beta", "scale"}
    curve : pandas.DataFrame
        One row per trial value: ``value``, ``chi_square`` (minimum over the nuisance scale),
        ``scale`` (the profiled s relative to the scale-keeping prefactor; the trial value
        itself for ``"scale"``), ``n_changed``
        (materials whose assigned i differs from the fit's), ``delta_chi_square``.
    best : float
        The trial value with the smallest χ².
    chi_square_min : float
    reference : float
        Eq. (5)'s value (α = 1/6, β = 1, s = 1).
    chi_square_reference : float
        χ² at the reference value (interpolated on the grid's nearest point if not on it).
    allowed : tuple of (float, float)
        The Δχ² ≤ 3.84 set as disjoint intervals of grid points, ascending.
    reference_allowed : bool
        Whether the reference value lies in the allowed set.
    open_ends : tuple of (bool, bool)
        Whether the allowed set reaches the first or the last trial value: the set may then
        extend beyond the grid (pass wider ``values``).
    sigma : str
        How σ was treated ("effective variance at the trial values").
    policy : str
    """

    parameter: str
    curve: pd.DataFrame
    best: float
    chi_square_min: float
    reference: float
    chi_square_reference: float
    allowed: tuple[tuple[float, float], ...]
    reference_allowed: bool
    open_ends: tuple[bool, bool]
    sigma: str
    policy: str

    def _display(self) -> Display:
        spans = ", ".join(f"[{a:.3g}, {b:.3g}]" for a, b in self.allowed)
        rows = [
            ("best value", f"{self.best:.4g} (χ² {self.chi_square_min:.3g})"),
            ("allowed set (Δχ² ≤ 3.84)", spans or "—"),
            ("Eq. (5)'s value", f"{self.reference:.4g} (χ² {self.chi_square_reference:.3g}, "
             + ("inside" if self.reference_allowed else "outside") + ")"),
            ("σ", self.sigma),
            ("policy", self.policy),
        ]  # fmt: skip
        warnings = ["the allowed set reaches the grid's edge"] if any(self.open_ends) else []
        return Display(f"tcfit profile of {self.parameter} (i re-assigned)", rows, warnings)

    def __repr__(self) -> str:
        spans = ", ".join(f"[{a:.3g}, {b:.3g}]" for a, b in self.allowed)
        spans += " (reaches the grid's edge)" if any(self.open_ends) else ""
        return (
            f"Profile({self.parameter}: best {self.best:.4g}, χ²_min {self.chi_square_min:.3g}; "
            f"allowed {spans}; Eq. (5)'s {self.reference:.4g} "
            f"{'inside' if self.reference_allowed else 'outside'})"
        )

    def plot(self, kind: str = "profile", **kwargs: Any) -> Any:
        """Draw this profile, with :mod:`tcfit.plot` (the report's figure and look).

        Parameters
        ----------
        kind : {"profile"}, default="profile"
        **kwargs
            ``ax=`` (a matplotlib Axes) or, for the figures with several panels, ``fig=``,
            and the drawing function's own options.

        Returns
        -------
        matplotlib.axes.Axes or matplotlib.figure.Figure
            What it drew on (a new pyplot figure unless ``ax``/``fig`` was given).
        """
        from tcfit.plot import draw

        return draw(self, kind, **kwargs)

    def to_dict(self, *, include_curve: bool = True) -> dict[str, Any]:
        """JSON-ready; the curve as lists ``value``, ``chi_square``, ``scale``, ``n_changed``."""
        out: dict[str, Any] = {
            "parameter": self.parameter,
            "best": self.best,
            "chi_square_min": self.chi_square_min,
            "reference": self.reference,
            "chi_square_reference": self.chi_square_reference,
            "allowed": [list(span) for span in self.allowed],
            "reference_allowed": self.reference_allowed,
            "open_ends": list(self.open_ends),
            "delta_chi_square": DELTA_CHI2_95,
            "sigma": self.sigma,
            "policy": self.policy,
        }
        if include_curve:
            out["curve"] = {c: self.curve[c].tolist() for c in self.curve.columns}
        return json_dict(out)


def profile(
    result: FitResult,
    parameter: str,
    values: Any = None,
    *,
    scale_grid: int = 141,
) -> Profile:
    """Profile χ² over one parameter of Eq. (5), re-assigning every material's i at each value.

    Parameters
    ----------
    result : FitResult
        A finished :func:`tcfit.fit` of an Eq. (5)-like model (its data, uncertainties, policy
        and prefactor are used).
    parameter : {"alpha", "beta", "scale"}
        The exponent of n, the exponent of Bc, or prefactor / C.
    values : array_like, optional
        Trial values; default 151 (α: −0.5…1.0), 101 (β: 0.5…1.5) or 141 (s: 0.70…1.42)
        points, always including the reference value.
    scale_grid : int, default=141
        Points of the nuisance ln s grid on [−0.35, 0.35] (not used for ``"scale"``).

    Returns
    -------
    Profile

    Raises
    ------
    InputError
        For an unknown parameter, non-finite or non-positive trial values (a scale must be > 0),
        or a model without the exponents α and β.

    References
    ----------
    Jiang, Eq. (5); the module docstring.

    Examples
    --------
    >>> import tcfit
    >>> p = profile(tcfit.fit("table1"), "alpha")
    >>> p.reference
    0.16666666666666666
    """
    check_option("parameter", parameter, PARAMETERS)
    check_count("scale_grid", scale_grid, 1)
    model = result.model
    if set(model.exponent_names) != {"alpha", "beta"}:
        raise InputError(
            f"Profiles need a model with the exponents 'alpha' and 'beta'; {model.name!r} has "
            f"{sorted(model.exponent_names)}.",
            argument="result",
        )
    reference = {"alpha": -model.log_coefficients["n"], "beta": model.log_coefficients["bc"]}
    reference["scale"] = 1.0
    trial = _trial_values(parameter, values, reference[parameter])
    chi2, scale, n_changed = _scan(result, parameter, trial, reference, scale_grid)
    return _summarise(result, parameter, trial, chi2, scale, n_changed, reference[parameter])


def _trial_values(parameter: str, values: Any, reference: float) -> np.ndarray:
    if values is None:
        low, high = _DEFAULT_RANGES[parameter]
        count = {"alpha": 151, "beta": 101, "scale": 141}[parameter]
        grid = np.linspace(low, high, count)
        return np.unique(np.append(grid, reference))
    try:
        grid = np.unique(np.asarray(values, dtype=float).ravel())
    except (TypeError, ValueError) as err:
        raise InputError(
            f"The `values` parameter must be numbers; not {values!r}.", argument="values"
        ) from err
    if (
        grid.size == 0
        or not np.all(np.isfinite(grid))
        or (parameter == "scale" and grid.min() <= 0)
    ):
        raise InputError(
            "The `values` parameter must hold finite trial values (positive for 'scale'); "
            f"got {values!r}.",
            argument="values",
        )
    return grid


def _scan(
    result: FitResult,
    parameter: str,
    trial: np.ndarray,
    reference: dict[str, float],
    scale_grid: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minimum χ² over the nuisance scale, the scale at the minimum and the changed count."""
    t = result.table
    ln_t, ln_b, ln_n = (np.log(t[q].to_numpy(float)) for q in ("tc", "bc", "n"))
    r_t, r_b, r_n = (
        t[f"{q}_err"].to_numpy(float) / t[q].to_numpy(float) for q in ("tc", "bc", "n")
    )
    ln_c = float(np.log(result.options.prefactor))
    assigned = t["i_assigned"].to_numpy(float)
    a_i = result.model.log_coefficients[result.model.parameter]
    log_values = np.log(result.policy.values)
    if parameter == "scale":
        ln_s = np.log(trial)[:, None]  # trial × 1 (no nuisance)
    else:
        ln_s = np.linspace(-_LN_SCALE_HALF_WIDTH, _LN_SCALE_HALF_WIDTH, scale_grid)[None, :]
    m = ln_t.size
    per_chunk = max(1, _CHUNK_CELLS // max(1, ln_s.shape[1] * m))
    chi2 = np.empty(trial.size)
    best_scale = np.empty(trial.size)
    changed = np.empty(trial.size, dtype=int)
    for start in range(0, trial.size, per_chunk):
        chunk = slice(start, start + per_chunk)
        values = trial[chunk]
        alpha = values if parameter == "alpha" else np.full(values.size, reference["alpha"])
        beta = values if parameter == "beta" else np.full(values.size, reference["beta"])
        s = ln_s[chunk] if parameter == "scale" else ln_s
        # ln i_implied = −(ln s + ln A0 + β ln Bc − α ln n − ln Tc)/a_i: trial × scale × material,
        # with ln A0 the prefactor that keeps the implied i on their scale (module docstring).
        keep = np.mean(
            (alpha - reference["alpha"])[:, None] * ln_n
            - (beta - reference["beta"])[:, None] * ln_b,
            axis=1,
        )
        base = (ln_c + keep)[:, None] + beta[:, None] * ln_b - alpha[:, None] * ln_n - ln_t
        log_i = -(s[..., None] + base[:, None, :]) / a_i
        idx, _ = result.policy.assign_log(log_i)
        ln_ratio = log_ratio(result.model, log_i, log_values[idx])  # ln(T_model / T)
        sigma2 = r_t**2 + (beta[:, None] * r_b) ** 2 + (alpha[:, None] * r_n) ** 2  # trial × m
        total = np.sum(ln_ratio**2 / sigma2[:, None, :], axis=2)  # trial × scale
        k = np.argmin(total, axis=1)
        rows = np.arange(values.size)
        chi2[chunk] = total[rows, k]
        best_scale[chunk] = np.exp(s[rows, k] if parameter == "scale" else s[0, k])
        picked = result.policy.values[idx[rows, k]]
        changed[chunk] = np.sum(~np.isclose(picked, assigned[None, :], rtol=1e-9), axis=1)
    return chi2, best_scale, changed


def _summarise(
    result: FitResult,
    parameter: str,
    trial: np.ndarray,
    chi2: np.ndarray,
    scale: np.ndarray,
    n_changed: np.ndarray,
    reference: float,
) -> Profile:
    import pandas as pd

    k_min = int(np.argmin(chi2))
    delta = chi2 - chi2[k_min]
    inside = delta <= DELTA_CHI2_95
    k_ref = int(np.argmin(np.abs(trial - reference)))
    curve = pd.DataFrame(
        {
            "value": trial,
            "chi_square": chi2,
            "delta_chi_square": delta,
            "scale": scale,
            "n_changed": n_changed,
        }
    )
    return Profile(
        parameter=parameter,
        curve=curve,
        best=float(trial[k_min]),
        chi_square_min=float(chi2[k_min]),
        reference=float(reference),
        chi_square_reference=float(chi2[k_ref]),
        allowed=_intervals(trial, inside),
        reference_allowed=bool(inside[k_ref]),
        open_ends=(bool(inside[0]), bool(inside[-1])),
        sigma="effective variance at the trial values",
        policy=result.policy.name,
    )


def _intervals(grid: np.ndarray, inside: np.ndarray) -> tuple[tuple[float, float], ...]:
    """Runs of consecutive grid points inside the set, as (first, last) pairs."""
    if not inside.any():
        return ()
    edges = np.diff(np.concatenate(([0], inside.astype(int), [0])))
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1) - 1
    return tuple((float(grid[a]), float(grid[b])) for a, b in zip(starts, stops, strict=True))
