"""The sources of :mod:`tcfit.datasets._stream`: Parquet record batches and CSV line blocks.

Text files are cut into blocks of whole lines by vectorised byte searches (``numpy`` over the
buffer), never inside a quoted field; each block is parsed with the header lines of the file put
before it, and its row numbers are shifted back to the file's physical lines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ._raw import RawTable, SourceInfo, fail

__all__ = [
    "MAX_STREAM_ROWS",
    "is_parquet",
    "parquet_files",
    "parquet_frames",
    "sha256_of",
    "text_raws",
]

#: Most rows a streamed table may have: the fit keeps about 60 bytes per material across chunks
#: (ln i, σ, the assignment, the posterior and the summary's columns), so 2e7 rows stay near
#: 1.2 GB. Checked from the Parquet footer before any data is read; for text, when reached.
MAX_STREAM_ROWS = 20_000_000
_BLOCK_BYTES_PER_ROW = 256  # bytes read ahead per wanted text row
_HEAD_LINES = 64  # lines added to a text file's first chunk: its header and any lines before


def sha256_of(paths: list[Path], root: Path) -> str:
    """sha256 of a file's bytes (as :func:`tcfit.read` records it); for a directory, of every
    file's relative path and bytes in sorted order. Read in 1 MiB blocks."""
    digest = hashlib.sha256()
    for path in paths:
        if root.is_dir():
            digest.update(str(path.relative_to(root)).encode("utf-8") + b"\x00")
        with open(path, "rb") as handle:
            while block := handle.read(2**20):
                digest.update(block)
    return digest.hexdigest()


def parquet_files(root: Path) -> list[Path]:
    if root.is_dir():
        return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".parquet", ".pq"))
    return [root]


def is_parquet(root: Path) -> bool:
    if root.is_dir():
        return True
    with open(root, "rb") as handle:
        return handle.read(4) == b"PAR1"


def parquet_frames(files: list[Path], chunk_rows: int, label: str) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    total = 0
    try:
        metas = [pq.ParquetFile(f).metadata for f in files]
    except Exception as err:  # pyarrow raises several error types for damaged files
        raise fail(f"The file is not a readable Parquet file ({err}).", label) from err
    rows = sum(m.num_rows for m in metas)
    if rows > MAX_STREAM_ROWS:
        raise fail(
            f"The table has {rows:,} rows; tcfit streams at most {MAX_STREAM_ROWS:,} "
            "(MAX_STREAM_ROWS). Split it and fit the parts.",
            label,
        )
    for path in files:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows):
            total += batch.num_rows
            if batch.num_rows:
                yield pa.Table.from_batches([batch]).to_pandas()


@dataclass
class _TextCut:
    """Where the text blocks of a CSV stand: the header lines and the next physical line."""

    prefix: bytes = b""
    prefix_lines: int = 0
    next_line: int = 1
    encoding: str | None = None


def _newlines(buffer: bytes) -> np.ndarray:
    return np.flatnonzero(np.frombuffer(buffer, dtype=np.uint8) == 10)


def _text_blocks(path: Path, chunk_rows: int) -> Iterator[tuple[int, bytes]]:
    """(physical line of the block's first line, bytes of whole lines), ``chunk_rows`` lines
    each (the first block :data:`_HEAD_LINES` more, for the header and lines before it); a block
    never ends inside a quoted field (it holds an even count of quotes)."""
    wanted = chunk_rows + _HEAD_LINES
    with open(path, "rb") as handle:
        pending, line, eof = b"", 1, False
        while pending or not eof:
            if not eof:
                more = handle.read(max(chunk_rows * _BLOCK_BYTES_PER_ROW, 2**16))
                eof, pending = not more, pending + more
            ends = _newlines(pending)
            if not eof and len(ends) < wanted:
                continue
            cut = int(ends[wanted - 1]) + 1 if len(ends) >= wanted else len(pending)
            while pending[:cut].count(b'"') % 2 and len(later := ends[ends >= cut]):
                cut = int(later[0]) + 1  # inside a quoted field: take the next line too
            if pending[:cut].count(b'"') % 2 and not eof:
                continue  # the quote closes beyond what was read: read on
            block, pending, wanted = pending[:cut], pending[cut:], chunk_rows
            yield line, block
            line += block.count(b"\n")


def text_raws(path: Path, chunk_rows: int, source: SourceInfo) -> Iterator[tuple[RawTable, int]]:
    """Raw tables of the text blocks, with the shift from block rows to the file's rows."""
    from . import formats

    cut = _TextCut()
    for first_line, block in _text_blocks(path, chunk_rows):
        if cut.prefix and not block.strip():
            continue  # trailing blank lines
        if not cut.prefix:
            raw = formats.pick(block, path.suffix.lower(), label=source.label).parse(
                block, source=source, sheet=None
            )
            encoding = str(raw.source.info.get("encoding", "utf-8"))
            if encoding.replace("-", "").lower().startswith(("utf16", "utf32")):
                raise fail(
                    f"tcfit streams text files in UTF-8 or an 8-bit encoding; this one is in "
                    f"{encoding}. Save it as UTF-8 (or as Parquet) to fit it in chunks.",
                    source.label,
                )
            start = int(raw.rows[0])
            lines = block.split(b"\n")
            cut = _TextCut(b"\n".join(lines[: start - 1]) + b"\n", start - 1, 1, encoding)
            yield raw, 0
            continue
        blob = cut.prefix + block
        chunk_source = replace(source, encoding=cut.encoding)
        fmt = formats.pick(blob, path.suffix.lower(), label=source.label)
        raw = fmt.parse(blob, source=chunk_source, sheet=None)
        yield raw, first_line - cut.prefix_lines - 1
