"""The measured size and power of a test the report quotes, for the data's size and errors.

Read from the calibration tcfit ships (``tcfit/lattice/calibration.json``, the raw form of
``docs/calibration.md``, written by ``nox -s calibration``): for a decision (a column of that
file), its **size** is the largest share of simulated datasets it flags under the five smooth,
non-quantized envelopes N0–N4, and its **power** the shares under exact integers (ALT, LAT), at
the simulated (materials, σ(ln i)) nearest to the data's (:func:`tcfit.verdict.calibration_row`
picks the cell). A report quotes these beside a test so that no sentence reads more into it than
its measured behaviour allows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from tcfit.fitting import FitResult

__all__ = ["Measured", "measured", "stated_sigma"]

#: Scenarios with continuous (non-quantized) i: a share under them is a false-positive rate.
NULL_SCENARIOS = ("N0", "N1", "N2", "N3", "N4")
#: Scenarios with exact integer i: a share under them is power.
INTEGER_SCENARIOS = ("ALT", "LAT")


@dataclass(frozen=True)
class Measured:
    """Size and power of one decision at the nearest simulated cell.

    Attributes
    ----------
    m, sigma : int, float
        The simulated number of materials and σ(ln i).
    size : float
        Largest share flagged under N0–N4 at that cell.
    power_low, power_high : float
        The shares under ALT and LAT, ascending.
    size_max : float
        Largest share under N0–N4 anywhere in the calibration (13–50 materials, σ 0.03–0.109).
    """

    m: int
    sigma: float
    size: float
    power_low: float
    power_high: float
    size_max: float


@cache
def _rows() -> tuple[dict[str, Any], ...]:
    text = resources.files("tcfit.lattice").joinpath("calibration.json").read_text("utf-8")
    return tuple(r for r in json.loads(text)["rows"] if r.get("kind") == "cell")


def measured(m: int, sigma: float, key: str) -> Measured:
    """Size and power of the decision ``key`` for ``m`` materials at σ(ln i) = ``sigma``.

    Parameters
    ----------
    m : int
        Materials in the data.
    sigma : float
        The data's typical stated σ(ln i) (:func:`stated_sigma`).
    key : str
        A decision of the calibration: ``"p_marginal"``, ``"p_fixed"`` (calibrated p ≤ 0.05),
        ``"bf_gt0"``, ``"bf1_gt0"`` (ln BF > 0, s marginalised / fixed), ``"rayleigh"``,
        ``"retired_rms"`` (the superseded log-uniform test).

    Returns
    -------
    Measured
    """
    from tcfit.verdict import calibration_row

    near = calibration_row(m, sigma)
    rows = _rows()
    cell = {r["scenario"]: r for r in rows if r["m"] == near["m"] and r["sigma"] == near["sigma"]}
    power = sorted(float(cell[s][key]) for s in INTEGER_SCENARIOS)
    return Measured(
        m=int(near["m"]),
        sigma=float(near["sigma"]),
        size=max(float(cell[s][key]) for s in NULL_SCENARIOS),
        power_low=power[0],
        power_high=power[1],
        size_max=max(float(r[key]) for r in rows if r["scenario"] in NULL_SCENARIOS),
    )


def stated_sigma(result: FitResult) -> float:
    """The median stated σ(ln i) of the fit (σ_i / i), the errors the calibration is read at."""
    table = result.table
    ratio = table["i_implied_err"].to_numpy(float) / table["i_implied"].to_numpy(float)
    return float(np.nanmedian(ratio))
