"""BCS weak coupling as a reference model: Tc from Bc(0) and γ with no free parameter.

Wraps the pure equations of :mod:`tcfit.bcs` (derivation there). For every row that has a
Sommerfeld coefficient γ (J mol⁻¹ K⁻²), a density (kg m⁻³) and a molar mass (kg mol⁻¹) the fit
table gains ``gamma_ratio`` (γ_V/γ_free,V, the thermal mass ratio), ``tc_bcs`` (K),
``residual_bcs`` ((tc_bcs − tc)/tc) and ``i_bcs`` (the i Eq. (5) needs if BCS held exactly);
other rows get NaN — nothing is filled in. Weak coupling is expected to miss the Tc of
strong-coupling metals such as Pb and Hg (their 2Δ/k_B Tc ≈ 4.4–4.6, against 3.53): with the
measured Bc(0) and γ it puts their Tc 13–16 % too high.

``i_bcs`` uses γ, ρ, M and n but not Tc, so it is an *independent predictor* of Eq. (5)'s i: the
fit rounds it under its policy and predicts Tc from Eq. (5) with no free parameter
(``tc_predicted_bcs``). With a continuous i, Eq. (5) at i_BCS gives Tc_BCS exactly
(i_implied = i_BCS·(Tc_BCS/Tc)²): Eq. (5) with a free continuous i *is* the BCS thermodynamic
relation, so only the rounding to allowed values can add anything beyond BCS.

References
----------
Jiang, Eqs. (1), (4), (5). Bardeen, Cooper & Schrieffer, Phys. Rev. 108, 1175 (1957).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tcfit import bcs

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BCSWeakCoupling"]


@dataclass(frozen=True)
class BCSWeakCoupling:
    """The BCS weak-coupling relation Bc(0)²/2μ0 = 0.236428·γ_V·Tc² (:mod:`tcfit.bcs`)."""

    name: str = "bcs"
    title: str = "BCS weak coupling"
    requires: tuple[str, ...] = ("tc", "bc", "n", "gamma", "density", "molar_mass")
    predicts: str | None = "i_bcs"

    def columns(self, table: pd.DataFrame) -> pd.DataFrame:
        """``gamma_ratio``, ``tc_bcs`` (K), ``residual_bcs``, ``i_bcs`` for every row.

        Parameters
        ----------
        table : pandas.DataFrame
            Canonical SI columns ``tc``, ``bc``, ``n``, ``gamma``, ``density``, ``molar_mass``
            (the last three may be missing per row; such rows get NaN).

        Returns
        -------
        pandas.DataFrame
            Same index.

        Raises
        ------
        InputError
            If a present value is zero, negative or infinite.
        """
        import pandas as pd

        out = pd.DataFrame(
            np.nan, index=table.index, columns=["gamma_ratio", "tc_bcs", "residual_bcs", "i_bcs"]
        )
        inputs = table[["gamma", "density", "molar_mass"]].apply(pd.to_numeric, errors="coerce")
        have = inputs.notna().all(axis=1).to_numpy()
        if not have.any():
            return out
        gv = bcs.gamma_volumetric(
            inputs["gamma"].to_numpy(float)[have],
            inputs["density"].to_numpy(float)[have],
            inputs["molar_mass"].to_numpy(float)[have],
        )
        n = table["n"].to_numpy(float)[have]
        t_bcs = bcs.tc_bcs(table["bc"].to_numpy(float)[have], gv)
        out.loc[have, "gamma_ratio"] = gv / bcs.gamma_free(n)
        out.loc[have, "tc_bcs"] = t_bcs
        out.loc[have, "residual_bcs"] = t_bcs / table["tc"].to_numpy(float)[have] - 1.0
        out.loc[have, "i_bcs"] = bcs.i_bcs(gv, n)
        return out
