"""Excel workbooks (.xlsx, .xlsm) through openpyxl; row numbers are the spreadsheet's rows.

Before openpyxl parses anything the zip directory is inspected: a workbook whose parts inflate
to more than ``MAX_XLSX_UNCOMPRESSED_BYTES`` (a zip bomb) is refused, and so is any XML part
with a document type declaration (``<!DOCTYPE``/``<!ENTITY``: Office never writes one, and
entity expansion is how XML bombs work). The sheet read by default is the first *visible* one;
a hidden sheet is read only when asked for by name. The size the sheet declares is ignored
(openpyxl would pad every row to it), and rows and columns are counted against the limits while
they are read.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from tcfit.errors import DataError

from .._cells import present, short
from .._limits import MAX_COLUMNS, MAX_ROWS, MAX_XLSX_UNCOMPRESSED_BYTES
from .._raw import RawTable, SourceInfo, fail

__all__ = ["FORMAT", "XlsxFormat"]

# A document type declaration, in UTF-8 and in UTF-16 (either byte order).
_DTD_MARKS = tuple(
    mark.encode(codec)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
_CHUNK = 1 << 20
_EXCEL_MAX_ROW = 1_048_576


def _check_archive(blob: bytes, label: str | None) -> None:
    """Refuse a zip bomb and XML parts with a DTD, reading the archive in bounded chunks."""
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            members = archive.infolist()
            total = sum(m.file_size for m in members)
            if total > MAX_XLSX_UNCOMPRESSED_BYTES:
                raise fail(
                    f"The workbook's parts inflate to {total:,} bytes, more than tcfit reads "
                    f"({MAX_XLSX_UNCOMPRESSED_BYTES:,} bytes, MAX_XLSX_UNCOMPRESSED_BYTES); "
                    "it may be a zip bomb. Save the sheet alone, or as CSV.",
                    label,
                )
            for member in members:
                if member.filename.endswith((".xml", ".rels", ".vml")) and _has_dtd(
                    archive, member
                ):
                    raise fail(
                        f"The workbook part {member.filename!r} declares a document type or "
                        "entities, which Excel never writes and XML bombs use; tcfit refuses it.",
                        label,
                    )
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        OSError,
        EOFError,
    ) as err:
        raise fail(f"The file is not a readable .xlsx workbook ({err}).", label) from err


def _has_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(member) as part:
        while chunk := part.read(_CHUNK):
            window = tail + chunk
            if any(mark in window for mark in _DTD_MARKS):
                return True
            tail = window[-32:]
    return False


def _visible(book: Any) -> list[str]:
    return [
        ws.title for ws in book.worksheets if getattr(ws, "sheet_state", "visible") == "visible"
    ]


def _listing(book: Any) -> str:
    names = []
    for ws in book.worksheets:
        state = getattr(ws, "sheet_state", "visible")
        names.append(repr(ws.title) + ("" if state == "visible" else f" ({state})"))
    return ", ".join(names)


def _sheet_name(book: Any, sheet: str | int | None, label: str | None) -> str:
    visible = _visible(book)
    if sheet is None:
        if not visible:
            raise fail(f"The workbook has no visible sheet (its sheets: {_listing(book)}).", label)
        return visible[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(visible):
            raise fail(
                f"The workbook has {len(visible)} visible sheet(s) ({_listing(book)}); there is "
                f"no sheet number {sheet} (counting visible sheets from 0; ask for a hidden "
                "sheet by its name).",
                label,
            )
        return visible[sheet]
    if sheet in book.sheetnames:
        return str(sheet)
    raise fail(f"The workbook has no sheet {short(sheet)}; its sheets are {_listing(book)}.", label)


def _rows(worksheet: Any, label: str | None) -> list[tuple[int, list[Any]]]:
    worksheet.reset_dimensions()  # the declared size would pad every row to it
    records: list[tuple[int, list[Any]]] = []
    for row, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), 1):
        if row > _EXCEL_MAX_ROW:
            raise fail(f"The sheet has rows beyond Excel's last row ({_EXCEL_MAX_ROW:,}).", label)
        cells = [
            v if v is None or isinstance(v, (str, int, float, bool)) else str(v) for v in values
        ]
        while cells and not present(cells[-1]):
            cells.pop()
        if not cells:
            continue
        if len(cells) > MAX_COLUMNS:
            raise fail(
                f"This row has {len(cells):,} columns; tcfit reads at most {MAX_COLUMNS} "
                "(MAX_COLUMNS).",
                label,
                row=row,
            )
        if len(records) > MAX_ROWS:
            raise fail(f"The sheet has more than {MAX_ROWS:,} rows (MAX_ROWS).", label, row=row)
        records.append((row, cells))
    return records


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
        """The non-empty rows of one worksheet (by name, by position among the visible sheets
        from 0, or the first visible one)."""
        from openpyxl import load_workbook

        label = source.label
        _check_archive(blob, label)
        try:
            book = load_workbook(io.BytesIO(blob), read_only=True, data_only=True)
        except Exception as err:  # openpyxl raises zipfile, KeyError, XML and its own errors
            raise fail(f"The file is not a readable .xlsx workbook ({err}).", label) from err
        try:
            chosen = _sheet_name(book, sheet, label)
            try:
                records = _rows(book[chosen], label)
            except DataError:
                raise
            except Exception as err:  # the sheet's XML is parsed lazily, row by row
                raise fail(f"The sheet {chosen!r} cannot be read ({err}).", label) from err
        finally:
            book.close()
        if not records:
            raise fail(f"The sheet {chosen!r} is empty.", label)
        (_, header), data = records[0], records[1:]
        return RawTable.from_records(header, data, source=source).with_info(sheet=chosen)


FORMAT = XlsxFormat()
