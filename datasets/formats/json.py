"""JSON tables: a list of records, an object of columns, or pandas' "split" and "table" layouts.

Record ``k`` (counting from 0) is row ``k + 2``, the line it would occupy in a CSV with one
header line; the same for the ``k``-th entry of an object of columns.
"""

from __future__ import annotations

import json
from typing import Any

from .._raw import RawTable, SourceInfo, fail
from .text import decode

__all__ = ["FORMAT", "JsonFormat"]

_SHAPE_HINT = (
    'JSON must be a list of records ([{"material": "Al", "tc": 1.175, ...}, ...]), '
    'an object of columns ({"material": [...], "tc": [...]}) or pandas\' \'split\' or '
    "'table' layout"
)


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, ensure_ascii=False)


def _keys(mappings: list[dict[str, Any]]) -> list[str]:
    """The keys of ``mappings`` in order of first appearance."""
    return list(dict.fromkeys(key for mapping in mappings for key in mapping))


def _load(text: str, label: str | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise fail(
            f"The file is not valid JSON: {err.msg} (line {err.lineno}, column {err.colno}).",
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
    records = [(k + 2, [_scalar(r.get(h)) for h in headers]) for k, r in enumerate(obj)]
    return RawTable.from_records(list(headers), records, source=source)


def _from_object(obj: dict[str, Any], source: SourceInfo) -> RawTable | None:
    columns = list(obj.values())
    if all(isinstance(c, list) for c in columns):
        length = max(len(c) for c in columns)
        if any(len(c) != length for c in columns):
            raise fail("The JSON columns have different lengths.", source.label)
        records = [(k + 2, [_scalar(c[k]) for c in columns]) for k in range(length)]
        return RawTable.from_records(list(obj), records, source=source)
    if all(isinstance(c, dict) for c in columns):
        keys = _keys(columns)
        records = [(k + 2, [_scalar(c.get(key)) for c in columns]) for k, key in enumerate(keys)]
        return RawTable.from_records(list(obj), records, source=source)
    return None


def _table(obj: Any, source: SourceInfo) -> RawTable:
    if isinstance(obj, dict) and isinstance(obj.get("data"), list):
        if isinstance(obj.get("columns"), list):  # pandas orient="split"
            rows = obj["data"]
            if not all(isinstance(r, list) for r in rows):
                raise fail(f"{_SHAPE_HINT}; 'data' must be a list of lists.", source.label)
            records = [(k + 2, [_scalar(v) for v in r]) for k, r in enumerate(rows)]
            return RawTable.from_records(list(obj["columns"]), records, source=source)
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
        text, encoding = decode(blob, source.label)
        raw = _table(_load(text, source.label), source)
        return raw.with_info(encoding=encoding)


FORMAT = JsonFormat()
