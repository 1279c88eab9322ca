r"""Infer each material's i with its uncertainty, assign it under a policy, and score the result.

For every material Eq. (5) is solved for the degree of freedom it would need,

.. math:: i_{\rm implied} = \left(\frac{C B_c}{n^{1/6} T_c}\right)^2,

with a first-order (linear) uncertainty from the measurement errors,

.. math:: \frac{\sigma_i}{i} = \sqrt{\left(\frac{2\sigma_B}{B_c}\right)^2
          + \left(\frac{\sigma_n}{3n}\right)^2 + \left(\frac{2\sigma_T}{T_c}\right)^2}.

A :mod:`policy <tcfit.policies>` then assigns the allowed value nearest in log space (ties to the
smaller value), which minimises :math:`|\ln(T_{c,\rm model}/T_c)|` and, because the per-material
σ does not depend on i, also χ². The model Tc, the relative residual and z follow:

.. math:: z = \frac{\ln(T_{c,\rm model}/T_c)}{\sigma_{\ln T}}, \qquad
          \sigma_{\ln T}^2 = \left(\frac{\sigma_T}{T_c}\right)^2 + \left(\frac{\sigma_B}{B_c}
          \right)^2 + \left(\frac{\sigma_n}{6n}\right)^2

(the effective variance of :math:`\ln T_c = \ln C + \ln B_c - \tfrac16 \ln n - \tfrac12 \ln i`).

**How sure is an assignment?** ``p_assigned`` is the share of Monte Carlo draws of the measurement
errors in which the same value is assigned. Each draw perturbs every measured value
multiplicatively, :math:`x^* = x \exp(\varepsilon\,\sigma_x/x)` with :math:`\varepsilon \sim N(0,1)`
(a normal error in log space, so values stay positive; identical to a normal error to first
order). All draws are done at once as ``(draws, materials, 3)`` arrays and assigned with one
vectorised search; there is no Python loop over draws or rows.

**Default uncertainties.** Most published tables give no error bars. Where a row has no measured
``tc_err``/``bc_err``/``n_err``, tcfit uses :data:`DEFAULT_REL_ERR` (relative, 1σ) and says so
(``summary["uncertainties"]`` is ``"default"`` or ``"mixed"``, and the per-row column
``uncertainties``). The defaults were fixed before looking at any fit result, from the spread
between independent sources for the same element in ``elements_reference.md``:

- ``tc`` 2 %: tabulated Tc of one element typically differ by 1–3 % between sources (e.g. Cd
  0.517 / 0.52 K), more for low-Tc or phase-dependent cases.
- ``bc`` 5 %: Bc(0) differs by several per cent between sources (Al 99 / 103 / 105 G, Nb 1950 /
  1980 / 2060 G) and depends on extrapolation to T = 0.
- ``n`` 5 %: free-electron densities from r_s given to two decimals carry about ±2 %, and tables
  disagree by up to a few per cent (Cd 0.9624e29 in Table-1, 0.928e29 from r_s). The choice of
  valence, a modelling decision, is *not* covered.

Override them with ``rel_err={"tc": ..., "bc": ..., "n": ...}`` (missing keys keep the default).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from . import model
from ._json import jsonable, table_records
from .errors import DataError, InputError, Problem
from .model import PREFACTOR
from .policies import Policy, PolicyName, _assign_indices, check_option, get_policy

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_REL_ERR", "FitResult", "fit"]

#: Relative 1σ uncertainties used where a row has no measured uncertainty (see module docstring).
DEFAULT_REL_ERR: Mapping[str, float] = {"tc": 0.02, "bc": 0.05, "n": 0.05}

_QUANTITIES: tuple[str, ...] = ("tc", "bc", "n")


@dataclass(frozen=True, eq=False)
class FitResult:
    """Per-material inference and assignment of i, with a summary.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per material, in input order. Columns: ``material``; ``tc`` (K), ``bc`` (T),
        ``n`` (m⁻³); ``tc_err``, ``bc_err``, ``n_err`` (absolute 1σ actually used, SI);
        ``uncertainties`` ("measured", "default" or "mixed" for that row); ``i_implied`` and
        ``i_implied_err`` (1σ, first order); ``i_assigned``; ``tc_model`` (K, Eq. 5 at
        ``i_assigned``); ``residual`` ((tc_model − tc)/tc); ``z`` (ln(tc_model/tc)/σ_lnTc);
        ``chi2_assigned`` (z²); ``i_runner_up``, ``residual_runner_up``, ``chi2_runner_up``
        (the second-nearest allowed value; NaN for a one-value policy); ``p_assigned`` (share of
        Monte Carlo draws assigning ``i_assigned``); ``outside_grid`` (bool: the implied i lies
        below the smallest or above the largest allowed value, so the end value was assigned and
        ``p_assigned`` is high only because nothing lies beyond). When the data carry ``i``:
        ``i_reference``,
        ``agrees`` (nullable bool; NA where no reference) and ``residual_reference``. When they
        carry ``gamma``, ``density`` and ``molar_mass``: ``gamma_ratio``, ``tc_bcs`` (K),
        ``residual_bcs`` and ``i_bcs`` (see :mod:`tcfit.bcs`; NaN for rows lacking an input).
    summary : dict
        JSON-ready: ``n_materials``, ``rms_residual``, ``max_abs_residual``, ``within_1pct``,
        ``within_5pct``, ``within_10pct`` (counts with |residual| ≤ 1, 5, 10 %),
        ``chi_square`` (Σ z²), ``dof`` (the number of materials: the prefactor is fixed and the
        discrete per-material choices of i are *not* subtracted — see
        :func:`tcfit.quantization_test` for what they buy), ``reduced_chi_square``, ``policy``,
        ``policy_values``, ``seed``, ``draws``, ``uncertainties``, ``rel_err`` (the default
        relative uncertainties in force), ``prefactor``, ``mean_p_assigned``,
        ``n_outside_grid``; with reference i:
        ``n_reference``, ``n_agrees``; with BCS inputs: ``n_bcs``, ``rms_residual_bcs``.
        ``chi_square`` is never None here: default uncertainties always apply.
    policy : Policy
        The assignment policy used.
    data : pandas.DataFrame
        The resolved input table with its provenance in ``data.attrs``.
    """

    table: pd.DataFrame
    summary: dict[str, Any]
    policy: Policy
    data: pd.DataFrame

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"FitResult({s['n_materials']} materials, policy={s['policy']!r}, "
            f"rms_residual={s['rms_residual']:.4g}, seed={s['seed']}, draws={s['draws']})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary.

        Returns
        -------
        dict
            ``{"summary": {...}, "table": [one record per material], "provenance": {...}}``.
            NaN and missing values become ``None``; numpy scalars become Python numbers.
            ``provenance`` holds the input table's ``attrs`` (name, file, sha256, units, source,
            dropped rows, ...) plus ``tcfit_version``.
        """
        return {
            "summary": jsonable(self.summary),
            "table": table_records(self.table),
            "provenance": provenance(self.data),
        }


def provenance(df: pd.DataFrame) -> dict[str, Any]:
    """The provenance of a resolved table (its ``attrs``), JSON-ready, plus the tcfit version."""
    from tcfit import __version__

    out = {str(k): jsonable(v) for k, v in df.attrs.items()}
    out["tcfit_version"] = __version__
    return out


def _check_rel_err(rel_err: Mapping[str, float] | None) -> dict[str, float]:
    merged = dict(DEFAULT_REL_ERR)
    if rel_err is None:
        return merged
    if not isinstance(rel_err, Mapping):
        raise InputError(
            "The `rel_err` parameter must be a mapping like {'tc': 0.02, 'bc': 0.05, 'n': 0.05}; "
            f"not {rel_err!r}.",
            argument="rel_err",
        )
    for key, value in rel_err.items():
        check_option("rel_err", key, _QUANTITIES)
        try:
            number = float(value)
        except (TypeError, ValueError) as err:
            raise InputError(
                f"The `rel_err` value for {key!r} must be a number; not {value!r}.",
                argument="rel_err",
            ) from err
        if not (math.isfinite(number) and number > 0):
            raise InputError(
                f"The `rel_err` value for {key!r} must be a finite relative uncertainty greater "
                f"than zero (e.g. 0.05 for 5 %); not {value!r}.",
                argument="rel_err",
            )
        merged[key] = number
    return merged


def _check_count(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise InputError(
            f"The `{name}` parameter must be an integer of at least {minimum}; not {value!r}.",
            argument=name,
        )
    return int(value)


def resolve_data(data: Any, *, skip_invalid: bool = False) -> pd.DataFrame:
    """Turn a dataset name, path, buffer or DataFrame into the canonical SI table.

    Delegates to :func:`tcfit.datasets.resolve` with ``require=("tc", "bc", "n")``.

    Raises
    ------
    DataError
        If the data cannot be read or rows lack tc, bc or n (unless ``skip_invalid``).
    """
    from tcfit.datasets import resolve

    return resolve(data, skip_invalid=skip_invalid, require=_QUANTITIES)


def fit(
    data: Any,
    *,
    policy: PolicyName | str | Policy | list[float] = "integer",
    draws: int = 2000,
    seed: int = 0,
    rel_err: Mapping[str, float] | None = None,
    prefactor: float = PREFACTOR,
    skip_invalid: bool = False,
) -> FitResult:
    r"""Infer, assign and score the degree of freedom i of every material (Eq. 5).

    Parameters
    ----------
    data : str, path-like, file-like or pandas.DataFrame
        A built-in dataset name (``"table1"``, ``"elements"``), a file, or a table; read by
        :func:`tcfit.datasets.resolve` into SI (Tc in K, Bc in T, n in m⁻³). Optional columns
        used: ``tc_err``, ``bc_err``, ``n_err`` (absolute 1σ), ``i`` (a reference assignment,
        e.g. the paper's), ``gamma``, ``density``, ``molar_mass`` (for the BCS comparison).
    policy : {"integer", "paper", "half", "rational"}, Policy or list of float, default="integer"
        Allowed values of i (see :mod:`tcfit.policies`).
    draws : int, default=2000
        Monte Carlo draws of the measurement errors for ``p_assigned`` (at least 1).
    seed : int, default=0
        Seed of :func:`numpy.random.default_rng`; same data + seed → identical numbers.
    rel_err : dict, optional
        Default relative uncertainties ``{"tc": .., "bc": .., "n": ..}`` for rows without measured
        ones; missing keys keep :data:`DEFAULT_REL_ERR` (2 %, 5 %, 5 %).
    prefactor : float, default=PREFACTOR
        :math:`C` of Eq. (5) in K m^{1/2} T⁻¹ (CODATA, ≈ 1.5617e7).
    skip_invalid : bool, default=False
        Drop rows lacking tc, bc or n instead of raising (each drop is recorded in
        ``result.data.attrs["dropped"]``).

    Returns
    -------
    FitResult
        The per-material table and the summary (see :class:`FitResult`).

    Raises
    ------
    DataError
        If the data cannot be read, lack a required value, or carry a negative uncertainty.
    InputError
        For a bad ``policy``, ``draws``, ``seed``, ``rel_err`` or ``prefactor``.

    References
    ----------
    Jiang, Eq. (5) and Table-1.

    Examples
    --------
    >>> result = fit("table1", draws=200)
    >>> result.summary["n_materials"], result.summary["n_agrees"]
    (21, 19)
    """
    import pandas as pd

    pol = get_policy(policy)
    n_draws = _check_count("draws", draws, 1)
    seed = _check_count("seed", seed, 0)
    rel = _check_rel_err(rel_err)
    if not (isinstance(prefactor, int | float) and math.isfinite(prefactor) and prefactor > 0):
        raise InputError(
            f"The `prefactor` parameter must be a positive number; not {prefactor!r}.",
            argument="prefactor",
        )
    df = resolve_data(data, skip_invalid=skip_invalid)
    if len(df) == 0:
        raise DataError("The table has no rows to fit.", file=df.attrs.get("file"))

    values = {q: df[q].to_numpy(dtype=float) for q in _QUANTITIES}
    sigma, measured = _uncertainties(df, values, rel)
    r = {q: sigma[q] / values[q] for q in _QUANTITIES}  # relative 1σ

    i_implied = np.asarray(
        model.implied_i(values["tc"], values["bc"], values["n"], prefactor=prefactor)
    )
    i_implied_err = i_implied * np.sqrt((2 * r["bc"]) ** 2 + (r["n"] / 3) ** 2 + (2 * r["tc"]) ** 2)
    sigma_ln_tc = np.sqrt(r["tc"] ** 2 + r["bc"] ** 2 + (r["n"] / 6) ** 2)

    log_values = np.log(pol.values)
    idx, runner_idx = _assign_indices(np.log(i_implied), log_values)
    i_assigned = pol.values[idx]
    i_runner = pol.values[runner_idx] if runner_idx is not None else np.full(len(df), np.nan)

    def scores(i_used: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        ln_ratio = 0.5 * (np.log(i_implied) - np.log(i_used))  # ln(tc_model / tc)
        tc_model = values["tc"] * np.exp(ln_ratio)
        z = ln_ratio / sigma_ln_tc
        return tc_model, np.expm1(ln_ratio), z, z**2

    tc_model, residual, z, chi2 = scores(i_assigned)
    _, residual_runner, _, chi2_runner = scores(i_runner)

    p_assigned = _p_assigned(i_implied, r, idx, log_values, n_draws, seed)

    table = pd.DataFrame(
        {
            "material": df["material"].astype(str).to_numpy(),
            "tc": values["tc"],
            "bc": values["bc"],
            "n": values["n"],
            "tc_err": sigma["tc"],
            "bc_err": sigma["bc"],
            "n_err": sigma["n"],
            "uncertainties": _row_uncertainty_labels(measured),
            "i_implied": i_implied,
            "i_implied_err": i_implied_err,
            "i_assigned": i_assigned,
            "tc_model": tc_model,
            "residual": residual,
            "z": z,
            "chi2_assigned": chi2,
            "i_runner_up": i_runner,
            "residual_runner_up": residual_runner,
            "chi2_runner_up": chi2_runner,
            "p_assigned": p_assigned,
            "outside_grid": (i_implied < pol.values[0]) | (i_implied > pol.values[-1]),
        }
    )
    summary = _summary(table, pol, seed=seed, draws=n_draws, rel=rel, prefactor=prefactor)
    summary["uncertainties"] = _overall_uncertainty_label(measured)
    summary["n_outside_grid"] = int(table["outside_grid"].sum())

    if "i" in df.columns:
        i_ref = pd.to_numeric(df["i"], errors="coerce").to_numpy(dtype=float)
        has_ref = np.isfinite(i_ref) & (i_ref > 0)
        table["i_reference"] = np.where(has_ref, i_ref, np.nan)
        agrees = pd.array(np.isclose(i_assigned, i_ref, rtol=1e-9, atol=0.0), dtype="boolean")
        agrees[~has_ref] = pd.NA
        table["agrees"] = agrees
        safe_ref = np.where(has_ref, i_ref, 1.0)
        table["residual_reference"] = np.where(
            has_ref, np.expm1(0.5 * (np.log(i_implied) - np.log(safe_ref))), np.nan
        )
        summary["n_reference"] = int(has_ref.sum())
        summary["n_agrees"] = int(np.sum(has_ref & np.isclose(i_assigned, safe_ref, rtol=1e-9)))

    from .bcs import BCS_INPUTS, bcs_columns

    if all(c in df.columns for c in BCS_INPUTS):
        bcs = bcs_columns(df.reset_index(drop=True))
        for column in bcs.columns:
            table[column] = bcs[column].to_numpy(dtype=float)
        res_bcs = table["residual_bcs"].dropna().to_numpy()
        summary["n_bcs"] = int(res_bcs.size)
        summary["rms_residual_bcs"] = float(np.sqrt(np.mean(res_bcs**2))) if res_bcs.size else None

    return FitResult(table=table, summary=summary, policy=pol, data=df)


def _uncertainties(
    df: pd.DataFrame, values: dict[str, np.ndarray], rel: dict[str, float]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Absolute 1σ per quantity (measured where given, default relative otherwise)."""
    import pandas as pd

    sigma: dict[str, np.ndarray] = {}
    measured: dict[str, np.ndarray] = {}
    problems: list[Problem] = []
    materials = df["material"].astype(str).to_numpy()
    for q in _QUANTITIES:
        column = f"{q}_err"
        if column in df.columns:
            err = pd.to_numeric(df[column], errors="coerce").to_numpy(dtype=float)
        else:
            err = np.full(len(df), np.nan)
        bad = np.isfinite(err) & (err < 0) | np.isinf(err)
        for pos in np.flatnonzero(bad):
            problems.append(
                Problem(
                    f"The uncertainty of {materials[pos]!r} must be zero or positive; got "
                    f"{err[pos]!r}.",
                    file=df.attrs.get("file"),
                    column=column,
                )
            )
        have = np.isfinite(err)
        measured[q] = have
        sigma[q] = np.where(have, err, rel[q] * values[q])
    if problems:
        raise DataError(problems)
    total = np.sqrt(sum((sigma[q] / values[q]) ** 2 for q in _QUANTITIES))
    for pos in np.flatnonzero(total <= 0):
        problems.append(
            Problem(
                f"All uncertainties of {materials[pos]!r} are zero; χ² and z need at least one.",
                file=df.attrs.get("file"),
            )
        )
    if problems:
        raise DataError(problems)
    return sigma, measured


def _row_uncertainty_labels(measured: dict[str, np.ndarray]) -> np.ndarray:
    stacked = np.vstack([measured[q] for q in _QUANTITIES])
    labels = np.where(stacked.all(axis=0), "measured", "mixed")
    return np.where(~stacked.any(axis=0), "default", labels).astype(object)


def _overall_uncertainty_label(measured: dict[str, np.ndarray]) -> str:
    stacked = np.vstack([measured[q] for q in _QUANTITIES])
    if stacked.all():
        return "measured"
    if not stacked.any():
        return "default"
    return "mixed"


def _p_assigned(
    i_implied: np.ndarray,
    r: dict[str, np.ndarray],
    idx: np.ndarray,
    log_values: np.ndarray,
    draws: int,
    seed: int,
) -> np.ndarray:
    """Share of Monte Carlo draws that assign the same allowed value (vectorised over draws)."""
    rng = np.random.default_rng(seed)
    eps = rng.standard_normal((draws, i_implied.size, 3))  # draws × materials × (tc, bc, n)
    # ln i* = ln i - 2 δln Tc + 2 δln Bc - (1/3) δln n, each δ = ε·σ_rel.
    log_i = (
        np.log(i_implied)
        - 2.0 * r["tc"] * eps[..., 0]
        + 2.0 * r["bc"] * eps[..., 1]
        - r["n"] / 3.0 * eps[..., 2]
    )
    idx_draws, _ = _assign_indices(log_i, log_values)
    return np.asarray(np.mean(idx_draws == idx, axis=0), dtype=float)


def _summary(
    table: pd.DataFrame,
    pol: Policy,
    *,
    seed: int,
    draws: int,
    rel: dict[str, float],
    prefactor: float,
) -> dict[str, Any]:
    res = table["residual"].to_numpy()
    abs_res = np.abs(res)
    chi_square = float(np.sum(table["chi2_assigned"]))
    dof = len(table)
    return {
        "n_materials": len(table),
        "rms_residual": float(np.sqrt(np.mean(res**2))),
        "max_abs_residual": float(abs_res.max()),
        "within_1pct": int(np.sum(abs_res <= 0.01)),
        "within_5pct": int(np.sum(abs_res <= 0.05)),
        "within_10pct": int(np.sum(abs_res <= 0.10)),
        "chi_square": chi_square,
        "dof": dof,
        "reduced_chi_square": chi_square / dof,
        "mean_p_assigned": float(table["p_assigned"].mean()),
        "policy": pol.name,
        "policy_values": [float(v) for v in pol.values],
        "seed": seed,
        "draws": draws,
        "uncertainties": "default",
        "rel_err": dict(rel),
        "prefactor": float(prefactor),
    }
