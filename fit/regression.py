"""Regression-test i assignments: baselines on disk, a comparison engine, and :func:`check`.

A *baseline* is a small YAML file that pins, for every material of a dataset, what a fit under one
policy gave: the implied i and its 1σ uncertainty, the assigned i, the relative residual
``(tc_model - tc) / tc`` and its 1σ uncertainty, together with the policy, the prefactor, the
seed and draws and the tcfit version that produced them. :func:`check` fits the data afresh and
lists every material and field that moved; :func:`write_baseline` writes (or rewrites) the file.

The comparison rules (:func:`compare_baselines`):

- the assigned i is compared exactly;
- a float (implied i, residual and their uncertainties) differs when
  ``|new - old| > rtol · |old|``; with ``tol_sigma=K``, the implied i and the residual instead
  differ when they moved by more than ``K`` times their propagated 1σ uncertainty *recorded in the
  baseline* (and the uncertainties themselves, the yardstick, are not compared);
- a material present on one side only is a difference, never ignored;
- the order of the materials does not matter (the file lists them sorted by name, so a reordered
  data file also writes identical bytes);
- a change of policy, of the allowed i values or of the prefactor is a difference; the tcfit
  version and the data's checksum are provenance and are not compared.

The same file serves ``tcfit check DATA --baseline FILE`` and the pytest fixture
``tcfit_regression`` (:mod:`tcfit.pytest_plugin`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

import numpy as np
import pandas as pd
import yaml

from .errors import DataError, InputError, Problem

if TYPE_CHECKING:
    from .fitting import FitResult

__all__ = [
    "BASELINE_FORMAT",
    "DIFFERENCE_COLUMNS",
    "FIELDS",
    "CheckResult",
    "baseline_from_result",
    "check",
    "compare_baselines",
    "compare_reference",
    "dump_baseline",
    "read_baseline",
    "write_baseline",
]

#: Version of the baseline file layout (the ``tcfit_baseline`` key).
BASELINE_FORMAT = 1

#: Per-material fields of a baseline, in the order they are written and compared.
FIELDS: tuple[str, ...] = ("i_assigned", "i_implied", "i_implied_err", "residual", "residual_err")
_REQUIRED_FIELDS = ("i_assigned", "i_implied", "residual")
#: The propagated 1σ uncertainty of each value field, used by ``tol_sigma``.
_SIGMA_OF = {"i_implied": "i_implied_err", "residual": "residual_err"}
_WORDS = {
    "i_assigned": "assigned i",
    "i_implied": "implied i",
    "i_implied_err": "uncertainty of the implied i",
    "residual": "residual",
    "residual_err": "uncertainty of the residual",
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

_HEADER = """\
# tcfit baseline: the i assignments of Eq. (5) (Jiang) pinned for regression testing.
# Check:      tcfit check DATA --baseline THIS_FILE
# Regenerate: tcfit check DATA --baseline THIS_FILE --update  (or pytest --force-regen)
# Per material: i_assigned (compared exactly), i_implied and i_implied_err (1 sigma),
# residual = (tc_model - tc) / tc and residual_err (1 sigma); floats are written with repr().
"""


# --------------------------------------------------------------------------------------------
# Baseline files
# --------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """numpy scalars → Python scalars; integral assigned i stays readable (``3``, not ``3.0``)."""
    if isinstance(value, np.generic):
        value = value.item()
    return value


def _i_value(value: Any) -> int | float:
    value = float(_plain(value))
    return int(value) if value.is_integer() else value


def baseline_from_result(result: FitResult) -> dict[str, Any]:
    """The baseline of a finished fit, as a plain dictionary (what :func:`dump_baseline` writes).

    Parameters
    ----------
    result : FitResult
        A result of :func:`tcfit.fit`.

    Returns
    -------
    dict
        ``tcfit_baseline`` (format version), ``tcfit_version``, ``data`` (``name``,
        ``sha256``), ``fit`` (``policy``, ``policy_values``, ``prefactor`` in K m^½ T⁻¹,
        ``seed``, ``draws``, ``uncertainties``, ``rel_err``) and ``materials``: a mapping from
        material name (sorted) to ``i_assigned``, ``i_implied``, ``i_implied_err``,
        ``residual`` and ``residual_err`` (dimensionless; 1σ uncertainties).

    Notes
    -----
    The residual's uncertainty is propagated from the implied i's: with i fixed at its assigned
    value, ``ln(tc_model / tc)`` has the same input uncertainties as ``ln(i_implied) / 2``, so
    ``residual_err = |1 + residual| · (i_implied_err / i_implied) / 2`` (first order).
    """
    from tcfit import __version__

    table = result.table
    summary = result.summary
    attrs = getattr(result.data, "attrs", {}) or {}
    i_implied = table["i_implied"].to_numpy(dtype=float)
    i_err = table["i_implied_err"].to_numpy(dtype=float)
    residual = table["residual"].to_numpy(dtype=float)
    residual_err = np.abs(1.0 + residual) * (i_err / i_implied) / 2.0
    materials: dict[str, dict[str, Any]] = {}
    order = np.argsort(table["material"].astype(str).to_numpy(), kind="stable")
    names = table["material"].astype(str).to_numpy()
    assigned = table["i_assigned"].to_numpy(dtype=float)
    for k in order:
        materials[str(names[k])] = {
            "i_assigned": _i_value(assigned[k]),
            "i_implied": float(i_implied[k]),
            "i_implied_err": float(i_err[k]),
            "residual": float(residual[k]),
            "residual_err": float(residual_err[k]),
        }
    fit_section: dict[str, Any] = {
        "policy": str(summary.get("policy", getattr(result.policy, "name", ""))),
        "policy_values": [_i_value(v) for v in summary.get("policy_values", [])],
        "prefactor": float(summary["prefactor"]),
        "seed": _plain(summary.get("seed")),
        "draws": _plain(summary.get("draws")),
    }
    if "uncertainties" in summary:
        fit_section["uncertainties"] = summary["uncertainties"]
    if summary.get("rel_err") is not None:
        fit_section["rel_err"] = {k: float(v) for k, v in summary["rel_err"].items()}
    return {
        "tcfit_baseline": BASELINE_FORMAT,
        "tcfit_version": __version__,
        "data": {"name": str(attrs.get("name", "")), "sha256": str(attrs.get("sha256", ""))},
        "fit": fit_section,
        "materials": materials,
    }


class _BaselineDumper(yaml.SafeDumper):  # type: ignore[misc,unused-ignore]
    """Safe YAML without aliases; lists of numbers on one line."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_BaselineDumper.add_representer(list, _represent_list)


def dump_baseline(baseline: Mapping[str, Any]) -> str:
    """The text of a baseline file: a comment header, then block-style YAML.

    Floats are written with ``repr`` (PyYAML's float representer), so reading the file back gives
    the identical numbers. Same dictionary → same text, byte for byte.

    Parameters
    ----------
    baseline : mapping
        As returned by :func:`baseline_from_result`.

    Returns
    -------
    str
    """
    body: str = yaml.dump(
        dict(baseline),
        Dumper=_BaselineDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1000,
    )
    return _HEADER + body


def write_baseline(
    data: Any,
    path: str | os.PathLike[str],
    *,
    policy: str | Sequence[float] | None = None,
    seed: int | None = None,
    draws: int | None = None,
) -> Path:
    """Fit ``data`` and write its baseline file (creating parent folders; replacing the file).

    Parameters
    ----------
    data : str, path, DataFrame or FitResult
        What :func:`tcfit.fit` accepts (a built-in dataset name, a file, a table), or a finished
        :class:`~tcfit.FitResult`, which is written as it is.
    path : str or path-like
        The baseline file to write (conventionally ``.yml``).
    policy : {"integer", "paper", "half", "rational"} or sequence of float, default="integer"
        The assignment policy. Must be left at ``None`` when ``data`` is a FitResult.
    seed : int, default=0
        Seed of the Monte Carlo draws of :func:`tcfit.fit`.
    draws : int, default=2000
        Number of Monte Carlo draws of :func:`tcfit.fit`.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    InputError
        If ``policy``, ``seed`` or ``draws`` is given together with a FitResult.
    DataError
        If the data cannot be read (raised by :func:`tcfit.fit`).

    Examples
    --------
    >>> import tcfit, tempfile, pathlib
    >>> path = tcfit.write_baseline("table1", pathlib.Path(tempfile.mkdtemp()) / "t1.yml")
    >>> tcfit.check("table1", path).ok
    True
    """
    result = _fit(data, policy=policy, seed=seed, draws=draws)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(dump_baseline(baseline_from_result(result)).encode("utf-8"))
    return path


class _UniqueKeyLoader(yaml.SafeLoader):  # type: ignore[misc,unused-ignore]
    """A safe loader that refuses duplicated keys (PyYAML would silently keep the last)."""


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)  # type: ignore[no-untyped-call,unused-ignore]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the key {key!r} appears twice (lines {seen[key] + 1} and "
                f"{key_node.start_mark.line + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    loader.flatten_mapping(node)
    return dict(loader.construct_pairs(node))  # type: ignore[no-untyped-call,unused-ignore]


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def read_baseline(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and validate a baseline file written by :func:`write_baseline`.

    Parameters
    ----------
    path : str or path-like
        The YAML file.

    Returns
    -------
    dict
        The baseline (see :func:`baseline_from_result`); material names are strings, missing
        optional uncertainties are NaN.

    Raises
    ------
    DataError
        If the file does not exist, is not YAML, is not a tcfit baseline, or a material lacks a
        required number; every problem is listed with the file and the material.
    """
    file = os.fspath(path)
    try:
        text = Path(file).read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise DataError(
            "The baseline file does not exist; create it with "
            "`tcfit check DATA --baseline FILE --update` or tcfit.write_baseline().",
            file=file,
        ) from err
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"The baseline file cannot be read: {err}.", file=file) from err
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.YAMLError as err:
        raise DataError([Problem(f"This is not valid YAML: {err}", file=file)], file=file) from err
    if not isinstance(raw, dict) or "tcfit_baseline" not in raw:
        raise DataError(
            [
                Problem(
                    "This is not a tcfit baseline (no 'tcfit_baseline' key); write one with "
                    "`tcfit check DATA --baseline FILE --update`.",
                    file=file,
                )
            ],
            file=file,
        )
    if raw["tcfit_baseline"] != BASELINE_FORMAT:
        raise DataError(
            f"{file}: baseline format {raw['tcfit_baseline']!r} is not supported by this tcfit "
            f"(it reads format {BASELINE_FORMAT}).",
            file=file,
        )
    problems: list[Problem] = []
    materials = raw.get("materials")
    if not isinstance(materials, dict) or not materials:
        problems.append(Problem("'materials' must be a non-empty mapping.", file=file))
        materials = {}
    fit_section = raw.get("fit")
    if not isinstance(fit_section, dict):
        problems.append(Problem("'fit' must be a mapping (policy, prefactor, ...).", file=file))
        fit_section = {}
    elif not _number(fit_section.get("prefactor")):
        problems.append(Problem("'fit.prefactor' must be a number.", file=file))
    clean: dict[str, dict[str, float | int]] = {}
    for name, entry in materials.items():
        where = f"material {str(name)!r}"
        if not isinstance(entry, dict):
            problems.append(Problem(f"{where}: expected a mapping of fields.", file=file))
            continue
        row: dict[str, float | int] = {}
        for key in FIELDS:
            value = entry.get(key)
            if value is None and key not in _REQUIRED_FIELDS:
                row[key] = math.nan
            elif not _number(value):
                problems.append(
                    Problem(f"{where}: {key!r} must be a number, not {value!r}.", file=file)
                )
            else:
                row[key] = value
        clean[str(name)] = row
    if problems:
        raise DataError(problems, file=file)
    baseline = dict(raw)
    baseline["fit"] = dict(fit_section)
    baseline["materials"] = clean
    return baseline


# --------------------------------------------------------------------------------------------
# Comparison engine
# --------------------------------------------------------------------------------------------


def _check_tolerances(rtol: float, tol_sigma: float | None) -> None:
    if not (_number(rtol) and math.isfinite(rtol) and rtol >= 0):
        raise InputError(f"`rtol` must be a finite number >= 0; not {rtol!r}.", argument="rtol")
    if tol_sigma is not None and not (
        _number(tol_sigma) and math.isfinite(tol_sigma) and tol_sigma > 0
    ):
        raise InputError(
            f"`tol_sigma` must be a finite number > 0 (or None for rtol); not {tol_sigma!r}.",
            argument="tol_sigma",
        )


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


def _materials_frame(baseline: Mapping[str, Any]) -> pd.DataFrame:
    materials = baseline.get("materials") or {}
    frame = pd.DataFrame.from_dict(
        {str(k): {f: v.get(f, math.nan) for f in FIELDS} for k, v in materials.items()},
        orient="index",
        columns=list(FIELDS),
        dtype=float,
    )
    frame.index = frame.index.astype(object)
    return frame.sort_index()


def _empty_differences() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=float) for c in DIFFERENCE_COLUMNS})
    for c in ("source", "kind", "material", "field", "description"):
        frame[c] = pd.Series(dtype=object)
    return frame


def _differences(rows: list[dict[str, Any]]) -> pd.DataFrame:
    if not rows:
        return _empty_differences()
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


def compare_baselines(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    rtol: float = 1e-6,
    tol_sigma: float | None = None,
) -> pd.DataFrame:
    """Every difference between two baselines, material by material and field by field.

    A pure function of its inputs; the order of the materials plays no part.

    Parameters
    ----------
    old : mapping
        The reference baseline (as read by :func:`read_baseline`).
    new : mapping
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
    _check_tolerances(rtol, tol_sigma)
    rows = _metadata_rows(old, new, rtol)
    old_df, new_df = _materials_frame(old), _materials_frame(new)
    common = old_df.index.intersection(new_df.index).sort_values()
    o, n = old_df.loc[common], new_df.loc[common]
    names = common.to_numpy()
    for rank, name in enumerate(FIELDS):
        ov, nv = o[name].to_numpy(dtype=float), n[name].to_numpy(dtype=float)
        both_nan = np.isnan(ov) & np.isnan(nv)
        one_nan = np.isnan(ov) ^ np.isnan(nv)
        change = nv - ov
        if name == "i_assigned":
            allowed = np.zeros_like(ov)
            how = np.full(len(ov), "exact", dtype=object)
        elif tol_sigma is not None and name in _SIGMA_OF.values():
            continue  # the yardstick of tol_sigma is not itself compared
        elif tol_sigma is not None:
            sigma = o[_SIGMA_OF[name]].to_numpy(dtype=float)
            usable = np.isfinite(sigma) & (sigma > 0)
            allowed = np.where(usable, tol_sigma * np.where(usable, sigma, 0.0), rtol * np.abs(ov))
            how = np.where(usable, f"{tol_sigma:g} σ", f"rtol {rtol:g}").astype(object)
        else:
            allowed = rtol * np.abs(ov)
            how = np.full(len(ov), f"rtol {rtol:g}", dtype=object)
        with np.errstate(invalid="ignore"):
            moved = np.abs(change) > allowed
        bad = ~both_nan & (one_nan | moved)
        for k in np.flatnonzero(bad):
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
    for name in old_df.index.difference(new_df.index):
        rows.append(
            {
                "source": "baseline",
                "kind": "missing",
                "material": name,
                "field": "material",
                "old": old_df.at[name, "i_assigned"],
                "description": f"{name}: in the baseline (assigned i = "
                f"{_fmt(old_df.at[name, 'i_assigned'])}) but not in the data.",
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
                f"{_fmt(new_df.at[name, 'i_assigned'])}) but not in the baseline.",
            }
        )
    frame = _differences(rows)
    if frame.empty:
        return frame
    rank = pd.Series([r.get("_rank", -1) for r in rows], dtype=int)
    order = pd.DataFrame({"material": frame["material"].astype(str), "rank": rank})
    return frame.loc[order.sort_values(["material", "rank"], kind="stable").index].reset_index(
        drop=True
    )


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


def _is_fit_result(data: Any) -> bool:
    from .fitting import FitResult

    return isinstance(data, FitResult)


def _fit(
    data: Any,
    *,
    policy: str | Sequence[float] | None,
    seed: int | None,
    draws: int | None,
) -> FitResult:
    if _is_fit_result(data):
        given = [
            n for n, v in (("policy", policy), ("seed", seed), ("draws", draws)) if v is not None
        ]
        if given:
            raise InputError(
                f"{', '.join(given)} cannot be given with a finished FitResult; "
                "pass the data instead, or fit it with the options you want.",
                argument=given[0],
            )
        return data  # type: ignore[no-any-return]
    from .fitting import fit

    return fit(
        data,
        policy="integer" if policy is None else policy if isinstance(policy, str) else list(policy),
        seed=0 if seed is None else seed,
        draws=2000 if draws is None else draws,
    )


def _policy_of(baseline: Mapping[str, Any]) -> str | list[float] | None:
    """The policy recorded in a baseline: its name if tcfit knows it, else its values."""
    fit_section = baseline.get("fit") or {}
    name = fit_section.get("policy")
    from . import policies

    if isinstance(name, str) and name in policies.POLICY_NAMES:
        return name
    values = fit_section.get("policy_values")
    return [float(v) for v in values] if values else name


@dataclass(frozen=True, eq=False)
class CheckResult:
    """The outcome of :func:`check`: every difference between a fresh fit and its references.

    Attributes
    ----------
    differences : pandas.DataFrame
        One row per difference, columns :data:`DIFFERENCE_COLUMNS` (see
        :func:`compare_baselines` and :func:`compare_reference`). Empty when everything matches.
    result : FitResult
        The fresh fit.
    fresh : dict
        The fresh fit as a baseline (what ``--update`` would write).
    baseline : dict or None
        The baseline compared with, as read from the file (None with reference only).
    baseline_file : str or None
        Its path, as given.
    rtol : float
        Relative tolerance used for floats.
    tol_sigma : float or None
        Tolerance in units of the propagated 1σ, when used instead of ``rtol``.
    against_reference : bool
        Whether the assignment was compared with the data's own ``i`` column.
    no_reference : tuple of str
        With ``against_reference``: materials whose ``i`` is empty in the data.
    """

    differences: pd.DataFrame
    result: FitResult
    fresh: dict[str, Any]
    baseline: dict[str, Any] | None
    baseline_file: str | None
    rtol: float
    tol_sigma: float | None
    against_reference: bool
    no_reference: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when nothing differs."""
        return bool(self.differences.empty)

    @property
    def n_materials(self) -> int:
        """Number of materials in the fresh fit."""
        return len(self.fresh["materials"])

    @property
    def changed_materials(self) -> list[str]:
        """Names of the materials with at least one difference, sorted (metadata excluded)."""
        names = self.differences.loc[self.differences["material"] != "", "material"]
        return sorted(set(names.astype(str)))

    def _tolerance_text(self) -> str:
        if self.tol_sigma is not None:
            return f"tol_sigma {self.tol_sigma:g} (rtol {self.rtol:g} where no σ)"
        return f"rtol {self.rtol:g}"

    def describe(self, *, details: bool = True) -> str:
        """The outcome in plain words, one line per difference.

        Parameters
        ----------
        details : bool, default=True
            List every difference on its own line (otherwise the headline only).

        Returns
        -------
        str
        """
        policy = self.fresh["fit"].get("policy")
        what = []
        if self.baseline_file is not None:
            what.append(f"the baseline {self.baseline_file}")
        if self.against_reference:
            what.append("the data's own i column")
        head = (
            f"{self.n_materials} materials (policy {policy!r}) checked against "
            f"{' and '.join(what)}, {self._tolerance_text()}"
        )
        lines = []
        if self.ok:
            lines.append(f"{head}: everything matches.")
        else:
            count = len(self.differences)
            changed = self.changed_materials
            lines.append(
                f"{head}: {count} difference{'s' * (count != 1)}"
                + (f" in {len(changed)} material{'s' * (len(changed) != 1)}" if changed else "")
                + (f" ({', '.join(changed)})" if changed else "")
                + (":" if details else ".")
            )
            if details:
                lines += [f"  - {text}" for text in self.differences["description"]]
        if self.no_reference:
            lines.append("No reference i in the data for: " + ", ".join(self.no_reference) + ".")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary.

        Returns
        -------
        dict
            ``ok``, ``n_materials``, ``n_differences``, ``changed_materials``,
            ``baseline_file``, ``policy``, ``rtol``, ``tol_sigma``, ``against_reference``,
            ``no_reference`` and ``differences`` (list of records; NaN as ``None``).
        """
        records = []
        for row in self.differences.to_dict(orient="records"):
            records.append(
                {
                    k: (None if isinstance(v, float) and math.isnan(v) else _plain(v))
                    for k, v in row.items()
                }
            )
        return {
            "ok": self.ok,
            "n_materials": self.n_materials,
            "n_differences": len(self.differences),
            "changed_materials": self.changed_materials,
            "baseline_file": self.baseline_file,
            "policy": self.fresh["fit"].get("policy"),
            "rtol": self.rtol,
            "tol_sigma": self.tol_sigma,
            "against_reference": self.against_reference,
            "no_reference": list(self.no_reference),
            "differences": records,
        }


def check(
    data: Any,
    baseline: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    *,
    policy: str | Sequence[float] | None = None,
    rtol: float = 1e-6,
    tol_sigma: float | None = None,
    against_reference: bool = False,
    seed: int | None = None,
    draws: int | None = None,
) -> CheckResult:
    """Fit ``data`` afresh and list everything that moved since its baseline.

    Parameters
    ----------
    data : str, path, DataFrame or FitResult
        What :func:`tcfit.fit` accepts (a built-in dataset name, a file, a table), or a finished
        :class:`~tcfit.FitResult` (then ``policy``, ``seed`` and ``draws`` must be left unset).
    baseline : str, path-like or mapping, optional
        A baseline file written by :func:`write_baseline` (or its dictionary). Required unless
        ``against_reference`` is true.
    policy : {"integer", "paper", "half", "rational"} or sequence of float, optional
        Assignment policy of the fresh fit. Default: the policy recorded in the baseline, or
        "integer" without one. A policy different from the baseline's is itself a difference.
    rtol : float, default=1e-6
        Relative tolerance of floats, ``|new - old| <= rtol · |old|``.
    tol_sigma : float, optional
        Compare the implied i and the residual in units of their propagated 1σ uncertainty
        instead (see :func:`compare_baselines`). The assigned i is always compared exactly.
    against_reference : bool, default=False
        Also compare the assignment with the data's own ``i`` column (for ``table1``: the
        paper's choices), listing each disagreement with the implied i and both residuals.
    seed, draws : int, optional
        Monte Carlo seed and draws of the fresh fit. Default: those recorded in the baseline,
        else 0 and 2000.

    Returns
    -------
    CheckResult
        ``.ok`` is true when nothing differs; ``.differences`` lists every difference.

    Raises
    ------
    InputError
        If neither a baseline nor ``against_reference`` is given, or a tolerance is invalid.
    DataError
        If the baseline file is missing or malformed, the data cannot be read, or
        ``against_reference`` is asked of data without an ``i`` column.

    Examples
    --------
    >>> import tcfit
    >>> result = tcfit.check("table1", tcfit.datasets.baseline_path("table1", policy="integer"))
    >>> result.ok
    True
    """
    _check_tolerances(rtol, tol_sigma)
    if baseline is None and not against_reference:
        raise InputError(
            "Nothing to check against: give a baseline file, against_reference=True, or both.",
            argument="baseline",
        )
    old: dict[str, Any] | None = None
    baseline_file: str | None = None
    if isinstance(baseline, Mapping):
        old = dict(baseline)
    elif baseline is not None:
        baseline_file = os.fspath(baseline)
        old = read_baseline(baseline_file)
    if old is not None and not _is_fit_result(data):
        recorded = old.get("fit") or {}
        if policy is None:
            policy = _policy_of(old)
        if seed is None and isinstance(recorded.get("seed"), int):
            seed = recorded["seed"]
        if draws is None and isinstance(recorded.get("draws"), int):
            draws = recorded["draws"]
    result = _fit(data, policy=policy, seed=seed, draws=draws)
    fresh = baseline_from_result(result)
    frames = []
    if old is not None:
        frames.append(compare_baselines(old, fresh, rtol=rtol, tol_sigma=tol_sigma))
    no_reference: tuple[str, ...] = ()
    if against_reference:
        reference, no_reference = compare_reference(result)
        frames.append(reference)
    frames = [f for f in frames if not f.empty]
    differences = pd.concat(frames, ignore_index=True) if frames else _empty_differences()
    return CheckResult(
        differences=differences,
        result=result,
        fresh=fresh,
        baseline=old,
        baseline_file=baseline_file,
        rtol=float(rtol),
        tol_sigma=None if tol_sigma is None else float(tol_sigma),
        against_reference=bool(against_reference),
        no_reference=no_reference,
    )
