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

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tcfit.errors import DataError, Problem

from ._canonical import canonicalise
from ._longform import duplicate_message, refuse_chunked_series
from ._provenance import DroppedRow, Provenance, attach
from ._raw import RawTable, SourceInfo, check_shape, fail
from ._sanity import implied_i_warnings
from ._sources import (
    MAX_STREAM_ROWS,
    is_parquet,
    parquet_files,
    parquet_frames,
    sha256_of,
    text_raws,
)

__all__ = ["DEFAULT_CHUNK_ROWS", "MAX_STREAM_ROWS", "Chunk", "ChunkReader", "read_chunks"]

#: Rows per chunk unless asked otherwise (about 150 MB of working memory per chunk).
DEFAULT_CHUNK_ROWS = 100_000


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
    valences: Mapping[str, float] | None = None
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
        if is_parquet(self.path):
            files = parquet_files(self.path)
            if not files:
                raise fail("The directory holds no .parquet files.", label)
            source = SourceInfo(label, self.path.stem, None, "parquet")
            offset = 0
            for frame in parquet_frames(files, self.chunk_rows, label):
                raw = RawTable.from_frame(frame, source=replace(source, sha256=""))
                yield raw, offset
                offset += len(frame)
            return
        source = SourceInfo(label, self.path.stem, None, "csv", encoding=self.encoding)
        yield from text_raws(self.path, self.chunk_rows, source)

    def __iter__(self) -> Iterator[Chunk]:
        sha = sha256_of(parquet_files(self.path), self.path) if self.path.exists() else None
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
        refuse_chunked_series(raw)
        try:
            frame, prov = canonicalise(
                raw,
                units=self.units,
                require=self.require,
                skip_invalid=self.skip_invalid,
                valences=self.valences,
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
                raw, units=self.units, require=self.require, skip_invalid=True,
                valences=self.valences,
            )  # fmt: skip
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
            valences=self.valences,
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
            message = duplicate_message(names[row], first)
            problems.append(Problem(message, file=self.label, row=row, column=header))
            reasons[row] = (f"column {header!r}: " if header else "") + message
        return problems, reasons

    def attrs(self) -> dict[str, Any]:
        """``df.attrs`` of the whole table as :func:`tcfit.read` would set them."""
        if self.provenance is None:
            return {}
        return {str(k): v for k, v in attach(pd.DataFrame(), self.provenance).attrs.items()}


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
    valences: Mapping[str, float] | None = None,
) -> ChunkReader:
    """The chunks of a big Parquet file, directory of Parquet files, or CSV/TSV file.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.parquet`` file, a directory of them (read in sorted path order), or a text table.
    chunk_rows : int, default=DEFAULT_CHUNK_ROWS
        Rows per chunk (Parquet batches may be smaller at row-group ends).
    units, require, skip_invalid, encoding, valences
        As for :func:`tcfit.read`. A long-format Bc(T) table is refused (its series are
        fitted whole): read it with :func:`tcfit.read`.

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
    return ChunkReader(Path(path), rows, units, require, skip_invalid, encoding, valences=valences)
