"""Section "reproduction": the paper's Table-1 recomputed with Eq. (5), printed against
recomputed theoretical Tc — present only when the analysis holds a reproduction (the data are
the paper's own Table-1)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._common import FORMATTER, Formatter, records, worst

if TYPE_CHECKING:
    import pandas as pd

    from tcfit.analysis import Analysis

__all__ = ["SECTION", "ReproductionSection"]


def _rows(table: pd.DataFrame, fmt: Formatter) -> list[dict[str, Any]]:
    return [
        {
            "no": str(r["no"]),
            "label": str(r["label"]),
            "i": fmt.i(r["i"]),
            "printed": str(r["tc_printed_text"]),
            "recomputed": fmt.sig(r["tc_recomputed"], 4),
            "deviation": fmt.percent(r["deviation"], 2),
            "paper": fmt.sig(r["tc_recomputed_paper"], 4),
            "measured": fmt.sig(r["tc"], 3),
            "beyond": bool(r["beyond_rounding"]),
        }
        for r in records(table)
    ]


def _counts(table: pd.DataFrame, fmt: Formatter) -> dict[str, Any]:
    """Rows, rows beyond the printed rounding, and the largest deviation with its row."""
    largest = worst(table, "deviation")
    return {
        "n_rows": len(table),
        "n_beyond": int(table["beyond_rounding"].sum()),
        "max_deviation": fmt.percent(largest["deviation"], 2),
        "max_label": str(largest["label"]),
    }


class ReproductionSection:
    """The paper's Table-1 reproduction; absent for any other data."""

    id = "reproduction"
    title = "Reproduction of the paper's Table-1"
    template = "sections/reproduction.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any] | None:
        """Row by row, printed against recomputed Tc; None without a reproduction."""
        if analysis.reproduction is None:
            return None
        table = analysis.reproduction.table
        return {"toc": "Paper reproduction", "rows": _rows(table, fmt), **_counts(table, fmt)}

    def summary(self, analysis: Analysis) -> Mapping[str, Any] | None:
        """``{"reproduction": {n_rows, n_beyond_rounding, max_deviation, max_deviation_row}}``."""
        if analysis.reproduction is None:
            return None
        counts = _counts(analysis.reproduction.table, FORMATTER)
        return {
            "reproduction": {
                "n_rows": counts["n_rows"],
                "n_beyond_rounding": counts["n_beyond"],
                "max_deviation": counts["max_deviation"],
                "max_deviation_row": counts["max_label"],
            }
        }


SECTION = ReproductionSection()
