"""Section "predictor": an i predicted without Tc, from the measured Sommerfeld γ.

Present when the data carry γ (with density and molar mass), so the fit has BCS's columns
(:mod:`tcfit.models.bcs`): per material γ, i_BCS (which uses γ, ρ, M and n but not Tc), its
rounding under the policy, the Tc Eq. (5) predicts from that rounded value (no free parameter, no
Tc used), BCS's own Tc_BCS, the measured Tc, the three residuals — the zero-parameter Eq. (5)
prediction, BCS, and Eq. (5) with i fitted to each Tc — and the RMS of each. A description, not a
test. Notes: weak-coupling BCS is expected to miss strong-coupling metals, and with a continuous i
Eq. (5) *is* the BCS relation (i_implied = i_BCS·(Tc_BCS/Tc)², exactly). The source of γ is the
data's join record (``attrs["joined"]["gamma"]``).

``summary.json`` gets ``independent_predictor``: the three RMS residuals, the material count and
the source of γ.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .._render import FigureEntry, figure_entry
from ._common import records

if TYPE_CHECKING:
    import pandas as pd

    from tcfit.analysis import Analysis

    from ._common import Formatter

__all__ = ["SECTION", "Predictor"]

_NEEDED = ("i_bcs", "tc_bcs", "i_predicted_bcs", "tc_predicted_bcs", "residual_predicted_bcs")
#: Strong-coupling metals, for which weak-coupling BCS is not expected to hold.
STRONG_COUPLING = ("Pb", "Hg")
STRONG_COUPLING_NOTE = (
    "Weak-coupling BCS (2Δ/k_B Tc = 3.53) is not expected to hold for strong-coupling metals "
    "such as Pb and Hg (2Δ/k_B Tc ≈ 4.4–4.6): their critical field is larger than weak coupling "
    "allows for their Tc, so Tc_BCS from Bc and γ is expected to come out above the measured Tc, "
    "and the Eq. (5) prediction built on i_BCS with it."
)
ALGEBRA_NOTE = (
    "With a continuous i, Eq. (5) is algebraically the BCS thermodynamic relation: "
    "i_implied = i_BCS·(Tc_BCS/Tc)², exactly. Eq. (5) with a free continuous i therefore adds "
    "nothing to BCS; only the rounding of i to allowed values can, and the rounded i_BCS column "
    "shows what that rounding does without using Tc."
)


def _usable(analysis: Analysis) -> pd.DataFrame | None:
    table = analysis.result.table
    if not all(c in table for c in _NEEDED):
        return None
    rows = table[table["i_predicted_bcs"].notna()]
    return rows if len(rows) else None


def _gamma(analysis: Analysis) -> np.ndarray:
    """γ of every fit-table row in mJ mol⁻¹ K⁻² (NaN where the data have none)."""
    data = analysis.result.data
    table = analysis.result.table
    if "gamma" not in data or len(data) != len(table):
        return np.full(len(table), np.nan)
    return np.asarray(data["gamma"].to_numpy(float) * 1000.0)


def _rows(analysis: Analysis, rows: pd.DataFrame, fmt: Formatter) -> list[dict[str, str]]:
    mask = analysis.result.table["i_predicted_bcs"].notna().to_numpy()
    gamma = _gamma(analysis)[mask]  # ``rows`` is the table at this mask, in order
    out = []
    for g, r in zip(gamma, records(rows), strict=True):
        out.append(
            {
                "material": str(r["material"]),
                "gamma": fmt.sig(g, 3) if np.isfinite(g) else "",
                "i_bcs": fmt.sig(r["i_bcs"], 3),
                "i_rounded": fmt.i(r["i_predicted_bcs"]),
                "i_implied": fmt.sig(r["i_implied"], 3),
                "tc_predicted": fmt.sig(r["tc_predicted_bcs"], 3),
                "tc_bcs": fmt.sig(r["tc_bcs"], 3),
                "tc": fmt.sig(r["tc"], 3),
                "residual_predicted": fmt.percent(r["residual_predicted_bcs"], 1),
                "residual_bcs": fmt.percent(r["residual_bcs"], 1),
                "residual": fmt.percent(r["residual"], 1),
                "flag": "flag-bad" if abs(float(r["residual_predicted_bcs"])) > 0.10 else "",
            }
        )
    return out


def _source(analysis: Analysis) -> dict[str, str]:
    joined = (analysis.result.data.attrs.get("joined") or {}).get("gamma") or {}
    sha = str(joined.get("sha256", ""))
    return {
        "title": str(joined.get("title", "")),
        "file": str(joined.get("file", "")),
        "sha256": sha,
        "column": str(joined.get("column", "")),
        "text": (
            f"{joined.get('title', 'the data')} ({joined.get('file', 'the data file')}"
            + (f", sha256 {sha[:12]}…" if sha else "")
            + ")"
            if joined
            else "the data's own gamma column"
        ),
    }


def _rms(analysis: Analysis, fmt: Formatter) -> dict[str, str]:
    ref = analysis.result.summary.references.get("bcs")
    nan = float("nan")

    def text(value: float | None) -> str:
        return fmt.percent(nan if value is None else value, 2, sign=False)

    if ref is None:
        return {"predicted": "", "bcs": "", "fitted": "", "n": "0"}
    return {
        "predicted": text(ref.rms_residual_predicted),
        "bcs": text(ref.rms_residual),
        "fitted": text(ref.rms_residual_fitted),
        "n": str(ref.n),
    }


def _strong_here(rows: pd.DataFrame, fmt: Formatter) -> str:
    """`` Here, BCS residuals: Pb +13.4 %, Hg +16.3 %.`` for the strong-coupling metals present."""
    found = [
        f"{name} {fmt.percent(residual, 1)}"
        for name, residual in zip(rows["material"].astype(str), rows["residual_bcs"], strict=True)
        if name.split("(")[0].strip() in STRONG_COUPLING
    ]
    return f" Here, BCS residuals: {', '.join(found)}." if found else ""


def _figure(analysis: Analysis) -> FigureEntry:
    from tcfit import plot

    return figure_entry(
        "bcs",
        plot.predictor(analysis.result),
        title="Tc and i predicted without Tc",
        caption=(
            "Left: measured Tc against BCS's Tc_BCS (from Bc and γ by the weak-coupling relation "
            "Bc(0)²/2μ0 = 0.2364 γ_V Tc²) and against Eq. (5) at i_BCS rounded to an allowed "
            "value; neither has a free parameter or uses Tc. Right: i_BCS against the implied "
            "i of Eq. (5)."
        ),
    )


class Predictor:
    """The independent predictor: present only when the data carry γ."""

    id = "predictor"
    title = "An independent predictor of i: the Sommerfeld γ"
    template = "sections/predictor.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any] | None:
        """Rows, RMS residuals, the notes, the source of γ and the figure; None without γ."""
        rows = _usable(analysis)
        if rows is None:
            return None
        return {
            "toc": "Independent predictor",
            "rows": _rows(analysis, rows, fmt),
            "rms": _rms(analysis, fmt),
            "policy": analysis.result.policy.name,
            "source": _source(analysis),
            "strong_coupling": STRONG_COUPLING_NOTE + _strong_here(rows, fmt),
            "algebra": ALGEBRA_NOTE,
            "figures": [_figure(analysis)],
        }

    def summary(self, analysis: Analysis) -> Mapping[str, Any] | None:
        """``{"independent_predictor": {n, rms_residual_*, gamma_source}}``; None without γ."""
        if _usable(analysis) is None:
            return None
        ref = analysis.result.summary.references.get("bcs")
        source = _source(analysis)
        return {
            "independent_predictor": {
                "reference_model": "bcs",
                "n": None if ref is None else ref.n,
                "rms_residual_predicted": None if ref is None else ref.rms_residual_predicted,
                "rms_residual_bcs": None if ref is None else ref.rms_residual,
                "rms_residual_fitted": None if ref is None else ref.rms_residual_fitted,
                "gamma_source": {k: v for k, v in source.items() if k != "text"},
            }
        }


SECTION = Predictor()
