"""Section "materials": the per-material table (sortable in the browser).

One row per material: measured and model Tc, residual, z, implied, assigned and runner-up i,
Δχ² to the runner-up, the posterior of the assigned i (how sure the assignment is, under the
lattice model), its stability (the chance a re-measurement keeps it — not a probability of being
right) and, when the data carry one, the reference i. Residuals beyond 5 % and 10 %, large |z|
and ambiguous assignments (posterior below :data:`AMBIGUOUS_P`) are flagged; rows outside the
grid show "—" for both probabilities; rows whose assignment differs from the reference are
highlighted. The full-precision table is ``results.csv`` (and ``results.parquet``).

A long table (more than :data:`LONG_TABLE` materials) is not put in the page whole: the page and
the PDF show the :data:`WORST_ROWS` materials of largest |z|, and the screen adds a searchable,
paginated view of every material (up to :data:`EMBEDDED_ROWS_AT_MOST`) whose rows the page's
script draws one page at a time from an embedded JSON block, as text (never as HTML).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ._common import AMBIGUOUS_P, LARGE_Z, Formatter, disagrees, records

if TYPE_CHECKING:
    import pandas as pd
    from markupsafe import Markup

    from tcfit.analysis import Analysis

__all__ = ["COLUMNS", "EMBEDDED_ROWS_AT_MOST", "LONG_TABLE", "SECTION", "WORST_ROWS", "Materials"]

#: Above this many materials the page shows only the worst ones (and a paginated view).
LONG_TABLE = 200
#: How many materials (largest |z|) the page and the PDF show of a long table.
WORST_ROWS = 50
#: Rows per page of the searchable view (the table's ``data-page-rows``).
PAGE_ROWS = 50
#: At most this many rows are embedded for the searchable view; results.csv has every one.
EMBEDDED_ROWS_AT_MOST = 20_000

#: (label, numeric, tooltip, short) of every column; the reference column only with a reference
#: i. A column with a ``short`` label shows it in an ``<abbr>`` whose title is the full label,
#: so that every column fits a 1280 px window (headers wrap between words, cells never).
COLUMNS: tuple[tuple[str, bool, str, str], ...] = (
    ("Material", False, "as named in the data", ""),
    ("Tc measured (K)", True, "± the 1σ uncertainty used", ""),
    ("Tc model (K)", True, "Eq. (5) with the assigned i", ""),
    ("Residual", True, "(Tc model − Tc measured) / Tc measured", ""),
    ("z", True, "ln(Tc model / Tc) in units of its σ", ""),
    ("Implied i", True, "the i that makes Eq. (5) exact, ± 1σ", ""),
    ("Assigned i", True, "nearest allowed value (log space)", ""),
    ("Runner-up i", True, "second-nearest allowed value", "Runner\u2011up i"),
    ("Δχ² runner-up", True, "χ² at the runner-up minus χ² assigned", "Δχ²"),
    (
        "Posterior of the assigned i",
        True,
        "posterior probability of the assigned i (lattice model)",
        "Posterior",
    ),
    (
        "Stability",
        True,
        "chance a re-measurement keeps the assigned i; not a probability of being right",
        "",
    ),
)
_REFERENCE_COLUMN = ("Reference i", True, "e.g. the paper's i", "Ref. i")


def _cell(text: str, sort: str | None = None, cls: str = "num") -> dict[str, Any]:
    return {"text": text, "sort": sort, "cls": cls}


def _residual_flag(residual: float) -> str:
    return " flag-bad" if abs(residual) > 0.10 else " flag-warn" if abs(residual) > 0.05 else ""


def _cells(r: dict[str, Any], fmt: Formatter) -> list[dict[str, Any]]:
    res, z, p = float(r["residual"]), float(r["z"]), float(r["posterior_assigned"])
    stable = float(r["p_stable"])
    delta = float(r["chi2_runner_up"]) - float(r["chi2_assigned"])
    key = fmt.sort_key
    return [
        _cell(str(r["material"]), None, ""),
        _cell(fmt.pdg(r["tc"], r["tc_err"]), key(r["tc"])),
        _cell(fmt.sig(r["tc_model"], 3), key(r["tc_model"])),
        _cell(fmt.percent(res, 1), key(res), "num" + _residual_flag(res)),
        _cell(f"{z:+.2f}", key(z), "num" + (" flag-bad" if abs(z) > LARGE_Z else "")),
        _cell(fmt.pdg(r["i_implied"], r["i_implied_err"]), key(r["i_implied"])),
        _cell(fmt.i(r["i_assigned"]), key(r["i_assigned"])),
        _cell(fmt.i(r["i_runner_up"]), key(r["i_runner_up"])),
        _cell(fmt.sig(delta, 2) if np.isfinite(delta) else "", key(delta)),
        _cell(
            "—" if p != p else f"{p:.2f}", key(p), "num" + (" flag-warn" if p < AMBIGUOUS_P else "")
        ),
        _cell("—" if stable != stable else f"{stable:.2f}", key(stable)),
    ]


def _reference_cell(r: dict[str, Any], fmt: Formatter) -> dict[str, Any]:
    ref = fmt.i(r["i_reference"])
    if disagrees(r):
        return _cell(
            f"{ref} ≠ {fmt.i(r['i_assigned'])}", fmt.sort_key(r["i_reference"]), "num flag-bad"
        )
    return _cell(ref, fmt.sort_key(r["i_reference"]))


def material_rows(table: pd.DataFrame, fmt: Formatter) -> list[dict[str, Any]]:
    """One ``{"cells": [...], "cls": ""|"disagree"}`` per material, in table order."""
    has_reference = "i_reference" in table
    rows = []
    for r in records(table):
        cells = _cells(r, fmt)
        if has_reference:
            cells.append(_reference_cell(r, fmt))
        rows.append({"cells": cells, "cls": "disagree" if has_reference and disagrees(r) else ""})
    return rows


def _worst_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The :data:`WORST_ROWS` materials of largest |z|, in that order (ties by table order)."""
    order = np.argsort(-np.abs(table["z"].to_numpy(float)), kind="stable")[:WORST_ROWS]
    return table.iloc[order]


def _embedded(table: pd.DataFrame, fmt: Formatter) -> Markup:
    """Every row (up to :data:`EMBEDDED_ROWS_AT_MOST`) as JSON safe inside ``<script>``.

    ``{"rows": [[cls, [[text, sort, cls], ...]], ...]}``: the page's script writes the texts
    with ``textContent``; ``<``, ``>`` and ``&`` are escaped as ``\\u003c`` etc. so that no
    name can end the script element.
    """
    import json

    from markupsafe import Markup

    rows = material_rows(table.iloc[:EMBEDDED_ROWS_AT_MOST], fmt)
    data = {
        "rows": [[r["cls"], [[c["text"], c["sort"], c["cls"]] for c in r["cells"]]] for r in rows]
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return Markup(text)


class Materials:
    """The per-material table: always present."""

    id = "materials"
    title = "Per-material results"
    template = "sections/materials.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any]:
        """Columns, rows (the worst of a long table), and the count of disagreements."""
        table = analysis.result.table
        has_reference = "i_reference" in table
        columns = [*COLUMNS, _REFERENCE_COLUMN] if has_reference else list(COLUMNS)
        long = len(table) > LONG_TABLE
        shown = _worst_rows(table) if long else table
        rows = material_rows(shown, fmt)
        return {
            "toc": "Materials",
            "columns": [
                {"label": c[0], "num": c[1], "title": c[2], "short": c[3]} for c in columns
            ],
            "rows": rows,
            "n_disagree": int(sum(disagrees(r) for r in records(table))) if has_reference else 0,
            "has_reference": has_reference,
            "n_materials": len(table),
            "long": long,
            "n_shown": len(shown),
            "n_embedded": min(len(table), EMBEDDED_ROWS_AT_MOST),
            "embedded": _embedded(table, fmt) if long else None,
            "page_rows": PAGE_ROWS,
            "policy": analysis.result.policy.name,
            "ambiguous": f"{AMBIGUOUS_P:g}",
        }

    def summary(self, analysis: Analysis) -> None:
        """Nothing: the full table is ``results.csv``."""
        return None


SECTION = Materials()
