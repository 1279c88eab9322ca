"""Raw table to canonical SI frame: map columns, resolve units, convert, validate, drop invalid.

:func:`canonicalise` is the one path from a :class:`~tcfit.datasets._raw.RawTable` (any format,
a DataFrame or a built-in) to the canonical frame of :mod:`tcfit.datasets._schema`, with its
:class:`~tcfit.datasets._provenance.Provenance`. Every problem is collected with file, row and
column into one :class:`~tcfit.errors.DataError`; a row's problems drop the row instead when
``skip_invalid`` is set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from tcfit._frames import frame_of
from tcfit.errors import DataError, Problem, UnitError

from ._bounds import bound_problems
from ._cells import (
    cell_at,
    extra_column,
    parse_bool,
    parse_numbers,
    short,
    text_column,
    unparsable_message,
)
from ._columns import ColumnMap, Extra, Units, map_columns, missing_columns, resolve_units
from ._hall import derive_density
from ._longform import (
    SERIES_DERIVED,
    SERIES_INPUTS,
    dropped_rows,
    duplicates,
    reduce_long,
)
from ._provenance import DroppedRow, Provenance, table_provenance
from ._raw import RawTable
from ._schema import (
    CANONICAL_ORDER,
    CHECK_FINITE,
    CHECK_POSITIVE,
    FINITE_ERROR,
    NON_NEGATIVE_ERROR,
    POSITIVE_ERROR,
    QUANTITY_COLUMNS,
    TEXT_COLUMNS,
    failure_cases,
)
from ._units import scale_to_si, si_factor

__all__ = ["canonicalise"]


@dataclass
class _Converted:
    """The cells as SI values, indexed by the user's row numbers, and what went wrong."""

    frame: pd.DataFrame
    cells: dict[str, pd.Series]  # canonical -> the cells as written, for messages
    auxiliary: dict[str, np.ndarray]  # extra name -> SI values of a declared quantity
    problems: list[Problem] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    reported: set[tuple[int, str]] = field(default_factory=set)  # (row, column) explained


def _quantity(
    raw: RawTable, position: int, header: str, factor: float | None, out: _Converted, key: str
) -> np.ndarray:
    series = raw.cells[position]
    values, _missing, bad = parse_numbers(series, raw.source.info.get("decimal", "."))
    for k in np.flatnonzero(bad):
        row = int(raw.rows[k])
        out.reported.add((row, key))
        out.problems.append(
            Problem(unparsable_message(series.iloc[k]), file=raw.label, row=row, column=header)
        )
    return scale_to_si(values, factor)


def convert(raw: RawTable, units: Units, extras: list[Extra]) -> _Converted:
    """Parse every cell of the canonical (and declared auxiliary) columns and convert to SI."""
    index = pd.Index(raw.rows, name="row")
    out = _Converted(pd.DataFrame(index=index), {}, {}, list(raw.problems))
    data: dict[str, Any] = {}
    for canonical, column in units.chosen.items():
        series = raw.cells[column.position]
        out.cells[canonical] = series.set_axis(index)  # as written, for messages (cell_at)
        if canonical in QUANTITY_COLUMNS:
            factor = units.factors.get(canonical)
            data[canonical] = _quantity(raw, column.position, column.header, factor, out, canonical)
        elif canonical == "n_derived":
            flags, bad = parse_bool(series)
            for k in np.flatnonzero(bad):
                out.problems.append(
                    Problem(
                        f"{series.iloc[k]!r} is not true or false.",
                        file=raw.label,
                        row=int(raw.rows[k]),
                        column=column.header,
                    )
                )
            data[canonical] = flags
        else:
            data[canonical] = text_column(series).array
    for extra in extras:
        if extra.quantity is not None:
            factor = 1.0 if extra.unit is None else si_factor(extra.unit, extra.quantity)
            header = raw.headers[extra.position]
            out.auxiliary[extra.name] = _quantity(raw, extra.position, header, factor, out, header)
    for canonical in units.percent:
        value_column = canonical[: -len("_err")]
        if value_column in data:
            with np.errstate(over="ignore", invalid="ignore"):  # inf is refused later
                data[canonical] = data[canonical] * data[value_column]
        else:
            out.file_problems.append(
                Problem(
                    f"A relative uncertainty in % needs the value column {value_column!r}.",
                    file=raw.label,
                    column=units.chosen[canonical].header,
                )
            )
    out.frame = _frame(data, index)
    return out


def _frame(data: dict[str, Any], index: pd.Index) -> pd.DataFrame:
    frame = frame_of(data, index)
    if "material" not in frame:
        frame["material"] = None
    if "n" not in frame and "valence" in frame:
        frame["n"] = np.nan
    for name in ("source", "note"):
        if name in frame:
            frame[name] = frame[name].where(frame[name].notna(), "")
    return frame


@dataclass(frozen=True)
class _Case:
    """One of pandera's failure cases."""

    column: str
    check: str
    failure_case: Any
    index: Any  # the failing row's index label, NaN for a column-level failure


def _cases(frame: pd.DataFrame) -> list[_Case]:
    records = frame[["column", "check", "failure_case", "index"]].to_dict("records")
    return [
        _Case(str(r["column"]), str(r["check"]), r["failure_case"], r["index"]) for r in records
    ]


def _bug(case: _Case) -> RuntimeError:
    return RuntimeError(  # the frame built here breaks its own schema
        f"tcfit built a table that fails its schema: column {case.column!r}, "
        f"check {case.check!r}, {case.failure_case!r}."
    )


def _message(case: _Case, header: str, who: str, raw_value: Any, reason: str | None) -> str:
    column = case.column
    if case.check == "not_nullable":
        if column == "material":
            return "The material name is empty."
        if column == "n" and reason is not None:
            return f"No value for the required column 'n'{who}: {reason}."
        return f"No value for the required column {header!r}{who}."
    if case.check in (CHECK_FINITE, FINITE_ERROR):
        return f"{header}{who} is {short(raw_value)}, not a finite number."
    if case.check in (CHECK_POSITIVE, POSITIVE_ERROR, NON_NEGATIVE_ERROR):
        rule = NON_NEGATIVE_ERROR if column.endswith("_err") else POSITIVE_ERROR
        return f"{header}{who} {rule}; the table has {short(raw_value)}."
    raise _bug(case)  # a dtype failure


def validate(
    converted: _Converted,
    units: Units,
    require: tuple[str, ...],
    not_derived: dict[int, str],
    label: str | None,
) -> list[Problem]:
    """Problems of the schema: missing required values, non-finite and non-positive values."""
    frame = converted.frame
    schema_frame = frame.copy()
    for name in TEXT_COLUMNS:
        if name in schema_frame:
            schema_frame[name] = schema_frame[name].astype("str")
    # Repeated materials are found (and explained with their first row) by duplicates().
    cases = failure_cases(schema_frame, tuple(r for r in require if r in frame), unique=False)
    if cases is None:
        return []
    broken = {c for c, f in units.factors.items() if f is None}
    problems: list[Problem] = []
    for case in _cases(cases):
        column = case.column
        if case.check in ("field_uniqueness", "column_in_dataframe"):
            continue  # explained already, with the row of the first occurrence / the aliases
        if pd.isna(case.index):
            raise _bug(case)
        row = int(case.index)
        if (row, column) in converted.reported or column in broken:
            continue
        if column == "material" and "material" not in units.chosen:
            continue
        converted.reported.add((row, column))
        header = units.chosen[column].header if column in units.chosen else column
        cells = converted.cells.get(column)
        raw_value = cell_at(cells, row) if cells is not None else case.failure_case
        material = frame["material"].get(row)
        who = f" of {short(material)}" if isinstance(material, str) else ""
        message = _message(case, header, who, raw_value, not_derived.get(row))
        problems.append(Problem(message, file=label, row=row, column=header))
    return problems


def _sorted(problems: list[Problem], order: dict[str, int]) -> list[Problem]:
    return sorted(
        problems,
        key=lambda p: (p.row if p.row is not None else -1, order.get(p.column or "", -1)),
    )


def drop_invalid(
    frame: pd.DataFrame, problems: list[Problem], skip_invalid: bool, label: str | None
) -> tuple[pd.DataFrame, list[DroppedRow]]:
    """Drop the rows with problems (``skip_invalid``) or raise them all.

    Raises
    ------
    DataError
        With every problem, unless ``skip_invalid``; or when no row is left.
    """
    if not problems:
        return frame, []
    if not skip_invalid:
        raise DataError(problems, file=label)
    dropped = dropped_rows(frame, problems)
    frame = frame.drop(index=[d.row for d in dropped])
    if frame.empty:
        raise DataError(
            [
                Problem("No usable rows remain after dropping the invalid ones.", file=label),
                *problems,
            ],
            file=label,
        )
    return frame, dropped


def layout(
    frame: pd.DataFrame, raw: RawTable, mapped: ColumnMap, converted: _Converted
) -> pd.DataFrame:
    """The canonical columns in canonical order with their dtypes, then the extra columns."""
    columns: dict[str, Any] = {}
    for name in CANONICAL_ORDER:
        if name not in frame:
            continue
        if name in QUANTITY_COLUMNS:
            columns[name] = np.asarray(frame[name].to_numpy(), dtype=float)
        elif name == "n_derived":
            columns[name] = np.asarray(frame[name].to_numpy(), dtype=bool)
        else:
            columns[name] = frame[name].astype("str").array
    for name in frame.columns:  # computed beside the canonical ones (a series fit's)
        if name not in CANONICAL_ORDER:
            columns[name] = frame[name].to_numpy()
    kept: np.ndarray = (
        np.searchsorted(raw.rows, frame.index.to_numpy()) if mapped.extras else np.empty(0, int)
    )
    for extra in mapped.extras:
        if extra.name in converted.auxiliary:
            column = pd.Series(converted.auxiliary[extra.name])
        else:
            column = extra_column(raw.cells[extra.position], raw.source.info.get("decimal", "."))
        columns[extra.name] = column.iloc[kept].reset_index(drop=True)
    return frame_of(columns)


def _series(
    converted: _Converted, units: Units, law: str, skip_invalid: bool, label: str | None
) -> tuple[list[DroppedRow], dict[str, Any]]:
    """Replace the long table in ``converted`` by one row per material (:mod:`._longform`)."""
    headers = {c: col.header for c, col in units.chosen.items()}
    reported = {row for row, _ in converted.reported}
    frame, dropped, series = reduce_long(
        converted.frame, converted.problems, reported, headers, law, skip_invalid, label
    )
    converted.frame, converted.problems = frame, []
    converted.cells = {k: v for k, v in converted.cells.items() if k not in SERIES_INPUTS}
    return dropped, series


def canonicalise(
    raw: RawTable,
    *,
    units: Mapping[str, str] | None,
    require: tuple[str, ...],
    skip_invalid: bool,
    series_law: str = "two_fluid",
    valences: Mapping[str, float] | None = None,
) -> tuple[pd.DataFrame, Provenance]:
    """The canonical SI frame of a raw table, and its provenance.

    Parameters
    ----------
    raw : RawTable
        The table as written.
    units : dict of str to str, optional
        Units of columns whose header states none (canonical names, aliases or headers).
    require : tuple of str
        Quantity columns every row must have.
    skip_invalid : bool
        Drop rows with problems instead of raising.
    series_law : {"two_fluid", "power"}, default="two_fluid"
        The law fitted to each material's Bc(T) series when the table has a temperature
        column ``t`` (a long-format table): each material becomes one row with Bc(0), Tc, their
        errors and ``tc_bc_corr`` (:func:`~tcfit.datasets._series.reduce_series`).
    valences : mapping of str to float, optional
        Valence electrons per atom of each element, giving the valence per formula unit of a
        material written as a formula where the table has none (:mod:`._derive`).

    Returns
    -------
    frame : pandas.DataFrame
        The canonical frame (no attrs set).
    provenance : Provenance
        Its provenance (without unit warnings, which :mod:`tcfit.datasets._sanity` adds).

    Raises
    ------
    DataError
        Listing every problem; :class:`~tcfit.errors.UnitError` when only units are wrong.
    """
    mapped = map_columns(raw)
    resolved = resolve_units(mapped.chosen, units, raw.label)
    file_problems = mapped.problems + resolved.problems
    is_series = "t" in mapped.chosen
    needed = tuple(r for r in require if not (is_series and r in ("tc", "tc_err")))
    file_problems += missing_columns(mapped.chosen, needed, raw, n_from_valences=bool(valences))
    converted = convert(raw, resolved, mapped.extras)
    file_problems += converted.file_problems
    series_dropped: list[DroppedRow] = []
    series = None
    if is_series:
        if file_problems or resolved.unit_problems:
            error = UnitError if resolved.unit_problems and not file_problems else DataError
            raise error(resolved.unit_problems + file_problems, file=raw.label)
        series_dropped, series = _series(converted, resolved, series_law, skip_invalid, raw.label)
    frame = converted.frame
    already = (
        frame["n_derived"].to_numpy(dtype=bool)
        if "n_derived" in frame
        else np.zeros(len(frame), dtype=bool)
    )
    headers = {c: col.header for c, col in resolved.chosen.items()}
    done = derive_density(frame, valences, headers)
    frame["n_derived"] = already | done.n_mask
    converted.reported |= {(int(p.row or 0), "bc") for p in done.problems}
    problems = converted.problems + duplicates(frame, mapped.chosen, raw.label)
    problems += [replace(p, file=raw.label) for p in done.problems]
    problems += bound_problems(frame, headers, converted.cells, converted.reported, raw.label)
    problems += validate(converted, resolved, require, done.reasons, raw.label)
    order = {c.header: c.position for c in resolved.chosen.values()}
    order.update({h: j for j, h in enumerate(raw.headers) if h not in order})
    if file_problems or resolved.unit_problems:
        error = UnitError if resolved.unit_problems and not file_problems else DataError
        everything = resolved.unit_problems + file_problems + _sorted(problems, order)
        raise error(everything, file=raw.label)
    frame, dropped = drop_invalid(frame, _sorted(problems, order), skip_invalid, raw.label)
    gone = {d.row for d in dropped}
    valence_rows = [r for r in done.valence_rows if r.row not in gone]
    hall_rows = [r for r in done.hall_rows if r.row not in gone]
    typeii = [r for r in done.typeii_rows if r.row not in gone]
    result = layout(frame, raw, mapped, converted)
    dropped = sorted(series_dropped, key=lambda d: d.row or 0) + dropped
    fitted = SERIES_DERIVED if series is not None else ()
    made = (valence_rows, hall_rows, typeii)
    prov = table_provenance(raw, resolved.chosen, dropped, made, require, series, fitted)
    prov = replace(prov, warnings=tuple(done.warnings) if hall_rows else ())
    return result, prov
