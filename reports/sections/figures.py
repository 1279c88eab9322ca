"""Section "figures": the per-material figures, and the source comparison with its table.

Always: the parity plot, the sorted residuals and the implied i against the allowed values. With
a second source: the source comparison (figure, then the assignments under both sources). The
figures of the inference sit in their own sections (lattice, profiles, predictor, valence).
``summary.json`` gets the source comparison's rows (``source_comparison``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._render import FigureEntry, figure_entry
from ._common import records

if TYPE_CHECKING:
    import pandas as pd

    from tcfit.analysis import Analysis

    from ._common import Formatter

__all__ = ["SECTION", "Figures"]


def _core(analysis: Analysis) -> list[FigureEntry]:
    """Parity, residuals and implied i: in every report."""
    from tcfit import plot

    result = analysis.result
    policy = result.policy.name
    return [
        figure_entry(
            "parity",
            plot.parity(result),
            title="Eq. (5) Tc against measured Tc",
            caption=(
                "Eq. (5) with each material's assigned i against the measured Tc, log axes. The "
                "line marks equality; the shaded bands ±5 % and ±10 %. With a free allowed i per "
                "material much of this agreement is guaranteed by the grid (see the counts in "
                "the lattice test)."
            ),
        ),
        figure_entry(
            "residuals",
            plot.residuals(result),
            title="Relative residual per material, sorted",
            caption="(Tc model − Tc measured)/Tc measured, sorted; bands at ±5 % and ±10 %.",
        ),
        figure_entry(
            "implied_i",
            plot.implied_i(result),
            title="Implied i against the allowed values",
            caption=(
                "The i that makes Eq. (5) exact for each material, with its 1σ error bar, the "
                f"assigned value and the allowed values of the '{policy}' policy (dotted)."
            ),
        ),
    ]


def _source_rows(comparison: pd.DataFrame, fmt: Formatter) -> list[dict[str, Any]]:
    return [
        {
            "material": str(r["material"]),
            "i_implied_a": fmt.sig(r["i_implied_a"], 3),
            "i_assigned_a": fmt.i(r["i_assigned_a"]),
            "i_implied_b": fmt.sig(r["i_implied_b"], 3),
            "i_assigned_b": fmt.i(r["i_assigned_b"]),
            "changed": bool(r["changed"]),
        }
        for r in records(comparison)
    ]


def _sources(analysis: Analysis, fmt: Formatter) -> tuple[FigureEntry, dict[str, Any]] | None:
    """Implied and assigned i under both sources; None without a second source."""
    from tcfit import plot

    comparison = analysis.sources
    if comparison is None:
        return None
    name = analysis.name
    label_b = str(comparison.attrs.get("b") or analysis.compare_label or "the second source")
    entry = figure_entry(
        "sources",
        plot.sources(comparison, label_a=name, label_b=label_b),
        title="Sensitivity to the data source",
        caption=(
            f"Implied i of the materials in both {name} and {label_b}; red diamonds: "
            "the assignment changes with the source."
        ),
    )
    return entry, {
        "label_b": label_b,
        "n": len(comparison),
        "n_changed": int(comparison["changed"].sum()),
        "only_a": [str(m) for m in comparison.attrs.get("only_a", [])],
        "only_b": [str(m) for m in comparison.attrs.get("only_b", [])],
        "rows": _source_rows(comparison, fmt),
    }


class Figures:
    """The figures: always present (the three core figures exist for every fit)."""

    id = "figures"
    title = "Figures"
    template = "sections/figures.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any]:
        """``figures`` (each a :class:`~tcfit.reports._render.FigureEntry`) and the table of the
        sources (``source``, None without a second source)."""
        figures = _core(analysis)
        built = _sources(analysis, fmt)
        if built is not None:
            figures.append(built[0])
        return {
            "figures": figures,
            "dataset": analysis.name,
            "source": None if built is None else built[1],
        }

    def summary(self, analysis: Analysis) -> Mapping[str, Any] | None:
        """``{"source_comparison": [one record per material]}`` with a second source."""
        if analysis.sources is None:
            return None
        return {"source_comparison": records(analysis.sources)}


SECTION = Figures()
