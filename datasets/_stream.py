"""Read a table too large for memory in chunks of rows, each into the canonical SI frame.

:func:`read_chunks` is :func:`tcfit.read` for big inputs: a Parquet file or a directory of
Parquet files (``pyarrow.dataset``, read in record batches), or a CSV/TSV file (cut into blocks of
whole lines by vectorised byte searches, never inside a quoted field). Every chunk goes through
the same canonicalisation as a whole table, so its frame is exactly the rows :func:`tcfit.read`
would give for those lines, and row numbers in messages are those of the whole file (Parquet:
position ``k`` is row ``k + 2``; text: the physical line).

Problems are collected over all chunks: a chunk with bad rows is skipped (or, with
``skip_invalid``, its bad rows are dropped as :func:`tcfit.read` drops them) and after the last
chunk one :class:`~tcfit.errors.DataError` lists every problem. A material that appears in two
chunks is found from 64-bit hashes of the names (:func:`pandas.util.hash_array`), confirmed on the
names themselves, and reported with the row of its first appearance, as :func:`tcfit.read` does.
Problems of the file as a whole (a missing column, a unit that is not understood) stop the first
chunk.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tcfit.errors import DataError, Problem

from ._canonical import canonicalise
from ._provenance import DroppedRow, Provenance, attach
from ._raw import RawTable, SourceInfo, check_shape, fail
from ._sanity import implied_i_warnings

__all__ = ["DEFAULT_CHUNK_ROWS", "MAX_STREAM_ROWS", "Chunk", "ChunkReader", "read_chunks"]

#: Rows per chunk unless asked otherwise (about 150 MB of working memory per chunk).
DEFAULT_CHUNK_ROWS = 100_000
#: Most rows a streamed table may have: the fit keeps about 60 bytes per material across chunks
#: (ln i, σ, the assignment, the posterior and the summary's columns), so 2e7 rows stay near
#: 1.2 GB. Checked from the Parquet footer before any data is read; for text, when reached.
MAX_STREAM_ROWS = 20_000_000
_BLOCK_BYTES_PER_ROW = 256  # bytes read ahead per wanted text row
_HEAD_LINES = 64  # lines added to a text file's first chunk: its header and any lines before


@dataclass(frozen=True, eq=False)
class Chunk:
    """One chunk of a streamed table.

    Attributes
    ----------
    frame : pandas.DataFrame
        The canonical frame of the chunk's valid rows, ``attrs`` holding its provenance.
    rows : numpy.ndarray of int
        The row number (as the user sees it in the whole file) of every row of ``frame``.
    """

    frame: pd.DataFrame
    rows: np.ndarray


def _sha256_of(paths: list[Path], root: Path) -> str:
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


def _parquet_files(root: Path) -> list[Path]:
    if root.is_dir():
        return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".parquet", ".pq"))
    return [root]


def _is_parquet(root: Path) -> bool:
    if root.is_dir():
        return True
    with open(root, "rb") as handle:
        return handle.read(4) == b"PAR1"


def _parquet_frames(files: list[Path], chunk_rows: int, label: str) -> Iterator[pd.DataFrame]:
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


def _text_raws(path: Path, chunk_rows: int, source: SourceInfo) -> Iterator[tuple[RawTable, int]]:
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


@dataclass
class ChunkReader:
    """Iterate over the canonical chunks of a big table (see :func:`read_chunks`).

    After a complete iteration, :attr:`provenance` is the provenance of the whole table (that of
    the first chunk, with the whole file's sha256 and every chunk's dropped rows and warnings)
    and :attr:`rows` the number of rows read.
    """

    path: Path
    chunk_rows: int
    units: Mapping[str, str] | None
    require: tuple[str, ...]
    skip_invalid: bool
    encoding: str | None = None
    drop: Mapping[int, str] = field(default_factory=dict)
    provenance: Provenance | None = None
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    _hashes: list[np.ndarray] = field(default_factory=list)
    _rows: list[np.ndarray] = field(default_factory=list)
    _dropped: list[DroppedRow] = field(default_factory=list)
    _warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return os.fspath(self.path)

    def _raws(self) -> Iterator[tuple[RawTable, int]]:
        label = self.label
        if not self.path.exists():
            raise fail(f"There is no file or directory {label!r}.", label)
        if _is_parquet(self.path):
            files = _parquet_files(self.path)
            if not files:
                raise fail("The directory holds no .parquet files.", label)
            source = SourceInfo(label, self.path.stem, None, "parquet")
            offset = 0
            for frame in _parquet_frames(files, self.chunk_rows, label):
                raw = RawTable.from_frame(frame, source=replace(source, sha256=""))
                yield raw, offset
                offset += len(frame)
            return
        source = SourceInfo(label, self.path.stem, None, "csv", encoding=self.encoding)
        yield from _text_raws(self.path, self.chunk_rows, source)

    def __iter__(self) -> Iterator[Chunk]:
        sha = _sha256_of(_parquet_files(self.path), self.path) if self.path.exists() else None
        for raw, shift in self._raws():
            raw = replace(raw, rows=raw.rows + shift)
            chunk = self._canonical(raw)
            if chunk is None:
                continue
            if self.provenance is None:
                self.provenance = replace(provenance_of(chunk.frame), sha256=sha)
            self.rows += len(chunk.frame)
            if self.rows > MAX_STREAM_ROWS:
                raise fail(
                    f"The table has more than {MAX_STREAM_ROWS:,} rows (MAX_STREAM_ROWS). Split "
                    "it and fit the parts.",
                    self.label,
                )
            yield chunk
        self._finish()

    def _canonical(self, raw: RawTable) -> Chunk | None:
        check_shape(len(raw.rows), len(raw.headers), self.label)
        try:
            frame, prov = canonicalise(
                raw, units=self.units, require=self.require, skip_invalid=self.skip_invalid
            )
        except DataError as err:
            if any(p.row is None for p in err.problems):
                raise  # a problem of the whole file: the same in every chunk
            self.problems += list(err.problems)
            self._hash_valid_rows(raw)  # so that a repeat of one of them is found too
            return None
        dropped = np.array([d.row for d in prov.dropped], dtype=np.int64)
        rows = np.asarray(raw.rows[~np.isin(raw.rows, dropped)], dtype=np.int64)
        frame, rows, prov = self._drop_listed(frame, rows, prov)
        self._dropped += list(prov.dropped)
        messages = implied_i_warnings(frame, rows)
        self._warnings += messages
        prov = replace(prov, warnings=(prov.warnings or ()) + tuple(messages))
        self._hashes.append(pd.util.hash_array(frame["material"].to_numpy(dtype=object)))
        self._rows.append(rows)
        return Chunk(attach(frame, prov), rows)

    def _hash_valid_rows(self, raw: RawTable) -> None:
        try:
            frame, prov = canonicalise(
                raw, units=self.units, require=self.require, skip_invalid=True
            )
        except DataError:
            return
        dropped = np.array([d.row for d in prov.dropped], dtype=np.int64)
        self._hashes.append(pd.util.hash_array(frame["material"].to_numpy(dtype=object)))
        self._rows.append(np.asarray(raw.rows[~np.isin(raw.rows, dropped)], dtype=np.int64))

    def _drop_listed(
        self, frame: pd.DataFrame, rows: np.ndarray, prov: Provenance
    ) -> tuple[pd.DataFrame, np.ndarray, Provenance]:
        """Drop the rows of :attr:`drop` (duplicates of a material in an earlier chunk)."""
        if not self.drop:
            return frame, rows, prov
        gone = np.isin(rows, np.fromiter(self.drop, dtype=np.int64))
        if not gone.any():
            return frame, rows, prov
        extra = [
            DroppedRow(int(r), str(frame["material"].iloc[k]), self.drop[int(r)])
            for k, r in zip(np.flatnonzero(gone), rows[gone], strict=True)
        ]
        dropped = tuple(sorted((*prov.dropped, *extra), key=lambda d: d.row or 0))
        kept = frame.loc[~gone].reset_index(drop=True)
        return kept, rows[~gone], replace(prov, dropped=dropped)

    def _finish(self) -> None:
        if self.provenance is not None:
            self.provenance = replace(
                self.provenance,
                dropped=tuple(self._dropped),
                warnings=tuple(self._warnings),
            )
        if self.problems:
            repeated, _ = self.duplicates()
            everything = sorted([*self.problems, *repeated], key=_row_key)
            raise DataError(everything, file=self.label)

    def repeated(self) -> np.ndarray:
        """Rows whose material hash equals that of an earlier row (after a full iteration):
        an array of (row, first row) pairs, candidates to confirm on the names."""
        if not self._hashes:
            return np.empty((0, 2), dtype=np.int64)
        hashes = np.concatenate(self._hashes)
        rows = np.concatenate(self._rows)
        order = np.argsort(hashes, kind="stable")
        h, r = hashes[order], rows[order]
        same = np.concatenate([[False], h[1:] == h[:-1]])
        group_start = np.maximum.accumulate(np.where(~same, np.arange(h.size), 0))
        return np.stack([r[same], r[group_start[same]]], axis=1)

    def again(self, drop: Mapping[int, str] | None = None) -> ChunkReader:
        """A fresh reader of the same table, dropping the rows of ``drop`` (row → reason)."""
        return ChunkReader(
            self.path,
            self.chunk_rows,
            self.units,
            self.require,
            self.skip_invalid,
            self.encoding,
            dict(drop or {}),
        )

    def duplicates(self) -> tuple[list[Problem], dict[int, str]]:
        """Materials that appear in two chunks (after a full iteration): the problems (row,
        first row, name, as :func:`tcfit.read` words them) and the reason by row, for
        ``skip_invalid``. Reads the table again only when hashes repeat, to confirm the names.
        """
        pairs = self.repeated()
        if not len(pairs):
            return [], {}
        header = (
            None if self.provenance is None else self.provenance.columns_as_given.get("material")
        )
        wanted = np.unique(pairs.ravel())
        names: dict[int, Any] = {}
        lookup = replace(self.again(), skip_invalid=True)  # valid rows of every chunk
        for chunk in lookup:
            for k in np.flatnonzero(np.isin(chunk.rows, wanted)):
                names[int(chunk.rows[k])] = chunk.frame["material"].iloc[k]
        problems, reasons = [], {}
        for row, first in pairs.tolist():
            if row not in names or names.get(row) != names.get(first):
                continue  # a hash collision, not the same name
            message = (
                f"The material {names[row]!r} already appears in row {first}; each material "
                "may appear only once."
            )
            problems.append(Problem(message, file=self.label, row=row, column=header))
            reasons[row] = (f"column {header!r}: " if header else "") + message
        return problems, reasons

    def attrs(self) -> dict[str, Any]:
        """``df.attrs`` of the whole table as :func:`tcfit.read` would set them."""
        if self.provenance is None:
            return {}
        return dict(attach(pd.DataFrame(), self.provenance).attrs)


def _row_key(problem: Problem) -> int:
    return problem.row if problem.row is not None else -1


def provenance_of(frame: pd.DataFrame) -> Provenance:
    from ._provenance import provenance

    return provenance(frame)


def read_chunks(
    path: str | os.PathLike[str],
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    units: Mapping[str, str] | None = None,
    require: tuple[str, ...] = ("tc", "bc", "n"),
    skip_invalid: bool = False,
    encoding: str | None = None,
) -> ChunkReader:
    """The chunks of a big Parquet file, directory of Parquet files, or CSV/TSV file.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.parquet`` file, a directory of them (read in sorted path order), or a text table.
    chunk_rows : int, default=DEFAULT_CHUNK_ROWS
        Rows per chunk (Parquet batches may be smaller at row-group ends).
    units, require, skip_invalid, encoding
        As for :func:`tcfit.read`.

    Returns
    -------
    ChunkReader
        Iterate over it for :class:`Chunk` objects; iterating again reads the file again.

    Raises
    ------
    DataError
        During iteration: at once for a problem of the whole file, after the last chunk for
        the problems of rows (every one, with its row and column); a table beyond
        :data:`MAX_STREAM_ROWS` is refused from the Parquet footer before reading.
    """
    from tcfit._validate import check_count

    rows = check_count("chunk_rows", chunk_rows, 1, maximum=1_000_000)
    return ChunkReader(Path(path), rows, units, require, skip_invalid, encoding)
