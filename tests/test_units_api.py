"""The equation functions speak units (pint) and uncertainties (ufloats, unumpy arrays)."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pint
import pytest
from scipy import constants as c
from uncertainties import correlated_values, ufloat, unumpy, wrap

import tcfit
from tcfit import bcs, model
from tcfit.datasets._units import unit_registry

UREG = pint.UnitRegistry()
TCFIT_UREG = unit_registry()

AL = {"tc": 1.19, "bc": 0.0099, "n": 1.812e29, "i": 3.0}


def test_done_when_a_millitesla_quantity_gives_kelvin():
    """Issue 14: ``tcfit.tc(9.9 * ureg.mT, 1.812e29 * ureg.m**-3, 3)`` gives 1.187 K."""
    for ureg in (UREG, TCFIT_UREG):
        assert round(tcfit.tc(9.9 * ureg.mT, 1.812e29 * ureg.m**-3, 3), 3) == 1.187
    hand = model.PREFACTOR * 0.0099 / (1.812e29 ** (1 / 6) * math.sqrt(3))
    assert tcfit.tc(9.9 * UREG.mT, 1.812e29 * UREG.m**-3, 3) == pytest.approx(hand, rel=1e-14)


@pytest.mark.parametrize(
    ("field", "tesla"),
    [
        (99 * UREG.gauss, 0.0099),  # Gaussian-CGS in pint: read as μ0·H, 1 G = 1e-4 T
        (99 * UREG.oersted, 0.0099),
        (9.9 * UREG.kilogauss, 0.99),
        (99 * TCFIT_UREG.tcfit_gauss, 0.0099),
        (99 * TCFIT_UREG.gauss, 0.0099),
        (0.0099 * UREG.tesla, 0.0099),
        (7.5 * UREG("kA/m"), 7.5e3 * c.mu_0),  # a field strength: μ0·H
    ],
)
def test_fields_follow_the_mu0_h_rule(field, tesla):
    assert tcfit.tc(field, 1.812e29, 3) == pytest.approx(tcfit.tc(tesla, 1.812e29, 3), rel=1e-12)
    assert tcfit.condensation_energy(field) == pytest.approx(tesla**2 / (2 * c.mu_0), rel=1e-12)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("tc", {"bc": 9.9 * UREG.mT, "n": 1.812e23 * UREG.cm**-3, "i": 3 * UREG.dimensionless}),
        ("implied_i", {"tc": 1190 * UREG.mK, "bc": 99 * UREG.gauss, "n": 181.2 * UREG("nm^-3")}),
        ("bc", {"tc": 1190 * UREG.mK, "n": 1.812e23 * UREG.cm**-3, "i": 3}),
        ("electron_density", {"tc": 1190 * UREG.mK, "bc": 9.9 * UREG.mT, "i": 3}),
        ("fermi_temperature", {"n": 1.812e23 * UREG.cm**-3}),
        ("fermi_velocity", {"n": 1.812e23 * UREG.cm**-3}),
        ("ns_max", {"tc": 1190 * UREG.mK, "n": 1.812e23 * UREG.cm**-3}),
        ("jc_max", {"tc": 1190 * UREG.mK, "n": 1.812e23 * UREG.cm**-3}),
        ("gap", {"tc": 1190 * UREG.mK, "i": 3}),
        ("pair_energy", {"tc": 1190 * UREG.mK, "i": 3}),
        ("condensation_energy", {"bc": 99 * UREG.gauss}),
    ],
)
def test_every_model_function_converts_quantities_to_si(name, kwargs):
    func = getattr(model, name)
    si = {k: AL[k] for k in kwargs}
    got = func(**kwargs)
    assert isinstance(got, float)
    assert got == pytest.approx(func(**si), rel=1e-12)


def test_bcs_functions_convert_quantities():
    gamma = 1.35 * UREG("mJ/mol/K^2")
    rho, molar = 2.6989 * UREG("g/cm^3"), 26.9815 * UREG("g/mol")
    assert bcs.gamma_volumetric(gamma, rho, molar) == pytest.approx(
        bcs.gamma_volumetric(1.35e-3, 2698.9, 0.0269815), rel=1e-12
    )
    g_v = 135.04 * UREG("J/m^3/K^2")
    assert bcs.tc_bcs(103 * UREG.gauss, g_v) == pytest.approx(bcs.tc_bcs(0.0103, 135.04))
    assert bcs.i_bcs(g_v, 1.812e23 * UREG.cm**-3) == pytest.approx(bcs.i_bcs(135.04, 1.812e29))
    assert bcs.gamma_free(1.812e23 * UREG.cm**-3) == pytest.approx(bcs.gamma_free(1.812e29))


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: tcfit.tc(9.9 * UREG.second, 1.812e29, 3), "bc"),
        (lambda: tcfit.tc(0.0099, 1.812e29 * UREG.tesla, 3), "n"),
        (lambda: tcfit.tc(0.0099, 1.812e29, 3 * UREG.kelvin), "i"),
        (lambda: tcfit.implied_i(1.19 * UREG.meter, 0.0099, 1.812e29), "tc"),
        (lambda: tcfit.fermi_temperature(1.0 * TCFIT_UREG.kelvin), "n"),
        (lambda: bcs.tc_bcs(0.0103, 135.04 * UREG("J/mol/K^2")), "gamma_v"),
        (lambda: tcfit.tc(0.0099, 1.812e29, 3, prefactor=1.56e7 * UREG.kelvin), "prefactor"),
    ],
)
def test_a_wrong_dimension_is_a_unit_error_naming_the_argument(call, argument):
    with pytest.raises(tcfit.UnitError, match=rf"The `{argument}` argument is in .* which does"):
        call()


def test_a_field_unit_error_says_what_a_field_may_be_given_in():
    with pytest.raises(tcfit.UnitError, match="a field may be given in T, G, Oe or A/m"):
        tcfit.tc(9.9 * UREG.kelvin, 1.812e29, 3)


def test_sequences_become_arrays():
    expected = tcfit.tc(np.array([0.0099, 0.0303]), np.array([1.812e29, 1.482e29]), 3)
    for bc, n in (
        ([0.0099, 0.0303], [1.812e29, 1.482e29]),
        ((0.0099, 0.0303), (1.812e29, 1.482e29)),
    ):
        got = tcfit.tc(bc, n, 3)
        assert isinstance(got, np.ndarray)
        np.testing.assert_array_equal(got, expected)
    assert isinstance(tcfit.tc(pd.Series([0.0099]), 1.812e29, 3), pd.Series)  # unchanged


@pytest.mark.parametrize(
    "bad", [0.0, -1.0, float("nan"), float("inf"), [0.0099, -1.0], ufloat(-1.0, 0.1)]
)
def test_non_positive_input_still_raises_input_error(bad):
    with pytest.raises(tcfit.InputError, match="The `bc` argument must be finite and greater"):
        tcfit.tc(bad, 1.812e29, 3)


def test_a_nan_standard_deviation_is_refused():
    with pytest.raises(tcfit.InputError, match="must have a finite standard deviation"):
        tcfit.tc(ufloat(0.0099, float("nan")), 1.812e29, 3)


def test_text_that_is_not_a_number_is_an_input_error():
    with pytest.raises(tcfit.InputError, match="must be a number, an array of numbers"):
        tcfit.tc("9.9 mT", 1.812e29, 3)


def _finite_difference_sigma(func, values, sigmas, step=1e-6):
    """First-order σ of func from central differences, independent inputs."""
    total = 0.0
    for k, (v, s) in enumerate(zip(values, sigmas, strict=True)):
        if s == 0:
            continue
        up, down = list(values), list(values)
        up[k], down[k] = v * (1 + step), v * (1 - step)
        derivative = (func(*up) - func(*down)) / (2 * v * step)
        total += (derivative * s) ** 2
    return math.sqrt(total)


@pytest.mark.parametrize(
    ("name", "args", "errors"),
    [
        ("tc", ("bc", "n", "i"), (1e-4, 3e27, 0.0)),
        ("implied_i", ("tc", "bc", "n"), (0.02, 2e-4, 5e27)),
        ("bc", ("tc", "n", "i"), (0.02, 5e27, 0.1)),
        ("electron_density", ("tc", "bc", "i"), (0.01, 1e-4, 0.0)),
        ("fermi_temperature", ("n",), (5e27,)),
        ("fermi_velocity", ("n",), (5e27,)),
        ("ns_max", ("tc", "n"), (0.02, 5e27)),
        ("jc_max", ("tc", "n"), (0.02, 5e27)),  # n enters twice: correlation inside
        ("gap", ("tc", "i"), (0.02, 0.0)),
        ("pair_energy", ("tc", "i"), (0.02, 0.0)),
        ("condensation_energy", ("bc",), (2e-4,)),
    ],
)
def test_a_ufloat_in_gives_a_ufloat_out_with_the_propagated_error(name, args, errors):
    func = getattr(model, name)
    values = [AL[a] for a in args]
    inputs = [ufloat(v, s) if s else v for v, s in zip(values, errors, strict=True)]
    got = func(*inputs)
    assert got.nominal_value == pytest.approx(func(*values), rel=1e-13)
    # uncertainties' own numerical propagation of the float function ...
    assert got.std_dev == pytest.approx(wrap(func)(*inputs).std_dev, rel=1e-6)
    # ... and an independent central difference
    expected = _finite_difference_sigma(func, values, errors)
    assert got.std_dev == pytest.approx(expected, rel=1e-6)


def test_done_when_a_ufloat_bc_gives_a_ufloat_tc_by_hand():
    tc = tcfit.tc(ufloat(0.0099, 0.0002), 1.812e29, 3)
    assert tc.nominal_value == pytest.approx(1.18663, rel=1e-5)
    assert tc.std_dev / tc.nominal_value == pytest.approx(0.0002 / 0.0099, rel=1e-12)


def test_correlated_inputs_keep_their_correlation():
    bc, n = correlated_values(
        [0.0099, 1.812e29], [[1e-8, 0.5 * 1e-4 * 5e27], [0.5e-4 * 5e27, 25e54]]
    )
    got = tcfit.tc(bc, n, 3)
    # gᵀΣg with g = ∂ln Tc/∂ln x = (1, −1/6) in relative terms
    r_b, r_n, rho = 1e-4 / 0.0099, 5e27 / 1.812e29, 0.5
    rel = math.sqrt(r_b**2 + (r_n / 6) ** 2 - 2 * rho * r_b * r_n / 6)
    assert got.std_dev / got.nominal_value == pytest.approx(rel, rel=1e-9)


def test_unumpy_arrays_give_uarrays():
    bc = unumpy.uarray([0.0099, 0.0303], [1e-4, 3e-4])
    got = tcfit.tc(bc, [1.812e29, 1.482e29], 3)
    assert got.dtype == object
    assert got.shape == (2,)
    np.testing.assert_allclose(
        unumpy.nominal_values(got), tcfit.tc([0.0099, 0.0303], [1.812e29, 1.482e29], 3)
    )
    np.testing.assert_allclose(
        unumpy.std_devs(got) / unumpy.nominal_values(got), [1e-4 / 0.0099, 3e-4 / 0.0303]
    )
    assert bcs.tc_bcs(bc, 135.04).shape == (2,)


def test_quantities_with_uncertain_magnitudes():
    tc = tcfit.tc(UREG.Measurement(9.9, 0.2, "mT"), 1.812e29 * UREG.m**-3, 3)
    assert tc.std_dev / tc.nominal_value == pytest.approx(0.2 / 9.9, rel=1e-9)
    tc = tcfit.tc(ufloat(99, 2) * UREG.gauss, 1.812e29, 3)
    assert tc.nominal_value == pytest.approx(tcfit.tc(0.0099, 1.812e29, 3))


def test_import_stays_light_and_floats_do_not_load_pint_or_uncertainties():
    code = (
        "import sys, tcfit; tcfit.tc(0.0099, 1.812e29, 3); tcfit.bc(1.19, [1.8e29], 3); "
        "print(','.join(m for m in ('pint', 'uncertainties') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
