"""Profiles with re-assigned i: a brute-force recomputation, the audit's numbers, the edges."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import tcfit
from tcfit.profiles import DELTA_CHI2_95, profile


@pytest.fixture(scope="module")
def table1():
    return tcfit.fit("table1")


def _brute_force_chi2(result, alpha, beta, ln_s_grid):
    """χ² minimised over ln s by plain loops: implied i, log-nearest integer 1…20, effective σ."""
    t = result.table
    c = result.options.prefactor
    keep = np.mean((alpha - 1 / 6) * np.log(t.n) - (beta - 1.0) * np.log(t.bc))
    best = math.inf
    for ln_s in ln_s_grid:
        total = 0.0
        for row in t.itertuples():
            ln_model = ln_s + math.log(c) + keep + beta * math.log(row.bc)
            ln_i = 2 * (ln_model - alpha * math.log(row.n) - math.log(row.tc))
            k = min(range(1, 21), key=lambda v: (abs(ln_i - math.log(v)), v))
            ln_ratio = 0.5 * (ln_i - math.log(k))
            r_t, r_b, r_n = row.tc_err / row.tc, row.bc_err / row.bc, row.n_err / row.n
            total += ln_ratio**2 / (r_t**2 + (beta * r_b) ** 2 + (alpha * r_n) ** 2)
        best = min(best, total)
    return best


@pytest.mark.parametrize(("parameter", "value"), [("alpha", 0.4), ("alpha", 1 / 6), ("beta", 0.87)])
def test_profile_equals_a_brute_force_recomputation(table1, parameter, value):
    grid = np.linspace(-0.35, 0.35, 141)
    p = profile(table1, parameter, [value])
    alpha = value if parameter == "alpha" else 1 / 6
    beta = value if parameter == "beta" else 1.0
    assert p.curve["chi_square"].iloc[0] == pytest.approx(
        _brute_force_chi2(table1, alpha, beta, grid), rel=1e-10
    )


def test_scale_one_reproduces_the_fit(table1):
    p = profile(table1, "scale", [1.0])
    assert p.curve["chi_square"].iloc[0] == pytest.approx(table1.summary.chi_square, rel=1e-12)
    assert p.curve["n_changed"].iloc[0] == 0


def test_table1_alpha_is_not_determined_once_i_is_reassigned(table1):
    """The audit's discrete profile: flat over about 0.17–0.80, minimum near 0.40, 1/6 at the
    edge — far wider than the conditional interval [0.148, 0.202] of the fit with i held fixed."""
    p = profile(table1, "alpha")
    assert p.best == pytest.approx(0.40, abs=0.011)
    low = min(a for a, _ in p.allowed)
    high = max(b for _, b in p.allowed)
    assert low < 0.20
    assert high > 0.7
    assert (high - low) > 5 * (0.202 - 0.148)
    inside = p.curve["delta_chi_square"] <= DELTA_CHI2_95
    assert inside.sum() > 40  # of 152 trial values
    # With the effective variance at the trial α, 1/6 falls just outside (state the choice).
    assert not p.reference_allowed
    assert p.chi_square_reference - p.chi_square_min == pytest.approx(4.4, abs=0.5)
    assert p.sigma == "effective variance at the trial values"
    assert p.open_ends == (False, False)  # the set closes inside the default grid
    assert tcfit.profile is profile


def test_allowed_set_is_a_union_of_grid_runs(table1):
    p = profile(table1, "alpha")
    inside = (p.curve["delta_chi_square"] <= DELTA_CHI2_95).to_numpy()
    values = p.curve["value"].to_numpy()
    covered = np.zeros_like(inside)
    for a, b in p.allowed:
        covered |= (values >= a) & (values <= b)
    np.testing.assert_array_equal(covered, inside)
    assert all(a <= b for a, b in p.allowed)
    assert json.loads(json.dumps(p.to_dict()))["allowed"] == [list(x) for x in p.allowed]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"parameter": "gamma"}, r"The `parameter` parameter must be one of 'alpha', 'beta'"),
        ({"parameter": "scale", "values": [0.0, 1.0]}, r"finite trial values \(positive for"),
        ({"parameter": "alpha", "values": ["x"]}, r"The `values` parameter must be numbers"),
        ({"parameter": "alpha", "scale_grid": 0}, r"`scale_grid` parameter must be an integer"),
    ],
)
def test_bad_arguments(table1, kwargs, match):
    with pytest.raises(tcfit.InputError, match=match):
        profile(table1, **kwargs)
