"""The comparison engine of regression checks: every difference between two baselines, and
between a fit and the data's own reference i.

Pure functions of their inputs, on frames (:func:`tcfit.baseline.materials_frame`); the order of
the materials plays no part. Rules in :mod:`tcfit.regression`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeGuard

import numpy as np
import pandas as pd

from ._validate import check_number
from .baseline import FIELDS, Baseline, materials_frame, recorded_fields
from .errors import DataError

if TYPE_CHECKING:
    from .fitting import FitResult

__all__ = [
    "DIFFERENCE_COLUMNS",
    "added_fields",
    "check_tolerances",
    "compare_baselines",
    "compare_reference",
    "empty_differences",
]

#: Recorded in a baseline but never compared: a material's posterior depends on every other
#: material through the lattice model's shared envelope, so one edited material would move them
#: all. Under ``tol_sigma`` the stability is not compared either: it is a function of the
#: implied i, which is compared in units of its σ.
NOT_COMPARED: frozenset[str] = frozenset({"posterior_assigned"})
NOT_COMPARED_WITH_TOL_SIGMA: frozenset[str] = frozenset({"p_stable"})
#: The propagated 1σ uncertainty of each value field, used by ``tol_sigma``.
_SIGMA_OF = {"i_implied": "i_implied_err", "residual": "residual_err"}
_WORDS = {
    "i_assigned": "assigned i",
    "i_implied": "implied i",
    "i_implied_err": "uncertainty of the implied i",
    "residual": "residual",
    "residual_err": "uncertainty of the residual",
    "p_stable": "stability of the assignment",
    "posterior_assigned": "posterior of the assigned i",
    "material": "material",
    "policy": "policy",
    "policy_values": "allowed i values of the policy",
    "prefactor": "prefactor",
}

#: Columns of :attr:`CheckResult.differences`, in order.
DIFFERENCE_COLUMNS: tuple[str, ...] = (
    "source",
    "kind",
    "material",
    "field",
    "old",
    "new",
    "change",
    "allowed",
    "i_implied",
    "residual_reference",
    "residual_assigned",
    "description",
)


def check_tolerances(rtol: Any, tol_sigma: Any) -> None:
    """``rtol`` a finite number ≥ 0; ``tol_sigma`` None or a finite number > 0."""
    check_number("rtol", rtol, minimum=0.0)
    if tol_sigma is not None:
        check_number("tol_sigma", tol_sigma, minimum=0.0, strict=True)


def _fmt(value: float) -> str:
    if not math.isfinite(value):
        return "none" if math.isnan(value) else repr(value)
    return f"{value:.6g}"


def _pair(old: float, new: float) -> tuple[str, str]:
    """Format two numbers so that they read differently when they differ."""
    a, b = _fmt(old), _fmt(new)
    if a == b and old != new:
        a, b = repr(float(old)), repr(float(new))
    return a, b


def empty_differences() -> pd.DataFrame:
    """A differences frame with no rows and the right columns and dtypes."""
    frame = pd.DataFrame({c: pd.Series(dtype=float) for c in DIFFERENCE_COLUMNS})
    for c in ("source", "kind", "material", "field", "description"):
        frame[c] = pd.Series(dtype=object)
    return frame


def _differences(rows: list[dict[str, Any]]) -> pd.DataFrame:
    if not rows:
        return empty_differences()
    frame = pd.DataFrame(rows)
    for c in DIFFERENCE_COLUMNS:
        if c not in frame:
            frame[c] = math.nan
    frame = frame[list(DIFFERENCE_COLUMNS)]
    for c in DIFFERENCE_COLUMNS:
        if c in ("source", "kind", "material", "field", "description"):
            frame[c] = frame[c].astype(object)
        else:
            frame[c] = frame[c].astype(float)
    return frame.reset_index(drop=True)


def _metadata_rows(
    old: Mapping[str, Any], new: Mapping[str, Any], rtol: float
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    old_fit = old.get("fit") or {}
    new_fit = new.get("fit") or {}
    base = {"source": "baseline", "kind": "metadata", "material": ""}
    if str(old_fit.get("policy")) != str(new_fit.get("policy")):
        rows.append(
            {
                **base,
                "field": "policy",
                "description": f"The policy changed from {old_fit.get('policy')!r} to "
                f"{new_fit.get('policy')!r}.",
            }
        )
    old_values = [float(v) for v in old_fit.get("policy_values") or []]
    new_values = [float(v) for v in new_fit.get("policy_values") or []]
    same_name = str(old_fit.get("policy")) == str(new_fit.get("policy"))
    if same_name and old_values and new_values and old_values != new_values:
        removed = sorted(set(old_values) - set(new_values))
        added = sorted(set(new_values) - set(old_values))
        rows.append(
            {
                **base,
                "field": "policy_values",
                "description": "The allowed i values changed"
                + (f"; no longer allowed: {', '.join(_fmt(v) for v in removed)}" if removed else "")
                + (f"; newly allowed: {', '.join(_fmt(v) for v in added)}" if added else "")
                + ".",
            }
        )
    rows += _option_rows(old_fit, new_fit, base)
    old_c, new_c = old_fit.get("prefactor"), new_fit.get("prefactor")
    if _number(old_c) and _number(new_c) and abs(new_c - old_c) > rtol * abs(old_c):
        a, b = _pair(old_c, new_c)
        rows.append(
            {
                **base,
                "field": "prefactor",
                "old": old_c,
                "new": new_c,
                "change": new_c - old_c,
                "allowed": rtol * abs(old_c),
                "description": f"The prefactor changed from {a} to {b} K m^½/T.",
            }
        )
    return rows


def _option_rows(
    old_fit: Mapping[str, Any], new_fit: Mapping[str, Any], base: dict[str, Any]
) -> list[dict[str, Any]]:
    """The model and the default uncertainties: options that change what the fields mean."""
    rows: list[dict[str, Any]] = []
    old_model, new_model = old_fit.get("model", "eq5"), new_fit.get("model", "eq5")
    if old_model != new_model:
        rows.append(
            {
                **base,
                "field": "model",
                "description": f"The model changed from {old_model!r} to {new_model!r}.",
            }
        )
    old_rel, new_rel = old_fit.get("rel_err"), new_fit.get("rel_err")
    if isinstance(old_rel, Mapping) and isinstance(new_rel, Mapping) and old_rel != new_rel:
        rows.append(
            {
                **base,
                "field": "rel_err",
                "description": f"The default relative uncertainties changed from {dict(old_rel)} "
                f"to {dict(new_rel)}.",
            }
        )
    return rows


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def compare_baselines(
    old: Baseline | Mapping[str, Any],
    new: Baseline | Mapping[str, Any],
    *,
    rtol: float = 1e-6,
    tol_sigma: float | None = None,
) -> pd.DataFrame:
    """Every difference between two baselines, material by material and field by field.

    A pure function of its inputs; the order of the materials plays no part.

    Parameters
    ----------
    old : Baseline or mapping
        The reference baseline (as read by :func:`read_baseline` or :meth:`Baseline.read`).
    new : Baseline or mapping
        The fresh baseline (as made by :func:`baseline_from_result`).
    rtol : float, default=1e-6
        Relative tolerance of float fields: a float differs when ``|new - old| > rtol · |old|``.
        Also applies to the prefactor.
    tol_sigma : float, optional
        When given, ``i_implied`` and ``residual`` differ only when they moved by more than
        ``tol_sigma`` times their 1σ uncertainty recorded in ``old`` (``i_implied_err``,
        ``residual_err``; where that is missing or zero, ``rtol`` applies), and the
        uncertainties themselves are not compared.

    Returns
    -------
    pandas.DataFrame
        One row per difference, columns :data:`DIFFERENCE_COLUMNS`: ``source`` ("baseline"),
        ``kind`` ("metadata", "changed", "missing" — in the baseline, not in the data — or
        "added" — in the data, not in the baseline), ``material``, ``field``, ``old``, ``new``,
        ``change`` (``new - old``), ``allowed`` (the tolerance exceeded; 0 for exact fields),
        and ``description`` in plain words. Sorted by material, then field. Empty when the
        baselines agree.

    Raises
    ------
    InputError
        If ``rtol`` is negative or not finite, or ``tol_sigma`` is not a positive number.

    Examples
    --------
    >>> old = {"fit": {"policy": "integer"}, "materials": {"Al": {"i_assigned": 3,
    ...        "i_implied": 2.98, "residual": -0.003}}}
    >>> new = {"fit": {"policy": "integer"}, "materials": {"Al": {"i_assigned": 2,
    ...        "i_implied": 2.45, "residual": 0.1}}}
    >>> compare_baselines(old, new)[["material", "field", "old", "new"]]
      material       field    old   new
    0       Al  i_assigned  3.000  2.00
    1       Al   i_implied  2.980  2.45
    2       Al    residual -0.003  0.10
    """
    check_tolerances(rtol, tol_sigma)
    old_plain, new_plain = _plain_form(old), _plain_form(new)
    compared = set(_fields_of(old)) & set(_fields_of(new))
    rows = _metadata_rows(old_plain, new_plain, rtol)
    old_df, new_df = materials_frame(old_plain), materials_frame(new_plain)
    common = old_df.index.intersection(new_df.index).sort_values()
    o, n = old_df.loc[common], new_df.loc[common]
    for rank, name in enumerate(FIELDS):
        if name not in compared or name in NOT_COMPARED:
            continue  # one side only (new in this tcfit: see added_fields), or recorded only
        if tol_sigma is not None and name in NOT_COMPARED_WITH_TOL_SIGMA:
            continue
        if tol_sigma is not None and name in _SIGMA_OF.values():
            continue  # the yardstick of tol_sigma is not itself compared
        rows += _field_rows(o, n, name, rank, rtol=rtol, tol_sigma=tol_sigma)
    rows += _one_sided_rows(old_df, new_df)
    frame = _differences(rows)
    if frame.empty:
        return frame
    ranks = pd.Series([r.get("_rank", -1) for r in rows], dtype=int)
    order = pd.DataFrame({"material": frame["material"].astype(str), "rank": ranks})
    return frame.loc[order.sort_values(["material", "rank"], kind="stable").index].reset_index(
        drop=True
    )


def _fields_of(baseline: Baseline | Mapping[str, Any]) -> tuple[str, ...]:
    return baseline.fields if isinstance(baseline, Baseline) else recorded_fields(baseline)


def added_fields(
    old: Baseline | Mapping[str, Any], new: Baseline | Mapping[str, Any]
) -> tuple[str, ...]:
    """Fields the fresh baseline records and the old one does not (written by an older tcfit)."""
    old_fields = set(_fields_of(old))
    return tuple(f for f in _fields_of(new) if f not in old_fields)


def _plain_form(baseline: Baseline | Mapping[str, Any]) -> Mapping[str, Any]:
    return baseline.raw if isinstance(baseline, Baseline) else baseline


def _tolerance(
    o: pd.DataFrame, name: str, ov: np.ndarray, *, rtol: float, tol_sigma: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """The allowed change of every value of field ``name`` and how it was set."""
    if name == "i_assigned":
        return np.zeros_like(ov), np.full(len(ov), "exact", dtype=object)
    if tol_sigma is None or name not in _SIGMA_OF:
        return rtol * np.abs(ov), np.full(len(ov), f"rtol {rtol:g}", dtype=object)
    sigma = o[_SIGMA_OF[name]].to_numpy(dtype=float)
    usable = np.isfinite(sigma) & (sigma > 0)
    allowed = np.where(usable, tol_sigma * np.where(usable, sigma, 0.0), rtol * np.abs(ov))
    return allowed, np.where(usable, f"{tol_sigma:g} σ", f"rtol {rtol:g}").astype(object)


def _field_rows(
    o: pd.DataFrame,
    n: pd.DataFrame,
    name: str,
    rank: int,
    *,
    rtol: float,
    tol_sigma: float | None,
) -> list[dict[str, Any]]:
    """One difference row per shared material whose field ``name`` moved beyond tolerance."""
    names = o.index.to_numpy()
    ov, nv = o[name].to_numpy(dtype=float), n[name].to_numpy(dtype=float)
    both_nan = np.isnan(ov) & np.isnan(nv)
    one_nan = np.isnan(ov) ^ np.isnan(nv)
    change = nv - ov
    allowed, how = _tolerance(o, name, ov, rtol=rtol, tol_sigma=tol_sigma)
    with np.errstate(invalid="ignore"):
        moved = np.abs(change) > allowed
    rows = []
    for k in np.flatnonzero(~both_nan & (one_nan | moved)):
        a, b = _pair(ov[k], nv[k])
        if name == "i_assigned":
            text = f"{names[k]}: the assigned i changed from {a} to {b}."
        elif one_nan[k]:
            text = f"{names[k]}: the {_WORDS[name]} was {a} and is now {b}."
        else:
            text = (
                f"{names[k]}: the {_WORDS[name]} moved from {a} to {b} "
                f"(change {change[k]:+.3g}; allowed ±{allowed[k]:.3g}, {how[k]})."
            )
        rows.append(
            {
                "source": "baseline",
                "kind": "changed",
                "material": names[k],
                "field": name,
                "old": ov[k],
                "new": nv[k],
                "change": change[k],
                "allowed": allowed[k],
                "description": text,
                "_rank": rank,
            }
        )
    return rows


def _one_sided_rows(old_df: pd.DataFrame, new_df: pd.DataFrame) -> list[dict[str, Any]]:
    """A material present on one side only is always a difference."""
    rows = []
    for name in old_df.index.difference(new_df.index):
        rows.append(
            {
                "source": "baseline",
                "kind": "missing",
                "material": name,
                "field": "material",
                "old": old_df.at[name, "i_assigned"],
                "description": f"{name}: in the baseline (assigned i = "
                f"{_fmt(float(old_df.at[name, 'i_assigned']))}) "  # type: ignore[arg-type]
                "but not in the data.",
            }
        )
    for name in new_df.index.difference(old_df.index):
        rows.append(
            {
                "source": "baseline",
                "kind": "added",
                "material": name,
                "field": "material",
                "new": new_df.at[name, "i_assigned"],
                "description": f"{name}: in the data (assigned i = "
                f"{_fmt(float(new_df.at[name, 'i_assigned']))}) "  # type: ignore[arg-type]
                "but not in the baseline.",
            }
        )
    return rows


def compare_reference(result: FitResult) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Where the fit's assignment disagrees with the data's own ``i`` column.

    For ``table1`` the data's ``i`` is the paper's choice, so this regression-tests the paper's
    Table-1 assignments against the policy of ``result``.

    Parameters
    ----------
    result : FitResult
        A fit of data that carry an ``i`` column (``i_reference`` in the fit's table).

    Returns
    -------
    differences : pandas.DataFrame
        One row per disagreeing material (columns :data:`DIFFERENCE_COLUMNS`; ``source`` is
        "reference", ``kind`` "disagrees", ``old`` the data's i, ``new`` the assigned i, plus
        ``i_implied``, ``residual_reference`` (with the data's i) and ``residual_assigned``),
        in the order of the data.
    skipped : tuple of str
        Materials whose ``i`` is empty in the data (nothing to compare with).

    Raises
    ------
    DataError
        If the data have no ``i`` column.
    """
    table = result.table
    if "i_reference" not in table:
        raise DataError(
            "The data have no `i` column, so there is no reference assignment to compare with; "
            "drop --against-reference (or against_reference=True) or add an `i` column."
        )
    ref = table["i_reference"].to_numpy(dtype=float)
    have = np.isfinite(ref)
    if "agrees" in table:
        agrees = table["agrees"].fillna(False).to_numpy(dtype=bool)
    else:  # pragma: no cover - the contract promises `agrees` beside `i_reference`
        agrees = table["i_assigned"].to_numpy(dtype=float) == ref
    names = table["material"].astype(str).to_numpy()
    assigned = table["i_assigned"].to_numpy(dtype=float)
    implied = table["i_implied"].to_numpy(dtype=float)
    implied_err = table["i_implied_err"].to_numpy(dtype=float)
    res_ref = (
        table["residual_reference"].to_numpy(dtype=float)
        if "residual_reference" in table
        else np.full(len(table), math.nan)
    )
    res = table["residual"].to_numpy(dtype=float)
    policy = str(result.summary.get("policy", ""))
    rows = []
    for k in np.flatnonzero(have & ~agrees):
        rows.append(
            {
                "source": "reference",
                "kind": "disagrees",
                "material": names[k],
                "field": "i_assigned",
                "old": ref[k],
                "new": assigned[k],
                "change": assigned[k] - ref[k],
                "allowed": 0.0,
                "i_implied": implied[k],
                "residual_reference": res_ref[k],
                "residual_assigned": res[k],
                "description": (
                    f"{names[k]}: the data give i = {_fmt(ref[k])} (residual "
                    f"{res_ref[k]:+.2%}); the {policy} policy assigns i = {_fmt(assigned[k])} "
                    f"(residual {res[k]:+.2%}); implied i = {implied[k]:.4g} ± "
                    f"{implied_err[k]:.2g}."
                ),
            }
        )
    return _differences(rows), tuple(str(n) for n in names[~have])


# --------------------------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------------------------
