"""Excel workbooks (.xlsx, .xlsm) through openpyxl; row numbers are the spreadsheet's rows."""

from __future__ import annotations

import io
from typing import Any

from .._cells import present
from .._raw import RawTable, SourceInfo, fail

__all__ = ["FORMAT", "XlsxFormat"]


def _sheet_name(sheets: list[str], sheet: str | int | None, label: str | None) -> str:
    if sheet is None:
        return sheets[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(sheets):
            raise fail(
                f"The workbook has {len(sheets)} sheet(s) ({', '.join(map(repr, sheets))}); "
                f"there is no sheet number {sheet} (counting from 0).",
                label,
            )
        return sheets[sheet]
    if sheet in sheets:
        return str(sheet)
    raise fail(
        f"The workbook has no sheet {sheet!r}; its sheets are {', '.join(map(repr, sheets))}.",
        label,
    )


class XlsxFormat:
    """An Office Open XML workbook (a zip file); the first non-empty row is the header."""

    name = "xlsx"
    description = "an Excel .xlsx workbook"
    extensions = frozenset({".xlsx", ".xlsm"})
    binary = True

    def sniff(self, head: bytes) -> bool:
        """True for a zip file."""
        return head.startswith(b"PK\x03\x04")

    def parse(self, blob: bytes, *, source: SourceInfo, sheet: str | int | None) -> RawTable:
        """The non-empty rows of one worksheet (by name, by position from 0, or the first)."""
        from openpyxl import load_workbook

        label = source.label
        try:
            book = load_workbook(io.BytesIO(blob), read_only=True, data_only=True)
        except Exception as err:  # openpyxl raises zipfile, KeyError, XML and its own errors
            raise fail(f"The file is not a readable .xlsx workbook ({err}).", label) from err
        try:
            chosen = _sheet_name(book.sheetnames, sheet, label)
            records: list[tuple[int, list[Any]]] = []
            for row, values in enumerate(book[chosen].iter_rows(min_row=1, values_only=True), 1):
                cells = [
                    v if v is None or isinstance(v, (str, int, float, bool)) else str(v)
                    for v in values
                ]
                if any(present(c) for c in cells):
                    records.append((row, cells))
        finally:
            book.close()
        if not records:
            raise fail(f"The sheet {chosen!r} is empty.", label)
        (_, header), data = records[0], records[1:]
        return RawTable.from_records(header, data, source=source).with_info(sheet=chosen)


FORMAT = XlsxFormat()
