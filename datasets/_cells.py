"""Cells as written to values: numbers, yes/no flags and text.

Every function takes one column of cells (any dtype: the strings of a text file, the numbers of a
spreadsheet or a DataFrame) and returns the values with masks of missing and unreadable cells, so
the caller can name the row and column of each problem.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ASCII_BLANKS",
    "arrow_strings",
    "cell_at",
    "extra_column",
    "parse_bool",
    "parse_numbers",
    "present",
    "text_column",
    "text_contains",
    "text_matches",
    "unparsable_message",
]

_MISSING = frozenset({"", "na", "n/a", "nan", "none", "null", "-", "—", "–", "?"})
#: What is stripped from the ends of a text cell: ASCII blanks only, so that a name keeps every
#: other character it was written with (a no-break space, a zero-width joiner, ...).
ASCII_BLANKS = " \t\r\n\f\v"
#: In text joined with NUL: a cell that is empty or starts or ends with whitespace (``\s`` is
#: the whitespace of :meth:`str.strip`).
_UNTIDY = re.compile(r"(?:^|\x00)(?:\s|\x00|$)|\s(?:\x00|$)")
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f", ""})
_DECIMAL_COMMA = re.compile(r"^[+-]?[0-9]+,[0-9]+$")
_THOUSANDS = re.compile(r"^[+-]?[0-9]{1,3}([,. \u00a0\u202f'][0-9]{3})+([.,][0-9]+)?$")
_PAREN_UNCERTAINTY = re.compile(r"^[+-]?[0-9]*\.?[0-9]+(\([0-9]+\))([eE][+-]?[0-9]+)?$")


def present(value: Any) -> bool:
    """True for a cell that holds something: not None, not NaN, not blank text.

    Examples
    --------
    >>> present("  "), present(float("nan")), present(0)
    (False, False, True)
    """
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, float) and math.isnan(value):
        return False
    return True


def cell_at(cells: pd.Series, row: int) -> Any:
    """The cell of ``cells`` (indexed by row number) at ``row`` as a Python object (a NumPy
    scalar becomes the Python number it holds, so a message shows ``-1.0``, not
    ``np.float64(-1.0)``); ``None`` if there is no such row.

    Examples
    --------
    >>> cell_at(pd.Series([1.5, -1.0], index=[2, 3]), 3), cell_at(pd.Series(["a"], index=[2]), 9)
    (-1.0, None)
    """
    value = cells.get(row)
    return value.item() if isinstance(value, np.generic) else value


def short(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to about ``limit`` characters for a message.

    Examples
    --------
    >>> short("x" * 100, limit=20)
    "'xxxxxxxxxxxxx…' (100 characters)"
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        digits = int(value.bit_length() * math.log10(2)) + 1
        return f"an integer of about {digits:,} digits"
    try:
        text = repr(value)
    except (RecursionError, ValueError):  # deeply nested, or an int beyond str()'s limit
        return f"a {type(value).__name__} too large to show"
    if len(text) <= limit:
        return text
    length = f" ({len(value):,} characters)" if isinstance(value, str) else ""
    return text[: limit - 6] + "…" + text[0] + length


def _other(value: Any) -> tuple[float, bool, bool]:
    """(value, missing, bad) of a cell that is not text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return math.nan, True, False
    if isinstance(value, (bool, np.bool_)):
        return math.nan, False, True
    if isinstance(value, (int, np.integer)):
        try:
            return float(value), False, False
        except OverflowError:
            return math.nan, False, True
    if isinstance(value, (float, np.floating, Decimal)):
        number = float(value)
        return number, math.isnan(number), False
    return math.nan, False, True  # bytes, lists, dates, complex numbers: not a measurement


def parse_numbers(
    series: pd.Series, decimal: str = "."
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values as float, a mask of missing cells and a mask of unparsable cells.

    Missing cells are empty, ``NaN`` or one of the usual placeholders (``"n/a"``, ``"-"``,
    ``"?"``, ...). A yes/no value, bytes, a list, a date, a complex number or an integer too
    large for a float is unparsable; ``"−"`` (minus sign) reads as ``"-"``. With
    ``decimal=","`` (a European CSV, :func:`tcfit.datasets.formats.text.decimal_separator`)
    text is read with a decimal comma (``"1,5"`` is 1.5) and a decimal point is unparsable.

    Examples
    --------
    >>> values, missing, bad = parse_numbers(pd.Series(["1.5", "n/a", "x"], dtype=object))
    >>> values.tolist()[0], missing.tolist(), bad.tolist()
    (1.5, [False, True, False], [False, False, True])
    """
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_complex_dtype(series.dtype):
        values = np.full(len(series), np.nan)
        missing = series.isna().to_numpy()
        return values, missing, ~missing
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = np.array(series.to_numpy(dtype=float, na_value=np.nan), dtype=float)
        missing = np.isnan(values)
        return values, missing, np.zeros(len(series), dtype=bool)
    objects = series.astype(object).reset_index(drop=True)
    is_text = _is_text(objects)
    values = np.full(len(objects), np.nan)
    missing = np.zeros(len(objects), dtype=bool)
    bad = np.zeros(len(objects), dtype=bool)
    null = objects.isna().to_numpy(dtype=bool) & ~is_text
    missing[null] = True
    for k in np.flatnonzero(~is_text & ~null):  # numbers, bools, bytes... in an object column
        values[k], missing[k], bad[k] = _other(objects.iloc[k])
    if is_text.any():
        text = objects[is_text].astype(str)
        stripped = text.str.strip().str.replace("−", "-", regex=False)
        if decimal == ",":  # a point is no number here; the comma becomes the point
            stripped = stripped.where(~stripped.str.contains(".", regex=False), "x")
            stripped = stripped.str.replace(",", ".", regex=False)
        blank = stripped.str.lower().isin(_MISSING).to_numpy(dtype=bool)
        numbers = pd.to_numeric(stripped.where(~blank, None), errors="coerce")
        parsed = np.array(numbers.to_numpy(dtype=float, na_value=np.nan), dtype=float)
        where = np.flatnonzero(is_text)
        values[where] = parsed
        missing[where] = blank
        bad[where] = np.isnan(parsed) & ~blank
    values[missing | bad] = np.nan
    return values, missing, bad


def unparsable_message(value: Any) -> str:
    """Why ``value`` is not a number, with a hint at the usual cause.

    Examples
    --------
    >>> unparsable_message("1,5")
    "'1,5' is not a number. Write the decimal separator as a point (1.5, not 1,5)."
    >>> print(unparsable_message("1 000,5"))  # doctest: +NORMALIZE_WHITESPACE
    '1 000,5' is not a number. Write numbers without a thousands separator, with a point as
    the decimal separator (1000.5, not 1 000,5).
    """
    if isinstance(value, int) and not isinstance(value, (bool, np.bool_)):
        return f"{short(value)} is too large for a floating-point number (at most about 1.8e308)."
    text = str(value).strip() if isinstance(value, str) else ""
    hint = ""
    if _DECIMAL_COMMA.match(text):
        hint = " Write the decimal separator as a point (1.5, not 1,5)."
        if _THOUSANDS.match(text):
            hint += f" If the comma separates thousands, leave it out ({text.replace(',', '')})."
    elif _THOUSANDS.match(text):
        hint = (
            " Write numbers without a thousands separator, with a point as the decimal "
            f"separator (1000.5, not {text})."
        )
    elif any(c.isdigit() and not c.isascii() for c in text):
        hint = " Write its digits as ASCII 0-9 (not full-width or other scripts' digits)."
    elif text.lstrip("+-").isdigit() and len(text) > 300:
        hint = f" It has {len(text):,} digits, far beyond the range of a floating-point number."
    elif _PAREN_UNCERTAINTY.match(text):
        hint = " Give the uncertainty in its own column (e.g. 'Tc_err') instead of in brackets."
    elif isinstance(value, (bool, np.bool_)):
        hint = " A yes/no value is not a measurement."
    elif not isinstance(value, str):
        hint = f" A cell of type {type(value).__name__} is not a measurement."
    elif re.search(r"[A-Za-zµμ]", text):
        hint = " Put units in the column header (e.g. 'Bc [mT]'), not in the cells."
    return f"{short(value)} is not a number.{hint}"


def parse_bool(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Flags as bool and a mask of cells that are neither true nor false (empty is false)."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.fillna(False).to_numpy(dtype=bool), np.zeros(len(series), dtype=bool)
    text = series.astype(object).map(lambda v: "" if v is None else str(v).strip().lower())
    text = text.where(~series.isna(), "")
    truthy = text.isin(_TRUE).to_numpy(dtype=bool)
    bad = ~(truthy | text.isin(_FALSE).to_numpy(dtype=bool))
    return truthy, bad


def _is_text(objects: pd.Series) -> np.ndarray:
    """Mask of the cells that are ``str``: without a per-cell Python call when every non-null
    cell is text (pandas' type inference), the usual case."""
    kind = pd.api.types.infer_dtype(objects, skipna=True)
    if kind in ("string", "empty"):
        mask: np.ndarray = objects.notna().to_numpy(dtype=bool)
        return mask
    out: np.ndarray = objects.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    return out


def text_matches(series: pd.Series, pattern: str) -> np.ndarray:
    """Mask of the cells that are text matching the regular expression ``pattern``.

    One vectorised pandas string operation when the column holds only text (and nulls); other
    cells (numbers, None) never match.

    Examples
    --------
    >>> text_matches(pd.Series(["a\\nb", None, 3.0, "c"], dtype=object), r"[\\n\\r]").tolist()
    [True, False, False, False]
    """
    if isinstance(series.array, pd.arrays.ArrowStringArray):  # Arrow's regex kernel (RE2)
        return _arrow_matches(series, pattern)
    objects = pd.Series(series.to_numpy(dtype=object), dtype=object)
    is_text = _is_text(objects)
    if not is_text.any() or re.search(pattern, "\x00".join(objects[is_text])) is None:
        return np.zeros(len(objects), dtype=bool)  # one scan of the joined text found nothing
    found = objects[is_text].str.contains(pattern, regex=True).to_numpy(dtype=bool)
    out = np.zeros(len(objects), dtype=bool)
    out[is_text] = found
    return out


def _arrow_matches(series: pd.Series, pattern: str) -> np.ndarray:
    import pyarrow.compute as pc

    found = pc.match_substring_regex(arrow_strings(series), pattern).fill_null(False)
    out: np.ndarray = found.to_numpy(zero_copy_only=False).astype(bool, copy=False)
    return out


def arrow_strings(series: pd.Series) -> Any:
    """The pyarrow array of a column of pandas' Arrow-backed ``str`` dtype (its buffers, not
    copied; the chunks combined)."""
    import pyarrow as pa

    values: Any = series.array  # an ArrowStringArray: pyarrow reads it through __arrow_array__
    return pa.array(values)


def _arrow_untidy(series: pd.Series) -> bool:
    """Whether a cell of an Arrow string column is empty or starts or ends with whitespace.

    Arrow's ``utf8_trim_whitespace`` trims exactly the characters :meth:`str.isspace` calls
    whitespace (``tests/test_scale.py`` checks every one), so a column it leaves unchanged has
    nothing :func:`text_column` would strip or blank.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    array = arrow_strings(series)
    length = pc.binary_length(array)
    trimmed = pc.binary_length(pc.utf8_trim_whitespace(array))
    empty = pc.equal(length, pa.scalar(0, length.type))
    return bool(pc.any(pc.or_(pc.not_equal(trimmed, length), empty)).as_py())


def text_contains(series: pd.Series, characters: str) -> np.ndarray:
    """Mask of the cells that are text holding any of ``characters`` (plain, not a pattern).

    Examples
    --------
    >>> text_contains(pd.Series(["a\\nb", None, "c"], dtype="str"), "\\n\\r").tolist()
    [True, False, False]
    """
    if isinstance(series.array, pd.arrays.ArrowStringArray):
        import pyarrow.compute as pc

        array = arrow_strings(series)
        found = np.zeros(len(series), dtype=bool)
        for character in characters:
            hit = pc.match_substring(array, character).fill_null(False)
            found |= hit.to_numpy(zero_copy_only=False).astype(bool, copy=False)
        return found
    return text_matches(series, "[" + re.escape(characters) + "]")


def _as_text(value: Any) -> Any:
    if not present(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip(ASCII_BLANKS)


def text_column(series: pd.Series) -> pd.Series:
    """Cells as stripped text, ``None`` where empty; a whole float such as ``3.0`` reads ``"3"``.

    A column of text (and nulls) is converted by pandas' vectorised string methods; only a
    column that mixes text with numbers or other objects is converted cell by cell.
    """
    if isinstance(series.array, pd.arrays.ArrowStringArray) and not series.hasnans:
        if not _arrow_untidy(series):  # nothing to strip, no blank cell: as it is
            return series
    objects = series.astype(object)
    if pd.api.types.infer_dtype(objects, skipna=True) not in ("string", "empty"):
        return objects.map(_as_text)
    given = objects.notna().to_numpy(dtype=bool)
    joined = "\x00".join(objects[given])
    if given.all() and not _UNTIDY.search(joined):  # one scan: no blank cell, nothing to strip
        return objects
    text = objects.notna() & objects.astype(object).str.strip().ne("").fillna(False)
    stripped = objects.str.strip(ASCII_BLANKS) if text.any() else objects
    return stripped.where(text.astype(bool), None).astype(object)


def extra_column(series: pd.Series, decimal: str = ".") -> pd.Series:
    """A column tcfit does not know: numbers if every given cell is one, else text."""
    if not pd.api.types.is_object_dtype(series.dtype) and not pd.api.types.is_string_dtype(
        series.dtype
    ):
        return series.reset_index(drop=True)
    text = text_column(series)
    values, missing, bad = parse_numbers(series, decimal)
    if not bad.any() and not missing.all():
        return pd.Series(values)
    return text.reset_index(drop=True)
