"""The sha256 of an in-memory table, from its columns' bytes (no text rendering, no per-row work).

The table is cut into blocks of :data:`BLOCK_ROWS` rows counted from its first row. Each block's
digest is the sha256 of its columns, one after another, each column as its *sections* (every
section preceded by its length as a little-endian int64):

- ``float64`` (float and nullable numeric dtypes): one section, the values as little-endian IEEE
  doubles, ``-0.0`` written as ``0.0`` and every NaN (and pandas' ``NA``) as the one quiet NaN
  ``0x7ff8000000000000``, so that equal values give equal digests;
- ``int64`` / ``uint64`` / ``bool`` (NumPy dtypes): one section, the values as little-endian 64-bit
  integers / one byte each;
- ``utf8`` (everything else: text, and the ``str()`` of any other object): two sections, every
  cell's UTF-8 length as a little-endian int64 (−1 for a missing cell), then the cells' UTF-8 bytes
  one after another.

The table's digest is the sha256 of the headers (JSON), the column tags (JSON), the number of rows
(int64) and the block digests in order. Arrow-backed string columns (pandas' default ``str``
dtype) are read from their Arrow buffers and numeric ones from their NumPy buffers, about 2 GB/s.

Because the blocks are fixed by row number, parts of a table read separately (the partitions of
a Dask DataFrame, each knowing the row it starts at) give :class:`Segment` s that
:func:`combine` joins into exactly the digest of the whole table (:func:`frame_sha256`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import numpy as np
import pandas as pd

from ._cells import arrow_strings

__all__ = ["BLOCK_ROWS", "Segment", "column_tags", "combine", "frame_sha256", "segments"]

#: Rows per block of the digest (module docstring).
BLOCK_ROWS = 1 << 16
_NAN = np.array([np.nan]).view(np.uint64)[0]


def column_tags(frame: pd.DataFrame) -> tuple[str, ...]:
    """How each column is hashed, from its dtype alone (so every part of a table agrees)."""
    tags = []
    for dtype in frame.dtypes:
        if isinstance(dtype, np.dtype) and dtype.kind == "b":
            tags.append("bool")
        elif isinstance(dtype, np.dtype) and dtype.kind in "iu":
            tags.append("int64" if dtype.kind == "i" else "uint64")
        elif pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            tags.append("float64")
        else:
            tags.append("utf8")
    return tuple(tags)


def _floats(series: pd.Series) -> bytes:
    values = series.to_numpy(dtype=float, na_value=np.nan)
    bits = (values + 0.0).astype("<f8").view("<u8")  # + 0.0 turns -0.0 into 0.0
    nan = np.isnan(values)
    if nan.any():
        bits = np.where(nan, _NAN, bits).astype("<u8")
    return bits.tobytes()


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _utf8(series: pd.Series) -> tuple[bytes, bytes]:
    """(lengths, data) of a column as text, from one Arrow array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(series.array, pd.arrays.ArrowStringArray):
        array = arrow_strings(series).cast(pa.large_string())  # the Arrow data, not copied
    else:
        objects = series.to_numpy(dtype=object)
        if pd.api.types.infer_dtype(objects, skipna=True) not in ("string", "empty"):
            objects = np.array([None if _missing(v) else str(v) for v in objects], dtype=object)
        array = pa.array(objects, type=pa.large_string(), from_pandas=True)
    missing = array.is_null().to_numpy(zero_copy_only=False)
    if missing.any():
        array = pc.if_else(array.is_null(), "", array)
    begin, end = array.offset, array.offset + len(array) + 1
    offsets = np.frombuffer(array.buffers()[1], dtype="<i8")[begin:end]
    lengths = np.where(missing, -1, np.diff(offsets)).astype("<i8")
    data = array.buffers()[2]
    body = b"" if data is None else bytes(memoryview(data)[int(offsets[0]) : int(offsets[-1])])
    return lengths.tobytes(), body


def _sections(series: pd.Series, tag: str) -> tuple[bytes, ...]:
    if tag == "bool":
        return (series.to_numpy(dtype=np.uint8).tobytes(),)
    if tag in ("int64", "uint64"):
        return (series.to_numpy(dtype="<i8" if tag == "int64" else "<u8").tobytes(),)
    if tag == "float64":
        return (_floats(series),)
    return _utf8(series)


@dataclass(frozen=True)
class Segment:
    """The rows of one block that one part holds: the whole block's digest, or its sections.

    Attributes
    ----------
    block : int
        The block's number (row // :data:`BLOCK_ROWS`).
    digest : bytes or None
        The block's digest, when the part holds the whole block.
    sections : tuple or None
        Otherwise each column's sections for the rows held (joined with the other parts').
    """

    block: int
    digest: bytes | None
    sections: tuple[tuple[bytes, ...], ...] | None


def _block_digest(columns: tuple[tuple[bytes, ...], ...]) -> bytes:
    digest = hashlib.sha256()
    for sections in columns:
        for section in sections:
            digest.update(len(section).to_bytes(8, "little"))
            digest.update(section)
    return digest.digest()


def segments(frame: pd.DataFrame, offset: int = 0) -> list[Segment]:
    """The segments of a table's rows, the first of which is row ``offset`` (from 0) of the whole.

    Memory: one block of bytes at a time beyond the segments kept (a whole block keeps 32 bytes).
    """
    tags = column_tags(frame)
    out: list[Segment] = []
    start = 0
    while start < len(frame):
        block = (offset + start) // BLOCK_ROWS
        stop = min(len(frame), (block + 1) * BLOCK_ROWS - offset)
        rows = frame.iloc[start:stop]
        columns = tuple(_sections(rows.iloc[:, j], tag) for j, tag in enumerate(tags))
        if (offset + start) % BLOCK_ROWS == 0 and stop - start == BLOCK_ROWS:
            out.append(Segment(block, _block_digest(columns), None))
        else:
            out.append(Segment(block, None, columns))
        start = stop
    return out


def combine(headers: list[str], tags: tuple[str, ...], rows: int, parts: list[Segment]) -> str:
    """The table's digest from the segments of all its parts, in row order (module docstring)."""
    digest = hashlib.sha256()
    digest.update(json.dumps(headers, ensure_ascii=False).encode("utf-8"))
    digest.update(json.dumps(list(tags)).encode("utf-8"))
    digest.update(rows.to_bytes(8, "little"))
    for _, group in groupby(parts, key=lambda s: s.block):
        pieces = list(group)
        if len(pieces) == 1 and pieces[0].digest is not None:
            digest.update(pieces[0].digest)
            continue
        joined = tuple(
            tuple(b"".join(p.sections[j][k] for p in pieces if p.sections) for k in range(len(s)))
            for j, s in enumerate(pieces[0].sections or ())
        )
        digest.update(_block_digest(joined))
    return digest.hexdigest()


def frame_sha256(frame: pd.DataFrame) -> str:
    """sha256 of a DataFrame's headers and column values (not of a text rendering).

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame; its index is left out.

    Returns
    -------
    str
        64 hex digits (module docstring); equal values give equal digests whatever their
        storage (an object column of text and the ``str`` dtype, ``NaN`` and ``NA``, ``-0.0`` and
        ``0.0``, a copy or a slice).

    Examples
    --------
    >>> a = pd.DataFrame({"material": ["Al"], "tc": [1.175]})
    >>> frame_sha256(a) == frame_sha256(a.copy()), len(frame_sha256(a))
    (True, 64)
    """
    headers = [str(c) for c in frame.columns]
    return combine(headers, column_tags(frame), len(frame), segments(frame))
