"""Unit conversion at the edge (tcfit.datasets._units): spellings, gauss/oersted, errors."""

from __future__ import annotations

import doctest

import pytest
from scipy.constants import mu_0

import tcfit
from tcfit.datasets import _units
from tcfit.datasets._units import is_percent, normalise_unit, si_factor, unit_registry


@pytest.mark.parametrize(
    ("unit", "column", "expected"),
    [
        # critical field as B
        ("T", "bc", 1.0),
        ("mT", "bc", 1e-3),
        ("µT", "bc", 1e-6),  # micro sign U+00B5
        ("μT", "bc", 1e-6),  # Greek mu U+03BC
        ("uT", "bc", 1e-6),
        ("1e-4 T", "bc", 1e-4),  # Table-1's unit
        # gauss and oersted, SI reading 1 G = 1 Oe = 1e-4 T (mu0 H)
        ("G", "bc", 1e-4),
        ("Gs", "bc", 1e-4),
        ("gauss", "bc", 1e-4),
        ("kG", "bc", 0.1),
        ("mG", "bc", 1e-7),
        ("Oe", "bc", 1e-4),
        ("oersted", "bc", 1e-4),
        ("kOe", "bc", 0.1),
        ("G", "bc_err", 1e-4),
        # field strength H in A/m, converted as mu0 H
        ("A/m", "bc", mu_0),
        ("kA/m", "bc", 1e3 * mu_0),
        # densities
        ("m^-3", "n", 1.0),
        ("cm^-3", "n", 1e6),
        ("cm-3", "n", 1e6),
        ("cm⁻³", "n", 1e6),
        ("1/cm^3", "n", 1e6),
        ("nm^-3", "n", 1e27),
        ("1e29 m^-3", "n", 1e29),
        ("10^29 m^-3", "n", 1e29),
        ("×10²⁹ m⁻³", "n", 1e29),
        ("1e28/m^3", "n", 1e28),
        # temperatures
        ("K", "tc", 1.0),
        ("mK", "tc", 1e-3),
        ("K", "debye_temperature", 1.0),
        # the rest of the canonical schema
        ("g/cm^3", "density", 1e3),
        ("g/cm3", "density", 1e3),
        ("kg/m^3", "density", 1.0),
        ("g/mol", "molar_mass", 1e-3),
        ("mJ/mol/K^2", "gamma", 1e-3),
        ("mJ mol^-1 K^-2", "gamma", 1e-3),
        ("mJ mol⁻¹ K⁻²", "gamma", 1e-3),
        ("1", "i", 1.0),
        ("", "valence", 1.0),
    ],
)
def test_si_factor(unit, column, expected):
    assert si_factor(unit, column) == pytest.approx(expected, rel=1e-12)


def test_power_of_ten_factors_carry_no_float_noise():
    assert si_factor("cm^-3", "n") == 1e6
    assert si_factor("g/cm^3", "density") == 1e3


def test_pints_own_gauss_is_gaussian_cgs_which_is_why_tcfit_replaces_it():
    ureg = unit_registry()
    assert not ureg.parse_expression("gauss").check("[magnetic_field]")
    assert ureg.parse_expression("Gs").check("[time]")  # pint reads Gs as gigasecond
    assert si_factor("Gs", "bc") == pytest.approx(1e-4)


@pytest.mark.parametrize(
    ("unit", "column", "match"),
    [
        ("furlong_per_fortnight_x", "tc", r"pint does not understand the unit 'furlong"),
        ("m^", "n", r"pint does not understand the unit 'm\^' of column 'n'"),
        ("K", "bc", r"wrong dimension for column 'bc'.*T, G, Oe or A/m"),
        ("G", "n", r"The unit 'G' has the wrong dimension for column 'n'"),  # gauss only for fields
        ("T", "tc", r"wrong dimension for column 'tc'; it must convert to 'K'"),
        ("cm", "n", r"wrong dimension for column 'n'"),
        ("K", "i", r"wrong dimension for column 'i'"),
        ("degC", "tc", r"offset unit \(like degC\); write it in 'K'"),
    ],
)
def test_unit_errors(unit, column, match):
    with pytest.raises(tcfit.UnitError, match=match):
        si_factor(unit, column)


@pytest.mark.parametrize(
    ("unit", "match"),
    [
        ("10**10**10 T", r"refused: a power of a power \(a tower such as 10\^10\^10\)"),
        ("(10^10)^10 T", r"refused: a power must be a plain number"),
        ("10^(10^10) T", r"refused: a power must be a plain number"),
        ("10^400 T", r"refused: powers beyond ±64 are not units \(MAX_UNIT_EXPONENT\)"),
        ("T^1000000", r"powers beyond ±64"),
        ("1e-400 T", r"the number 1e-400 is out of range"),
        ("1e308 T", r"the number 1e308 is out of range"),
        ("m*" * 40 + "T", r"longer than 64 characters \(MAX_UNIT_LENGTH\)"),
        ("0 T", r"with the factor 0.0; a unit's factor to SI must be positive and between 1e-60"),
        ("inf T", r"with the factor inf"),
        ("nan T", r"with the factor nan"),
        ("-1 T", r"with the factor -1.0"),
        ("1e59 kT", r"with the factor 1e\+62.*\(UNIT_FACTOR_RANGE\)"),
    ],
)
def test_units_outside_the_limits_are_refused_before_pint_evaluates_them(unit, match):
    import time

    start = time.monotonic()
    with pytest.raises(tcfit.UnitError, match=match):
        si_factor(unit, "bc")
    assert time.monotonic() - start < 2.0


@pytest.mark.parametrize(
    ("unit", "factor"),
    [
        ("10^29 m^-3", 1e29),
        ("(cm)^-3", 1e6),
        ("1/cm^3", 1e6),
        ("10²⁹ m⁻³", 1e29),
        ("2^3 m^-3", 8.0),
    ],
)
def test_sane_powers_still_work(unit, factor):
    assert si_factor(unit, "n") == pytest.approx(factor)


def test_unit_error_is_a_data_error_and_a_value_error():
    with pytest.raises(ValueError, match="does not understand"):
        si_factor("blorp", "tc")


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("cm⁻³", "cm^-3"),
        ("cm-3", "cm^-3"),
        ("g/cm3", "g/cm^3"),
        ("1e29 m^-3", "1e29 m^-3"),
        ("×10^29 m-3", "10^29 m^-3"),
        ("mJ·mol⁻¹·K⁻²", "mJ*mol^-1*K^-2"),
        ("10**29 m**-3", "10^29 m^-3"),
        ("  mT ", "mT"),
    ],
)
def test_normalise_unit(written, normalised):
    assert normalise_unit(written) == normalised


@pytest.mark.parametrize(
    ("unit", "expected"), [("%", True), ("percent", True), ("pct", True), ("K", False), ("", False)]
)
def test_is_percent(unit, expected):
    assert is_percent(unit) is expected


def test_doctests():
    assert doctest.testmod(_units, optionflags=doctest.ELLIPSIS).failed == 0
