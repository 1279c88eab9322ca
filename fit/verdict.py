"""The verdict on the claim, in words that follow measured numbers — one text for CLI and report.

Every sentence here rests on a statistic whose size and power are published in
``docs/calibration.md`` (and shipped as ``tcfit/lattice/calibration.json``, from which the
numbers quoted are read for the dataset's size and errors), or states an exact bound or a
plain description:

- **counts** — how many measured Tc the assigned i reproduce within 5 % and 10 %, beside the
  number the allowed grid guarantees whatever the implied i (exact) and the number a smooth
  continuous spread of i would give on average (the fitted normal envelope);
- **lattice** — the Bayes factor of integer against continuous i, its Kass–Raftery label, the
  calibrated p and the measured size and power of that p for this many materials and these
  errors; the conclusion word follows stated thresholds (:data:`THRESHOLDS`);
- **error scale** — where the Bayes factor changes sign, and its value at modern precision;
- **carriers** — which materials carry the evidence (leave-one-out);
- **independent predictor** — the zero-parameter prediction of Tc from i predicted without Tc
  (BCS's i from γ), beside BCS and the fitted i (a description: RMS residuals, no test);
- **valence** — whether counting the electrons behind n by one convention throughout changes the
  assignments and the lattice verdict.

Nothing is drawn from the global fits with i held fixed, nor from the retired log-uniform RMS
test, nor from the profiles (their coverage is not measured: they describe, in their section).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ._json import json_dict

if TYPE_CHECKING:
    from .analysis import Analysis
    from .lattice import LatticeTest

__all__ = ["THRESHOLDS", "Verdict", "calibration_row", "verdict"]

#: Decision rules of the conclusion word (stated, fixed before looking at any data).
THRESHOLDS: dict[str, Any] = {
    "alpha": 0.05,  # calibrated p at or below: the implied i cluster on the allowed values
    "support": 1.1,  # ln BF at or above (BF 3, Kass–Raftery "positive"): modest support
    "strong": 3.0,  # ln BF at or above (BF 20, Kass–Raftery "strong"): strong support
    "against": -3.0,  # ln BF at or below (Kass–Raftery "strong against"): integers disfavoured
    "excluded": -5.0,  # ln BF at or below ("very strong against"): integers excluded
    "modern_sigma": 0.03,  # σ(ln i) of modern data on these metals (statistics audit, part 3)
    "carrier": 0.1,  # a material "carries" evidence with |ΔELPD| above this (nats)
}
_SCENARIOS_NULL = ("N0", "N1", "N2", "N3", "N4")


@dataclass(frozen=True)
class Verdict:
    """The verdict as a conclusion word, a headline and one sentence per topic.

    Attributes
    ----------
    conclusion : {"strong", "modest", "none", "disfavoured", "excluded", "not computed"}
        The word the thresholds give (:data:`THRESHOLDS`).
    headline : str
    sentences : dict of str to str
        Keys ``counts``, ``lattice``, ``error_scale``, ``carriers``, ``predictor``,
        ``valence`` (present where computable), in this order.
    """

    conclusion: str
    headline: str
    sentences: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The headline, then every sentence."""
        return [self.headline, *self.sentences.values()]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the thresholds used."""
        return json_dict(
            {
                "conclusion": self.conclusion,
                "headline": self.headline,
                "sentences": self.sentences,
                "thresholds": THRESHOLDS,
            }
        )


@cache
def _calibration() -> tuple[dict[str, Any], ...]:
    text = resources.files("tcfit.lattice").joinpath("calibration.json").read_text("utf-8")
    return tuple(r for r in json.loads(text)["rows"] if r.get("kind") == "cell")


def calibration_row(m: int, sigma: float) -> dict[str, Any]:
    """Size and power of the calibrated p at the simulated (m, σ) nearest to the data's.

    Returns
    -------
    dict
        ``m``, ``sigma`` (the simulated ones), ``size`` (largest rejection rate under the smooth
        envelopes N0–N4), ``power_alt`` and ``power_lat`` (under integer i), for the calibrated
        p with the error scale marginalised.
    """
    rows = _calibration()
    ms = sorted({r["m"] for r in rows})
    sigmas = sorted({r["sigma"] for r in rows})
    m_near = min(ms, key=lambda v: abs(math.log(v) - math.log(max(m, 1))))
    s_near = min(sigmas, key=lambda v: abs(math.log(v) - math.log(sigma)))
    cell = {r["scenario"]: r for r in rows if r["m"] == m_near and r["sigma"] == s_near}
    return {
        "m": m_near,
        "sigma": s_near,
        "size": max(cell[s]["p_marginal"] for s in _SCENARIOS_NULL),
        "power_alt": cell["ALT"]["p_marginal"],
        "power_lat": cell["LAT"]["p_marginal"],
    }


def _conclusion(test: LatticeTest) -> str:
    if test.ln_bayes_factor <= THRESHOLDS["excluded"]:
        return "excluded"
    if test.ln_bayes_factor <= THRESHOLDS["against"]:
        return "disfavoured"
    if test.p_value <= THRESHOLDS["alpha"] and test.ln_bayes_factor >= THRESHOLDS["strong"]:
        return "strong"
    if test.p_value <= THRESHOLDS["alpha"] and test.ln_bayes_factor >= THRESHOLDS["support"]:
        return "modest"
    return "none"


_HEADLINES = {
    "strong": "Strong evidence that the implied i cluster on the allowed values (calibrated "
    "p ≤ 0.05 and a Bayes factor above 20).",
    "modest": "Modest evidence that the implied i cluster on the allowed values more than a "
    "smooth spread of i would put them (calibrated p ≤ 0.05, Bayes factor 3–20).",
    "none": "The data show no calibrated evidence that the implied i prefer the allowed values.",
    "disfavoured": "Exact allowed values of i are disfavoured against a smooth spread of i.",
    "excluded": "Exact allowed values of i are excluded at the stated errors.",
}


def _pct(fraction: float, unit: str = " %") -> str:
    """A share as a percentage, e.g. ``28 %`` (the unit left out for the first of a range)."""
    return f"{100 * fraction:.0f}{unit}"


def _pct1(fraction: float | None) -> str:
    return "—" if fraction is None else f"{100 * fraction:.1f} %"


def _counts(test: LatticeTest, m: int) -> str:
    rows = {float(r["tolerance"]): r for r in test.counts.to_dict(orient="records")}
    five, ten = rows[0.05], rows[0.10]
    return (
        f"With the assigned i the model reproduces {int(five['observed'])} of {m} measured Tc "
        f"within 5 % and {int(ten['observed'])} within 10 %; the allowed values alone guarantee "
        f"{int(five['guaranteed'])} and {int(ten['guaranteed'])} whatever the implied i, and a "
        f"smooth continuous spread of i would give {five['expected_continuous']:.1f} and "
        f"{ten['expected_continuous']:.1f} on average."
    )


def _lattice(test: LatticeTest, row: dict[str, Any]) -> str:
    p = test.p_values
    low, high = sorted((row["power_alt"], row["power_lat"]))
    return (
        f"Allowed values against a continuous i (one normal envelope of ln i shared by both "
        f"models, error scale marginalised): ln BF = {test.ln_bayes_factor:+.2f}, "
        f"{test.verdict} on the Kass–Raftery scale; calibrated p = {test.p_value:.3g} against "
        f"smooth envelopes fitted to the data (normal {p['normal']:.3g}, kernel "
        f"{p['kde']:.3g}; {test.n_sim} null datasets each). For {row['m']} materials at "
        f"σ(ln i) ≈ {row['sigma']:g} this p falsely rejects a smooth spread in at most "
        f"{_pct(row['size'])} of simulated datasets and detects exact integers in "
        f"{_pct(low, '')}–{_pct(high)} (docs/calibration.md)."
    )


def _error_scale(test: LatticeTest) -> str:
    ev = test.evidence
    modern = ev.iloc[(ev["sigma_eff"] - THRESHOLDS["modern_sigma"]).abs().argmin()]
    flip = (
        f"changes sign at σ(ln i) ≈ {test.flip_scale * test.sigma_eff / test.error_scale:.3f} "
        f"({test.flip_scale:.2f} × the stated errors)"
        if math.isfinite(test.flip_scale)
        else "keeps its sign over σ(ln i) 0.02–0.3"
    )
    return (
        f"The verdict rests on the assumed errors: ln BF {flip}; at the precision of modern "
        f"data (σ(ln i) ≈ {THRESHOLDS['modern_sigma']:g}) it is {modern.ln_bayes_factor:+.1f} "
        f"({modern.verdict}). The lattice model's most probable error scale is "
        f"{test.error_scale:.2f} × the stated errors (σ(ln i) ≈ {test.sigma_eff:.3f})."
    )


def _carriers(test: LatticeTest) -> str:
    e = test.elpd.sort_values("elpd_diff", ascending=False)
    cut = THRESHOLDS["carrier"]
    pro = [f"{r.material} {r.elpd_diff:+.2f}" for r in e.itertuples() if r.elpd_diff > cut]
    con = [f"{r.material} {r.elpd_diff:+.2f}" for r in e.itertuples() if r.elpd_diff < -cut]
    quiet = int(((e["elpd_diff"]).abs() <= cut).sum())
    return (
        f"Leave-one-out, the allowed values predict held-out materials better by "
        f"{test.elpd_diff:+.2f} ± {test.elpd_diff_se:.2f} nats in all; "
        + (f"for: {', '.join(pro)}; " if pro else "no material speaks for them; ")
        + (f"against: {', '.join(con)}; " if con else "")
        + f"{quiet} contribute less than {cut:g} nats either way."
    )


def _predictor(analysis: Analysis) -> str | None:
    for name, ref in analysis.result.summary.references.items():
        if ref.rms_residual_predicted is None:
            continue
        title = "BCS" if name == "bcs" else name
        return (
            f"Predicted without Tc ({title}'s i, rounded to the allowed values; {ref.n} "
            f"materials), the model reproduces Tc with an RMS residual of "
            f"{_pct1(ref.rms_residual_predicted)}, against {_pct1(ref.rms_residual)} for "
            f"{title} itself and {_pct1(ref.rms_residual_fitted)} with i fitted to each Tc."
        )
    return None


def _valence(analysis: Analysis) -> str | None:
    v = analysis.valence
    if v is None or "verdict" not in v.summary.columns:
        return None
    parts = []
    for r in v.summary.to_dict(orient="records"):
        changed = ", ".join(str(n) for n in r["changed"]) or "none"
        parts.append(
            f"{r['convention']}: {r['n_changed']} assignment(s) change ({changed}), ln BF "
            f"{r['ln_bayes_factor']:+.2f} ({r['verdict']}), calibrated p {r['p_value']:.3g}"
        )
    return "Counting valence electrons by one convention throughout — " + "; ".join(parts) + "."


def verdict(analysis: Analysis) -> Verdict:
    """The verdict of an :class:`~tcfit.analysis.Analysis` (module docstring)."""
    test = analysis.lattice
    if test is None:
        reason = analysis.lattice_error or "the lattice test was not run"
        return Verdict("not computed", f"No verdict on the allowed values: {reason}")
    m = analysis.result.summary.n_materials
    row = calibration_row(m, test.sigma_eff / test.error_scale)
    conclusion = _conclusion(test)
    sentences = {
        "counts": _counts(test, m),
        "lattice": _lattice(test, row),
        "error_scale": _error_scale(test),
        "carriers": _carriers(test),
    }
    for key, text in (("predictor", _predictor(analysis)), ("valence", _valence(analysis))):
        if text:
            sentences[key] = text
    return Verdict(conclusion, _HEADLINES[conclusion], sentences)
