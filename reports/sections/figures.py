"""Section "figures": every figure of the report, with the tables that belong to three of them.

Always: the parity plot, the sorted residuals, the implied i against the allowed values and the
quantization test's null distribution. When the analysis has them: the global fits (figure of
the intervals, then the three fits side by side), the BCS weak-coupling comparison (figure, then
its table) and the source comparison (figure, then the assignments under both sources).
``summary.json`` gets the source comparison's rows (``source_comparison``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .._render import FigureEntry, figure_entry
from . import _global
from ._common import records
from ._quantization import quantization_sentences

if TYPE_CHECKING:
    import pandas as pd

    from tcfit.analysis import Analysis

    from ._common import Formatter

__all__ = ["SECTION", "Figures"]


def _core(analysis: Analysis, fmt: Formatter) -> list[FigureEntry]:
    """Parity, residuals, implied i and the quantization test: in every report."""
    from .. import _figures

    result, q = analysis.result, analysis.quantization
    table, policy = result.table, result.policy.name
    _what, meaning = quantization_sentences(q, policy, fmt)
    null = _figures.quantization(
        np.asarray(q.null_rms),
        observed=float(q.rms_observed),
        low=float(q.null_low),
        high=float(q.null_high),
        p_value=float(q.p_value),
    )
    return [
        figure_entry(
            "parity",
            _figures.parity(table),
            title="Eq. (5) Tc against measured Tc",
            caption=(
                "Eq. (5) with each material's assigned i against the measured Tc, log axes. The "
                "line marks equality; the shaded bands ±5 % and ±10 %."
            ),
        ),
        figure_entry(
            "residuals",
            _figures.residuals(table),
            title="Relative residual per material, sorted",
            caption="(Tc model − Tc measured)/Tc measured, sorted; bands at ±5 % and ±10 %.",
        ),
        figure_entry(
            "implied_i",
            _figures.implied_i(table, result.policy.values.tolist(), policy=policy),
            title="Implied i against the allowed values",
            caption=(
                "The i that makes Eq. (5) exact for each material, with its 1σ error bar, the "
                f"assigned value and the allowed values of the '{policy}' policy (dotted)."
            ),
        ),
        figure_entry(
            "quantization",
            null,
            title="Quantization test: null distribution of the RMS residual",
            caption=(
                f"RMS residual of {int(q.n_null)} random tables (implied i drawn "
                "log-uniformly over the observed range, then assigned under the same policy); "
                "the red line is the observed RMS. " + meaning
            ),
        ),
    ]


def _global_fit(analysis: Analysis, fmt: Formatter) -> tuple[FigureEntry, dict[str, Any]] | None:
    """The intervals figure and the three fits side by side; None without global fits."""
    from .. import _figures

    gfit = analysis.global_fit
    if gfit is None:
        return None
    entry = figure_entry(
        "global_fit",
        _figures.global_fit(_global.estimates(gfit, fmt)),
        title="Global fit: exponents and prefactor with 95 % intervals",
        caption=(
            "Estimates with 95 % intervals from lmfit, assigned i fixed; dashed lines "
            "mark the values Eq. (5) fixes. "
            + _global.mode_text(gfit.parts)
            + " "
            + _global.GLOBAL_CAVEAT
        ),
    )
    return entry, {"parts": _global.part_rows(gfit, fmt), "common_i": _global.common_i(gfit, fmt)}


def _bcs(analysis: Analysis, fmt: Formatter) -> tuple[FigureEntry, dict[str, Any]] | None:
    """The BCS weak-coupling comparison and its table; None without γ in the data."""
    from .. import _figures

    table = analysis.result.table
    if "tc_bcs" not in table or not table["tc_bcs"].notna().any():
        return None
    entry = figure_entry(
        "bcs",
        _figures.bcs_comparison(table),
        title="BCS weak-coupling comparison",
        caption=(
            "Left: Tc predicted by the BCS weak-coupling relation Bc(0)²/2μ0 = "
            "0.2364 γ_V Tc² from Bc and γ, with no free parameter. Right: the i "
            "that relation implies for Eq. (5), against the implied i."
        ),
    )
    sub = table.dropna(subset=["tc_bcs"])
    reference = analysis.result.summary.references.get("bcs")
    rms = reference.rms_residual if reference is not None else None
    rows = [
        {
            "material": str(r["material"]),
            "tc": fmt.sig(r["tc"], 3),
            "tc_bcs": fmt.sig(r["tc_bcs"], 3),
            "residual_bcs": fmt.percent(r["residual_bcs"], 1),
            "i_bcs": fmt.sig(r["i_bcs"], 3),
            "i_implied": fmt.pdg(r["i_implied"], r["i_implied_err"]),
        }
        for r in records(sub)
    ]
    rms_text = fmt.percent(rms if rms is not None else float("nan"), 2, sign=False)
    return entry, {"n": len(sub), "rms": rms_text, "rows": rows}


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
    from .. import _figures

    comparison = analysis.sources
    if comparison is None:
        return None
    name = analysis.name
    label_b = str(comparison.attrs.get("b") or analysis.compare_label or "the second source")
    entry = figure_entry(
        "sources",
        _figures.source_comparison(comparison, label_a=name, label_b=label_b),
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
    """The figures: always present (the four core figures exist for every fit)."""

    id = "figures"
    title = "Figures"
    template = "sections/figures.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any]:
        """``figures`` (each a :class:`~tcfit.reports._render.FigureEntry`) and the tables of
        the global fit (``global``), the BCS comparison (``bcs``) and the sources (``source``),
        each None when absent."""
        figures = _core(analysis, fmt)
        context: dict[str, Any] = {"dataset": analysis.name}
        for key, panel in (("global", _global_fit), ("bcs", _bcs), ("source", _sources)):
            built = panel(analysis, fmt)
            context[key] = None if built is None else built[1]
            if built is not None:
                figures.append(built[0])
        return {"figures": figures, **context}

    def summary(self, analysis: Analysis) -> Mapping[str, Any] | None:
        """``{"source_comparison": [one record per material]}`` with a second source."""
        if analysis.sources is None:
            return None
        return {"source_comparison": records(analysis.sources)}


SECTION = Figures()
