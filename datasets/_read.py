"""Read a measurement table in any common format and unit into the canonical SI frame.

One path for every input: the bytes (or the DataFrame) become a *raw table* (headers, cells as
written, and the row number of every record as the user sees it), and :func:`_canonicalise`
turns the raw table into the canonical frame of :mod:`tcfit.datasets._schema` — matching
column aliases, reading units from headers or ``units=``, converting to SI once, deriving ``n``
from the valence where asked to, and collecting every problem into one :class:`DataError`.

Row numbers in messages
-----------------------
* CSV/TSV/text: the physical line of the file where the record starts (the header line is row
  1 when the file starts with it; blank lines and ``#`` comment lines count as lines).
* XLSX: the spreadsheet row number shown by Excel.
* JSON: record ``k`` (counting from 0) is row ``k + 2``, the line it would occupy in a CSV with
  one header line; the same for the ``k``-th entry of a JSON object of columns.
* Parquet and pandas DataFrames: position ``k`` (from 0) is row ``k + 2``, the line it would
  occupy in ``df.to_csv(index=False)``.
* Built-in datasets: the line of the shipped CSV file.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import itertools
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tcfit.errors import DataError, InputError, Problem, UnitError

from ._aliases import (
    ALIASES,
    CANONICAL_ORDER,
    QUANTITY_COLUMNS,
    TEXT_COLUMNS,
    HeaderMatch,
    match_header,
    match_name,
)
from ._schema import (
    CHECK_FINITE,
    CHECK_POSITIVE,
    FINITE_ERROR,
    NON_NEGATIVE_ERROR,
    POSITIVE_ERROR,
    failure_cases,
)
from ._units import DIMENSIONLESS, SI_UNITS, is_percent, normalise_unit, scale_to_si, si_factor

__all__ = ["DEFAULT_REQUIRE", "I_WARN_HIGH", "I_WARN_LOW", "read", "resolve"]

#: The columns a fit needs on every row.
DEFAULT_REQUIRE: tuple[str, ...] = ("tc", "bc", "n")
#: An implied i outside [I_WARN_LOW, I_WARN_HIGH] (with the SI reading) triggers a unit warning.
I_WARN_LOW = 1e-3
I_WARN_HIGH = 1e4

_MISSING = frozenset({"", "na", "n/a", "nan", "none", "null", "-", "—", "–", "?"})
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f", ""})
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_PAREN_UNCERTAINTY = re.compile(r"^[+-]?\d*\.?\d+(\(\d+\))([eE][+-]?\d+)?$")
_ELEMENT = re.compile(r"^([A-Z][a-z]?)(?=$|[\s(\[_\-,])")
_TEXT_EXTENSIONS = {".csv": ",", ".tsv": "\t", ".tab": "\t", ".txt": None, ".dat": None}
_EXCEL_EXTENSIONS = {".xlsx", ".xlsm"}
_PARQUET_EXTENSIONS = {".parquet", ".pq"}
_FORMAT_NAMES = {
    "xlsx": "an Excel .xlsx workbook",
    "xls": "an old binary Excel .xls workbook",
    "parquet": "a Parquet file",
    "json": "JSON",
    "text": "a text table (CSV/TSV)",
}


# --------------------------------------------------------------------------------------------
# Raw tables


@dataclass
class _Raw:
    """A table as written: headers, cells (positional columns) and the user's row numbers."""

    headers: list[str]
    cells: pd.DataFrame
    rows: np.ndarray
    label: str | None
    name: str
    sha256: str
    fmt: str
    problems: list[Problem] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # canonical -> header to show


def _fail(message: str, label: str | None, row: int | None = None) -> DataError:
    return DataError([Problem(message, file=label, row=row)], file=label)


def _from_records(
    headers: list[Any],
    records: list[tuple[int, list[Any]]],
    *,
    label: str | None,
    name: str,
    sha: str,
    fmt: str,
) -> _Raw:
    """Build a raw table from a header and ``(row_number, cells)`` records."""
    if not records:
        raise _fail("The file has a header but no data rows.", label, row=None)
    width = len(headers)
    problems: list[Problem] = []
    fixed: list[list[Any]] = []
    for row, cells in records:
        extra = cells[width:]
        if any(_present(c) for c in extra):
            problems.append(
                Problem(
                    f"This row has {len(cells)} cells but the header has {width} columns.",
                    file=label,
                    row=row,
                )
            )
        cells = list(cells[:width]) + [None] * (width - len(cells))
        fixed.append(cells)
    cells_frame = pd.DataFrame(fixed, columns=range(width), dtype=object)
    names: list[str] = []
    keep: list[int] = []
    for j, header in enumerate(headers):
        text = "" if header is None else str(header).strip()
        if not text:
            if not cells_frame[j].map(_present).any():
                continue  # an unnamed, empty column: a trailing delimiter
            text = f"Unnamed: {j}"
        names.append(text)
        keep.append(j)
    cells_frame = cells_frame[keep].set_axis(range(len(keep)), axis=1)
    rows = np.array([r for r, _ in records], dtype=np.int64)
    return _Raw(names, cells_frame, rows, label, name, sha, fmt, problems)


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, float) and math.isnan(value):
        return False
    return True


def _decode(blob: bytes, label: str | None) -> tuple[str, str]:
    if blob.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return blob.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise _fail(f"The file is not valid UTF-16 text ({err.reason}).", label) from err
    if b"\x00" in blob:
        raise _fail(
            "The file contains NUL bytes, so it is not a text table; tcfit reads CSV, TSV, "
            "JSON, .xlsx and Parquet files.",
            label,
        )
    try:
        return blob.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return blob.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return blob.decode("latin-1"), "latin-1"


def _sniff(blob: bytes) -> str:
    if blob.startswith(b"PK\x03\x04"):
        return "xlsx"
    if blob.startswith(b"PAR1"):
        return "parquet"
    if blob.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    head = blob[:64].lstrip(b"\xef\xbb\xbf").lstrip()
    if head[:1] in (b"[", b"{"):
        return "json"
    return "text"


def _guess_delimiter(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "\t" in line:
            return "\t"
        if "," in line:
            return ","
        if ";" in line:
            return ";"
        return ","
    return ","


def _parse_text(
    text: str, *, label: str | None, name: str, sha: str, delimiter: str | None
) -> _Raw:
    if delimiter is None or (delimiter == "," and _guess_delimiter(text) in "\t;"):
        delimiter = _guess_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[Any]]] = []
    comments: list[int] = []
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if not cells or not any(c.strip() for c in cells):
                continue
            if cells[0].lstrip().startswith("#"):
                comments.append(start)
                continue
            records.append((start, cells))
    except csv.Error as err:
        raise _fail(f"The file cannot be read as a table: {err}.", label, row=previous + 1) from err
    if not records:
        raise _fail(
            "The file is empty (no header and no data rows).",
            label,
        )
    (_, header), data = records[0], records[1:]
    raw = _from_records(
        header, data, label=label, name=name, sha=sha, fmt="tsv" if delimiter == "\t" else "csv"
    )
    raw.info["delimiter"] = delimiter
    if comments:
        raw.info["comment_rows"] = comments
    return raw


def _json_scalar(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, ensure_ascii=False)


def _parse_json(text: str, *, label: str | None, name: str, sha: str) -> _Raw:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        raise _fail(
            f"The file is not valid JSON: {err.msg} (line {err.lineno}, column {err.colno}).",
            label,
        ) from err
    except RecursionError as err:
        raise _fail("The JSON is nested too deeply to be a table.", label) from err
    shape_hint = (
        'JSON must be a list of records ([{"material": "Al", "tc": 1.175, ...}, ...]), '
        'an object of columns ({"material": [...], "tc": [...]}) or pandas\' \'split\' or '
        "'table' layout"
    )
    if isinstance(obj, dict) and isinstance(obj.get("data"), list):
        if isinstance(obj.get("columns"), list):  # pandas orient="split"
            split_headers = list(obj["columns"])
            rows = obj["data"]
            if not all(isinstance(r, list) for r in rows):
                raise _fail(f"{shape_hint}; 'data' must be a list of lists.", label)
            records = [(k + 2, [_json_scalar(v) for v in r]) for k, r in enumerate(rows)]
            return _from_records(
                split_headers, records, label=label, name=name, sha=sha, fmt="json"
            )
        obj = obj["data"]  # pandas orient="table"
    if isinstance(obj, list):
        if not obj:
            raise _fail("The JSON list holds no records.", label)
        if not all(isinstance(r, dict) for r in obj):
            raise _fail(f"{shape_hint}; not every entry of the list is an object.", label)
        headers: list[Any] = []
        seen: set[str] = set()
        for record in obj:
            for key in record:
                if key not in seen:
                    seen.add(key)
                    headers.append(key)
        records = [(k + 2, [_json_scalar(r.get(h)) for h in headers]) for k, r in enumerate(obj)]
        return _from_records(headers, records, label=label, name=name, sha=sha, fmt="json")
    if isinstance(obj, dict) and obj:
        columns = list(obj.values())
        if all(isinstance(c, list) for c in columns):
            length = max(len(c) for c in columns)
            if any(len(c) != length for c in columns):
                raise _fail("The JSON columns have different lengths.", label)
            records = [(k + 2, [_json_scalar(c[k]) for c in columns]) for k in range(length)]
            return _from_records(list(obj), records, label=label, name=name, sha=sha, fmt="json")
        if all(isinstance(c, dict) for c in columns):
            keys: list[str] = []
            seen = set()
            for column in columns:
                for key in column:
                    if key not in seen:
                        seen.add(key)
                        keys.append(key)
            records = [
                (k + 2, [_json_scalar(c.get(key)) for c in columns]) for k, key in enumerate(keys)
            ]
            return _from_records(list(obj), records, label=label, name=name, sha=sha, fmt="json")
    raise _fail(f"{shape_hint}.", label)


def _parse_xlsx(
    blob: bytes, *, label: str | None, name: str, sha: str, sheet: str | int | None
) -> _Raw:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(blob), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises zipfile, KeyError, XML and its own errors
        raise _fail(f"The file is not a readable .xlsx workbook ({err}).", label) from err
    try:
        sheets = book.sheetnames
        if sheet is None:
            chosen = sheets[0]
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(sheets):
                raise _fail(
                    f"The workbook has {len(sheets)} sheet(s) ({', '.join(map(repr, sheets))}); "
                    f"there is no sheet number {sheet} (counting from 0).",
                    label,
                )
            chosen = sheets[sheet]
        elif sheet in sheets:
            chosen = str(sheet)
        else:
            raise _fail(
                f"The workbook has no sheet {sheet!r}; its sheets are "
                f"{', '.join(map(repr, sheets))}.",
                label,
            )
        records: list[tuple[int, list[Any]]] = []
        for row, values in enumerate(book[chosen].iter_rows(min_row=1, values_only=True), 1):
            cells = [
                v if v is None or isinstance(v, (str, int, float, bool)) else str(v) for v in values
            ]
            if any(_present(c) for c in cells):
                records.append((row, cells))
    finally:
        book.close()
    if not records:
        raise _fail(f"The sheet {chosen!r} is empty.", label)
    (_, header), data = records[0], records[1:]
    raw = _from_records(header, data, label=label, name=name, sha=sha, fmt="xlsx")
    raw.info["sheet"] = chosen
    return raw


def _raw_from_frame(
    frame: pd.DataFrame, *, label: str | None, name: str, sha: str | None = None, fmt: str
) -> _Raw:
    if not isinstance(frame.index, pd.RangeIndex) and any(n is not None for n in frame.index.names):
        frame = frame.reset_index()
    if frame.shape[1] == 0:
        raise _fail("The table has no columns.", label)
    if frame.shape[0] == 0:
        raise _fail("The table has a header but no data rows.", label)
    if sha is None:
        digest = hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()
    else:
        digest = sha
    cells = frame.set_axis(range(frame.shape[1]), axis=1).reset_index(drop=True)
    rows = np.arange(2, frame.shape[0] + 2, dtype=np.int64)
    headers = [str(c).strip() or f"Unnamed: {j}" for j, c in enumerate(frame.columns)]
    return _Raw(headers, cells, rows, label, name, digest, fmt)


def _raw_from_bytes(blob: bytes, *, label: str | None, name: str, sheet: str | int | None) -> _Raw:
    sha = hashlib.sha256(blob).hexdigest()
    if not blob.strip():
        raise _fail("The file is empty.", label)
    ext = Path(label).suffix.lower() if label else ""
    sniffed = _sniff(blob)
    if ext == ".xls" or sniffed == "xls":
        raise _fail(
            "Old binary Excel (.xls) workbooks are not supported; save the sheet as .xlsx or CSV.",
            label,
        )
    if ext in _EXCEL_EXTENSIONS:
        expected = "xlsx"
    elif ext in _PARQUET_EXTENSIONS:
        expected = "parquet"
    elif ext == ".json":
        expected = "json"
    elif ext in _TEXT_EXTENSIONS:
        expected = "text"
    else:
        expected = sniffed
    if expected != sniffed and not (expected == "text" and sniffed == "json"):
        if expected == "json" and sniffed == "text":
            pass  # let the JSON parser say where it fails
        else:
            raise _fail(
                f"The file's extension {ext!r} says {_FORMAT_NAMES[expected]}, but its content "
                f"looks like {_FORMAT_NAMES[sniffed]}.",
                label,
            )
    if expected == "xlsx":
        return _parse_xlsx(blob, label=label, name=name, sha=sha, sheet=sheet)
    if expected == "parquet":
        try:
            frame = pd.read_parquet(io.BytesIO(blob))
        except Exception as err:  # pyarrow raises several error types for damaged files
            raise _fail(f"The file is not a readable Parquet file ({err}).", label) from err
        return _raw_from_frame(frame, label=label, name=name, sha=sha, fmt="parquet")
    text, encoding = _decode(blob, label)
    if expected == "json":
        raw = _parse_json(text, label=label, name=name, sha=sha)
    else:
        raw = _parse_text(
            text, label=label, name=name, sha=sha, delimiter=_TEXT_EXTENSIONS.get(ext)
        )
    raw.info["encoding"] = encoding
    return raw


# --------------------------------------------------------------------------------------------
# Cells to numbers


def _parse_numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values as float, a mask of missing cells and a mask of unparsable cells."""
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


def _unparsable_message(value: Any) -> str:
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


def _parse_bool(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.fillna(False).to_numpy(dtype=bool), np.zeros(len(series), dtype=bool)
    text = series.astype(object).map(lambda v: "" if v is None else str(v).strip().lower())
    text = text.where(~series.isna(), "")
    truthy = text.isin(_TRUE).to_numpy(dtype=bool)
    bad = ~(truthy | text.isin(_FALSE).to_numpy(dtype=bool))
    return truthy, bad


def _text_column(series: pd.Series) -> pd.Series:
    def as_text(value: Any) -> Any:
        if not _present(value):
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    return series.astype(object).map(as_text)


# --------------------------------------------------------------------------------------------
# n from the valence


def _element_properties(materials: Iterable[str]) -> dict[str, tuple[float, float, str]]:
    """Density (kg m⁻³) and molar mass (kg mol⁻¹) from periodictable for element symbols."""
    import periodictable

    found: dict[str, tuple[float, float, str]] = {}
    for material in set(materials):
        match = _ELEMENT.match(material)
        if not match:
            continue
        try:
            element = periodictable.elements.symbol(match.group(1))
        except ValueError:
            continue
        if element.density and element.mass:
            found[material] = (
                float(element.density) * 1e3,
                float(element.mass) * 1e-3,
                f"periodictable {periodictable.__version__} ({element.symbol})",
            )
    return found


def _usable(values: np.ndarray) -> np.ndarray:
    """Mask of finite, positive entries."""
    mask: np.ndarray = np.isfinite(values) & (values > 0)
    return mask


def _derive_n(
    frame: pd.DataFrame, rows: np.ndarray, label: str | None
) -> tuple[np.ndarray, list[dict[str, Any]], dict[int, str]]:
    """n = valence·ρ·N_A/M where n is missing and the valence is given.

    Returns the derived mask, a record per derived row, and for rows where n could not be
    derived the reason (used in the missing-value message).
    """
    from scipy.constants import Avogadro

    valence = frame["valence"].to_numpy(dtype=float) if "valence" in frame else None
    n = frame["n"].to_numpy(dtype=float)
    if valence is None:
        return np.zeros(len(frame), dtype=bool), [], {}
    wanted = np.isnan(n) & np.isfinite(valence) & (valence > 0)
    if not wanted.any():
        return np.zeros(len(frame), dtype=bool), [], {}
    density = (
        frame["density"].to_numpy(dtype=float).copy()
        if "density" in frame
        else np.full(len(frame), np.nan)
    )
    molar = (
        frame["molar_mass"].to_numpy(dtype=float).copy()
        if "molar_mass" in frame
        else np.full(len(frame), np.nan)
    )
    density_from = np.where(_usable(density), "file", "").astype(object)
    molar_from = np.where(_usable(molar), "file", "").astype(object)
    materials = frame["material"].astype(object)
    need = wanted & ~(_usable(density) & _usable(molar))
    if need.any():
        table = _element_properties(m for m in materials[need] if isinstance(m, str))
        for k in np.flatnonzero(need):
            props = table.get(materials.iloc[k]) if isinstance(materials.iloc[k], str) else None
            if props is None:
                continue
            if not _usable(density[k : k + 1])[0]:
                density[k], density_from[k] = props[0], props[2]
            if not _usable(molar[k : k + 1])[0]:
                molar[k], molar_from[k] = props[1], props[2]
    derived = wanted & _usable(density) & _usable(molar)
    n_new = valence * density * Avogadro / molar
    frame.loc[derived, "n"] = n_new[derived]
    records = [
        {
            "row": int(rows[k]),
            "material": materials.iloc[k],
            "valence": float(valence[k]),
            "density": float(density[k]),
            "density_from": str(density_from[k]),
            "molar_mass": float(molar[k]),
            "molar_mass_from": str(molar_from[k]),
            "n": float(n_new[k]),
        }
        for k in np.flatnonzero(derived)
    ]
    reasons = {
        int(rows[k]): (
            "n is empty and cannot be derived from the valence: no density and molar mass in "
            "the file, and the material is not an element symbol periodictable knows"
        )
        for k in np.flatnonzero(wanted & ~derived)
    }
    return derived, records, reasons


# --------------------------------------------------------------------------------------------
# The canonical frame


@dataclass
class _Column:
    match: HeaderMatch
    position: int
    unit: str | None = None
    unit_from: str = "default (SI)"


def _resolve_units_argument(
    units: Mapping[str, str] | None, chosen: dict[str, _Column], label: str | None
) -> tuple[dict[str, str], list[Problem]]:
    if units is None:
        return {}, []
    if not isinstance(units, Mapping):
        raise InputError(
            f"units must be a mapping such as {{'bc': 'mT', 'n': 'cm^-3'}}; got {units!r}.",
            argument="units",
        )
    given: dict[str, str] = {}
    problems: list[Problem] = []
    headers = {c.match.header: canonical for canonical, c in chosen.items()}
    for key, unit in units.items():
        canonical = headers.get(str(key)) or match_name(str(key))[0]
        if canonical is None or canonical not in chosen:
            present = ", ".join(repr(c.match.header) for c in chosen.values())
            problems.append(
                Problem(
                    f"units= names the column {key!r}, which the table does not have "
                    f"(its known columns are {present}).",
                    file=label,
                )
            )
        elif canonical not in SI_UNITS and canonical not in DIMENSIONLESS:
            problems.append(
                Problem(f"units= gives a unit for {key!r}, which holds text.", file=label)
            )
        elif not isinstance(unit, str) or not unit.strip():
            problems.append(
                Problem(f"units= gives {unit!r} for {key!r}; a unit must be a string.", file=label)
            )
        else:
            given[canonical] = unit.strip()
    return given, problems


def _map_columns(raw: _Raw) -> tuple[dict[str, _Column], list[tuple[int, str]], list[Problem]]:
    matches = [match_header(h) for h in raw.headers]
    groups: dict[str, list[int]] = {}
    for j, m in enumerate(matches):
        if m.canonical is not None:
            groups.setdefault(m.canonical, []).append(j)
    chosen: dict[str, _Column] = {}
    extras: list[int] = [j for j, m in enumerate(matches) if m.canonical is None]
    problems: list[Problem] = []
    for canonical, positions in groups.items():
        strong = [j for j in positions if not matches[j].weak]
        weak = [j for j in positions if matches[j].weak]
        if len(strong) > 1:
            names = " and ".join(repr(raw.headers[j]) for j in strong)
            problems.append(
                Problem(
                    f"The columns {names} all mean {canonical!r}; keep one or rename the others.",
                    file=raw.label,
                )
            )
            continue
        pick = strong[0] if strong else weak[0]
        chosen[canonical] = _Column(matches[pick], pick)
        extras.extend(j for j in positions if j != pick)
    extras.sort()
    taken = set(chosen)
    named_extras: list[tuple[int, str]] = []
    for j in extras:
        name, k = raw.headers[j], 1
        while name in taken:
            name, k = f"{raw.headers[j]}.{k}", k + 1
        taken.add(name)
        named_extras.append((j, name))
    return chosen, named_extras, problems


def _extra_column(series: pd.Series) -> pd.Series:
    if not pd.api.types.is_object_dtype(series.dtype) and not pd.api.types.is_string_dtype(
        series.dtype
    ):
        return series.reset_index(drop=True)
    text = _text_column(series)
    values, missing, bad = _parse_numbers(series)
    if not bad.any() and not missing.all():
        return pd.Series(values)
    return text.reset_index(drop=True)


def _canonicalise(
    raw: _Raw,
    *,
    units: Mapping[str, str] | None,
    require: tuple[str, ...],
    skip_invalid: bool,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    label = raw.label
    file_problems: list[Problem] = []
    unit_problems: list[Problem] = []
    chosen, extras, mapping_problems = _map_columns(raw)
    file_problems += mapping_problems
    for canonical, column in chosen.items():
        if canonical in raw.display:
            column.match = dataclasses.replace(column.match, header=raw.display[canonical])
    order = {c.match.header: c.position for c in chosen.values()}
    order.update({h: j for j, h in enumerate(raw.headers) if h not in order})
    given_units, argument_problems = _resolve_units_argument(units, chosen, label)
    file_problems += argument_problems

    # Units: header, then units=, then the value column's unit for *_err, then SI.
    for canonical, column in chosen.items():
        header_unit, argument_unit = column.match.unit, given_units.get(canonical)
        if canonical not in SI_UNITS and canonical not in DIMENSIONLESS:
            if header_unit is not None:
                # "Material (name)" style headers: the bracket is not a unit for a text column.
                pass
            continue
        if header_unit is not None and argument_unit is not None:
            if normalise_unit(header_unit) != normalise_unit(argument_unit):
                file_problems.append(
                    Problem(
                        f"The header states the unit {header_unit!r} but units= says "
                        f"{argument_unit!r}; give the unit in one place.",
                        file=label,
                        column=column.match.header,
                    )
                )
            column.unit, column.unit_from = header_unit, "header"
        elif header_unit is not None:
            column.unit, column.unit_from = header_unit, "header"
        elif argument_unit is not None:
            column.unit, column.unit_from = argument_unit, "units="
    for canonical, column in chosen.items():
        if canonical.endswith("_err") and column.unit is None:
            base = chosen.get(canonical[: -len("_err")])
            if base is not None and base.unit is not None:
                column.unit, column.unit_from = base.unit, f"value column {base.match.header!r}"

    factors: dict[str, float | None] = {}
    percent: set[str] = set()
    for canonical, column in chosen.items():
        if canonical not in SI_UNITS and canonical not in DIMENSIONLESS:
            continue
        if column.unit is None:
            factors[canonical] = 1.0
            continue
        if canonical.endswith("_err") and is_percent(column.unit):
            percent.add(canonical)
            factors[canonical] = 0.01
            continue
        try:
            factors[canonical] = si_factor(column.unit, canonical)
        except UnitError as err:
            factors[canonical] = None
            unit_problems.append(Problem(str(err), file=label, column=column.match.header))

    # Required columns that are absent (n may come from the valence).
    if "material" not in chosen:
        accepted = ", ".join(repr(a) for a in ALIASES["material"])
        file_problems.append(
            Problem(
                f"The table has no material column; name one of its columns {accepted} or 'name'.",
                file=label,
            )
        )
    for name in require:
        if name in chosen or (name == "n" and "valence" in chosen):
            continue
        accepted = ", ".join(repr(a) for a in ALIASES[name][:6])
        present = ", ".join(repr(h) for h in raw.headers)
        hint = " (or a 'valence' column to derive n from)" if name == "n" else ""
        file_problems.append(
            Problem(
                f"The required column {name!r} is missing{hint}. The table has the columns "
                f"{present}; accepted names for {name!r} include {accepted}, matched "
                "case-insensitively, with the unit in brackets, e.g. 'Bc [mT]'.",
                file=label,
            )
        )

    # Cells to values.
    row_problems: list[Problem] = list(raw.problems)
    reported: set[tuple[int, str]] = set()  # (row, column) already explained
    index = pd.Index(raw.rows, name="row")
    data: dict[str, Any] = {}
    raw_cells: dict[str, pd.Series] = {}
    for canonical, column in chosen.items():
        series = raw.cells[column.position]
        raw_cells[canonical] = pd.Series(series.to_numpy(dtype=object), index=index)
        header = column.match.header
        if canonical in QUANTITY_COLUMNS:
            values, _missing, bad = _parse_numbers(series)
            for k in np.flatnonzero(bad):
                reported.add((int(raw.rows[k]), canonical))
                row_problems.append(
                    Problem(
                        _unparsable_message(series.iloc[k]),
                        file=label,
                        row=int(raw.rows[k]),
                        column=header,
                    )
                )
            data[canonical] = scale_to_si(values, factors.get(canonical))
        elif canonical == "n_derived":
            flags, bad = _parse_bool(series)
            for k in np.flatnonzero(bad):
                row_problems.append(
                    Problem(
                        f"{series.iloc[k]!r} is not true or false.",
                        file=label,
                        row=int(raw.rows[k]),
                        column=header,
                    )
                )
            data[canonical] = flags
        else:
            data[canonical] = _text_column(series).to_numpy(dtype=object)
    for canonical in percent:
        value_column = canonical[: -len("_err")]
        if value_column in data:
            data[canonical] = data[canonical] * data[value_column]
        else:
            file_problems.append(
                Problem(
                    f"A relative uncertainty in % needs the value column {value_column!r}.",
                    file=label,
                    column=chosen[canonical].match.header,
                )
            )
    frame = pd.DataFrame(data, index=index)
    if "material" not in frame:
        frame["material"] = None
    if "n" not in frame and "valence" in frame:
        frame["n"] = np.nan
    for name in ("source", "note"):
        if name in frame:
            frame[name] = frame[name].where(frame[name].notna(), "")

    # n from the valence.
    already = (
        frame["n_derived"].to_numpy(dtype=bool)
        if "n_derived" in frame
        else np.zeros(len(frame), dtype=bool)
    )
    derived_mask, derived_records, not_derived = (
        _derive_n(frame, raw.rows, label)
        if "n" in frame and "valence" in frame
        else (np.zeros(len(frame), dtype=bool), [], {})
    )
    frame["n_derived"] = already | derived_mask

    # Duplicate materials.
    material = frame["material"]
    duplicated = material.duplicated(keep="first") & material.notna()
    if duplicated.any():
        first_row = pd.Series(frame.index, index=frame.index).groupby(material).transform("first")
        for row in frame.index[duplicated.to_numpy()]:
            row_problems.append(
                Problem(
                    f"The material {material[row]!r} already appears in row {first_row[row]}; "
                    "each material may appear only once.",
                    file=label,
                    row=int(row),
                    column=chosen["material"].match.header if "material" in chosen else None,
                )
            )

    # Schema: missing required values, non-finite and non-positive values.
    present_require = tuple(r for r in require if r in frame)
    schema_frame = frame.copy()
    for name in TEXT_COLUMNS:
        if name in schema_frame:
            schema_frame[name] = schema_frame[name].astype("str")
    cases = failure_cases(schema_frame, present_require)
    headers_of = {c: col.match.header for c, col in chosen.items()}
    if cases is not None:
        broken_units = {c for c, f in factors.items() if f is None}
        for case in cases.itertuples(index=False):
            column_name = str(case.column)
            if case.check in ("field_uniqueness", "column_in_dataframe"):
                continue  # explained above, with the row of the first occurrence / aliases
            if pd.isna(case.index):
                raise RuntimeError(  # the frame built here breaks its own schema: a bug
                    f"tcfit built a table that fails its schema: column {column_name!r}, "
                    f"check {case.check!r}, {case.failure_case!r}."
                )
            row = int(case.index)
            if (row, column_name) in reported or column_name in broken_units:
                continue
            if column_name == "material" and "material" not in chosen:
                continue
            reported.add((row, column_name))
            header = headers_of.get(column_name, column_name)
            raw_value = (
                raw_cells[column_name].get(row) if column_name in raw_cells else case.failure_case
            )
            name = frame["material"].get(row)
            who = f" of {name!r}" if isinstance(name, str) else ""
            if case.check == "not_nullable":
                if column_name == "material":
                    message = "The material name is empty."
                elif column_name == "n" and row in not_derived:
                    message = f"No value for the required column 'n'{who}: {not_derived[row]}."
                else:
                    message = f"No value for the required column {header!r}{who}."
            elif case.check in (CHECK_FINITE, FINITE_ERROR):
                message = f"{header}{who} is {raw_value!r}, not a finite number."
            elif case.check in (CHECK_POSITIVE, POSITIVE_ERROR, NON_NEGATIVE_ERROR):
                rule = NON_NEGATIVE_ERROR if column_name.endswith("_err") else POSITIVE_ERROR
                message = f"{header}{who} {rule}; the table has {raw_value!r}."
            else:  # a dtype failure: the frame built here breaks its own schema, a bug
                raise RuntimeError(
                    f"tcfit built a table that fails its schema: column {column_name!r}, "
                    f"check {case.check!r}, {case.failure_case!r}."
                )
            row_problems.append(Problem(message, file=label, row=row, column=header))

    if file_problems or unit_problems:
        problems = unit_problems + file_problems + _sorted(row_problems, order)
        error = UnitError if unit_problems and not file_problems else DataError
        raise error(problems, file=label)

    dropped: list[dict[str, Any]] = []
    if row_problems:
        row_problems = _sorted(row_problems, order)
        if not skip_invalid:
            raise DataError(row_problems, file=label)
        reasons: dict[int, list[str]] = {}
        for problem in row_problems:
            where = f"column {problem.column!r}: " if problem.column else ""
            reasons.setdefault(int(problem.row or 0), []).append(where + problem.message)
        for row, why in reasons.items():
            name = frame["material"].get(row)
            dropped.append(
                {
                    "row": row,
                    "material": name if isinstance(name, str) else None,
                    "reason": " ".join(why),
                }
            )
        frame = frame.drop(index=list(reasons))
        if frame.empty:
            raise DataError(
                [
                    Problem("No usable rows remain after dropping the invalid ones.", file=label),
                    *row_problems,
                ],
                file=label,
            )
        derived_records = [r for r in derived_records if r["row"] not in reasons]

    # Final layout.
    result = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for name in CANONICAL_ORDER:
        if name not in frame:
            continue
        values = frame[name].to_numpy()
        if name in QUANTITY_COLUMNS:
            result[name] = values.astype(float)
        elif name == "n_derived":
            result[name] = values.astype(bool)
        else:
            result[name] = pd.array(values, dtype="str")
    kept_positions = np.searchsorted(raw.rows, frame.index.to_numpy())
    for position, name in extras:
        column = _extra_column(raw.cells[position])
        result[name] = column.iloc[kept_positions].reset_index(drop=True)
    result.attrs = _attrs(raw, chosen, dropped, derived_records, require)
    return result, result.attrs


def _sorted(problems: list[Problem], order: dict[str, int]) -> list[Problem]:
    return sorted(
        problems,
        key=lambda p: (p.row if p.row is not None else -1, order.get(p.column or "", -1)),
    )


def _attrs(
    raw: _Raw,
    chosen: dict[str, _Column],
    dropped: list[dict[str, Any]],
    derived: list[dict[str, Any]],
    require: tuple[str, ...],
) -> dict[str, Any]:
    quantities = [c for c in CANONICAL_ORDER if c in chosen and c in QUANTITY_COLUMNS]
    if derived and "n" not in quantities:
        quantities.insert(2, "n")
    units = {c: SI_UNITS.get(c, "1") for c in quantities}
    as_given = {
        c: (chosen[c].unit if c in chosen and chosen[c].unit is not None else units[c])
        for c in quantities
    }
    units_from = {c: (chosen[c].unit_from if c in chosen else "derived") for c in quantities}
    attrs: dict[str, Any] = {
        "name": raw.name,
        "file": raw.label,
        "sha256": raw.sha256,
        "format": raw.fmt,
        "units": units,
        "units_as_given": as_given,
        "units_from": units_from,
        "columns_as_given": {c: col.match.header for c, col in chosen.items()},
        "require": list(require),
        "dropped": dropped,
        "derived": (
            {
                "n": {
                    "formula": "n = valence * density * N_A / molar_mass",
                    "rows": derived,
                }
            }
            if derived
            else {}
        ),
    }
    attrs.update(raw.info)
    return attrs


# --------------------------------------------------------------------------------------------
# Implied-i sanity check


_Guess = tuple[str, str, float, float]
_BC_GUESSES: tuple[_Guess, ...] = (("", "", 0.0, 0.0), ("Bc", "gauss or mT", -8.0, -6.0))
_N_GUESSES: tuple[_Guess, ...] = (
    ("", "", 0.0, 0.0),
    ("n", "cm^-3", -2.0, -2.0),
    ("n", "a mantissa of 1e28 or 1e29 m^-3", -29.0 / 3.0, -28.0 / 3.0),
)
_TC_GUESSES: tuple[_Guess, ...] = (("", "", 0.0, 0.0), ("Tc", "mK", 6.0, 6.0))
_PLAUSIBLE = (-1.0, 2.0)  # log10 of the i range that a unit fix should reach
_TYPICAL = 0.7  # log10(5), the middle of the paper's i values, to break ties


def unit_hint(
    log10_i: float,
    *,
    tc: float | None = None,
    bc: float | None = None,
    n: float | None = None,
) -> str:
    """Name the unit mistake most likely to give an implied i of ``10**log10_i``.

    Each candidate shifts log10 i by a known amount (i ∝ Bc² / (n^{1/3} Tc²)): Bc in gauss or
    mT read as tesla (+8 or +6), n in cm⁻³ read as m⁻³ (+2), n written as a mantissa of
    1e28–1e29 m⁻³ (+9.3 to +9.7), Tc in mK read as K (−6). The typical magnitudes of the
    columns, when given, narrow the candidates first (n below 1e4 can only be a mantissa,
    n from 1e4 to 1e25 "m⁻³" looks like cm⁻³, n above that is taken as SI; Tc above 300 K
    looks like mK; Bc above 100 T looks like gauss or mT). Of the remaining combinations the one
    that brings i into 0.1–100 with the fewest changes is named (ties: the one landing nearest
    i = 5).

    Parameters
    ----------
    log10_i : float
        Decimal logarithm of the implied i read with SI units.
    tc, bc, n : float, optional
        Typical (median) values of the columns as read, in K, T and m⁻³.

    Returns
    -------
    str
        E.g. ``"Bc looks like gauss or mT, n like cm^-3"``, or ``"check the units of Tc, Bc
        and n"`` when no combination fits.

    Examples
    --------
    >>> unit_hint(10.5, bc=103.0, n=1.81e23)
    'Bc looks like gauss or mT, n like cm^-3'
    >>> unit_hint(10.2, bc=0.0103, n=1.81)
    'n looks like a mantissa of 1e28 or 1e29 m^-3'
    >>> unit_hint(-5.5)
    'Tc looks like mK'
    """
    bc_guesses, n_guesses, tc_guesses = _BC_GUESSES, _N_GUESSES, _TC_GUESSES
    if n is not None:
        n_guesses = (
            (_N_GUESSES[2],) if n < 1e4 else (_N_GUESSES[1],) if n < 1e25 else (_N_GUESSES[0],)
        )
    if tc is not None and tc > 300.0:
        tc_guesses = (_TC_GUESSES[1],)
    if bc is not None and bc > 100.0:
        bc_guesses = (_BC_GUESSES[1],)
    best: tuple[float, int, float, str] | None = None
    for guess in itertools.product(bc_guesses, n_guesses, tc_guesses):
        low = log10_i + sum(g[2] for g in guess)
        high = log10_i + sum(g[3] for g in guess)
        gap = max(_PLAUSIBLE[0] - high, low - _PLAUSIBLE[1], 0.0)
        changes = [g for g in guess if g[0]]
        words = [
            f"{quantity} {'looks like' if k == 0 else 'like'} {unit}"
            for k, (quantity, unit, _, _) in enumerate(changes)
        ]
        candidate = (gap, len(changes), abs((low + high) / 2 - _TYPICAL), ", ".join(words))
        if best is None or candidate[:3] < best[:3]:
            best = candidate
    if best is None or best[0] > 0.5 or not best[3]:
        return "check the units of Tc, Bc and n"
    return best[3]


def _implied_i_warnings(frame: pd.DataFrame, rows: np.ndarray) -> list[str]:
    from tcfit.model import implied_i

    if not {"tc", "bc", "n"} <= set(frame.columns):
        return []
    values = frame[["tc", "bc", "n"]].to_numpy(dtype=float)
    ok = np.all(np.isfinite(values) & (values > 0), axis=1)
    if not ok.any():
        return []
    i = np.full(len(frame), np.nan)
    i[ok] = implied_i(values[ok, 0], values[ok, 1], values[ok, 2])
    flagged = ok & ((i < I_WARN_LOW) | (i > I_WARN_HIGH))
    if not flagged.any():
        return []
    where = np.flatnonzero(flagged)
    listed = ", ".join(
        f"{frame['material'].iloc[k]} (row {rows[k]}): i = {i[k]:.3g}" for k in where[:5]
    )
    more = f" and {len(where) - 5} more" if len(where) > 5 else ""
    medians = np.median(values[where], axis=0)
    hint = unit_hint(
        float(np.median(np.log10(i[where]))),
        tc=float(medians[0]),
        bc=float(medians[1]),
        n=float(medians[2]),
    )
    return [
        f"{len(where)} row(s) give an implied i outside [{I_WARN_LOW:g}, {I_WARN_HIGH:g}] when "
        f"read in SI units (Tc in K, Bc in T, n in m^-3): {listed}{more}. Likely "
        f"unit mistake: {hint}. State units in the headers (e.g. 'Bc [mT]', 'n (cm^-3)') "
        "or pass units=."
    ]


# --------------------------------------------------------------------------------------------
# Public entry points


def _check_require(require: Iterable[str]) -> tuple[str, ...]:
    if isinstance(require, str):
        require = (require,)
    names = tuple(require)
    unknown = [r for r in names if r not in QUANTITY_COLUMNS]
    if unknown:
        allowed = ", ".join(repr(q) for q in QUANTITY_COLUMNS)
        raise InputError(
            f"The `require` parameter must name quantity columns among {allowed}; "
            f"not {', '.join(map(repr, unknown))}.",
            argument="require",
        )
    return names


def _read_any(
    data: Any, *, units: Mapping[str, str] | None, sheet: str | int | None
) -> tuple[_Raw, dict[str, Any]]:
    """The raw table of ``data`` and the attrs it brings along (built-in metadata)."""
    from ._registry import load, names

    if isinstance(data, pd.DataFrame):
        name = str(data.attrs.get("name", "DataFrame"))
        raw = _raw_from_frame(
            data, label=None, name=name, sha=data.attrs.get("sha256"), fmt="dataframe"
        )
        return raw, dict(data.attrs)
    if isinstance(data, str) and data in names():
        if units:
            raise DataError(
                f"The built-in dataset {data!r} is already in SI units; units= applies to "
                "files and DataFrames only."
            )
        frame = load(data)
        display = frame.attrs.get("columns_as_given", {})
        raw = _raw_from_frame(
            frame,
            label=frame.attrs.get("file"),
            name=data,
            sha=frame.attrs.get("sha256"),
            fmt="builtin",
        )
        raw.display = {str(k): str(v) for k, v in display.items()}
        return raw, dict(frame.attrs)
    if isinstance(data, (str, os.PathLike)):
        path = Path(os.fspath(data))
        label = os.fspath(data)
        try:
            blob = path.read_bytes()
        except FileNotFoundError as err:
            known = ", ".join(repr(n) for n in names())
            raise _fail(
                f"There is no file {label!r} and no built-in dataset of that name "
                f"(the built-ins are {known}).",
                label,
            ) from err
        except IsADirectoryError as err:
            raise _fail("This is a directory, not a data file.", label) from err
        except OSError as err:
            raise _fail(f"The file cannot be opened ({err.strerror}).", label) from err
        return _raw_from_bytes(blob, label=label, name=path.stem, sheet=sheet), {}
    if hasattr(data, "read"):
        content = data.read()
        given = getattr(data, "name", None)
        label = os.fspath(given) if isinstance(given, (str, os.PathLike)) else "<buffer>"
        name = Path(label).stem if label != "<buffer>" else "buffer"
        if isinstance(content, str):
            content = content.encode("utf-8")
        if not isinstance(content, (bytes, bytearray)):
            raise InputError(
                f"The buffer's read() returned {type(content).__name__}, not bytes or str.",
                argument="data",
            )
        return _raw_from_bytes(bytes(content), label=label, name=name, sheet=sheet), {}
    raise InputError(
        "data must be a built-in dataset name, a path, a file-like object or a pandas "
        f"DataFrame; got {type(data).__name__}.",
        argument="data",
    )


_KEPT_ATTRS = ("title", "source", "units_as_given", "columns_as_given", "citation", "notes")


def _resolve(
    data: Any,
    *,
    units: Mapping[str, str] | None,
    sheet: str | int | None,
    skip_invalid: bool,
    require: Iterable[str],
) -> tuple[pd.DataFrame, list[str]]:
    needed = _check_require(require)
    raw, brought = _read_any(data, units=units, sheet=sheet)
    frame, attrs = _canonicalise(raw, units=units, require=needed, skip_invalid=skip_invalid)
    warnings_ = _implied_i_warnings(frame, _kept_rows(raw, attrs))
    merged = dict(attrs)
    if brought:
        for key in _KEPT_ATTRS:
            if key in brought:
                merged[key] = brought[key]
        for key, value in brought.items():
            merged.setdefault(key, value)
        merged["dropped"] = list(brought.get("dropped", [])) + attrs["dropped"]
        merged["derived"] = {**brought.get("derived", {}), **attrs["derived"]}
    merged.setdefault("source", "")
    merged["warnings"] = list(brought.get("warnings", [])) + warnings_ if brought else warnings_
    merged["require"] = list(needed)
    frame.attrs = merged
    return frame, warnings_


def _kept_rows(raw: _Raw, attrs: dict[str, Any]) -> np.ndarray:
    dropped = {d["row"] for d in attrs["dropped"]}
    return np.array([r for r in raw.rows if int(r) not in dropped], dtype=np.int64)


def _emit(messages: list[str]) -> None:
    import warnings

    from tcfit.errors import TcfitWarning

    for message in messages:
        # stacklevel=3: the caller of the public function (_emit -> read/resolve -> caller).
        warnings.warn(message, TcfitWarning, stacklevel=3)


def resolve(
    data: Any,
    *,
    units: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
    require: Iterable[str] = DEFAULT_REQUIRE,
) -> pd.DataFrame:
    """Turn any accepted dataset into the canonical SI measurement table.

    Parameters
    ----------
    data : str, os.PathLike, file-like or pandas.DataFrame
        A built-in dataset name (see :func:`tcfit.datasets.names`), a path to a CSV, TSV,
        XLSX, JSON (records or columns) or Parquet file, an open file or buffer, or a DataFrame
        (validated the same way as a file).
    units : dict of str to str, optional
        Units of columns whose header states none, e.g. ``{"bc": "G", "n": "cm^-3"}``; keys
        are canonical names, aliases or headers. Columns without a unit anywhere are SI.
    skip_invalid : bool, default=False
        Drop invalid rows instead of raising, recording each in ``df.attrs["dropped"]`` as
        ``{"row", "material", "reason"}``.
    require : iterable of str, default=("tc", "bc", "n")
        Quantity columns every row must have.

    Returns
    -------
    pandas.DataFrame
        The canonical frame (see :mod:`tcfit.datasets._schema`): ``material``, ``tc`` (K),
        ``bc`` (T), ``n`` (m⁻³), the optional canonical columns present, ``n_derived`` and
        any extra columns. ``df.attrs`` holds ``name``, ``file``, ``sha256``, ``format``,
        ``units`` (SI), ``units_as_given``, ``units_from``, ``columns_as_given``, ``source``,
        ``dropped``, ``derived`` and ``warnings``.

    Raises
    ------
    DataError
        Listing every problem (file, row as seen in the file with the header as row 1, column,
        what is wrong): missing required column or value, unparsable number, non-positive or
        non-finite value, duplicate material, empty file, content that does not match the
        extension, an unknown path.
    UnitError
        If a unit is unknown to pint or has the wrong dimension for its column.
    InputError
        If ``require`` names an unknown column or ``data`` is of an unsupported type.

    Warns
    -----
    TcfitWarning
        When the implied i of a row (with the SI reading, :func:`tcfit.implied_i`) lies outside
        [1e-3, 1e4]; the message names the likely unit mistake.

    Notes
    -----
    Critical fields in gauss or oersted are converted as 1 G ≙ 1 Oe ≙ 1e-4 T (μ0·H), a field
    strength in A/m as μ0·H. Where ``n`` is empty and ``valence`` is given,
    n = valence·ρ·N_A/M with ρ and M from the table or, for element symbols, from
    periodictable; such rows have ``n_derived = True``.

    Examples
    --------
    >>> df = resolve("table1")
    >>> len(df), df.attrs["units"]["bc"]
    (21, 'T')
    >>> import io
    >>> df = resolve(io.StringIO("metal,Tc [K],Bc [mT],n (cm^-3)\\nAl,1.175,10.3,1.81e23\\n"))
    >>> float(df.bc[0]), float(df.n[0])
    (0.0103, 1.81e+29)
    """
    frame, messages = _resolve(
        data, units=units, sheet=None, skip_invalid=skip_invalid, require=require
    )
    _emit(messages)
    return frame


def read(
    path_or_buffer: Any,
    *,
    units: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    skip_invalid: bool = False,
    require: Iterable[str] = DEFAULT_REQUIRE,
) -> pd.DataFrame:
    """Read a measurement table from a file, buffer, DataFrame or built-in name.

    Same as :func:`resolve`, plus the choice of the worksheet of an .xlsx workbook.

    Parameters
    ----------
    path_or_buffer : str, os.PathLike, file-like or pandas.DataFrame
        What to read (see :func:`resolve`). The format comes from the extension (``.csv``,
        ``.tsv``/``.tab``, ``.txt``/``.dat``, ``.xlsx``/``.xlsm``, ``.json``, ``.parquet``/
        ``.pq``) or, without one, from the content.
    units : dict of str to str, optional
        Units of columns whose header states none (see :func:`resolve`).
    sheet : str or int, optional
        The worksheet of an .xlsx file, by name or by position from 0; default the first.
    skip_invalid : bool, default=False
        Drop invalid rows, recorded in ``df.attrs["dropped"]``.
    require : iterable of str, default=("tc", "bc", "n")
        Quantity columns every row must have.

    Returns
    -------
    pandas.DataFrame
        The canonical SI frame with provenance in ``df.attrs`` (see :func:`resolve`).

    Raises
    ------
    DataError
        Listing every problem with file, row (header = row 1) and column.
    UnitError
        If a unit is unknown or of the wrong dimension.
    InputError
        If ``require`` names an unknown column or the input type is unsupported.

    Warns
    -----
    TcfitWarning
        When an implied i lies outside [1e-3, 1e4] (a likely unit mistake).

    Examples
    --------
    >>> import io
    >>> text = "element,Tc / mK,Hc (Oe),n [1e29 m^-3]\\nIr,112.5,16,7.0\\n"
    >>> df = read(io.StringIO(text))
    >>> float(df.tc[0]), float(df.bc[0]), float(df.n[0])
    (0.1125, 0.0016, 7e+29)
    """
    frame, messages = _resolve(
        path_or_buffer, units=units, sheet=sheet, skip_invalid=skip_invalid, require=require
    )
    _emit(messages)
    return frame
