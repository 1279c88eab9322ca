"""Long-format tables: Bc(T) series read from a file become one canonical row per material.

A table with a temperature column ``t`` holds one row per point of a Bc(T) series. After
conversion to SI, :func:`reduce_long` fits every material's series (:mod:`._series`) and puts
one row per material in its place, indexed by the row of the material's first point; the
fitted Tc, Bc(0), their errors and correlation replace the points, and the fit's record
(``attrs["series"]``, with each material's rows) becomes the provenance of the derivation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from tcfit.errors import DataError, Problem

from ._provenance import DroppedRow
from ._series import reduce_series

if TYPE_CHECKING:
    from ._columns import Column
    from ._raw import RawTable

__all__ = ["SERIES_DERIVED", "SERIES_INPUTS", "dropped_rows", "reduce_long"]

#: Columns of a long-format table the series fit consumes, and those it derives.
SERIES_INPUTS = ("t", "bc", "bc_err")
SERIES_DERIVED = ("tc", "tc_err", "bc", "bc_err")


def dropped_rows(frame: pd.DataFrame, problems: list[Problem]) -> list[DroppedRow]:
    """One :class:`DroppedRow` per row with problems, all its reasons joined."""
    reasons: dict[int, list[str]] = {}
    for problem in problems:
        where = f"column {problem.column!r}: " if problem.column else ""
        reasons.setdefault(int(problem.row or 0), []).append(where + problem.message)
    out = []
    for row, why in reasons.items():
        name = frame["material"].get(row)
        out.append(DroppedRow(row, name if isinstance(name, str) else None, " ".join(why)))
    return out


def reduce_long(
    frame: pd.DataFrame,
    problems: list[Problem],
    bad_rows: set[int],
    headers: Mapping[str, str],
    law: str,
    skip_invalid: bool,
    label: str | None,
) -> tuple[pd.DataFrame, list[DroppedRow], dict[str, Any]]:
    """The long table ``frame`` (SI, indexed by row) reduced to one fitted row per material.

    Rows in ``bad_rows`` (unreadable cells, described by ``problems``) are left out of the fit;
    they are raised with the fit's problems or, with ``skip_invalid``, dropped.

    Returns
    -------
    frame : pandas.DataFrame
        One row per material, indexed by the row of its first point.
    dropped : list of DroppedRow
        The rows and materials left out.
    series : dict
        The fit's record (law, formula, per material its points, rows, parameters, errors,
        covariance, χ², dof, p and ``first_row``).
    """
    long = frame.drop(index=sorted(bad_rows))
    try:
        reduced = reduce_series(
            long.reset_index(drop=True),
            law=law,  # type: ignore[arg-type]
            skip_invalid=skip_invalid,
            rows=long.index.to_numpy(),
            file=label,
            headers=headers,
        )
    except DataError as err:
        raise DataError([*problems, *err.problems], file=label) from err
    if problems and not skip_invalid:
        raise DataError(problems, file=label)
    dropped = dropped_rows(frame, problems)
    dropped += [DroppedRow(d["row"], d["material"], d["reason"]) for d in reduced.attrs["dropped"]]
    names = long["material"].astype("string").str.strip()
    first = pd.Series(long.index, index=long.index).groupby(names.to_numpy(), sort=False).first()
    reduced.index = pd.Index(first[reduced["material"]].to_numpy(), name="row")
    series: dict[str, Any] = reduced.attrs["series"]
    for material, fitted in series["materials"].items():
        fitted["first_row"] = int(first[material])
    reduced.attrs.clear()
    return reduced, dropped, series


def refuse_chunked_series(raw: RawTable) -> None:
    """Refuse a long-format Bc(T) table read in chunks or partitions.

    A material's series is fitted whole (:func:`reduce_long`), so a chunk or a partition that
    cuts a series would fit part of it: the chunked reader and the Dask path call this first.

    Raises
    ------
    DataError
        A problem of the whole file (no row), naming the temperature column.
    """
    from ._columns import map_columns

    chosen = map_columns(raw).chosen
    if "t" not in chosen:
        return
    header = chosen["t"].header
    raise DataError(
        [
            Problem(
                f"This is a long-format Bc(T) table (temperature column {header!r}): each "
                "material's series is fitted whole, so it cannot be read in chunks or "
                "partitions. Fit it in memory (tcfit.fit, or tcfit fit without --chunk-rows); "
                "it reduces to one row per material.",
                file=raw.label,
                column=header,
            )
        ],
        file=raw.label,
    )


def duplicate_message(name: str, first_row: object) -> str:
    """The one wording of a repeated material, for a whole table, a chunk or a partition."""
    return (
        f"The material {name!r} already appears in row {first_row}; each material may appear "
        "only once (a Bc(T) series of a material needs a temperature column 'T', which makes "
        "the table a long-format series)."
    )


def duplicates(frame: pd.DataFrame, chosen: dict[str, Column], label: str | None) -> list[Problem]:
    """A problem for every row whose material already appeared (a wide table: once each)."""
    material = frame["material"]
    duplicated = material.duplicated(keep="first") & material.notna()
    if not duplicated.any():
        return []
    first_row = pd.Series(frame.index, index=frame.index).groupby(material).transform("first")
    column = chosen["material"].header if "material" in chosen else None
    return [
        Problem(
            duplicate_message(material[row], first_row[row]),
            file=label,
            row=int(row),
            column=column,
        )
        for row in frame.index[duplicated.to_numpy()]
    ]
