"""PDG rounding and the report's number formatting (tcfit.reports._format)."""

from __future__ import annotations

import doctest
import math

import pytest

import tcfit
from tcfit import formatting as _format
from tcfit.formatting import format_percent, format_sig, pdg_format, pdg_round


@pytest.mark.parametrize(
    ("value", "error", "expected"),
    [
        # The two examples printed in the PDG's own statement of the rule (Review of Particle
        # Physics, Introduction, section 5.3).
        (0.827, 0.119, "0.83 ± 0.12"),
        (0.827, 0.367, "0.8 ± 0.4"),
        # The rule's three ranges of the three highest-order digits and their edges:
        # 100..354 -> two significant digits,
        (2.3456, 0.100, "2.35 ± 0.10"),
        (2.3456, 0.354, "2.35 ± 0.35"),
        # 355..949 -> one significant digit,
        (2.3456, 0.355, "2.3 ± 0.4"),
        (2.3456, 0.949, "2.3 ± 0.9"),
        # 950..999 -> rounded up to 1000, two significant digits kept.
        (2.3456, 0.950, "2.3 ± 1.0"),
        (2.3456, 0.999, "2.3 ± 1.0"),
        (2.3456, 0.0095, "2.346 ± 0.010"),
        # The central value takes the precision of the error, at any magnitude.
        (2.3456, 0.00354, "2.3456 ± 0.0035"),
        (2.3456, 0.0355, "2.35 ± 0.04"),
        (23.456, 3.54, "23.5 ± 3.5"),
        (23.456, 35.5, "20 ± 40"),
        (234.56, 12.3, "235 ± 12"),
        # Halves round away from zero, in decimal (0.125 -> 0.13; binary rounding gives 0.12).
        (0.125, 0.0123, "0.125 ± 0.012"),
        (-0.835, 0.0411, "-0.84 ± 0.04"),
        # Outside [1e-3, 1e5) the pair shares one power of ten.
        (1.5617e7, 4.96e5, "(1.56 ± 0.05)×10⁷"),
        (2.345e-9, 0.1e-9, "(2.35 ± 0.10)×10⁻⁹"),
        (-2.3456e13, 3.55e11, "(-2.35 ± 0.04)×10¹³"),
        # A value that rounds to zero loses its sign; a NaN value is passed through.
        (-0.01, 0.5, "0.0 ± 0.5"),
        (math.nan, 3.55, "nan ± 4"),
    ],
)
def test_pdg_round_reference_values(value, error, expected):
    assert pdg_round(value, error).text() == expected


@pytest.mark.parametrize(
    ("error", "significant"),
    [(0.00100, 2), (0.00354, 2), (0.00355, 1), (0.00949, 1), (0.00950, 2), (99.9, 2), (123.0, 2)],
)
def test_significant_digits_follow_the_three_digit_ranges(error, significant):
    assert pdg_round(1.0, error).significant == significant


def test_hand_worked_example():
    # σ = 0.3251: three digits 325 -> two significant digits, 0.33; the value takes two decimals.
    number = pdg_round(2.983055, 0.3251)
    assert (number.value, number.error, number.exponent) == ("2.98", "0.33", 0)


def test_latex_style():
    assert pdg_format(2.3e-9, 0.354e-9, style="latex") == r"(2.30 \pm 0.35) \times 10^{-9}"
    assert pdg_format(0.827, 0.119, style="latex") == r"0.83 \pm 0.12"


@pytest.mark.parametrize("error", [0.0, -0.1, math.nan, math.inf])
def test_pdg_round_needs_a_positive_finite_error(error):
    with pytest.raises(tcfit.InputError, match="positive, finite uncertainty"):
        pdg_round(1.0, error)


def test_unknown_style_is_refused():
    with pytest.raises(tcfit.InputError, match="The `style` parameter must be one of"):
        pdg_format(1.0, 0.1, style="html")


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [
        (0.0123456, 3, "0.0123"),
        (7.0, 3, "7.00"),
        (1.5617e7, 5, "1.5617e+07"),
        (0.0, 3, "0.00"),
        (9.996, 3, "10.0"),
        (math.inf, 3, "inf"),
    ],
)
def test_format_sig(x, digits, expected):
    assert format_sig(x, digits) == expected


@pytest.mark.parametrize(
    ("fraction", "digits", "sign", "expected"),
    [
        (0.01549, 1, True, "+1.5 %"),
        (-0.2, 1, True, "-20.0 %"),
        (0.05, 0, False, "5 %"),
        (0.034006, 2, False, "3.40 %"),
    ],
)
def test_format_percent(fraction, digits, sign, expected):
    assert format_percent(fraction, digits, sign=sign) == expected


def test_doctests():
    assert doctest.testmod(_format, optionflags=doctest.ELLIPSIS).failed == 0
