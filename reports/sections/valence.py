"""Section "valence": how the electron count behind n moves the assignments and the verdict.

Present when :attr:`tcfit.analysis.Analysis.valence` is (:mod:`tcfit.valence`): per convention,
the assignments that change and the dataset-level lattice verdict under it (ln BF, its
Kass–Raftery label and the calibrated p); per material the apparent valence of the data and the
count each convention uses, with the assigned i, the cells whose assignment changes highlighted;
and a figure of the implied i under each convention.

``summary.json`` gets ``valence``: :meth:`tcfit.valence.ValenceSensitivity.to_dict`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._render import FigureEntry, figure_entry
from ._common import records

if TYPE_CHECKING:
    from tcfit.analysis import Analysis
    from tcfit.valence import ValenceSensitivity

    from ._common import Formatter

__all__ = ["DESCRIPTIONS", "SECTION", "Valence"]

#: What each convention counts (:mod:`tcfit.valence`).
DESCRIPTIONS: dict[str, str] = {
    "data": "the dataset's own n",
    "group": "group number (s-block, transition metals); s+p electrons for groups 12–16",
    "d10": "as 'group', with the full d shell counted for group 12 (Zn, Cd, Hg: 12)",
}


def _count(z: float, fmt: Formatter) -> str:
    """A valence count: ``12`` when whole, else three significant digits; ``—`` for none."""
    if not math.isfinite(z):
        return "—"
    return f"{z:.0f}" if abs(z - round(z)) < 1e-9 else fmt.sig(z, 3)


def _number(value: Any, text: str) -> str:
    return text if value is not None and math.isfinite(float(value)) else "—"


def _summary_rows(v: ValenceSensitivity, fmt: Formatter) -> list[dict[str, str]]:
    rows = []
    for r in records(v.summary):
        ln_bf, p = r.get("ln_bayes_factor"), r.get("p_value")
        rows.append(
            {
                "convention": str(r["convention"]),
                "description": DESCRIPTIONS.get(str(r["convention"]), ""),
                "n_changed": str(r["n_changed"]),
                "changed": ", ".join(map(str, r["changed"])) or "none",
                "rms": fmt.percent(r["rms_residual"], 2, sign=False),
                "within": f"{r['within_5pct']} / {r['within_10pct']}",
                "not_applied": str(r["n_not_applied"]),
                "ln_bf": _number(ln_bf, f"{float(ln_bf or 0):+.2f}"),
                "verdict": str(r.get("verdict", "not computed")),
                "p": _number(p, fmt.sig(p if p is not None else math.nan, 2)),
            }
        )
    return rows


def _material_rows(
    v: ValenceSensitivity, conventions: list[str], fmt: Formatter
) -> list[dict[str, Any]]:
    rows = []
    for r in records(v.table):
        cells = []
        for c in conventions:
            z = float(r[f"valence_{c}"])
            cells.append(
                {
                    "valence": _count(z, fmt),
                    "i": fmt.i(r[f"i_assigned_{c}"]),
                    "changed": bool(r[f"changed_{c}"]),
                }
            )
        apparent = float(r["valence_apparent"])
        rows.append(
            {
                "material": str(r["material"]),
                "apparent": fmt.sig(apparent, 3) if math.isfinite(apparent) else "—",
                "cells": cells,
                "changed": any(cell["changed"] for cell in cells),
            }
        )
    return rows


def _figure(v: ValenceSensitivity, grid: list[float]) -> FigureEntry:
    from tcfit import plot

    return figure_entry(
        "valence",
        plot.valence(v, grid=grid),
        title="Implied i under each valence convention",
        caption=(
            "Each material's implied i with n recomputed under each convention (one marker "
            "each, joined by a line), against the allowed values (dotted). Filled markers: the "
            "assignment differs from the one under the data's own n. Since i ∝ n^(−1/3), "
            "counting 12 electrons instead of 2 moves i by a factor 1.8."
        ),
    )


class Valence:
    """The valence systematic: present when the analysis computed it."""

    id = "valence"
    title = "The valence behind n"
    template = "sections/valence.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any] | None:
        """Per convention and per material; None without a valence analysis."""
        v = analysis.valence
        if v is None:
            return None
        conventions = [str(c) for c in v.summary["convention"]]
        grid = [float(x) for x in analysis.result.policy.values]
        return {
            "toc": "Valence",
            "conventions": conventions,
            "summary_rows": _summary_rows(v, fmt),
            "rows": _material_rows(v, conventions, fmt),
            "figures": [_figure(v, grid)],
        }

    def summary(self, analysis: Analysis) -> Mapping[str, Any] | None:
        """``{"valence": ValenceSensitivity.to_dict()}``; None without it."""
        if analysis.valence is None:
            return None
        return {"valence": analysis.valence.to_dict()}


SECTION = Valence()
