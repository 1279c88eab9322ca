"""Cells as written to values: numbers, yes/no flags and text.

Every function takes one column of cells (any dtype: the strings of a text file, the numbers of a
spreadsheet or a DataFrame) and returns the values with masks of missing and unreadable cells, so
the caller can name the row and column of each problem.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "extra_column",
    "parse_bool",
    "parse_numbers",
    "present",
    "text_column",
    "unparsable_message",
]

_MISSING = frozenset({"", "na", "n/a", "nan", "none", "null", "-", "—", "–", "?"})
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f", ""})
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_PAREN_UNCERTAINTY = re.compile(r"^[+-]?\d*\.?\d+(\(\d+\))([eE][+-]?\d+)?$")


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


def parse_numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values as float, a mask of missing cells and a mask of unparsable cells.

    Missing cells are empty, ``NaN`` or one of the usual placeholders (``"n/a"``, ``"-"``,
    ``"?"``, ...). A yes/no value is unparsable; ``"−"`` (minus sign) reads as ``"-"``.

    Examples
    --------
    >>> values, missing, bad = parse_numbers(pd.Series(["1.5", "n/a", "x"], dtype=object))
    >>> values.tolist()[0], missing.tolist(), bad.tolist()
    (1.5, [False, True, False], [False, False, True])
    """
    if pd.api.types.is_bool_dtype(series.dtype):
        values = np.full(len(series), np.nan)
        missing = series.isna().to_numpy()
        return values, missing, ~missing
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = np.array(series.to_numpy(dtype=float, na_value=np.nan), dtype=float)
        missing = np.isnan(values)
        return values, missing, np.zeros(len(series), dtype=bool)
    objects = series.astype(object)
    is_text = objects.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    is_bool = objects.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    text = objects.where(is_text, None)
    stripped = text.str.strip().str.replace("−", "-", regex=False)
    missing_text = stripped.str.lower().isin(_MISSING).to_numpy(dtype=bool) & is_text
    cleaned = objects.where(~is_text, stripped).where(~is_bool, None)
    numbers = pd.to_numeric(cleaned, errors="coerce")
    values = np.array(numbers.to_numpy(dtype=float, na_value=np.nan), dtype=float)
    missing = (objects.isna().to_numpy(dtype=bool) & ~is_text) | missing_text
    values[missing] = np.nan
    bad = (np.isnan(values) & ~missing) | is_bool
    # A number cell that is NaN (JSON NaN, a float NaN in a DataFrame) is a missing value.
    nan_number = np.isnan(values) & ~is_text & ~is_bool
    missing |= nan_number
    bad &= ~nan_number
    values[bad] = np.nan
    return values, missing, bad


def unparsable_message(value: Any) -> str:
    """Why ``value`` is not a number, with a hint at the usual cause.

    Examples
    --------
    >>> unparsable_message("1,5")
    "'1,5' is not a number. Write the decimal separator as a point (1.5, not 1,5)."
    """
    text = str(value).strip()
    hint = ""
    if _DECIMAL_COMMA.match(text):
        hint = " Write the decimal separator as a point (1.5, not 1,5)."
    elif _PAREN_UNCERTAINTY.match(text):
        hint = " Give the uncertainty in its own column (e.g. 'Tc_err') instead of in brackets."
    elif isinstance(value, bool):
        hint = " A yes/no value is not a measurement."
    elif re.search(r"[A-Za-zµμ]", text):
        hint = " Put units in the column header (e.g. 'Bc [mT]'), not in the cells."
    return f"{value!r} is not a number.{hint}"


def parse_bool(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Flags as bool and a mask of cells that are neither true nor false (empty is false)."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.fillna(False).to_numpy(dtype=bool), np.zeros(len(series), dtype=bool)
    text = series.astype(object).map(lambda v: "" if v is None else str(v).strip().lower())
    text = text.where(~series.isna(), "")
    truthy = text.isin(_TRUE).to_numpy(dtype=bool)
    bad = ~(truthy | text.isin(_FALSE).to_numpy(dtype=bool))
    return truthy, bad


def text_column(series: pd.Series) -> pd.Series:
    """Cells as stripped text, ``None`` where empty; a whole float such as ``3.0`` reads ``"3"``."""

    def as_text(value: Any) -> Any:
        if not present(value):
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    return series.astype(object).map(as_text)


def extra_column(series: pd.Series) -> pd.Series:
    """A column tcfit does not know: numbers if every given cell is one, else text."""
    if not pd.api.types.is_object_dtype(series.dtype) and not pd.api.types.is_string_dtype(
        series.dtype
    ):
        return series.reset_index(drop=True)
    text = text_column(series)
    values, missing, bad = parse_numbers(series)
    if not bad.any() and not missing.all():
        return pd.Series(values)
    return text.reset_index(drop=True)
