"""Text tables: CSV, TSV and semicolon-separated files in UTF-8, UTF-16, cp1252 or latin-1.

Row numbers are physical lines: the line where a record starts (the header line is row 1 when
the file starts with it; blank lines and ``#`` comment lines count as lines).
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from .._raw import RawTable, SourceInfo, fail

__all__ = ["FORMAT", "TextFormat", "decode"]

_DELIMITERS = {".csv": ",", ".tsv": "\t", ".tab": "\t", ".txt": None, ".dat": None}


def decode(blob: bytes, label: str | None) -> tuple[str, str]:
    """The text of ``blob`` and its encoding: UTF-16 (BOM), UTF-8, cp1252, else latin-1.

    Raises
    ------
    DataError
        For invalid UTF-16 or NUL bytes in a file without a UTF-16 BOM.
    """
    if blob.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return blob.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise fail(f"The file is not valid UTF-16 text ({err.reason}).", label) from err
    if b"\x00" in blob:
        raise fail(
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


def _records(
    text: str, delimiter: str, label: str | None
) -> tuple[list[tuple[int, list[Any]]], list[int]]:
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
        raise fail(f"The file cannot be read as a table: {err}.", label, row=previous + 1) from err
    return records, comments


class TextFormat:
    """CSV/TSV text; the delimiter comes from the extension or is guessed from the first line."""

    name = "text"
    description = "a text table (CSV/TSV)"
    extensions = frozenset(_DELIMITERS)
    binary = False

    def sniff(self, head: bytes) -> bool:
        """Any content may be text: the parser decides."""
        return True

    def parse(self, blob: bytes, *, source: SourceInfo, sheet: str | int | None) -> RawTable:
        """The records of a delimited text file (``sheet`` is ignored)."""
        label = source.label
        text, encoding = decode(blob, label)
        delimiter = _DELIMITERS.get(PurePath(label).suffix.lower()) if label else None
        if delimiter is None or (delimiter == "," and _guess_delimiter(text) in "\t;"):
            delimiter = _guess_delimiter(text)
        records, comments = _records(text, delimiter, label)
        if not records:
            raise fail("The file is empty (no header and no data rows).", label)
        (_, header), data = records[0], records[1:]
        fmt = "tsv" if delimiter == "\t" else "csv"
        raw = RawTable.from_records(header, data, source=replace(source, format=fmt))
        raw = raw.with_info(delimiter=delimiter)
        if comments:
            raw = raw.with_info(comment_rows=comments)
        return raw.with_info(encoding=encoding)


FORMAT = TextFormat()
