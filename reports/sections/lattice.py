"""Section "lattice": are the implied i on the allowed values? The test the verdict rests on.

Laid out from :attr:`tcfit.analysis.Analysis.lattice` (:class:`tcfit.lattice.LatticeTest`): the
log Bayes factor of the lattice model against its continuous twin with the error scale
marginalised and fixed at the stated errors, each with its Kass–Raftery label and how often a
Bayes factor that large arises without quantization; the calibrated p per envelope with its
measured size and power; the evidence-against-error-scale figure with the crossings of every
Kass–Raftery edge; the leave-one-out scores per material (the carriers highlighted); the counts
beside what the grid guarantees and what a continuous i expects; the Rayleigh companion. Every
measured size is read from the calibration tcfit ships (``docs/calibration.md``).

``summary.json`` gets ``lattice``: :meth:`tcfit.lattice.LatticeTest.to_dict`, or
``{"error": ...}`` when the test could not run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tcfit.lattice import evidence_label
from tcfit.verdict import THRESHOLDS

from .._render import FigureEntry, figure_entry
from ._calibration import measured, stated_sigma
from ._common import records

if TYPE_CHECKING:
    from tcfit.analysis import Analysis
    from tcfit.lattice import LatticeTest

    from ._common import Formatter

__all__ = ["SECTION", "Lattice"]


def _share(value: float) -> str:
    return f"{value:.0%}".replace("%", " %")


def _size_text(m: int, sigma: float, key: str, what: str) -> str:
    cal = measured(m, sigma, key)
    return (
        f"{what} in at most {_share(cal.size)} of simulated datasets with a smooth, continuous "
        f"i and in {_share(cal.power_low)}–{_share(cal.power_high)} with exact integers "
        f"({cal.m} materials, σ(ln i) ≈ {cal.sigma:g}; docs/calibration.md)"
    )


def _rows(test: LatticeTest, analysis: Analysis, fmt: Formatter) -> list[dict[str, str]]:
    m = analysis.result.summary.n_materials
    sigma = stated_sigma(analysis.result)
    p = test.p_values
    scale = "marginalised" if test.marginal else f"fixed at {test.error_scale:g}"
    flip = (
        f"{test.flip_scale:.2f} × the stated errors (σ(ln i) ≈ {test.flip_scale * sigma:.3f})"
        if math.isfinite(test.flip_scale)
        else "nowhere: ln BF keeps its sign over σ(ln i) 0.02–0.3"
    )
    rows = [
        (
            f"ln BF, error scale {scale}",
            f"{test.ln_bayes_factor:+.2f} ({test.verdict}); "
            + _size_text(m, sigma, "bf_gt0" if test.marginal else "bf1_gt0", "ln BF > 0 arises"),
        ),
        (
            "ln BF at the stated errors (s = 1)",
            f"{test.ln_bayes_factor_fixed:+.2f} ({evidence_label(test.ln_bayes_factor_fixed)}); "
            + _size_text(m, sigma, "bf1_gt0", "ln BF > 0 arises"),
        ),
        (
            "Calibrated p (parametric bootstrap)",
            f"{fmt.sig(test.p_value, 2)}, the larger of: "
            + ", ".join(f"{name} envelope {fmt.sig(v, 2)}" for name, v in p.items())
            + f" ({test.n_sim} null datasets each, seed {test.seed})",
        ),
        (
            "Its measured size and power",
            _size_text(m, sigma, "p_marginal" if test.marginal else "p_fixed", "p ≤ 0.05 occurs"),
        ),
        (
            "Most probable error scale (lattice model)",
            f"{test.error_scale:.2f} × the stated errors (σ(ln i) ≈ {test.sigma_eff:.3f})",
        ),
        ("ln BF changes sign at", flip),
        (
            "Leave-one-out, Σ ΔELPD",
            f"{test.elpd_diff:+.2f} ± {test.elpd_diff_se:.2f} nats (lattice minus continuous)",
        ),
        ("Rayleigh companion", _rayleigh(test, m, sigma, fmt)),
    ]
    return [{"label": label, "value": value} for label, value in rows]


def _rayleigh(test: LatticeTest, m: int, sigma: float, fmt: Formatter) -> str:
    if not math.isfinite(test.rayleigh_p):
        return "not computed: the allowed values are not the multiples {d, 2d, …} of one step"
    return (
        f"Z = {test.rayleigh_z:.2f}, p = {fmt.sig(test.rayleigh_p, 2)} (weighted phases of i "
        "on the allowed lattice); " + _size_text(m, sigma, "rayleigh", "p ≤ 0.05 occurs")
    )


def _crossings(test: LatticeTest) -> list[dict[str, str]]:
    out = []
    for r in records(test.crossings.sort_values("error_scale", kind="stable")):
        edge = float(r["threshold"])
        out.append(
            {
                "scale": f"{float(r['error_scale']):.3f}",
                "sigma": f"{float(r['sigma_eff']):.4f}",
                "edge": f"{edge:+.1f}",
                "between": f"{evidence_label(edge - 1e-9)} | {evidence_label(edge)}",
            }
        )
    return out


def _loo(test: LatticeTest) -> list[dict[str, str]]:
    cut = THRESHOLDS["carrier"]
    rows = []
    for r in records(test.elpd.sort_values("elpd_diff", ascending=False, kind="stable")):
        diff = float(r["elpd_diff"])
        rows.append(
            {
                "material": str(r["material"]),
                "lattice": f"{float(r['elpd_lattice']):.3f}",
                "continuous": f"{float(r['elpd_continuous']):.3f}",
                "diff": f"{diff:+.3f}",
                "sort": repr(diff),
                "carries": "for" if diff > cut else "against" if diff < -cut else "",
            }
        )
    return rows


def _counts(test: LatticeTest, m: int) -> list[dict[str, str]]:
    return [
        {
            "tolerance": f"{float(r['tolerance']):.0%}".replace("%", " %"),
            "observed": f"{int(r['observed'])} of {m}",
            "guaranteed": str(int(r["guaranteed"])),
            "expected": f"{float(r['expected_continuous']):.1f}",
        }
        for r in records(test.counts)
    ]


def _figure(test: LatticeTest, sigma: float) -> FigureEntry:
    from tcfit import plot

    fig = plot.evidence(test, stated=sigma, modern=float(THRESHOLDS["modern_sigma"]))
    lowest = test.evidence.iloc[int(test.evidence["ln_bayes_factor"].to_numpy(float).argmin())]
    clipped = (
        f" ln BF below {plot.EVIDENCE_BOTTOM:g} runs off the bottom; it reaches "
        f"{lowest.ln_bayes_factor:+.0f} at σ(ln i) = {lowest.sigma_eff:.3g}."
        if lowest.ln_bayes_factor < plot.EVIDENCE_BOTTOM
        else ""
    )
    return figure_entry(
        "evidence",
        fig,
        title="Evidence for the allowed values against the error scale",
        caption=(
            "Top: ln BF of the lattice model against the continuous one with the error scale s "
            "fixed at each value, against the effective error σ(ln i) = s × the stated errors "
            "(log axis). Shaded and named: the Kass–Raftery bands (blue for the allowed values, "
            "red against; unshaded between −1.1 and +1.1). Dashed: the stated errors; "
            "dash-dotted: the precision of modern data; dotted: where ln BF changes sign."
            + clipped
            + " Bottom: the posterior density of s under each model (per unit ln s, log-uniform "
            "prior), the lattice model's mode marked."
        ),
    )


class Lattice:
    """The lattice test: present whenever the analysis ran it or says why not."""

    id = "lattice"
    title = "Allowed values against a continuous i (the lattice test)"
    template = "sections/lattice.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any]:
        """Key-value rows, the evidence figure, crossings, leave-one-out and counts."""
        test = analysis.lattice
        if test is None:
            return {"toc": "Lattice test", "error": analysis.lattice_error or "not run"}
        sigma = stated_sigma(analysis.result)
        m = analysis.result.summary.n_materials
        return {
            "toc": "Lattice test",
            "error": None,
            "rows": _rows(test, analysis, fmt),
            "priors": _priors(test),
            "figures": [_figure(test, sigma)],
            "crossings": _crossings(test),
            "loo": _loo(test),
            "carrier_cut": f"{THRESHOLDS['carrier']:g}",
            "counts": _counts(test, m),
        }

    def summary(self, analysis: Analysis) -> Mapping[str, Any]:
        """``{"lattice": LatticeTest.to_dict()}`` or ``{"lattice": {"error": ...}}``."""
        test = analysis.lattice
        if test is None:
            return {"lattice": {"error": analysis.lattice_error}}
        return {"lattice": test.to_dict()}


def _priors(test: LatticeTest) -> str:
    p = test.priors
    mu, tau, s = p.get("mu", {}), p.get("tau", {}), p.get("error_scale", {})
    text = (
        f"Both models share one normal envelope N(μ, τ²) of ln i; μ uniform on "
        f"[{mu.get('low', math.nan):.2f}, {mu.get('high', math.nan):.2f}], τ log-uniform on "
        f"[{tau.get('low', math.nan):g}, {tau.get('high', math.nan):g}]"
    )
    if test.marginal and s:
        text += (
            f"; the error scale s log-uniform so that s × the stated errors spans σ(ln i) "
            f"{s.get('sigma_eff_low', math.nan):g}–{s.get('sigma_eff_high', math.nan):g}"
        )
    return text + ". Marginal likelihoods by deterministic quadrature."


SECTION = Lattice()
