"""Unit conversion at the edge: one pint registry, one function that returns SI factors.

tcfit keeps physics in SI internally; every number that enters from a file or a built-in
dataset passes through :func:`si_factor` once, here, and nowhere else. The SI unit of each column
(``SI_UNITS``, ``DIMENSIONLESS``, re-exported here) is declared in :mod:`tcfit.datasets._schema`.

Critical fields
---------------
A critical field may be written as a flux density B (tesla, ``mT``, gauss ``G``) or as a field
strength H (oersted ``Oe``, ``A/m``). tcfit stores :math:`B_c = \\mu_0 H_c` in tesla:

* gauss and oersted (with the prefixes ``k``, ``m``, ``u``/``µ``) are converted as
  1 G ≙ 1 Oe ≙ 1e-4 T, i.e. as :math:`\\mu_0 H` for an H given in oersted. pint's own ``gauss``
  and ``oersted`` belong to the Gaussian-CGS system (dimension mass^½ length^-½ time^-1) and do
  not convert to tesla; pint also reads ``Gs`` as gigasecond. tcfit therefore replaces these
  tokens with its own unit ``tcfit_gauss = 1e-4 tesla`` before pint sees them, and only for
  field columns (``bc``, ``bc_err``).
* a field strength in ``A/m`` (or ``kA/m`` ...) is multiplied by μ0 (CODATA, scipy.constants).
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from tcfit.errors import UnitError

from ._limits import MAX_UNIT_EXPONENT, MAX_UNIT_LENGTH, UNIT_FACTOR_RANGE
from ._schema import DIMENSIONLESS, SI_UNITS

if TYPE_CHECKING:
    import pint

__all__ = [
    "DIMENSIONLESS",
    "FIELD_COLUMNS",
    "SI_UNITS",
    "is_percent",
    "normalise_unit",
    "scale_to_si",
    "si_factor",
    "unit_registry",
]

#: Columns that hold a critical field, where gauss/oersted and A/m are accepted.
FIELD_COLUMNS: frozenset[str] = frozenset({"bc", "bc_err"})

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPERSCRIPT_RUN = re.compile(r"([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
# A unit name directly followed by an integer exponent: "cm-3", "m3", "K2" (not "1e29").
_BARE_EXPONENT = re.compile(r"\b([A-Za-zµμ]+)(-?\d+)\b")
# Gauss and oersted tokens, with an optional SI prefix (see the module docstring).
_GAUSS_TOKEN = re.compile(
    r"(?<![A-Za-z_])(k|m|u|µ|μ)?(G|Gs|gauss|Gauss|Oe|oersted|Oersted)(?![A-Za-z_])"
)
_PERCENT = frozenset({"%", "percent", "pct"})
# A power: "^" then an optionally bracketed, signed plain number, not followed by more of a name.
_POWER = re.compile(r"\^\s*(\()?\s*([-+]?\d+(?:\.\d+)?)\s*(\))?(?![\w.])")
_LITERAL = re.compile(r"(?<![\w.])(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


@cache
def unit_registry() -> pint.UnitRegistry[Any]:
    """The single pint registry tcfit uses (created on first use, so imports stay light).

    It knows one unit beyond pint's defaults: ``tcfit_gauss = 1e-4 tesla``, the SI reading of a
    field written in gauss or oersted (see the module docstring).
    """
    import pint

    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry()
    ureg.define("tcfit_gauss = 1e-4 * tesla")
    return ureg


def normalise_unit(unit: str) -> str:
    """Rewrite the spellings people use in table headers into pint syntax.

    Parameters
    ----------
    unit : str
        A unit as written, e.g. ``"cm⁻³"``, ``"cm-3"``, ``"10^29 m^-3"``, ``"×10²⁹ m⁻³"``,
        ``"μT"``, ``"g/cm3"``.

    Returns
    -------
    str
        The same unit in pint syntax: superscripts become ``^``, ``×`` and ``·`` become ``*``, a
        bare exponent after a unit name (``cm-3``, ``m3``) becomes ``^-3``, ``^`` powers stay.

    Examples
    --------
    >>> normalise_unit("cm⁻³")
    'cm^-3'
    >>> normalise_unit("g/cm3")
    'g/cm^3'
    >>> normalise_unit("×10^29 m-3")
    '10^29 m^-3'
    """
    text = unit.strip()
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group(1).translate(_SUPERSCRIPTS), text)
    text = text.replace("×", "*").replace("·", "*").replace("⋅", "*").replace("−", "-")
    text = text.replace("**", "^")
    text = _BARE_EXPONENT.sub(r"\1^\2", text)
    text = text.lstrip("* ").strip()
    return text


def is_percent(unit: str) -> bool:
    """True when ``unit`` says "percent" (``%``, ``percent``, ``pct``): a relative uncertainty."""
    return unit.strip().lower() in _PERCENT


def _gauss_to_si(unit: str) -> str:
    return _GAUSS_TOKEN.sub(lambda m: f"{m.group(1) or ''}tcfit_gauss", unit)


def _tidy(factor: float) -> float:
    # pint's conversions carry float noise (cm^-3 -> 999999.9999999999); 15 digits remove it.
    return float(f"{factor:.15g}")


def _finite_tidy(factor: float) -> float:
    return _tidy(factor) if math.isfinite(factor) else factor


def _refuse(unit: str, column: str, why: str) -> UnitError:
    return UnitError(f"The unit {unit!r} of column {column!r} is refused: {why}.")


def _check_powers(text: str, unit: str, column: str) -> None:
    """A numeric power is a plain number within ±MAX_UNIT_EXPONENT, and never itself raised.

    Only integer arithmetic can run away (``10^10^10`` is an exact integer with ten billion
    digits); a power that is a name (``10^pi``) is float arithmetic, and pint refuses what it
    does not know, so those are left to pint.
    """
    position = text.find("^")
    while position >= 0:
        rest = text[position + 1 :].lstrip()
        if not rest or rest[0].isalpha():
            position = text.find("^", position + 1)
            continue
        match = _POWER.match(text, position)
        if match is None or bool(match.group(1)) != bool(match.group(3)):
            raise _refuse(unit, column, "a power must be a plain number, such as cm^-3")
        if abs(float(match.group(2))) > MAX_UNIT_EXPONENT:
            raise _refuse(
                unit,
                column,
                f"powers beyond ±{MAX_UNIT_EXPONENT} are not units (MAX_UNIT_EXPONENT)",
            )
        if text[match.end() :].lstrip().startswith("^"):
            raise _refuse(unit, column, "a power of a power (a tower such as 10^10^10)")
        before = text[:position].rstrip()
        if before.endswith(")") and "^" in before[before.rfind("(") :]:
            raise _refuse(unit, column, "a power of a bracket that holds a power")
        position = text.find("^", match.end())


def _check_expression(text: str, unit: str, column: str) -> None:
    """Refuse, before pint evaluates anything, what could not be a unit or would be costly."""
    if len(unit) > MAX_UNIT_LENGTH:
        raise _refuse(
            unit, column, f"it is longer than {MAX_UNIT_LENGTH} characters (MAX_UNIT_LENGTH)"
        )
    _check_powers(text, unit, column)
    for match in _LITERAL.finditer(text):
        value = float(match.group(0))
        if (
            not math.isfinite(value)
            or (value != 0.0 and not 1e-100 <= value <= 1e100)
            or (value == 0.0 and match.group(1).strip("0.") != "")
        ):
            raise _refuse(unit, column, f"the number {match.group(0)} is out of range")


def _checked_factor(factor: float, unit: str, column: str) -> float:
    low, high = UNIT_FACTOR_RANGE
    if not math.isfinite(factor) or not low <= factor <= high:
        raise _refuse(
            unit,
            column,
            f"it converts to {SI_UNITS.get(column, 'a pure number')} with the factor {factor!r}; "
            f"a unit's factor to SI must be positive and between {low:g} and {high:g} "
            "(UNIT_FACTOR_RANGE)",
        )
    return factor


def si_factor(unit: str, column: str) -> float:
    """Factor that converts a value written in ``unit`` to the SI unit of ``column``.

    Parameters
    ----------
    unit : str
        A unit expression pint understands, optionally with a scale, e.g. ``"1e29 m^-3"``,
        ``"1e-4 T"``, ``"mK"``, ``"cm^-3"``; the header spellings of :func:`normalise_unit`
        are accepted too. For field columns (``bc``, ``bc_err``) gauss and oersted mean 1e-4 T
        and a field strength in A/m is multiplied by μ0 (see the module docstring).
    column : str
        A canonical column named in :data:`SI_UNITS` or :data:`DIMENSIONLESS`.

    Returns
    -------
    float
        Multiply a value in ``unit`` by this to get it in ``SI_UNITS[column]`` (or as a pure
        number for a dimensionless column).

    Raises
    ------
    UnitError
        If pint does not know the unit, the unit has the wrong dimension for the column, it is
        an offset unit such as ``degC``, or it is outside the limits of
        :mod:`tcfit.datasets._limits`: longer than ``MAX_UNIT_LENGTH`` characters, a power
        beyond ``MAX_UNIT_EXPONENT`` or a power of a power (checked before pint evaluates
        anything, so ``10**10**10`` costs nothing), or a factor to SI that is zero, negative,
        not finite or outside ``UNIT_FACTOR_RANGE``.

    Examples
    --------
    >>> si_factor("mT", "bc")
    0.001
    >>> si_factor("G", "bc")
    0.0001
    >>> si_factor("cm^-3", "n")
    1000000.0
    """
    ureg = unit_registry()
    target = SI_UNITS.get(column, "dimensionless")
    text = normalise_unit(unit)
    _check_expression(text, unit, column)
    if column in FIELD_COLUMNS:
        text = _gauss_to_si(text)
    return _checked_factor(_pint_factor(ureg, text, unit, column, target), unit, column)


def _pint_factor(ureg: Any, text: str, unit: str, column: str, target: str) -> float:
    import pint

    try:
        quantity = ureg.parse_expression(text)
        if not isinstance(quantity, ureg.Quantity):
            quantity = ureg.Quantity(float(quantity), "dimensionless")
        if column in FIELD_COLUMNS and quantity.check("[current] / [length]"):
            from scipy.constants import mu_0

            return _finite_tidy(float(quantity.to("A/m").magnitude) * mu_0)
        if ureg.Quantity(0.0, quantity.units).to(ureg.Quantity(1.0, target).units).magnitude:
            raise UnitError(
                f"The unit {unit!r} of column {column!r} is an offset unit (like degC); "
                f"write it in {target!r}."
            )
        return _finite_tidy(float(quantity.to(target).magnitude))
    except pint.errors.DimensionalityError as err:
        hint = (
            "; a critical field may be given in T, G, Oe or A/m" if column in FIELD_COLUMNS else ""
        )
        raise UnitError(
            f"The unit {unit!r} has the wrong dimension for column {column!r}; "
            f"it must convert to {target!r}{hint}.",
        ) from err
    except UnitError:
        raise
    except Exception as err:  # pint's parser raises many kinds of errors on malformed text
        raise UnitError(
            f"pint does not understand the unit {unit!r} of column {column!r}."
        ) from err


def scale_to_si(values: np.ndarray, factor: float | None) -> np.ndarray:
    """``values * factor``; for a power-of-ten factor, a decimal shift without float noise.

    A power-of-ten unit change (mT, G, cm⁻³, 1e29 m⁻³) only moves the decimal point, but
    33.8 * 1e-4 gives 0.0033799999999999998 and 1.529 * 1e29 gives 1.5289999999999997e+29 in
    floating point. For such factors the product is rounded to 15 significant digits, which
    returns the exact decimal result for any input of up to 15 significant digits (0.00338,
    1.529e+29) and changes others by at most 5e-16 relative. Other factors (μ0 for A/m) are
    applied as they are.
    """
    if factor is None:
        return np.full(len(values), np.nan)
    if factor == 1.0:
        return values
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        product = values * factor  # an overflow gives inf, refused as "not finite" later
    exponent = math.log10(factor)
    if abs(exponent - round(exponent)) < 1e-12:
        finite = np.isfinite(product)
        product[finite] = np.char.mod("%.15g", product[finite]).astype(float)
    return product
