"""Bytes to text, strictly: a file decodes in one encoding, completely, or it is an error.

Without ``encoding=``, tcfit detects the encoding by these rules, in order:

1. a byte-order mark: UTF-8, UTF-16 or UTF-32 with that mark;
2. no mark and the whole file is valid UTF-8: UTF-8;
3. the file holds well-formed UTF-8 sequences *and* bytes that are not UTF-8 (a file mixing
   UTF-8 and Windows-1252, say): an error;
4. otherwise Windows-1252 (the encoding Excel uses for CSV on western Windows), but only when
   every non-ASCII byte stands alone between ASCII characters and decodes to a letter or sign
   of western European text (``é``, ``µ``, ``°``, ``±``, ``–``...); anything else (Shift-JIS,
   GBK, KOI8-R, random bytes) is an error.

Every error names the line of the first byte that does not decode and tells how to state the
encoding (``read(..., encoding="shift_jis")``); a stated encoding is used strictly, with no
guessing. Nothing is ever decoded "with replacement characters".

What no detector can tell apart, and so needs ``encoding=``: legacy bytes that happen to form
valid UTF-8 (``Ã©`` written in Windows-1252 reads as ``é``); Latin-1's C1 control codes, whose
bytes are Windows-1252's ``€ „ … ‰``; and a Shift-JIS file whose only non-ASCII characters are
isolated half-width katakana (bytes 0xA1–0xDF, which Windows-1252 reads as ``¡``–``ß``).
"""

from __future__ import annotations

import codecs
import re

from tcfit.errors import DataError, InputError

from ._raw import SourceInfo, fail

__all__ = ["check_encoding", "decode", "encoding_from"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A well-formed UTF-8 multi-byte sequence (2 to 4 bytes).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Windows-1252 characters that western tables use, beyond the Latin-1 letters and signs.
_CP1252_EXTRA = frozenset("€‘’“”•–—…™‰ŠšŒœŽžŸ")
_HINT = (
    "Save the file as UTF-8, or state its encoding (read(..., encoding='cp1252'), "
    "'shift_jis', 'latin-1', ...)."
)


def check_encoding(encoding: str) -> str:
    """The codec name of ``encoding``.

    Raises
    ------
    InputError
        If Python knows no such encoding.
    """
    if not isinstance(encoding, str):
        raise InputError(
            f"The `encoding` parameter must be a string such as 'utf-8'; not {encoding!r}.",
            argument="encoding",
        )
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise InputError(
            f"The `encoding` parameter must name a text encoding Python knows; not {encoding!r} "
            "(e.g. 'utf-8', 'cp1252', 'latin-1', 'shift_jis').",
            argument="encoding",
        )
    return info.name


def encoding_from(source: SourceInfo) -> str:
    """``"encoding="`` when the user stated the encoding, else ``"detected"`` (provenance)."""
    return "encoding=" if source.encoding is not None else "detected"


def _line_of(blob: bytes, position: int, encoding: str) -> int:
    """The line (from 1) of byte ``position``, counting \\n, \\r\\n and \\r as line ends."""
    before = blob[:position].decode(encoding, errors="replace")
    return before.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def _error(
    blob: bytes, err: UnicodeDecodeError, encoding: str, what: str, label: str | None
) -> DataError:
    line = _line_of(blob, err.start, encoding)
    bad = blob[err.start : err.start + 4].hex(" ")
    return fail(
        f"The file is not valid {what}: line {line} has the byte(s) {bad} that do not decode "
        f"({err.reason}). {_HINT}",
        label,
        row=line,
    )


def _western(text: str) -> bool:
    """True for text a western Windows program would write: lone Latin letters and signs."""
    previous_ascii = True
    for char in text:
        if char.isascii():
            previous_ascii = True
            continue
        if not previous_ascii:
            return False
        if not ("\u00a0" <= char <= "\u00ff" or char in _CP1252_EXTRA):
            return False
        previous_ascii = False
    return True


def _legacy(blob: bytes, err: UnicodeDecodeError, label: str | None) -> tuple[str, str]:
    if _UTF8_SEQUENCE.search(blob):
        raise _error(blob, err, "utf-8", "UTF-8 (it mixes UTF-8 with another encoding)", label)
    try:
        text = blob.decode("cp1252")
    except UnicodeDecodeError:
        raise _error(blob, err, "utf-8", "UTF-8 or Windows-1252", label) from None
    if not _western(text):
        raise _error(
            blob, err, "utf-8", "UTF-8, and its other bytes do not look like Windows-1252", label
        )
    return text, "cp1252"


def decode(blob: bytes, label: str | None, encoding: str | None = None) -> tuple[str, str]:
    """The text of ``blob`` and the encoding used (see the module docstring for the rules).

    Parameters
    ----------
    blob : bytes
        The file's content.
    label : str or None
        The file's name, for messages.
    encoding : str, optional
        The encoding the user stated; used strictly (a UTF-8 byte-order mark is dropped).

    Raises
    ------
    DataError
        If the bytes do not decode, naming the line of the first bad byte; for NUL bytes in a
        file without a UTF-16/32 byte-order mark.

    Examples
    --------
    >>> decode("Alé".encode(), None)
    ('Alé', 'utf-8')
    >>> decode("µT".encode("cp1252"), None)
    ('µT', 'cp1252')
    """
    if encoding is not None:
        name = check_encoding(encoding)
        codec = "utf-8-sig" if name == "utf-8" else name
        try:
            return blob.decode(codec), name
        except UnicodeDecodeError as err:
            raise _error(blob, err, codec, f"{name} text", label) from err
    for bom, codec in _BOMS:
        if blob.startswith(bom):
            try:
                return blob.decode(codec), codec.removesuffix("-sig")
            except UnicodeDecodeError as err:
                raise _error(blob, err, codec, codec.removesuffix("-sig").upper(), label) from err
    if b"\x00" in blob:
        raise fail(
            "The file contains NUL bytes, so it is not a text table; tcfit reads CSV, TSV, "
            "JSON, .xlsx and Parquet files.",
            label,
        )
    try:
        return blob.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        return _legacy(blob, err, label)
