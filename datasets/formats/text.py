"""Text tables: CSV, TSV and semicolon-separated files (encodings: :mod:`.._decode`).

Row numbers are physical lines: the line where a record starts (the header line is row 1 when
the file starts with it; blank lines and ``#`` comment lines count as lines).

Parsing is strict: a comment is an unquoted line whose first character is ``#`` (a quoted
``"#3 sample"`` is data); a quote that is never closed, or a closing quote followed by more
text, is an error naming its line, never a cell that swallows the rest of the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from .._decode import decode, encoding_from
from .._limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS
from .._raw import RawTable, SourceInfo, fail

__all__ = ["FORMAT", "TextFormat", "decode"]

_DELIMITERS = {".csv": ",", ".tsv": "\t", ".tab": "\t", ".txt": None, ".dat": None}


def _guess_delimiter(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or line.startswith("#"):
            continue
        if "\t" in line:
            return "\t"
        if "," in line:
            return ","
        if ";" in line:
            return ";"
        return ","
    return ","


class _Lines:
    """The physical lines of a text, skipping comment lines where a record starts.

    A comment is a line whose *first* character is ``#`` at the start of a record; inside a
    quoted cell that spans lines, or after leading blanks, ``#`` is data. The csv reader pulls
    lines one by one, so :meth:`next_record` tells where the next record starts.
    """

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self.number = 0  # the last physical line handed out
        self.start = 0  # the line where the record being read starts
        self.comments: list[int] = []
        self._at_start = True

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        while True:
            line = next(self._lines)
            self.number += 1
            if not self._at_start:
                return line
            if line.startswith("#"):
                self.comments.append(self.number)
                continue
            self.start, self._at_start = self.number, False
            return line

    def next_record(self) -> None:
        """Mark that the record just read is complete."""
        self._at_start = True


def _csv_message(err: csv.Error, lines: _Lines) -> tuple[str, int]:
    text = str(err)
    if "unexpected end of data" in text:
        return (
            f"A quote opened in the record starting on line {lines.start} is never closed, "
            "so the rest of the file would be read into one cell. Close the quote, or remove "
            "the stray quote character.",
            lines.start,
        )
    if "expected after" in text:
        return (
            "A closing quote must be followed by the delimiter or the end of the line "
            f"({text}); quote the whole cell or remove the stray quote.",
            lines.number,
        )
    if "field larger than field limit" in text:
        return f"A cell is longer than {csv.field_size_limit():,} characters.", lines.number
    return f"The file cannot be read as a table: {text}.", lines.number


def _check_shape(cells: list[str], count: int, lines: _Lines, label: str | None) -> None:
    if len(cells) > MAX_COLUMNS:
        raise fail(
            f"This row has {len(cells):,} cells; tcfit reads at most {MAX_COLUMNS} columns "
            "(MAX_COLUMNS).",
            label,
            row=lines.start,
        )
    if count > MAX_ROWS or count * len(cells) > MAX_CELLS:
        raise fail(
            f"The table has more than {MAX_ROWS:,} rows or {MAX_CELLS:,} cells "
            "(MAX_ROWS, MAX_CELLS); tcfit reads hand-made tables, not bulk data.",
            label,
            row=lines.start,
        )


def _records(
    text: str, delimiter: str, label: str | None
) -> tuple[list[tuple[int, list[Any]]], list[int]]:
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    records: list[tuple[int, list[Any]]] = []
    try:
        for cells in reader:
            lines.next_record()
            if not cells or not any(c.strip() for c in cells):
                continue
            _check_shape(cells, len(records), lines, label)
            records.append((lines.start, cells))
    except csv.Error as err:
        message, row = _csv_message(err, lines)
        raise fail(message, label, row=row) from err
    return records, lines.comments


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
        text, encoding = decode(blob, label, source.encoding)
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
        return raw.with_info(encoding=encoding, encoding_from=encoding_from(source))


FORMAT = TextFormat()
