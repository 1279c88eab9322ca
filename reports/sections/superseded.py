"""Section "superseded": the retired log-uniform quantization test, as an appendix note.

Kept for comparison with earlier reports, labelled superseded, with its measured size and power
from ``docs/calibration.md`` (the retired-test rows) — never part of the verdict: under smooth,
continuous envelopes it flags "integer i" far more often than its nominal level on some and
never on others, so its p is not a calibrated probability. The lattice test replaces it.

``summary.json`` gets ``quantization_test`` (without its null sample), marked ``superseded``,
with the measured size and power it was read against.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._calibration import Measured, measured, stated_sigma

if TYPE_CHECKING:
    from tcfit.analysis import Analysis

    from ._common import Formatter

__all__ = ["SECTION", "Superseded"]


def _measured(analysis: Analysis) -> Measured:
    return measured(
        analysis.result.summary.n_materials, stated_sigma(analysis.result), "retired_rms"
    )


def _share(value: float) -> str:
    return f"{value:.0%}".replace("%", " %")


class Superseded:
    """The retired quantization test: always present, last, as an appendix."""

    id = "superseded"
    title = "Appendix: the superseded quantization test"
    template = "sections/superseded.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any]:
        """Its p and RMS, and its measured size and power at the data's size and errors."""
        q = analysis.quantization
        cal = _measured(analysis)
        p = float(q.p_value)
        n_null = int(q.n_null)
        p_text = f"p < {1 / n_null:.0e}".replace("e-0", "e-") if p <= 0 else f"p = {fmt.sig(p, 2)}"
        return {
            "toc": "Appendix: superseded test",
            "p_text": p_text,
            "n_null": str(n_null),
            "rms": fmt.percent(q.rms_observed, 2, sign=False),
            "m": str(cal.m),
            "sigma": f"{cal.sigma:g}",
            "size": _share(cal.size),
            "size_max": _share(cal.size_max),
            "power": f"{_share(cal.power_low)}–{_share(cal.power_high)}",
        }

    def summary(self, analysis: Analysis) -> Mapping[str, Any]:
        """``quantization_test`` without its null sample, marked superseded, with its size."""
        entry = analysis.quantization.to_dict()
        entry.pop("null_rms", None)  # 10 000 numbers
        cal = _measured(analysis)
        entry.update(
            {
                "superseded": True,
                "used_in_verdict": False,
                "measured_size": cal.size,
                "measured_size_max": cal.size_max,
                "measured_power": [cal.power_low, cal.power_high],
                "calibration_cell": {"m": cal.m, "sigma": cal.sigma},
            }
        )
        return {"quantization_test": entry}


SECTION = Superseded()
