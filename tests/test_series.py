"""Bc(T) series → Bc(0) and Tc with their covariance, and its correlation in the implied i."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import curve_fit
from uncertainties import correlated_values

import tcfit
from tcfit.series import MIN_POINTS, fit_series

PB = {"bc0": 0.0803, "tc": 7.196, "n": 1.32e29}  # Table-1's Pb field and density, Tc of Pb
T_PB = np.linspace(0.5, 7.0, 14)


def _two_fluid(t, bc0, tc, p=2.0):
    return bc0 * (1.0 - (t / tc) ** p)


def _pb_series(rng, *, noise=0.01, law_p=2.0, errors=True, material="Pb"):
    true = _two_fluid(T_PB, PB["bc0"], PB["tc"], law_p)
    sigma = noise * true
    table = {"material": material, "t": T_PB, "bc": true + rng.normal(0.0, sigma)}
    if errors:
        table["bc_err"] = sigma
    return pd.DataFrame(table)


def test_done_when_pb_two_fluid_series_recovers_bc0_and_tc_within_2_sigma(rng):
    out = fit_series(_pb_series(rng))
    row = out.iloc[0]
    assert row.series_weighting == "absolute"
    assert abs(row.bc - PB["bc0"]) < 2 * row.bc_err
    assert abs(row.tc - PB["tc"]) < 2 * row.tc_err
    assert -1 < row.tc_bc_corr < 0  # Bc(0) and Tc trade off against each other here
    assert row.series_points == 14
    assert 0.001 < row.series_p_value <= 1


def test_errors_and_correlation_match_an_independent_fit(rng):
    """lmfit's absolute covariance equals scipy's curve_fit(absolute_sigma=True)."""
    df = _pb_series(rng)
    row = fit_series(df).iloc[0]
    popt, pcov = curve_fit(
        _two_fluid, df.t, df.bc, p0=[0.08, 7.0], sigma=df.bc_err, absolute_sigma=True
    )
    assert row.bc == pytest.approx(popt[0], rel=1e-6)
    assert row.tc == pytest.approx(popt[1], rel=1e-6)
    assert row.bc_err == pytest.approx(math.sqrt(pcov[0, 0]), rel=1e-4)
    assert row.tc_err == pytest.approx(math.sqrt(pcov[1, 1]), rel=1e-4)
    rho = pcov[0, 1] / math.sqrt(pcov[0, 0] * pcov[1, 1])
    assert row.tc_bc_corr == pytest.approx(rho, abs=1e-4)
    residual = (df.bc - _two_fluid(df.t, *popt)) / df.bc_err
    assert row.series_reduced_chi_square == pytest.approx(np.sum(residual**2) / 12, rel=1e-6)


def test_the_errors_are_calibrated_over_many_series():
    """Pulls of Bc(0) and Tc have unit spread; their sample correlation is the reported one."""
    rng = np.random.default_rng(7)
    frames = [_pb_series(rng, material=f"Pb{k}") for k in range(200)]
    # 200 honest series: a χ² beyond its 1e-3 tail may flag one, so drop rather than raise
    out = fit_series(pd.concat(frames, ignore_index=True), skip_invalid=True)
    assert len(out) >= 198
    pull_b = (out.bc - PB["bc0"]) / out.bc_err
    pull_t = (out.tc - PB["tc"]) / out.tc_err
    assert abs(pull_b.mean()) < 0.25
    assert abs(pull_t.mean()) < 0.25
    assert 0.85 < pull_b.std() < 1.15
    assert 0.85 < pull_t.std() < 1.15
    assert np.corrcoef(out.bc, out.tc)[0, 1] == pytest.approx(out.tc_bc_corr.mean(), abs=0.15)
    assert np.mean(np.abs(pull_t) < 2) > 0.9


def test_done_when_the_correlation_enters_the_implied_i(rng):
    """σ(ln i) from tcfit.fit equals uncertainties' correlated propagation and differs from
    the uncorrelated value."""
    series = fit_series(_pb_series(rng).assign(n=PB["n"], n_err=0.0))
    row = series.iloc[0]
    correlated = tcfit.fit(series).table.iloc[0]
    uncorrelated = tcfit.fit(series.drop(columns="tc_bc_corr")).table.iloc[0]
    assert correlated.tc_bc_corr == pytest.approx(row.tc_bc_corr)
    cov = [
        [row.tc_err**2, row.tc_bc_corr * row.tc_err * row.bc_err],
        [row.tc_bc_corr * row.tc_err * row.bc_err, row.bc_err**2],
    ]
    tc, bc = correlated_values([row.tc, row.bc], cov)
    expected = tcfit.implied_i(tc, bc, PB["n"])
    assert correlated.i_implied == pytest.approx(expected.nominal_value, rel=1e-12)
    assert correlated.i_implied_err == pytest.approx(expected.std_dev, rel=1e-9)
    # by hand: σ(ln i)² = 4 r_T² + 4 r_B² + 2(−2)(2) ρ r_T r_B
    r_t, r_b = row.tc_err / row.tc, row.bc_err / row.bc
    by_hand = math.sqrt(4 * r_t**2 + 4 * r_b**2 - 8 * row.tc_bc_corr * r_t * r_b)
    assert correlated.i_implied_err / correlated.i_implied == pytest.approx(by_hand, rel=1e-9)
    assert uncorrelated.i_implied_err / uncorrelated.i_implied == pytest.approx(
        math.sqrt(4 * r_t**2 + 4 * r_b**2), rel=1e-9
    )
    assert correlated.i_implied_err > 1.02 * uncorrelated.i_implied_err  # visibly different
    # z uses the matching σ of ln Tc (half of σ(ln i) for Eq. 5)
    ln_ratio = math.log(correlated.tc_model / correlated.tc)
    assert correlated.z == pytest.approx(ln_ratio / (by_hand / 2), rel=1e-9)


def test_the_frame_carries_constant_columns_and_its_provenance_through_fit(rng):
    df = pd.concat(
        [
            _pb_series(rng).assign(n=PB["n"], source="lab A"),
            _pb_series(rng, material="Sn").assign(n=1.482e29, source="lab B"),
        ],
        ignore_index=True,
    )
    out = fit_series(df)
    assert list(out.material) == ["Pb", "Sn"]
    assert list(out.source) == ["lab A", "lab B"]
    series = out.attrs["series"]
    assert series["law"] == "two_fluid"
    assert series["materials"]["Pb"]["points"]["t"] == pytest.approx(list(T_PB))
    assert series["materials"]["Pb"]["points"]["row"][0] == 2
    result = tcfit.fit(out)
    assert result.data.attrs["series"]["formula"] == "Bc(T) = Bc(0)·[1 − (T/Tc)²]"
    assert result.to_dict()["provenance"]["series"]["law"] == "two_fluid"


def test_power_law_recovers_its_exponent_with_calibrated_errors():
    rng = np.random.default_rng(11)
    frames = [_pb_series(rng, law_p=3.0, noise=0.005, material=f"X{k}") for k in range(100)]
    out = fit_series(pd.concat(frames, ignore_index=True), law="power", skip_invalid=True)
    assert len(out) >= 98
    assert set(out.series_law) == {"power"}
    pull_p = (out.series_exponent - 3.0) / out.series_exponent_err
    pull_t = (out.tc - PB["tc"]) / out.tc_err
    assert abs(pull_p.mean()) < 0.3
    assert 0.8 < pull_p.std() < 1.2
    assert 0.8 < pull_t.std() < 1.2
    two_fluid = fit_series(_pb_series(rng), law="power").iloc[0]
    assert abs(two_fluid.series_exponent - 2.0) < 3 * two_fluid.series_exponent_err


def test_without_errors_the_fit_is_scaled(rng):
    out = fit_series(_pb_series(rng, errors=False)).iloc[0]
    assert out.series_weighting == "scaled"
    assert math.isnan(out.series_reduced_chi_square)
    assert math.isnan(out.series_p_value)
    df = _pb_series(rng, errors=False)
    _, pcov = curve_fit(_two_fluid, df.t, df.bc, p0=[0.08, 7.0])  # scaled by default
    again = fit_series(df).iloc[0]
    assert again.tc_err == pytest.approx(math.sqrt(pcov[1, 1]), rel=1e-4)


def _expect_problem(df, pattern, **kwargs):
    with pytest.raises(tcfit.DataError, match=pattern) as info:
        fit_series(df, **kwargs)
    return info.value


@pytest.mark.parametrize(("law", "points"), [("two_fluid", 2), ("power", 3)])
def test_too_few_points(law, points):
    df = pd.DataFrame(
        {"material": "Al", "t": [0.2, 0.5, 0.8][:points], "bc": [0.01, 0.009, 0.007][:points]}
    )
    need = MIN_POINTS[law]
    _expect_problem(
        df, rf"'Al' has {points} point\(s\); the {law} law needs at least {need}", law=law
    )


def test_a_point_at_or_above_tc_names_its_row(rng):
    df = _pb_series(rng)
    df.loc[len(df)] = {"material": "Pb", "t": 9.0, "bc": 0.0005, "bc_err": 0.0001}
    err = _expect_problem(df, r"row 16, column 't': The series of 'Pb': T = 9 K is at or above")
    assert err.problems[0].row == 16


def test_a_rise_beyond_the_noise_is_non_monotonic(rng):
    df = _pb_series(rng)
    df.loc[9, "bc"] = df.loc[7, "bc"] * 1.2
    _expect_problem(df, r"row 11, column 'bc': The series of 'Pb' rises from .* Bc\(T\) must fall")


def test_a_rise_within_the_noise_is_accepted(rng):
    df = _pb_series(rng, noise=0.03)  # neighbours overlap: small rises are noise
    t = np.array([1.0, 1.1, 1.2, 5.0, 6.0])
    df = pd.DataFrame(
        {"material": "X", "t": t, "bc": [0.0500, 0.0502, 0.0496, 0.0259, 0.0153], "bc_err": 0.0005}
    )
    assert len(fit_series(df)) == 1


def test_a_poor_fit_with_absolute_errors(rng):
    df = _pb_series(rng, law_p=3.0).assign(bc_err=lambda d: d.bc * 1e-3)
    _expect_problem(df, r"'Pb' is poorly fitted: χ²/dof = .* try law='power'")


def test_a_failed_fit(rng):
    df = pd.DataFrame({"material": "X", "t": [2.0, 2.0, 2.0], "bc": [0.01, 0.011, 0.0105]})
    _expect_problem(df, r"The series of 'X': the two_fluid fit failed to determine Bc\(0\) and Tc")


def test_bad_cells_are_collected_into_one_error_with_rows():
    df = pd.DataFrame(
        {
            "material": ["Al", "Al", "Al", "Al", " "],
            "t": [0.1, -0.5, "warm", 0.9, 0.3],
            "bc": [0.0099, 0.009, 0.0, 0.002, 0.005],
            "bc_err": [1e-4, 1e-4, 1e-4, -1.0, 1e-4],
        }
    )
    err = _expect_problem(df, "problems")
    text = str(err)
    assert "row 3, column 't': The temperature T must be a number ≥ 0 K; got -0.5" in text
    assert "row 4, column 't': The temperature T must be a number ≥ 0 K; got 'warm'" in text
    assert (
        "row 4, column 'bc': The field Bc must be a number > 0 T; got 0.0 (series of 'Al')." in text
    )
    assert "row 5, column 'bc_err': The error must be a number > 0 T; got -1.0" in text
    assert "row 6, column 'material': The material name is empty." in text


def test_errors_on_some_points_only(rng):
    df = _pb_series(rng)
    df.loc[3, "bc_err"] = np.nan
    _expect_problem(df, "'Pb' has bc_err on some points but not on all")


def test_a_carried_column_that_varies(rng):
    df = _pb_series(rng).assign(n=PB["n"])
    df.loc[2, "n"] = 1e29
    _expect_problem(df, r"'Pb' varies in column 'n'; give one value per material")


def test_missing_and_derived_columns():
    with pytest.raises(tcfit.DataError, match=r"needs the columns .* missing: 't'"):
        fit_series(pd.DataFrame({"material": ["Al"], "bc": [0.01]}))
    with pytest.raises(tcfit.DataError, match="has 'tc', which fit_series derives"):
        fit_series(pd.DataFrame({"material": ["Al"], "t": [0.1], "bc": [0.01], "tc": [1.2]}))


def test_input_errors():
    with pytest.raises(tcfit.InputError, match=r"For a file, use tcfit\.read"):
        fit_series("series.csv")
    with pytest.raises(tcfit.InputError, match="The `law` parameter must be one of 'two_fluid'"):
        fit_series(pd.DataFrame({"material": ["Al"], "t": [0.1], "bc": [0.01]}), law="bcs")


def test_skip_invalid_drops_materials_and_records_why(rng):
    good = _pb_series(rng)
    bad = pd.DataFrame({"material": "Zn", "t": [0.1, 0.3], "bc": [0.005, 0.004]})
    out = fit_series(pd.concat([good, bad], ignore_index=True), skip_invalid=True)
    assert list(out.material) == ["Pb"]
    (dropped,) = out.attrs["dropped"]
    assert dropped["material"] == "Zn"
    assert "needs at least 3" in dropped["reason"]
    with pytest.raises(tcfit.DataError, match="'Zn' has 2 point"):
        fit_series(bad, skip_invalid=True)  # nothing left


def test_public_name():
    assert tcfit.fit_series is fit_series


def test_doctests():
    import doctest

    import tcfit.series

    assert doctest.testmod(tcfit.series, optionflags=doctest.ELLIPSIS).failed == 0
