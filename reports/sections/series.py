"""Section "series": the Bc(T) series behind Bc(0) and Tc, when the data came from series.

Present when the data were read from a long-format table (``attrs["series"]``, :mod:`tcfit.series`):
each series with its fitted curve and the extrapolated Bc(0) (the figure of
:func:`tcfit.plot.series`), and per material Bc(0), Tc, their correlation ρ(Bc0, Tc), χ²/dof and
the number of points. The correlation enters σ(ln i) in the fit (:mod:`tcfit.fitting`).

``summary.json`` gets ``series``: the law, its formula and, per material, Bc(0), Tc, their
errors, the correlation, χ²/dof, the degrees of freedom and the points.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._render import FigureEntry, figure_entry

if TYPE_CHECKING:
    from tcfit.analysis import Analysis

    from ._common import Formatter

__all__ = ["SECTION", "Series"]


def _fits(analysis: Analysis) -> tuple[dict[str, Any], list[str]] | None:
    """The series record and the materials of the fit that came from a series; None if none."""
    info = analysis.result.data.attrs.get("series")
    if not isinstance(info, Mapping) or not info.get("materials"):
        return None
    kept = set(analysis.result.table["material"].astype(str))
    names = [m for m in info["materials"] if m in kept]
    return (dict(info), names) if names else None


def _chi2(fit: Mapping[str, Any], fmt: Formatter) -> str:
    chi2, dof = float(fit.get("chi_square", math.nan)), int(fit.get("dof", 0))
    if not math.isfinite(chi2) or dof <= 0:
        return "— (errors scaled)"
    return f"{fmt.sig(chi2 / dof, 3)} ({dof} dof)"


def _rows(info: Mapping[str, Any], names: list[str], fmt: Formatter) -> list[dict[str, str]]:
    out = []
    for name in names:
        fit = info["materials"][name]
        values, errors = fit["values"], fit["errors"]
        rows = fit["points"].get("row") or []
        out.append(
            {
                "material": name,
                "bc0": fmt.pdg(values["bc0"] * 1e3, errors["bc0"] * 1e3),
                "tc": fmt.pdg(values["tc"], errors["tc"]),
                "rho": f"{float(fit['correlation']):+.3f}",
                "chi2": _chi2(fit, fmt),
                "points": str(len(fit["points"]["t"])),
                "rows": f"{min(rows)}–{max(rows)}" if rows else "",
            }
        )
    return out


def _figure(analysis: Analysis, law: str) -> FigureEntry:
    from tcfit import plot

    return figure_entry(
        "series",
        plot.series(analysis.result),
        title="Bc(T) series and the extrapolated Bc(0)",
        caption=(
            f"Each material's measured Bc(T) (points, with their 1σ where given) and the "
            f"fitted {law} (line) down to T = 0, where the open diamond is the extrapolated "
            "Bc(0) ± 1σ that enters Eq. (5); the curve meets zero at the fitted Tc."
        ),
    )


class Series:
    """The Bc(T) series: present only when the data came from series."""

    id = "series"
    title = "Bc(0) and Tc from the measured Bc(T) series"
    template = "sections/series.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any] | None:
        """The law, the figure and a row per material; None when no data came from series."""
        found = _fits(analysis)
        if found is None:
            return None
        info, names = found
        law = str(info.get("formula", info.get("law", "")))
        return {
            "toc": "Bc(T) series",
            "law": law,
            "rows": _rows(info, names, fmt),
            "figures": [_figure(analysis, law)],
        }

    def summary(self, analysis: Analysis) -> Mapping[str, Any] | None:
        """``{"series": {law, formula, materials: {name: ...}}}``; None without series."""
        found = _fits(analysis)
        if found is None:
            return None
        info, names = found
        materials = {}
        for name in names:
            fit = info["materials"][name]
            materials[name] = {
                "bc0": fit["values"]["bc0"],
                "bc0_err": fit["errors"]["bc0"],
                "tc": fit["values"]["tc"],
                "tc_err": fit["errors"]["tc"],
                "correlation": fit["correlation"],
                "chi_square": fit["chi_square"],
                "dof": fit["dof"],
                "weighting": fit["weighting"],
                "points": len(fit["points"]["t"]),
                "rows": list(fit["points"].get("row") or []),
            }
        return {
            "series": {
                "law": info.get("law"),
                "formula": info.get("formula"),
                "materials": materials,
            }
        }


SECTION = Series()
