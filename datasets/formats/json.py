"""JSON tables: a list of records, an object of columns, or pandas' "split" and "table" layouts.

Record ``k`` (counting from 0) is row ``k + 2``, the line it would occupy in a CSV with one
header line; the same for the ``k``-th entry of an object of columns.

Parsing is strict: an object with the same key twice is an error (JSON parsers disagree on which
value wins), a cell must be a string, a number, true/false or null (a list or an object in a
cell is an error), a string must be valid Unicode (no lone surrogate such as ``"\\ud800"``),
and nesting beyond the interpreter's recursion limit is an error, not a crash. An integer with
more than :data:`MAX_INTEGER_DIGITS` digits is kept as its text.
"""

from __future__ import annotations

import json
from typing import Any

from tcfit.errors import DataError, Problem

from .._cells import short
from .._decode import decode, encoding_from
from .._raw import RawTable, SourceInfo, fail

__all__ = ["FORMAT", "MAX_INTEGER_DIGITS", "JsonFormat"]

#: An integer literal longer than this is kept as text (Python refuses to convert integers of
#: more than 4300 digits; no measurement has more than a few).
MAX_INTEGER_DIGITS = 300

_SHAPE_HINT = (
    'JSON must be a list of records ([{"material": "Al", "tc": 1.175, ...}, ...]), '
    'an object of columns ({"material": [...], "tc": [...]}) or pandas\' \'split\' or '
    "'table' layout"
)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _integer(text: str) -> int | str:
    return int(text) if len(text.lstrip("-")) <= MAX_INTEGER_DIGITS else text


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _build(
    headers: list[Any], records: list[tuple[int, list[Any]]], source: SourceInfo
) -> RawTable:
    """The raw table, refusing a list or an object where a header or a cell belongs."""
    for j, header in enumerate(headers):
        if not _is_scalar(header) or header is None:
            raise fail(f"Column header {j + 1} is {short(header)}, not a name.", source.label)
    for row, cells in records:
        for j, value in enumerate(cells):
            if not _is_scalar(value):
                column = str(headers[j]) if j < len(headers) else None
                raise DataError(
                    [
                        Problem(
                            f"The cell holds a JSON {type(value).__name__} ({short(value)}); a "
                            "table cell must be a string, a number, true/false or null.",
                            file=source.label,
                            row=row,
                            column=column,
                        )
                    ],
                    file=source.label,
                )
    return RawTable.from_records(headers, records, source=source, check_text=True)


def _keys(mappings: list[dict[str, Any]]) -> list[str]:
    """The keys of ``mappings`` in order of first appearance."""
    return list(dict.fromkeys(key for mapping in mappings for key in mapping))


def _load(text: str, label: str | None) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_int=_integer)
    except json.JSONDecodeError as err:
        raise fail(
            f"The file is not valid JSON: {err.msg} (line {err.lineno}, column {err.colno}).",
            label,
            row=err.lineno,
        ) from err
    except _DuplicateKey as err:
        raise fail(
            f"A JSON object has the key {short(err.key)} twice; JSON readers disagree on which "
            "value counts, so tcfit refuses the file. Keep one of them.",
            label,
        ) from err
    except RecursionError as err:
        raise fail("The JSON is nested too deeply to be a table.", label) from err


def _from_list(obj: list[Any], source: SourceInfo) -> RawTable:
    if not obj:
        raise fail("The JSON list holds no records.", source.label)
    if not all(isinstance(r, dict) for r in obj):
        raise fail(f"{_SHAPE_HINT}; not every entry of the list is an object.", source.label)
    headers = _keys(obj)
    records = [(k + 2, [r.get(h) for h in headers]) for k, r in enumerate(obj)]
    return _build(list(headers), records, source)


def _from_object(obj: dict[str, Any], source: SourceInfo) -> RawTable | None:
    columns = list(obj.values())
    if all(isinstance(c, list) for c in columns):
        length = max(len(c) for c in columns)
        if any(len(c) != length for c in columns):
            raise fail("The JSON columns have different lengths.", source.label)
        records = [(k + 2, [c[k] for c in columns]) for k in range(length)]
        return _build(list(obj), records, source)
    if all(isinstance(c, dict) for c in columns):
        keys = _keys(columns)
        records = [(k + 2, [c.get(key) for c in columns]) for k, key in enumerate(keys)]
        return _build(list(obj), records, source)
    return None


def _table(obj: Any, source: SourceInfo) -> RawTable:
    if isinstance(obj, dict) and isinstance(obj.get("data"), list):
        if isinstance(obj.get("columns"), list):  # pandas orient="split"
            rows = obj["data"]
            if not all(isinstance(r, list) for r in rows):
                raise fail(f"{_SHAPE_HINT}; 'data' must be a list of lists.", source.label)
            records = [(k + 2, list(r)) for k, r in enumerate(rows)]
            return _build(list(obj["columns"]), records, source)
        obj = obj["data"]  # pandas orient="table"
    if isinstance(obj, list):
        return _from_list(obj, source)
    if isinstance(obj, dict) and obj:
        raw = _from_object(obj, source)
        if raw is not None:
            return raw
    raise fail(f"{_SHAPE_HINT}.", source.label)


class JsonFormat:
    """JSON text whose first non-blank character is ``[`` or ``{``."""

    name = "json"
    description = "JSON"
    extensions = frozenset({".json"})
    binary = False

    def sniff(self, head: bytes) -> bool:
        """True when the first non-blank character (after a UTF-8 BOM) is ``[`` or ``{``."""
        return head.lstrip(b"\xef\xbb\xbf").lstrip()[:1] in (b"[", b"{")

    def parse(self, blob: bytes, *, source: SourceInfo, sheet: str | int | None) -> RawTable:
        """The records of a JSON table (``sheet`` is ignored)."""
        text, encoding = decode(blob, source.label, source.encoding)
        raw = _table(_load(text, source.label), source)
        return raw.with_info(encoding=encoding, encoding_from=encoding_from(source))


FORMAT = JsonFormat()
