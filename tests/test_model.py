"""The paper's equations: reference values, identities, vectorisation and input checks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tcfit
from tcfit import model

# CODATA 2022 recommended values, typed in by hand (independent of scipy.constants).
HBAR = 6.62607015e-34 / (2 * math.pi)  # J s (exact: h / 2π with h exact)
K_B = 1.380649e-23  # J/K (exact)
M_E = 9.1093837139e-31  # kg
MU_0 = 1.25663706127e-6  # N/A²
E = 1.602176634e-19  # C (exact)


def test_prefactor_matches_codata_by_hand():
    by_hand = HBAR * (3 * math.pi**2) ** (1 / 3) / (K_B * math.sqrt(2 * M_E * MU_0))
    assert tcfit.PREFACTOR == pytest.approx(by_hand, rel=1e-9)


def test_prefactor_rounds_to_the_papers_value():
    assert float(f"{tcfit.PREFACTOR:.3g}") == tcfit.PAPER_PREFACTOR == 1.56e7


def test_tc_for_aluminium_by_hand():
    by_hand = 1.5617162e7 * 0.0099 / ((1.812e29) ** (1 / 6) * math.sqrt(3))
    assert tcfit.tc(0.0099, 1.812e29, 3) == pytest.approx(by_hand, rel=1e-7)
    assert round(tcfit.tc(0.0099, 1.812e29, 3), 4) == 1.1866


def test_scalar_inputs_give_a_python_float():
    assert type(tcfit.tc(0.0099, 1.812e29, 3)) is float


def test_prefactor_keyword_reproduces_the_papers_rounding():
    ratio = tcfit.tc(0.0099, 1.812e29, 3, prefactor=1.56e7) / tcfit.tc(0.0099, 1.812e29, 3)
    assert ratio == pytest.approx(1.56e7 / tcfit.PREFACTOR, rel=1e-12)


def test_fermi_quantities_against_kittel_aluminium():
    # Kittel, ISSP Table 6.1: Al, n = 18.1e22 cm^-3, v_F = 2.03e8 cm/s, T_F = 13.6e4 K.
    assert tcfit.fermi_velocity(1.81e29) == pytest.approx(2.03e6, rel=5e-3)
    assert tcfit.fermi_temperature(1.81e29) == pytest.approx(13.6e4, rel=5e-3)


def test_fermi_temperature_by_hand():
    n = 1.812e29
    by_hand = HBAR**2 * (3 * math.pi**2 * n) ** (2 / 3) / (2 * M_E * K_B)
    assert tcfit.fermi_temperature(n) == pytest.approx(by_hand, rel=1e-9)


def test_jc_max_is_ns_max_times_e_vf():
    n, t = 1.812e29, 1.19
    v_f = HBAR * (3 * math.pi**2 * n) ** (1 / 3) / M_E
    assert tcfit.jc_max(t, n) == pytest.approx(tcfit.ns_max(t, n) * E * v_f, rel=1e-9)


def test_gap_and_pair_energy_by_hand():
    assert tcfit.gap(2.0, 3) == pytest.approx(3 * K_B * 2.0 / 2, rel=1e-12)
    assert tcfit.pair_energy(2.0, 3) == pytest.approx(2 * tcfit.gap(2.0, 3), rel=1e-12)


def test_condensation_energy_by_hand():
    assert tcfit.condensation_energy(0.08) == pytest.approx(0.08**2 / (2 * MU_0), rel=1e-9)


positive = st.floats(min_value=1e-3, max_value=1e3)


@given(bc=positive, n_exp=st.floats(min_value=27, max_value=31), i=positive)
def test_eq5_follows_from_eq1_and_eq4(bc, n_exp, i):
    """Inserting Eq. (1) into Eq. (4) gives Eq. (5): with Tc from Eq. (5), Eq. (4) balances."""
    bc = bc * 1e-3  # tesla
    n = 10.0**n_exp
    t = tcfit.tc(bc, n, i)
    lhs = tcfit.ns_max(t, n) * (i / 2) * K_B * t
    assert lhs == pytest.approx(tcfit.condensation_energy(bc), rel=1e-9)


@given(bc=positive, n_exp=st.floats(min_value=27, max_value=31), i=positive)
def test_inverses_round_trip(bc, n_exp, i):
    n = 10.0**n_exp
    t = tcfit.tc(bc, n, i)
    assert tcfit.implied_i(t, bc, n) == pytest.approx(i, rel=1e-9)
    assert tcfit.bc(t, n, i) == pytest.approx(bc, rel=1e-9)


def test_tc_derivative_in_bc_matches_finite_difference():
    bc, n, i, h = 0.05, 2e29, 3.0, 1e-7
    numeric = (tcfit.tc(bc + h, n, i) - tcfit.tc(bc - h, n, i)) / (2 * h)
    assert numeric == pytest.approx(tcfit.tc(bc, n, i) / bc, rel=1e-6)


def test_vectorised_over_arrays_and_series():
    bc = np.array([0.0099, 0.0303])
    n = pd.Series([1.812e29, 1.482e29], index=["Al", "Sn"])
    out = tcfit.tc(bc, n, 3)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["Al", "Sn"]
    expected = [tcfit.tc(0.0099, 1.812e29, 3), tcfit.tc(0.0303, 1.482e29, 3)]
    np.testing.assert_allclose(out.to_numpy(), expected, rtol=1e-14)
    arr = tcfit.implied_i(np.array([1.19, 3.72]), bc, n.to_numpy())
    assert isinstance(arr, np.ndarray)
    assert arr.shape == (2,)


CALLS = {
    "tc": (model.tc, {"bc": 0.01, "n": 1e29, "i": 3.0}),
    "implied_i": (model.implied_i, {"tc": 1.0, "bc": 0.01, "n": 1e29}),
    "bc": (model.bc, {"tc": 1.0, "n": 1e29, "i": 3.0}),
    "fermi_temperature": (model.fermi_temperature, {"n": 1e29}),
    "fermi_velocity": (model.fermi_velocity, {"n": 1e29}),
    "ns_max": (model.ns_max, {"tc": 1.0, "n": 1e29}),
    "jc_max": (model.jc_max, {"tc": 1.0, "n": 1e29}),
    "gap": (model.gap, {"tc": 1.0, "i": 3.0}),
    "pair_energy": (model.pair_energy, {"tc": 1.0, "i": 3.0}),
    "condensation_energy": (model.condensation_energy, {"bc": 0.01}),
}
CASES = [
    (name, argument, bad)
    for name, (_, kwargs) in CALLS.items()
    for argument in kwargs
    for bad in (0.0, -1.0, math.nan, math.inf)
]


@pytest.mark.parametrize(("name", "argument", "bad"), CASES)
def test_bad_inputs_raise_naming_the_argument(name, argument, bad):
    func, kwargs = CALLS[name]
    with pytest.raises(tcfit.InputError, match=f"`{argument}`") as info:
        func(**(kwargs | {argument: bad}))
    assert isinstance(info.value, ValueError)
    assert info.value.argument == argument


def test_bad_element_in_an_array_is_located():
    with pytest.raises(ValueError, match=r"`n`.*position 1 \(1 bad in all\)"):
        tcfit.tc(0.01, np.array([1e29, np.nan, 2e29]), 3)


def test_negative_bc_message_reads_well():
    with pytest.raises(
        ValueError, match=r"^The `bc` argument must be finite and greater than zero; got -1\.0\.$"
    ):
        tcfit.tc(-1, 1e29, 3)


def test_bad_prefactor_is_rejected():
    with pytest.raises(ValueError, match="`prefactor`"):
        tcfit.tc(0.01, 1e29, 3, prefactor=0.0)
