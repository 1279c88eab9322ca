"""Input formats: one module per format behind the tiny :class:`Format` protocol.

A format says which file extensions it owns, recognises its content from the first bytes
(:meth:`Format.sniff`) and parses bytes into a :class:`~tcfit.datasets._raw.RawTable`
(:meth:`Format.parse`), with each record's row number as the user sees it. :func:`pick` chooses
the format of a file from its extension and its content and refuses a file whose content
contradicts its extension. Everything else (column names, units, validation) happens after
parsing and is the same for every format.

Adding a format is one module with a ``FORMAT`` object and one entry in :data:`FORMATS`, the way
httpx adds a transport.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from .._raw import ColumnSpec, RawTable, SourceInfo, fail
from . import json, parquet, text, xlsx

__all__ = [
    "FORMATS",
    "HEAD_SIZE",
    "ColumnSpec",
    "Format",
    "RawTable",
    "SourceInfo",
    "pick",
]

#: How many leading bytes :meth:`Format.sniff` is shown.
HEAD_SIZE = 64
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@runtime_checkable
class Format(Protocol):
    """What tcfit needs to know about an input format.

    Attributes
    ----------
    name : str
        Short name, e.g. ``"xlsx"``; the parsed table's ``source.format`` (``df.attrs["format"]``)
        is this name or a more precise one (``"csv"``/``"tsv"`` for text).
    description : str
        The format in a sentence, e.g. ``"an Excel .xlsx workbook"``.
    extensions : frozenset of str
        Lower-case file extensions with their dot, e.g. ``frozenset({".xlsx", ".xlsm"})``.
    binary : bool
        True when the content is recognised by magic bytes. When a file's extension and content
        point at two formats and either is binary, :func:`pick` refuses the file; between two text
        formats (CSV, JSON) the extension wins and the parser reports where the content fails.
    """

    name: str
    description: str
    extensions: frozenset[str]
    binary: bool

    def sniff(self, head: bytes) -> bool:
        """True when the first :data:`HEAD_SIZE` bytes look like this format."""
        ...

    def parse(self, blob: bytes, *, source: SourceInfo, sheet: str | int | None) -> RawTable:
        """The raw table in ``blob`` (``sheet``: a worksheet, for formats that have them)."""
        ...


#: The formats tcfit reads, in the order their :meth:`~Format.sniff` is tried. Text accepts any
#: content, so it comes last; a new format goes before it.
FORMATS: tuple[Format, ...] = (xlsx.FORMAT, parquet.FORMAT, json.FORMAT, text.FORMAT)


def _sniff(blob: bytes, label: str | None) -> Format:
    head = blob[:HEAD_SIZE]
    for candidate in FORMATS:
        if candidate.sniff(head):
            return candidate
    raise fail("tcfit does not recognise the content of this file.", label)


def pick(blob: bytes, ext: str, *, label: str | None = None) -> Format:
    """The format of a file from its extension and its content.

    Parameters
    ----------
    blob : bytes
        The file's content.
    ext : str
        The file's extension, lower case with its dot (``".csv"``), or ``""``.
    label : str, optional
        The file's name, for messages.

    Returns
    -------
    Format
        The format the extension names, or the sniffed one for an unknown or no extension.

    Raises
    ------
    DataError
        For an old binary ``.xls`` workbook, or when the content contradicts the extension
        (see :attr:`Format.binary`).

    Examples
    --------
    >>> pick(b"metal,Tc\\nAl,1\\n", ".csv").name, pick(b"PK\\x03\\x04...", "").name
    ('text', 'xlsx')
    """
    sniffed = _sniff(blob, label)
    if ext == ".xls" or blob.startswith(_XLS_MAGIC):
        raise fail(
            "Old binary Excel (.xls) workbooks are not supported; save the sheet as .xlsx or CSV.",
            label,
        )
    expected = next((f for f in FORMATS if ext in f.extensions), sniffed)
    if expected is not sniffed and (expected.binary or sniffed.binary):
        raise fail(
            f"The file's extension {ext!r} says {expected.description}, but its content "
            f"looks like {sniffed.description}.",
            label,
        )
    return expected
