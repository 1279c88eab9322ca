"""Limits on the values of a table in SI, checked once they are converted: nothing non-finite later.

The canonical schema (:mod:`tcfit.datasets._schema`) requires finite, positive quantities; this
module adds the limits of :mod:`tcfit.datasets._limits` that keep Eq. (5) and everything computed
from it finite: every quantity's SI magnitude within ``QUANTITY_RANGE`` (so a field of 1e300 mT,
or a subnormal 1e-320 T, is refused with its row and column), and every uncertainty below its
value and not vanishingly small against it (``RELATIVE_ERROR_RANGE``). It also refuses a material
name that spans lines, the trace of a quote that swallowed rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from tcfit.errors import Problem

from ._cells import cell_at, short, text_contains
from ._limits import QUANTITY_RANGE, RELATIVE_ERROR_RANGE
from ._schema import QUANTITY_COLUMNS, SI_UNITS, UNCERTAINTY_OF

__all__ = ["bound_problems"]


def _who(frame: pd.DataFrame, row: Any) -> str:
    material = frame["material"].get(row)
    return f" of {short(material)}" if isinstance(material, str) else ""


def _in_range(magnitude: np.ndarray) -> np.ndarray:
    """:func:`~tcfit.datasets._limits.in_quantity_range` of every element, vectorised."""
    low, high = QUANTITY_RANGE
    with np.errstate(invalid="ignore"):
        inside: np.ndarray = (magnitude == 0.0) | ((magnitude >= low) & (magnitude <= high))
    return inside


def _range(frame: pd.DataFrame, column: str, header: str, cells: pd.Series | None) -> list[Problem]:
    values = frame[column].to_numpy(dtype=float)
    magnitude = np.abs(values)
    with np.errstate(invalid="ignore"):
        outside = np.isfinite(values) & ~_in_range(magnitude)
    if column in UNCERTAINTY_OF and UNCERTAINTY_OF[column] in frame:
        # Beside a usable value, an uncertainty is bounded relative to it (_relative).
        value = frame[UNCERTAINTY_OF[column]].to_numpy(dtype=float)
        outside &= ~(np.isfinite(value) & (value > 0))
    low, high = QUANTITY_RANGE
    unit = f" {SI_UNITS[column]}" if column in SI_UNITS else ""
    problems = []
    for k in np.flatnonzero(outside):
        row = frame.index[int(k)]
        written = cell_at(cells, row) if cells is not None else None
        shown = f"{short(written)}, " if written is not None else ""
        problems.append(
            Problem(
                f"{header}{_who(frame, row)} is {shown}{values[k]:g}{unit} "
                "in SI; "
                f"tcfit accepts magnitudes from {low:g} to {high:g} (QUANTITY_RANGE) so that "
                "Eq. (5) and its uncertainties stay finite.",
                row=int(row),
                column=header,
            )
        )
    return problems


def _relative(frame: pd.DataFrame, column: str, header: str) -> list[Problem]:
    value_column = UNCERTAINTY_OF[column]
    if value_column not in frame:
        return []
    err = frame[column].to_numpy(dtype=float)
    value = frame[value_column].to_numpy(dtype=float)
    usable = np.isfinite(err) & np.isfinite(value) & (value > 0) & (err > 0)
    with np.errstate(all="ignore"):
        ratio = np.where(usable, err / np.where(usable, value, 1.0), np.nan)
    low, high = RELATIVE_ERROR_RANGE
    problems = []
    for k in np.flatnonzero(usable & ((ratio >= high) | (ratio < low))):
        row = frame.index[int(k)]
        rule = (
            f"below {high:g} (100 %) of the value"
            if ratio[k] >= high
            else f"zero or at least {low:g} of the value"
        )
        problems.append(
            Problem(
                f"{header}{_who(frame, row)} is {ratio[k]:.3g} times its value "
                f"{value_column!r}; an uncertainty must be {rule} (RELATIVE_ERROR_RANGE), "
                "so that the fit's weights and z-scores stay finite.",
                row=int(row),
                column=header,
            )
        )
    return problems


def _multiline_names(frame: pd.DataFrame, header: str) -> list[Problem]:
    names = frame["material"]
    spans = pd.Series(text_contains(names, "\n\r"), index=names.index)
    return [
        Problem(
            f"The material name {short(names[row])} spans several lines; a quote that is "
            "opened and closed rows apart may have swallowed the rows between. Close each "
            "quote in its own row.",
            row=int(row),
            column=header,
        )
        for row in frame.index[spans.to_numpy(dtype=bool)]
    ]


def bound_problems(
    frame: pd.DataFrame,
    headers: Mapping[str, str],
    cells: Mapping[str, pd.Series],
    reported: set[tuple[int, str]],
    label: str | None,
) -> list[Problem]:
    """Problems of values outside the limits; each (row, column) found is added to ``reported``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The converted table in SI, indexed by the user's row numbers.
    headers : mapping of str to str
        The header of each canonical column present.
    cells : mapping of str to pandas.Series
        The cells as written, for messages.
    reported : set of (int, str)
        (row, canonical column) pairs explained already; skipped, and extended.
    label : str or None
        The file, for the problems.
    """
    found: list[tuple[str, Problem]] = []
    for column in QUANTITY_COLUMNS:
        if column in frame:
            header = headers.get(column, column)
            if column in UNCERTAINTY_OF:  # first: "150 % of its value" says more than the range
                found += [(column, p) for p in _relative(frame, column, header)]
            found += [(column, p) for p in _range(frame, column, header, cells.get(column))]
    if "material" in frame:
        found += [("material", p) for p in _multiline_names(frame, headers.get("material", ""))]
    problems = []
    for column, problem in found:
        key = (int(problem.row or 0), column)
        if key in reported:
            continue
        reported.add(key)
        problems.append(
            Problem(problem.message, file=label, row=problem.row, column=problem.column)
        )
    return problems
