"""tcfit.fit: implied i and its σ by hand, assignment and ties, Monte Carlo p, Table-1, errors."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

import tcfit
from tcfit import model

# CODATA 2022 (scipy.constants), written out so the hand calculation does not use tcfit.
HBAR = 6.62607015e-34 / (2 * math.pi)  # J s (h exact)
K_B = 1.380649e-23  # J/K
M_E = 9.1093837139e-31  # kg
MU_0 = 1.25663706127e-6  # N/A²
C_HAND = HBAR * (3 * math.pi**2) ** (1 / 3) / (K_B * math.sqrt(2 * M_E * MU_0))


def _frame(rows, **extra):
    """A canonical SI table from (material, tc, bc, n) tuples."""
    df = pd.DataFrame(rows, columns=["material", "tc", "bc", "n"])
    for key, value in extra.items():
        df[key] = value
    return df


def _tc_for(i_implied, bc=0.02, n=1.0e29):
    """The Tc that makes a row's implied i equal `i_implied` (Eq. 5 solved for Tc)."""
    return C_HAND * bc / (n ** (1 / 6) * math.sqrt(i_implied))


def test_implied_i_and_sigma_by_hand():
    # Tc = 2 K ± 1 %, Bc = 0.02 T ± 3 %, n = 1e29 m⁻³ ± 6 %.
    df = _frame([("X", 2.0, 0.02, 1.0e29)], tc_err=[0.02], bc_err=[0.0006], n_err=[0.06e29])
    row = tcfit.fit(df).table.iloc[0]
    # i = (C·Bc / (n^(1/6)·Tc))² with n^(1/6) = 10^(29/6).
    i_hand = (C_HAND * 0.02 / (10 ** (29 / 6) * 2.0)) ** 2
    # By hand: C·Bc = 1.5617e7 · 0.02 = 3.1234e5; 10^(29/6) = 68129; 3.1234e5/(68129·2) = 2.2923.
    assert i_hand == pytest.approx(2.2923**2, rel=1e-4)
    assert row["i_implied"] == pytest.approx(i_hand, rel=1e-12)
    # σ_i/i = √((2·0.03)² + (0.06/3)² + (2·0.01)²) = √0.0044.
    assert row["i_implied_err"] == pytest.approx(i_hand * math.sqrt(0.0044), rel=1e-8)
    # 5.2546: nearest integer in log space 5 (ln(5.2546/5) = 0.050), runner-up 6 (0.133).
    assert row["i_assigned"] == 5
    assert row["i_runner_up"] == 6
    # Tc_model = C·Bc/(n^(1/6)·√5) = 2 K · √(i_hand/5); σ_lnT² = 0.01² + 0.03² + (0.06/6)².
    assert row["tc_model"] == pytest.approx(2.0 * math.sqrt(i_hand / 5), rel=1e-12)
    assert row["residual"] == pytest.approx(math.sqrt(i_hand / 5) - 1, rel=1e-10)
    sigma_ln = math.sqrt(0.0011)
    assert row["z"] == pytest.approx(0.5 * math.log(i_hand / 5) / sigma_ln, rel=1e-10)
    assert row["chi2_runner_up"] == pytest.approx((0.5 * math.log(i_hand / 6) / sigma_ln) ** 2)
    assert row["uncertainties"] == "measured"
    assert (row["tc_err"], row["bc_err"], row["n_err"]) == (0.02, 0.0006, 0.06e29)


def test_row_exactly_between_two_allowed_values():
    """Implied i = √6, the log-midpoint of 2 and 3: the tie goes to the smaller value, 2."""
    df = _frame([("tie", _tc_for(math.sqrt(6)), 0.02, 1.0e29)])
    result = tcfit.fit(df, seed=3)
    row = result.table.iloc[0]
    assert row["i_implied"] == pytest.approx(math.sqrt(6), rel=1e-12)
    assert (row["i_assigned"], row["i_runner_up"]) == (2, 3)
    # Tc_model/Tc = √(i_implied/i): equally far in log space on both sides.
    assert row["residual"] == pytest.approx(6**0.25 / 2**0.5 - 1, rel=1e-9)
    assert row["residual_runner_up"] == pytest.approx(6**0.25 / 3**0.5 - 1, rel=1e-9)
    assert row["chi2_assigned"] == pytest.approx(row["chi2_runner_up"], rel=1e-9)
    # Exactly on the boundary to 3: half of the re-measurements cross it; the cell of 2 also
    # loses the tail below its lower boundary ln √2, 5σ away: ½ − Φ(−(ln √6 − ln √2)/σ).
    sigma = row["i_implied_err"] / row["i_implied"]
    expected = 0.5 - norm.cdf(-(math.log(math.sqrt(6)) - math.log(math.sqrt(2))) / sigma)
    assert row["p_stable"] == pytest.approx(expected, abs=1e-12)
    assert expected == pytest.approx(0.5, abs=1e-6)


def test_arithmetic_midpoint_is_not_a_tie():
    df = _frame([("mid", _tc_for(2.5), 0.02, 1.0e29)])
    row = tcfit.fit(df).table.iloc[0]
    assert (row["i_assigned"], row["i_runner_up"]) == (3, 2)


def test_p_stable_is_the_normal_probability_of_the_assigned_cell():
    # ln i = ln 2 + 0.05 with σ_ln i = 0.1: the boundaries to 1 and 3 lie at ln √2 and ln √6.
    # Only Bc carries error: σ_ln i = 2·σ_B/B = 0.1 → rel_err bc = 0.05 (tc, n negligible).
    df = _frame([("p", _tc_for(2 * math.exp(0.05)), 0.02, 1.0e29)])
    result = tcfit.fit(df, seed=11, rel_err={"tc": 1e-12, "bc": 0.05, "n": 1e-12})
    upper = (math.log(math.sqrt(6)) - math.log(2) - 0.05) / 0.1
    lower = (math.log(2) - math.log(math.sqrt(2)) + 0.05) / 0.1
    expected = norm.cdf(upper) - norm.cdf(-lower)
    assert expected == pytest.approx(0.9366, abs=1e-3)
    assert result.table.loc[0, "p_stable"] == pytest.approx(expected, abs=1e-12)


def test_p_stable_is_one_on_the_grid_with_tiny_errors():
    df = _frame([("a", _tc_for(5.0), 0.02, 1.0e29), ("b", _tc_for(12.0), 0.03, 2e29)])
    df["tc"] = [_tc_for(5.0), _tc_for(12.0, 0.03, 2e29)]
    result = tcfit.fit(df, rel_err={"tc": 1e-4, "bc": 1e-4, "n": 1e-4})
    np.testing.assert_array_equal(result.table["i_assigned"], [5, 12])
    np.testing.assert_allclose(result.table["p_stable"], [1.0, 1.0], rtol=0, atol=1e-12)


# Table-1 as printed (material, paper's i, n / 1e29 m⁻³, Bc / 1e-4 T, measured Tc / K).
TABLE1 = [
    ("Al", 3, 1.812, 99, 1.19),
    ("Sn", 3, 1.482, 303, 3.72),
    ("In", 3, 1.145, 279, 3.41),
    ("W", 3, 3.803, 1.15, 0.012),
    ("Mo", 3, 3.840, 93, 0.92),
    ("Tl", 3, 1.048, 180, 2.38),
    ("Os", 3, 5.692, 65, 0.65),
    ("Hg", 3, 4.878, 409, 4.15),
    ("Ir", 3, 6.320, 15, 0.14),
    ("Re", 5, 4.646, 205, 1.70),
    ("Ru", 5, 5.859, 66, 0.49),
    ("Ti", 5, 2.284, 56, 0.49),
    ("Pb", 6, 1.322, 804, 7.20),
    ("Th", 7, 1.214, 163, 1.37),
    ("Zn", 2, 1.315, 54, 0.84),
    ("Zr", 2, 1.721, 47, 0.73),
    ("Cd", 2, 0.9624, 30, 0.52),
    ("Ga", 1, 1.529, 55, 1.1),
    ("Ta", 12, 2.777, 823, 4.48),
    ("V", 12, 3.522, 1020, 5.45),
    ("Nb", 16, 2.776, 1950, 9.26),
]

#: Every Table-1 row where the integer policy (1…20, log-nearest) disagrees with the paper,
#: worked out by hand: Ta's implied i is 12.616 (boundary √(12·13) = 12.490) and Nb's 16.580
#: (boundary √(16·17) = 16.492); both lie above the boundary, so 13 and 17, not 12 and 16.
#: Every other row's implied i lies within its paper value's log-cell (closest call: Mo 3.429
#: against √12 = 3.464).
TABLE1_DISAGREEMENTS = {"Ta": (12, 13), "Nb": (16, 17)}


def test_table1_integer_policy_against_the_paper():
    result = tcfit.fit("table1")
    table = result.table.set_index("material")
    assert list(table.index) == [row[0] for row in TABLE1]
    for material, i_paper, n, bc, tc in TABLE1:
        i_hand = (C_HAND * bc * 1e-4 / ((n * 1e29) ** (1 / 6) * tc)) ** 2
        assert table.loc[material, "i_implied"] == pytest.approx(i_hand, rel=1e-9), material
        assert table.loc[material, "i_reference"] == i_paper
    found = {
        m: (int(r.i_reference), int(r.i_assigned))
        for m, r in table.iterrows()
        if r.i_assigned != r.i_reference
    }
    assert found == TABLE1_DISAGREEMENTS
    assert not table.loc[list(TABLE1_DISAGREEMENTS), "agrees"].any()
    assert table.drop(index=list(TABLE1_DISAGREEMENTS))["agrees"].all()
    assert result.summary["n_reference"] == 21
    assert result.summary["n_agrees"] == 19
    # The hand values quoted in the docstring of TABLE1_DISAGREEMENTS.
    assert table.loc["Ta", "i_implied"] == pytest.approx(12.616, abs=5e-4)
    assert table.loc["Nb", "i_implied"] == pytest.approx(16.580, abs=5e-4)
    assert table.loc["Mo", "i_implied"] == pytest.approx(3.429, abs=5e-4)


def test_table1_json_has_all_rows_and_columns():
    payload = json.loads(json.dumps(tcfit.fit("table1").to_dict(), allow_nan=False))
    assert len(payload["table"]) == 21
    for record in payload["table"]:
        for key in ("material", "i_implied", "i_implied_err", "i_assigned", "residual", "z"):
            assert isinstance(record[key], str if key == "material" else float), key
        assert 0.0 <= record["p_stable"] <= 1.0
        assert 0.0 <= record["posterior_assigned"] <= 1.0
        assert isinstance(record["agrees"], bool)
    assert payload["summary"]["uncertainties"] == "default"
    assert payload["summary"]["rel_err"] == {"tc": 0.02, "bc": 0.05, "n": 0.05}
    assert payload["provenance"]["name"] == "table1"
    assert payload["provenance"]["sha256"]


def test_summary_counts_by_hand():
    # Implied i = k·(1+δ)² gives residual √(i_implied/k) − 1 = δ exactly.
    deltas = [0.005, -0.03, 0.08]
    rows = [
        (f"m{j}", _tc_for(k * (1 + d) ** 2), 0.02, 1e29)
        for j, (k, d) in enumerate(zip([3, 5, 2], deltas, strict=True))
    ]
    summary = tcfit.fit(_frame(rows)).summary
    assert summary["n_materials"] == 3
    assert (summary["within_1pct"], summary["within_5pct"], summary["within_10pct"]) == (1, 2, 3)
    assert summary["rms_residual"] == pytest.approx(math.sqrt(sum(d * d for d in deltas) / 3))
    assert summary["max_abs_residual"] == pytest.approx(0.08)
    # Default σ_lnT² = 0.02² + 0.05² + (0.05/6)²; z = ln(1+δ)/σ.
    sigma = math.sqrt(0.02**2 + 0.05**2 + (0.05 / 6) ** 2)
    chi2 = sum((math.log1p(d) / sigma) ** 2 for d in deltas)
    assert summary["chi_square"] == pytest.approx(chi2)
    assert summary["dof"] == 3
    assert summary["reduced_chi_square"] == pytest.approx(chi2 / 3)
    assert "n_reference" not in summary


def test_the_same_input_gives_identical_numbers():
    """Nothing in a fit is random any more (closed forms and quadrature): the seed only feeds
    the bootstrap tests, and is reported."""
    a = tcfit.fit("table1", seed=5)
    b = tcfit.fit("table1", seed=5)
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())
    c = tcfit.fit("table1", seed=6)
    pd.testing.assert_frame_equal(a.table, c.table, check_exact=True)
    assert a.summary["seed"] == 5


def test_policy_changes_assignments():
    table = tcfit.fit("table1", policy="paper").table.set_index("material")
    # Under the paper's own set, Ta (12.616) and Nb (16.580) go back to 12 and 16.
    assert table.loc["Ta", "i_assigned"] == 12
    assert table.loc["Nb", "i_assigned"] == 16
    assert table["agrees"].all()
    half = tcfit.fit("table1", policy="half").table.set_index("material")
    assert half.loc["Ga", "i_assigned"] == 1.0  # 1.140 is nearer 1 than 1.5 in log space
    explicit = tcfit.fit("table1", policy=[3.0]).table
    assert (explicit["i_assigned"] == 3).all()
    assert explicit["i_runner_up"].isna().all()
    payload = json.loads(json.dumps(tcfit.fit("table1", policy=[3.0]).to_dict(), allow_nan=False))
    assert payload["table"][0]["i_runner_up"] is None


def test_rel_err_override_and_mixed_uncertainties():
    df = _frame([("a", 1.0, 0.01, 1e29), ("b", 2.0, 0.03, 2e29)], tc_err=[0.1, np.nan])
    result = tcfit.fit(df, rel_err={"bc": 0.1})
    table = result.table
    assert result.summary["rel_err"] == {"tc": 0.02, "bc": 0.1, "n": 0.05}
    assert result.summary["uncertainties"] == "mixed"
    np.testing.assert_allclose(table["tc_err"], [0.1, 0.04])
    np.testing.assert_allclose(table["bc_err"], [0.001, 0.003])
    np.testing.assert_allclose(table["n_err"], [0.05e29, 0.1e29])
    assert list(table["uncertainties"]) == ["mixed", "default"]


def test_prefactor_is_used():
    df = _frame([("a", 1.0, 0.01, 1e29)])
    row = tcfit.fit(df, prefactor=model.PAPER_PREFACTOR).table.iloc[0]
    assert row["i_implied"] == pytest.approx(
        (1.56e7 * 0.01 / (1e29 ** (1 / 6) * 1.0)) ** 2, rel=1e-12
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"policy": "intger"}, r"The `policy` parameter must be one of 'integer'"),
        ({"draws": 100}, r"Unknown fit option 'draws'"),
        ({"seed": -1}, r"The `seed` parameter must be an integer of at least 0"),
        ({"rel_err": {"Tc": 0.1}}, r"The `rel_err` parameter must be one of 'tc', 'bc' or 'n'"),
        ({"rel_err": {"tc": 0}}, r"The `rel_err` value for 'tc' must be a finite relative"),
        ({"rel_err": {"tc": "x"}}, r"The `rel_err` value for 'tc' must be a number"),
        ({"rel_err": [0.1]}, r"The `rel_err` parameter must be a mapping"),
        ({"prefactor": -1.0}, r"The `prefactor` parameter must be a positive number"),
    ],
)
def test_bad_options(kwargs, match):
    with pytest.raises(tcfit.InputError, match=match):
        tcfit.fit("table1", **kwargs)


def test_negative_measured_uncertainty_is_a_data_error():
    df = _frame([("a", 1.0, 0.01, 1e29), ("b", 2.0, 0.03, 2e29)], bc_err=[0.001, -0.002])
    with pytest.raises(tcfit.DataError, match=r"column 'bc_err'.*'b' must be zero or positive"):
        tcfit.fit(df)


def test_all_zero_uncertainties_are_a_data_error():
    df = _frame([("a", 1.0, 0.01, 1e29)], tc_err=[0.0], bc_err=[0.0], n_err=[0.0])
    with pytest.raises(tcfit.DataError, match=r"All uncertainties of 'a' are zero"):
        tcfit.fit(df)


def test_unknown_dataset_is_a_data_error():
    with pytest.raises(tcfit.DataError):
        tcfit.fit("no-such-dataset-anywhere")


def test_repr_is_short():
    text = repr(tcfit.fit("table1"))
    assert text.startswith("FitResult(21 materials, policy='integer', rms_residual=0.034")


def test_doctests():
    import doctest

    from tcfit import fitting

    assert doctest.testmod(fitting, optionflags=doctest.ELLIPSIS).failed == 0


def test_bad_rows_in_a_file_are_named_or_skipped_on_request(tmp_path):
    path = tmp_path / "lab.csv"
    path.write_text("material,tc,bc,n\nAl,1.19,0.0099,1.812e29\nXx,1.0,-0.01,1e29\n")
    with pytest.raises(tcfit.DataError, match=r"lab\.csv.*row 3.*'bc'"):
        tcfit.fit(path)
    result = tcfit.fit(path, skip_invalid=True)
    assert list(result.table["material"]) == ["Al"]
    dropped = result.data.attrs["dropped"]
    assert [(d["row"], d["material"]) for d in dropped] == [(3, "Xx")]
    assert json.loads(json.dumps(result.to_dict(), allow_nan=False))["provenance"]["dropped"]


def test_implied_i_beyond_the_grid_is_flagged():
    df = _frame([("far", _tc_for(40.0), 0.02, 1e29), ("near", _tc_for(3.1), 0.02, 1e29)])
    result = tcfit.fit(df)
    table = result.table
    assert list(table["i_assigned"]) == [20, 3]
    assert list(table["outside_grid"]) == [True, False]
    # Beyond the grid there is no stability or posterior figure (it would read "certain").
    assert np.isnan(table.loc[0, "p_stable"])
    assert np.isnan(table.loc[0, "posterior_assigned"])
    assert result.summary["n_outside_grid"] == 1
    # Inside the grid under a larger i_max.
    wide = tcfit.fit(df, policy=tcfit.policies.integer(50))
    assert wide.table.loc[0, "i_assigned"] == 40
    assert not wide.table["outside_grid"].any()
