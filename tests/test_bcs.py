"""The BCS weak-coupling reference: constants from BCS theory, hand calculations, the identity
i_BCS = implied_i(Tc_BCS), and the columns tcfit.fit adds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import tcfit
from tcfit import bcs, model

MU_0 = 1.25663706127e-6  # N/A², CODATA 2022
EULER = 0.5772156649015329


def test_constants_from_bcs_theory():
    gap_ratio = math.pi / math.exp(EULER)  # Δ(0)/k_B Tc
    assert gap_ratio == pytest.approx(1.7639, abs=1e-4)
    assert bcs.BCS_GAP_RATIO == pytest.approx(gap_ratio, rel=1e-12)
    # ½ N_σ Δ² with N_σ = 3γ_V/(2π² k_B²): 3·(π/e^γE)²/(4π²).
    assert bcs.BCS_CONDENSATION == pytest.approx(3 * gap_ratio**2 / (4 * math.pi**2), rel=1e-12)
    # The 0.2365 and 2.334 are the same numbers with Δ/k_B Tc rounded to 1.764.
    assert bcs.BCS_CONDENSATION == pytest.approx(0.2365, rel=5e-4)
    assert bcs.BCS_I_FACTOR == pytest.approx(2.334, rel=5e-4)
    # Textbook form in Gaussian units: γ Tc² / Hc(0)² = 1/(8π·0.2364) = 0.168.
    assert 1 / (8 * math.pi * bcs.BCS_CONDENSATION) == pytest.approx(0.168, abs=5e-4)


def test_free_electron_gamma_of_aluminium():
    # Kittel, ISSP Table 6.2: free-electron γ of Al = 0.912 mJ mol⁻¹ K⁻².
    gv = bcs.gamma_free(1.812e29)  # J m⁻³ K⁻²
    molar = gv * 0.0269815 / 2698.9 * 1e3  # mJ mol⁻¹ K⁻²
    assert molar == pytest.approx(0.912, rel=5e-3)


def test_tc_and_i_by_hand():
    gamma, rho, molar_mass = 1.0e-3, 1.0e4, 0.1  # J mol⁻¹ K⁻², kg m⁻³, kg mol⁻¹
    gv = bcs.gamma_volumetric(gamma, rho, molar_mass)
    assert gv == pytest.approx(100.0)  # J m⁻³ K⁻²
    tc_hand = 0.01 / math.sqrt(2 * MU_0 * 0.2364275637653951 * 100.0)
    # By hand: 2μ0·0.236428·100 = 5.9421e-5; √ = 7.7085e-3; 0.01 / 7.7085e-3 = 1.2973 K.
    assert tc_hand == pytest.approx(1.2973, abs=1e-4)
    assert bcs.tc_bcs(0.01, gv) == pytest.approx(tc_hand, rel=1e-9)
    # i_BCS = π²·0.2364·γ_V/γ_free; γ_free = (π²/2) n k_B / T_F.
    n = 2e29
    t_f = (
        (1.054571817e-34) ** 2
        * (3 * math.pi**2 * n) ** (2 / 3)
        / (2 * 9.1093837e-31 * 1.380649e-23)
    )
    g_free = math.pi**2 / 2 * n * 1.380649e-23 / t_f
    assert bcs.i_bcs(gv, n) == pytest.approx(
        math.pi**2 * 0.2364275637653951 * 100 / g_free, rel=1e-6
    )


@pytest.mark.parametrize(("bc", "gv", "n"), [(0.0103, 135.0, 1.81e29), (0.08, 3000.0, 3.5e29)])
def test_i_bcs_is_the_implied_i_at_the_bcs_tc(bc, gv, n):
    """Eq. (5) solved for i at Tc = Tc_BCS must equal i_BCS (Eqs. 1 and 4 give the identity)."""
    assert bcs.i_bcs(gv, n) == pytest.approx(model.implied_i(bcs.tc_bcs(bc, gv), bc, n), rel=1e-9)


def test_vectorised_and_errors():
    out = bcs.tc_bcs(np.array([0.01, 0.02]), np.array([100.0, 400.0]))
    np.testing.assert_allclose(out, [bcs.tc_bcs(0.01, 100.0), bcs.tc_bcs(0.02, 400.0)])
    with pytest.raises(tcfit.InputError, match=r"The `gamma_v` argument must be finite"):
        bcs.tc_bcs(0.01, -1.0)
    with pytest.raises(tcfit.InputError, match=r"The `density` argument must be finite"):
        bcs.gamma_volumetric(1e-3, 0.0, 0.1)


def _frame_with_gamma():
    return pd.DataFrame(
        {
            "material": ["A", "B"],
            "tc": [1.0, 2.0],
            "bc": [0.01, 0.03],
            "n": [1.8e29, 1.3e29],
            "gamma": [1.35e-3, np.nan],
            "density": [2698.9, 11340.0],
            "molar_mass": [0.0269815, 0.2072],
        }
    )


def test_fit_adds_bcs_columns_only_where_inputs_exist():
    result = tcfit.fit(_frame_with_gamma())
    table = result.table
    for column in ("gamma_ratio", "tc_bcs", "residual_bcs", "i_bcs"):
        assert column in table.columns
        assert np.isnan(table.loc[1, column])  # row B has no gamma: nothing filled in
    gv = 1.35e-3 * 2698.9 / 0.0269815
    assert table.loc[0, "tc_bcs"] == pytest.approx(bcs.tc_bcs(0.01, gv), rel=1e-12)
    assert table.loc[0, "residual_bcs"] == pytest.approx(bcs.tc_bcs(0.01, gv) / 1.0 - 1)
    assert table.loc[0, "i_bcs"] == pytest.approx(bcs.i_bcs(gv, 1.8e29), rel=1e-12)
    assert result.summary["n_bcs"] == 1
    assert result.summary["rms_residual_bcs"] == pytest.approx(abs(table.loc[0, "residual_bcs"]))


def test_fit_without_bcs_inputs_has_no_bcs_columns():
    frame = tcfit.datasets.load("table1")[["material", "tc", "bc", "n"]]
    table = tcfit.fit(frame).table
    assert "tc_bcs" not in table.columns


def test_table1_carries_sourced_gamma_and_gets_the_bcs_comparison():
    """Table-1 prints no γ; tcfit joins the sourced Sommerfeld coefficients (all 21 metals) and
    periodictable's density and molar mass, so the BCS reference runs on it too."""
    df = tcfit.read("table1")
    assert df["gamma"].notna().all()
    al = df.set_index("material").loc["Al"]
    assert al["gamma"] == pytest.approx(1.35e-3)  # J mol⁻¹ K⁻², the sourced 1.35 mJ mol⁻¹ K⁻²
    assert al["density"] == pytest.approx(2698.9)  # kg m⁻³ (periodictable 2.6989 g cm⁻³)
    assert al["molar_mass"] == pytest.approx(0.0269815385, rel=1e-6)
    assert df.attrs["joined"]["gamma"]["file"] == "reference/sommerfeld_gamma.csv"
    assert set(tcfit.datasets.load("table1").columns) == {
        "material",
        "tc",
        "bc",
        "n",
        "i",
        "tc_printed",
        "note",
    }  # the printed table itself is unchanged
    result = tcfit.fit("table1")
    assert result.summary["n_bcs"] == 21


@pytest.mark.skipif(
    "elements" not in tcfit.datasets.names(), reason="the elements dataset (issue 3) is not in"
)
def test_elements_dataset_gets_bcs_columns():
    result = tcfit.fit("elements")
    table = result.table.set_index("material")
    assert table["tc_bcs"].notna().sum() >= 5
    # Aluminium is a textbook weak-coupling superconductor: BCS within 10 % of the measured Tc.
    assert abs(table.loc["Al", "residual_bcs"]) < 0.10
    # By hand from the reference values (elements_reference.csv): γ = 1.35 mJ mol⁻¹ K⁻²,
    # ρ = 2.6989 g cm⁻³, M = 26.9815385 g mol⁻¹, Bc(0) = 103.0 G.
    gv = 1.35e-3 * 2698.9 / 26.9815385e-3  # 135.04 J m⁻³ K⁻²
    tc_hand = 103.0e-4 / math.sqrt(2 * MU_0 * 0.2364275637653951 * gv)
    assert tc_hand == pytest.approx(1.150, abs=1e-3)
    assert table.loc["Al", "tc_bcs"] == pytest.approx(tc_hand, rel=1e-6)
    # Rows without a sourced γ (Pb, Nb, ... in this dataset) stay NaN; nothing is filled in.
    assert table["tc_bcs"].isna().sum() == len(table) - result.data["gamma"].notna().sum()


def test_doctests():
    import doctest

    assert doctest.testmod(bcs, optionflags=doctest.ELLIPSIS).failed == 0
