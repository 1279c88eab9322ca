"""Section "verdict": the conclusion, its headline and its sentences, as tcfit.verdict words them.

The text is :attr:`tcfit.analysis.Analysis.verdict` (:mod:`tcfit.verdict`, the one text the CLI
prints too): the conclusion word (from stated thresholds on the lattice test's Bayes factor and
calibrated p), the headline, then one sentence per topic (counts beside what the grid guarantees,
the lattice test with its measured size and power, the error scale, the leave-one-out carriers,
the independent predictor, the valence conventions). Every one rests on a statistic whose size is
in ``docs/calibration.md``, or on an exact bound or a plain description. Nothing here comes from
the fits with i held fixed or from the superseded quantization test. The cards are plain numbers.

``summary.json`` gets the fit's headline numbers (``summary``) and the verdict (``verdict``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._common import records, worst
from .provenance import uncertainty_sentence
from .warnings import collect

if TYPE_CHECKING:
    from tcfit.analysis import Analysis

    from ._common import Formatter

__all__ = ["SECTION", "TOPICS", "Verdict"]

#: The label printed before each sentence of :attr:`tcfit.verdict.Verdict.sentences`.
TOPICS: dict[str, str] = {
    "counts": "Counts",
    "lattice": "Lattice test",
    "error_scale": "Error scale",
    "carriers": "Which materials carry it",
    "predictor": "Independent predictor",
    "valence": "Valence",
}


def _card(label: str, value: str, note: str = "") -> dict[str, str]:
    return {"label": label, "value": value, "note": note}


def _count_notes(analysis: Analysis) -> dict[float, str]:
    """What the grid guarantees and a continuous i expects, per tolerance (empty without it)."""
    test = analysis.lattice
    if test is None:
        return {}
    return {
        float(r["tolerance"]): (
            f"grid guarantees {int(r['guaranteed'])}; continuous i expects "
            f"{float(r['expected_continuous']):.1f}"
        )
        for r in records(test.counts)
    }


def _lattice_cards(analysis: Analysis, fmt: Formatter) -> list[dict[str, str]]:
    test = analysis.lattice
    if test is None:
        return []
    return [
        _card(
            "ln Bayes factor",
            f"{test.ln_bayes_factor:+.2f}",
            f"{test.verdict} (Kass–Raftery); error scale marginalised",
        ),
        _card(
            "Calibrated p", fmt.sig(test.p_value, 2), "larger of the normal and kernel envelopes"
        ),
    ]


def _cards(analysis: Analysis, fmt: Formatter) -> list[dict[str, str]]:
    result = analysis.result
    s, table = result.summary, result.table
    n = s.n_materials
    notes = _count_notes(analysis)
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
            str(worst(table, "residual")["material"]),
        ),
        _card("Within 5 %", f"{s.within_5pct} of {n}", notes.get(0.05, "")),
        _card("Within 10 %", f"{s.within_10pct} of {n}", notes.get(0.10, "")),
        *_lattice_cards(analysis, fmt),
    ]
    if s.n_reference is not None:
        cards.append(
            _card(
                "Agrees with reference i",
                f"{s.n_agrees} of {s.n_reference}",
                "assigned = reference",
            )
        )
    bcs = s.references.get("bcs")
    if bcs is not None and bcs.rms_residual_predicted is not None:
        cards.append(
            _card(
                "Independent predictor",
                fmt.percent(bcs.rms_residual_predicted, 2, sign=False),
                f"RMS residual, i from γ rounded, no Tc used ({bcs.n} materials); BCS itself "
                f"{fmt.percent(bcs.rms_residual or float('nan'), 2, sign=False)}",
            )
        )
    # Not χ²/dof: each material's i was chosen to fit, so with one choice per material nothing
    # is left to count as degrees of freedom. The divisor is the material count. A plain number.
    cards.append(
        _card(
            "χ² / materials",
            f"{fmt.sig(s.chi_square, 3)} / {s.dof}",
            f"per-material i choices not subtracted; uncertainties: {s.uncertainties}",
        )
    )
    return cards


class Verdict:
    """The verdict: always present, first."""

    id = "verdict"
    title = "Verdict"
    template = "sections/verdict.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any]:
        """The conclusion word, the headline, the sentences (topic, label, text) and the cards."""
        verdict = analysis.verdict
        return {
            "conclusion": verdict.conclusion,
            "conclusion_class": verdict.conclusion.replace(" ", "-"),
            "headline": verdict.headline,
            "sentences": [
                {
                    "topic": key,
                    "label": TOPICS.get(key, key.replace("_", " ").capitalize()),
                    "text": text,
                }
                for key, text in verdict.sentences.items()
            ],
            "cards": _cards(analysis, fmt),
            "uncertainty": uncertainty_sentence(analysis.result.summary, fmt),
            "n_warnings": len(collect(analysis, fmt)),
            "has_lattice": analysis.lattice is not None,
        }

    def summary(self, analysis: Analysis) -> Mapping[str, Any]:
        """The fit's summary and the verdict (conclusion, headline, sentences, thresholds)."""
        return {
            "summary": analysis.result.summary.to_dict(),
            "verdict": analysis.verdict.to_dict(),
        }


SECTION = Verdict()
