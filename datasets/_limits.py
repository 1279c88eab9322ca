"""The limits of what tcfit reads: sizes, shapes and the range of every number, stated once.

A hand-made table is small; a file that is not (a zip bomb, ``/dev/zero``, ten thousand columns,
a unit written as ``10**10**10``) is refused with a :class:`~tcfit.errors.DataError` *before* the
work it would cost, instead of hanging or running out of memory. Numbers are refused where they
would turn into ``inf`` or ``NaN`` on the way through Eq. (5) of the paper,
:math:`T_c = C B_c / (n^{1/6} \\sqrt{i})`, so everything tcfit computes from a table it accepted
is a finite number.

================================  ==============  ============================================
constant                          value           what is refused
================================  ==============  ============================================
``MAX_INPUT_BYTES``               512 MiB         a larger file or buffer (checked before reading)
``MAX_XLSX_UNCOMPRESSED_BYTES``   256 MiB         an .xlsx whose parts inflate to more (zip bomb)
``MAX_COLUMNS``                   1000            a table with more columns
``MAX_ROWS``                      1 000 000       a table with more data rows
``MAX_CELLS``                     10 000 000      rows × columns above this
``QUANTITY_RANGE``                1e-50 .. 1e50   a value whose SI magnitude lies outside
``RELATIVE_ERROR_RANGE``          1e-10 .. 1      an uncertainty that is not 0 or within
                                                  [1e-10, 1) of its value
``UNIT_FACTOR_RANGE``             1e-60 .. 1e60   a unit whose factor to SI lies outside
``MAX_UNIT_LENGTH``               64              a longer unit expression in a header
``MAX_UNIT_EXPONENT``             64              a power in a unit above this in magnitude
================================  ==============  ============================================

Why these numbers bound Eq. (5): with every value of Tc, Bc and n between 1e-50 and 1e50 (SI),
the implied :math:`i = (C B_c / (T_c n^{1/6}))^2` lies within 1e±250, far from the 1.8e308 of a
double; with every relative uncertainty between 1e-10 and 1, its propagated error, the residual
z-scores (at most about 1e13) and their squares stay finite too.
"""

from __future__ import annotations

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_INPUT_BYTES",
    "MAX_ROWS",
    "MAX_UNIT_EXPONENT",
    "MAX_UNIT_LENGTH",
    "MAX_XLSX_UNCOMPRESSED_BYTES",
    "QUANTITY_RANGE",
    "RELATIVE_ERROR_RANGE",
    "UNIT_FACTOR_RANGE",
    "in_quantity_range",
]

#: Largest file or buffer tcfit reads, in bytes; checked before reading.
MAX_INPUT_BYTES: int = 512 * 2**20
#: Largest total size of the parts of an .xlsx workbook once inflated (a zip bomb is refused
#: from its zip directory, before openpyxl parses anything).
MAX_XLSX_UNCOMPRESSED_BYTES: int = 256 * 2**20
#: Most columns a table may have.
MAX_COLUMNS: int = 1000
#: Most data rows a table may have.
MAX_ROWS: int = 1_000_000
#: Most cells (rows × columns) a table may have.
MAX_CELLS: int = 10_000_000
#: Every quantity (and absolute uncertainty) must have an SI magnitude in this closed range
#: (zero is allowed for an uncertainty; the sign rules of the schema apply separately).
QUANTITY_RANGE: tuple[float, float] = (1e-50, 1e50)
#: An uncertainty divided by its value must be zero or lie in [low, high): below 1e-10 it is
#: under double precision's reach, at 1 (100 %) or more the value is not measured.
RELATIVE_ERROR_RANGE: tuple[float, float] = (1e-10, 1.0)
#: The factor of a header unit to SI (``mT`` → 1e-3) must be positive and in this range.
UNIT_FACTOR_RANGE: tuple[float, float] = (1e-60, 1e60)
#: Longest unit expression read from a header or ``units=``.
MAX_UNIT_LENGTH: int = 64
#: Largest magnitude of a power in a unit expression (``cm^-3``, ``10^29``).
MAX_UNIT_EXPONENT: int = 64


def in_quantity_range(magnitude: float) -> bool:
    """True when ``magnitude`` (≥ 0) is zero or within :data:`QUANTITY_RANGE`.

    Examples
    --------
    >>> in_quantity_range(0.0103), in_quantity_range(1e-320), in_quantity_range(1e300)
    (True, False, False)
    """
    low, high = QUANTITY_RANGE
    return magnitude == 0.0 or low <= magnitude <= high
