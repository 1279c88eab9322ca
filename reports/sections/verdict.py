"""Section "verdict": the headline, the number cards, the quantization test in words and the
global fit's exponents against the model's.

``summary.json`` gets the fit's headline numbers (``summary``), the global fits
(``global_fit``, or ``{"error": ...}`` when they could not run) and the quantization test
(``quantization_test``, without its null sample).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import _global
from ._common import worst
from ._quantization import quantization_sentences
from .provenance import uncertainty_sentence
from .warnings import collect

if TYPE_CHECKING:
    from tcfit.analysis import Analysis

    from ._common import Formatter

__all__ = ["SECTION", "Verdict"]


def _card(label: str, value: str, note: str = "") -> dict[str, str]:
    return {"label": label, "value": value, "note": note}


def _cards(analysis: Analysis, fmt: Formatter, p_text: str) -> list[dict[str, str]]:
    result = analysis.result
    s, table = result.summary, result.table
    n = s.n_materials
    largest = worst(table, "residual")
    cards = [
        _card("Materials", str(n), f"policy '{result.policy.name}'"),
        _card(
            "RMS residual",
            fmt.percent(s.rms_residual, 2, sign=False),
            "relative, Tc model vs measured",
        ),
        _card(
            "Max |residual|",
            fmt.percent(s.max_abs_residual, 2, sign=False),
            str(largest["material"]),
        ),
        _card("Within 5 %", f"{s.within_5pct} of {n}", f"within 1 %: {s.within_1pct}"),
        _card("Within 10 %", f"{s.within_10pct} of {n}"),
        _card("Quantization test", p_text, "P(RMS of random i ≤ observed)"),
    ]
    if s.n_reference is not None:
        cards.append(
            _card(
                "Agrees with reference i",
                f"{s.n_agrees} of {s.n_reference}",
                "assigned i = reference i",
            )
        )
    bcs = s.references.get("bcs")
    if bcs is not None and bcs.rms_residual is not None:
        cards.append(
            _card(
                "BCS, no free parameter",
                fmt.percent(bcs.rms_residual, 2, sign=False),
                f"RMS residual, {bcs.n} materials with γ",
            )
        )
    # Not χ²/dof: each material's i was chosen to fit, so with one choice per material nothing
    # is left to count as degrees of freedom. The divisor is the material count.
    cards.append(
        _card(
            "χ² / materials",
            f"{fmt.sig(s.chi_square, 3)} / {s.dof}",
            f"per-material i choices not subtracted; uncertainties: {s.uncertainties}",
        )
    )
    return cards


def _headline(analysis: Analysis, fmt: Formatter) -> str:
    s = analysis.result.summary
    return (
        f"With a free '{s.policy}' i chosen for each material, Eq. (5) reproduces "
        f"{s.within_10pct} of {s.n_materials} measured Tc within 10 % and "
        f"{s.within_5pct} within 5 % (RMS residual "
        f"{fmt.percent(s.rms_residual, 2, sign=False)})."
    )


def _exponents_sentence(analysis: Analysis, fmt: Formatter) -> str:
    if analysis.global_fit is None:
        return f"No global fit of the exponents: {analysis.global_fit_error}"
    parts = [
        f"{r['symbol']} = {r['estimate']} (Eq. (5): {r['expected']}, {r['verdict']})"
        for r in _global.exponent_rows(analysis.global_fit, fmt)
    ]
    return f"Set free in a global fit, the exponents are {' and '.join(parts)}."


class Verdict:
    """The verdict: always present, first."""

    id = "verdict"
    title = "Verdict"
    template = "sections/verdict.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any]:
        """Headline, cards, the quantization sentences, the global-fit parameter rows."""
        gfit = analysis.global_fit
        what, meaning = quantization_sentences(
            analysis.quantization, analysis.result.policy.name, fmt
        )
        glob = None
        if gfit is not None:
            glob = {
                "rows": _global.parameter_rows(gfit, fmt),
                "mode_text": _global.mode_text(gfit.parts),
            }
        return {
            "headline": _headline(analysis, fmt),
            "cards": _cards(analysis, fmt, what.split(":", 1)[0]),
            "quant_what": what,
            "quant_meaning": meaning,
            "exponents_sentence": _exponents_sentence(analysis, fmt),
            "global": glob,
            "caveat": _global.GLOBAL_CAVEAT,
            "uncertainty": uncertainty_sentence(analysis.result.summary, fmt),
            "n_warnings": len(collect(analysis, fmt)),
        }

    def summary(self, analysis: Analysis) -> Mapping[str, Any]:
        """The fit's summary, the global fits and the quantization test (no null sample)."""
        gfit = analysis.global_fit
        quantization = analysis.quantization.to_dict()
        quantization.pop("null_rms", None)  # 10 000 numbers; the figure shows them
        return {
            "summary": analysis.result.summary.to_dict(),
            "global_fit": (
                gfit.to_dict() if gfit is not None else {"error": analysis.global_fit_error}
            ),
            "quantization_test": quantization,
        }


SECTION = Verdict()
