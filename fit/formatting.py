"""Numbers as tcfit prints them — in the terminal, the report and notebooks: one formatter.

The Particle Data Group rounding rule for a value with its uncertainty, significant-digit and
percentage helpers, and :func:`i_text` for allowed values of i (``3``, ``5/2``, ``1/100``). The
CLI, the report and the result objects all print through this module, so a number reads the
same everywhere.

The PDG rule (Particle Data Group, *Review of Particle Physics*, Introduction, section 5.3, as
quoted by iminuit's ``pdg_format``): take the three highest-order digits of the uncertainty.
If they lie between 100 and 354, round the uncertainty to two significant digits; between 355
and 949, to one; between 950 and 999, round it up to 1000 and keep two significant digits. The
central value is given with the precision of the uncertainty. So 0.827 ± 0.119 is printed as
0.83 ± 0.12 and 0.827 ± 0.367 as 0.8 ± 0.4.

Rounding is done in decimal arithmetic (:mod:`decimal`) on the shortest decimal representation
of each float (``repr``), half away from zero, so ``0.0355`` rounds as a person would round it
and not as its binary approximation would. This module depends on nothing but the standard
library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from ._validate import check_option
from .errors import InputError

__all__ = [
    "PDGNumber",
    "format_percent",
    "format_sig",
    "i_text",
    "pdg_format",
    "pdg_round",
    "pdg_text",
    "sci",
]

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")

# Plain notation while the larger of |value| and error lies in [1e-3, 1e5); scientific outside.
_PLAIN_MIN_EXPONENT = -3
_PLAIN_MAX_EXPONENT = 4


@dataclass(frozen=True)
class PDGNumber:
    """A value and its uncertainty rounded by the PDG rule, as decimal strings.

    Attributes
    ----------
    value : str
        The central value's mantissa, e.g. ``"1.562"`` (``"nan"`` or ``"inf"`` if not finite).
    error : str
        The uncertainty's mantissa at the same precision, e.g. ``"0.050"``.
    exponent : int
        Power of ten that multiplies both mantissas (0 in plain notation).
    significant : int
        Significant digits kept on the uncertainty (1 or 2).
    """

    value: str
    error: str
    exponent: int
    significant: int

    def text(self) -> str:
        """Plain text with a Unicode ``±`` and, if needed, ``×10ⁿ``."""
        core = f"{self.value} ± {self.error}"
        if self.exponent == 0:
            return core
        return f"({core})×10{str(self.exponent).translate(_SUPERSCRIPT)}"

    def latex(self) -> str:
        r"""LaTeX math (without ``$``), e.g. ``(1.562 \pm 0.050) \times 10^{7}``."""
        core = f"{self.value} \\pm {self.error}"
        if self.exponent == 0:
            return core
        return f"({core}) \\times 10^{{{self.exponent}}}"


def _decimal(x: float) -> Decimal:
    # repr gives the shortest string that round-trips: the number as the user wrote it.
    return Decimal(repr(float(x)))


def _plain(d: Decimal) -> str:
    """Fixed-point text of a decimal, keeping its quantum (``Decimal('2E+1')`` -> ``'20'``)."""
    text = format(d, "f")
    return "0" + text[2:] if text.startswith("-0") and d.is_zero() else text


def pdg_round(value: float, error: float) -> PDGNumber:
    """Round ``value ± error`` by the Particle Data Group rule.

    Parameters
    ----------
    value : float
        The central value, in any unit (NaN and inf are passed through as text).
    error : float
        Its standard uncertainty, same unit; positive and finite.

    Returns
    -------
    PDGNumber
        Mantissas of value and error as strings at the same precision, and the common power of
        ten. Plain notation (exponent 0) is used while the larger of |value| and error lies in
        [1e-3, 1e5); outside that range, scientific notation with one digit before the point
        of the larger number.

    Raises
    ------
    InputError
        If ``error`` is zero, negative, NaN or infinite: the rule needs an uncertainty.

    References
    ----------
    Particle Data Group, *Review of Particle Physics*, Introduction, section 5.3 ("Rounding");
    the same rule as iminuit's ``pdg_format``. Not an equation of Jiang's paper: the report
    uses it to print every number that carries an uncertainty.

    Examples
    --------
    >>> pdg_round(0.827, 0.119).text()  # PDG's own examples
    '0.83 ± 0.12'
    >>> pdg_round(0.827, 0.367).text()
    '0.8 ± 0.4'
    >>> pdg_round(2.3456, 0.0095).text()  # 950..999: round up to 1000, keep two digits
    '2.346 ± 0.010'
    >>> pdg_round(1.5617e7, 4.96e5).text()
    '(1.56 ± 0.05)×10⁷'
    """
    err = float(error)
    if not math.isfinite(err) or err <= 0.0:
        raise InputError(
            f"The PDG rule needs a positive, finite uncertainty; got error={error!r}.",
            argument="error",
        )
    e = _decimal(err)
    top = e.adjusted()  # power of ten of the first significant digit
    three = int(e.scaleb(2 - top).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if three <= 354:
        significant, quantum = 2, top - 1
        e_rounded = e.quantize(Decimal(1).scaleb(quantum), rounding=ROUND_HALF_UP)
    elif three <= 949:
        significant, quantum = 1, top
        e_rounded = e.quantize(Decimal(1).scaleb(quantum), rounding=ROUND_HALF_UP)
    else:  # 950..999 (and 999.5.. that rounds to 1000): up to 1000, two significant digits
        significant, quantum = 2, top
        e_rounded = Decimal(10).scaleb(top).quantize(Decimal(1).scaleb(quantum))

    v = float(value)
    if math.isfinite(v):
        v_rounded = _decimal(v).quantize(Decimal(1).scaleb(quantum), rounding=ROUND_HALF_UP)
        largest = max(abs(v_rounded), e_rounded)
    else:
        v_rounded = None
        largest = e_rounded
    order = largest.adjusted() if largest != 0 else e_rounded.adjusted()
    exponent = 0 if _PLAIN_MIN_EXPONENT <= order <= _PLAIN_MAX_EXPONENT else order

    error_text = _plain(e_rounded.scaleb(-exponent))
    value_text = _plain(v_rounded.scaleb(-exponent)) if v_rounded is not None else str(v)
    return PDGNumber(value_text, error_text, exponent, significant)


def pdg_format(value: float, error: float, *, style: Literal["text", "latex"] = "text") -> str:
    r"""``value ± error`` as text or LaTeX, rounded by the PDG rule (see :func:`pdg_round`).

    Parameters
    ----------
    value, error : float
        Central value and standard uncertainty (same unit; the error positive and finite).
    style : {"text", "latex"}, default="text"
        Unicode text (``2.35 ± 0.12``, ``(1.56 ± 0.05)×10⁷``) or LaTeX math without dollars
        (``2.35 \pm 0.12``).

    Returns
    -------
    str

    Raises
    ------
    InputError
        If the error is not positive and finite, or ``style`` is unknown.

    Examples
    --------
    >>> pdg_format(2.3456, 0.0355)
    '2.35 ± 0.04'
    >>> pdg_format(2.3e-9, 0.354e-9, style="latex")
    '(2.30 \\pm 0.35) \\times 10^{-9}'
    """
    check_option("style", style, ("text", "latex"))
    number = pdg_round(value, error)
    return number.text() if style == "text" else number.latex()


def format_sig(x: float, digits: int = 3) -> str:
    """A number without uncertainty, to ``digits`` significant digits, without exponent noise.

    Parameters
    ----------
    x : float
        Any float (NaN and inf give ``"nan"`` and ``"inf"``).
    digits : int, default=3
        Significant digits.

    Returns
    -------
    str
        Plain notation for magnitudes in [1e-3, 1e5), otherwise ``1.23e+07`` style.

    Examples
    --------
    >>> format_sig(0.0123456), format_sig(1.5617e7, 5), format_sig(7.0, 3)
    ('0.0123', '1.5617e+07', '7.00')
    """
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    if x == 0.0:
        return f"{0.0:.{max(digits - 1, 0)}f}"
    order = math.floor(math.log10(abs(x)))
    if _PLAIN_MIN_EXPONENT <= order <= _PLAIN_MAX_EXPONENT:
        d = _decimal(x)
        quantum = d.adjusted() - digits + 1
        rounded = d.quantize(Decimal(1).scaleb(quantum), rounding=ROUND_HALF_UP)
        if rounded.adjusted() > d.adjusted():  # 9.996 -> 10.00: one digit too many
            rounded = d.quantize(Decimal(1).scaleb(quantum + 1), rounding=ROUND_HALF_UP)
        return _plain(rounded)
    return f"{x:.{digits - 1}e}"


def format_percent(fraction: float, digits: int = 1, *, sign: bool = True) -> str:
    """A relative number as a percentage, e.g. ``+1.5 %``.

    Parameters
    ----------
    fraction : float
        The relative value (0.015 for 1.5 %).
    digits : int, default=1
        Decimals of the percentage.
    sign : bool, default=True
        Always print the sign.

    Returns
    -------
    str

    Examples
    --------
    >>> format_percent(0.01549), format_percent(-0.2), format_percent(0.05, 0, sign=False)
    ('+1.5 %', '-20.0 %', '5 %')
    """
    x = float(fraction) * 100.0
    if not math.isfinite(x):
        return str(x)
    d = _decimal(x).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = _plain(d)
    if sign and not text.startswith("-"):
        text = "+" + text
    return f"{text} %"


def pdg_text(value: float, error: float, *, style: Literal["text", "latex"] = "text") -> str:
    """:func:`pdg_format` where the error is usable; else the value to 4 digits; "" for NaN.

    Examples
    --------
    >>> pdg_text(2.983, 0.325), pdg_text(2.983, float("nan")), pdg_text(float("nan"), 0.1)
    ('2.98 ± 0.33', '2.983', '')
    """
    if not math.isfinite(value):
        return ""
    if not (math.isfinite(error) and error > 0):
        return format_sig(value, 4)
    return pdg_format(value, error, style=style)


#: Largest denominator printed as a fraction by :func:`i_text` (covers the paper's 1/100).
I_DENOMINATOR = 100


def i_text(value: object, *, missing: str = "") -> str:
    """An allowed value of i as tcfit prints it everywhere: ``3``, ``5/2``, ``1/4``, ``1/100``.

    Integers print as integers, exact fractions with a denominator up to 100 as ``p/q``, any
    other number to 4 significant digits, and NaN, None or text as ``missing``.

    Examples
    --------
    >>> [i_text(v) for v in (3.0, 2.5, 0.25, 0.01, 1 / 16, 2.98312, float("nan"))]
    ['3', '5/2', '1/4', '1/100', '1/16', '2.983', '']
    """
    from fractions import Fraction

    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return missing
    if not math.isfinite(v):
        return missing
    if abs(v - round(v)) < 1e-9 * max(1.0, abs(v)):
        return str(round(v))
    frac = Fraction(v).limit_denominator(I_DENOMINATOR)
    if abs(float(frac) - v) <= 1e-9 * abs(v):
        return f"{frac.numerator}/{frac.denominator}"
    return format_sig(v, 4)


def sci(x: float, digits: int = 7) -> str:
    """``1.561716 × 10⁷`` for 1.5617162e7 (``digits`` significant digits).

    Examples
    --------
    >>> sci(1.5617162e7, 5)
    '1.5617 × 10⁷'
    """
    mantissa, exponent = f"{float(x):.{digits - 1}e}".split("e")
    power = str(int(exponent)).translate(str.maketrans("-0123456789", "−⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{mantissa} × 10{power}"
