"""The raw table: what a reader hands to canonicalisation, before any meaning is given to it.

A :class:`RawTable` holds the headers and cells as written, the row number of every record as
the user sees it, where the table came from (:class:`SourceInfo`) and, for the built-in datasets,
the canonical column and unit their YAML sidecar declares for a header (:class:`ColumnSpec`).
Every format parser (:mod:`tcfit.datasets.formats`) and the built-in loader produce one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from tcfit.errors import DataError, Problem

from ._cells import present, short, text_matches
from ._digest import frame_sha256
from ._limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS

__all__ = ["ColumnSpec", "RawTable", "SourceInfo", "check_shape", "fail", "frame_sha256"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def fail(message: str, label: str | None, row: int | None = None) -> DataError:
    """A :class:`DataError` with one problem about the file ``label`` (to be raised)."""
    return DataError([Problem(message, file=label, row=row)], file=label)


def check_shape(rows: int, columns: int, label: str | None) -> None:
    """Refuse a table beyond :data:`MAX_ROWS`, :data:`MAX_COLUMNS` or :data:`MAX_CELLS`.

    Raises
    ------
    DataError
        Naming the limit that was passed.
    """
    if columns > MAX_COLUMNS:
        raise fail(
            f"The table has {columns:,} columns; tcfit reads at most {MAX_COLUMNS} (MAX_COLUMNS).",
            label,
        )
    if rows > MAX_ROWS or rows * columns > MAX_CELLS:
        raise fail(
            f"The table has {rows:,} rows and {columns:,} columns; tcfit reads at most "
            f"{MAX_ROWS:,} rows and {MAX_CELLS:,} cells (MAX_ROWS, MAX_CELLS) in memory; fit "
            "a larger Parquet or CSV file in chunks (tcfit fit FILE --chunk-rows N, or "
            "tcfit.fit_stream).",
            label,
        )


def _unicode_problems(
    headers: list[str], cells: pd.DataFrame, rows: np.ndarray, label: str | None
) -> list[Problem]:
    """Lone surrogates (``"\\ud800"`` in JSON, a str built in Python): not text, so an error."""
    problems = [
        Problem(f"The header {short(h)} holds a lone surrogate; it is not valid Unicode.", label)
        for h in headers
        if _SURROGATE.search(h)
    ]
    for j, name in enumerate(cells.columns):
        column = cells[name]
        if not (pd.api.types.is_object_dtype(column.dtype) or column.dtype == "str"):
            continue
        if isinstance(column.array, pd.arrays.ArrowStringArray):
            continue  # Arrow strings are valid UTF-8: they cannot hold a lone surrogate
        for k in np.flatnonzero(text_matches(column, _SURROGATE.pattern)):
            problems.append(
                Problem(
                    f"The cell {short(column.iloc[k])} holds a lone surrogate "
                    "(a half of a UTF-16 pair); it is not valid Unicode.",
                    file=label,
                    row=int(rows[k]),
                    column=headers[j] if j < len(headers) else None,
                )
            )
    return problems


def check_unicode(
    headers: list[str], cells: pd.DataFrame, rows: np.ndarray, label: str | None
) -> None:
    """Raise a :class:`DataError` for every header or cell that is not valid Unicode text."""
    problems = _unicode_problems(headers, cells, rows, label)
    if problems:
        raise DataError(problems, file=label)


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class SourceInfo:
    """Where a raw table came from.

    Attributes
    ----------
    label : str or None
        The path or buffer name used in messages (``None`` for a DataFrame).
    name : str
        The dataset's name (file stem, built-in name or ``df.attrs["name"]``).
    sha256 : str or None
        Hex digest of the bytes read (or of a DataFrame's values).
    format : str
        ``"csv"``, ``"tsv"``, ``"json"``, ``"xlsx"``, ``"parquet"``, ``"dataframe"``, ``"builtin"``
        or the name of another :class:`~tcfit.datasets.formats.Format`.
    info : mapping
        Reader details kept in the provenance: ``encoding``, ``delimiter``, ``comment_rows``,
        ``sheet``.
    encoding : str or None
        The text encoding the user stated (``read(..., encoding=...)``); ``None`` to detect it.
    """

    label: str | None
    name: str
    sha256: str | None
    format: str
    info: Mapping[str, Any] = field(default_factory=dict)
    encoding: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "info", _frozen(self.info))


@dataclass(frozen=True)
class ColumnSpec:
    """The meaning a built-in's sidecar declares for one header.

    Attributes
    ----------
    canonical : str
        A canonical column, or an auxiliary quantity such as ``tc_printed`` (kept as an extra
        column, converted to SI).
    unit : str or None
        The unit of the cells; ``None`` when the sidecar gives none or ``"1"``.
    """

    canonical: str
    unit: str | None = None


@dataclass(frozen=True, eq=False)
class RawTable:
    """A table as written: headers, cells (positional columns) and the user's row numbers.

    Attributes
    ----------
    headers : tuple of str
        The column headers, stripped; an unnamed column that holds cells is ``"Unnamed: j"``.
    cells : pandas.DataFrame
        The cells, columns numbered ``0 .. len(headers) - 1``, one row per record.
    rows : numpy.ndarray of int
        The row number of each record as the user sees it (see :mod:`tcfit.datasets._read`).
    source : SourceInfo
        Where the table came from.
    declared : mapping of str to ColumnSpec
        For built-ins, the meaning of each header from the sidecar; empty for user input, whose
        headers are matched against the aliases instead.
    problems : tuple of Problem
        Problems found while parsing (a row with more cells than the header).
    """

    headers: tuple[str, ...]
    cells: pd.DataFrame
    rows: np.ndarray
    source: SourceInfo
    declared: Mapping[str, ColumnSpec] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "declared", _frozen(self.declared))

    @property
    def label(self) -> str | None:
        """The source's label (path or buffer name) used in messages."""
        return self.source.label

    def with_info(self, **info: Any) -> RawTable:
        """A copy whose source info has ``info`` added (in the given order)."""
        source = replace(self.source, info={**self.source.info, **info})
        return replace(self, source=source)

    def with_format(self, format: str) -> RawTable:
        """A copy whose source names the format ``format``."""
        return replace(self, source=replace(self.source, format=format))

    @classmethod
    def from_records(
        cls,
        headers: list[Any],
        records: list[tuple[int, list[Any]]],
        *,
        source: SourceInfo,
        check_text: bool = False,
    ) -> RawTable:
        """Build a raw table from a header and ``(row_number, cells)`` records.

        Short records are padded with ``None``; a record with more non-empty cells than the
        header is a problem of its row. Unnamed columns without cells (a trailing delimiter) are
        dropped. ``check_text`` looks for lone surrogates in headers and cells (JSON can hold
        them; strictly decoded text cannot).

        Raises
        ------
        DataError
            If there are no records, the table is larger than the limits
            (:func:`check_shape`), or (``check_text``) text is not valid Unicode.
        """
        label = source.label
        if not records:
            raise fail("The file has a header but no data rows.", label, row=None)
        check_shape(len(records), max(len(headers), *(len(c) for _, c in records)), label)
        width = len(headers)
        problems: list[Problem] = []
        fixed: list[list[Any]] = []
        for row, cells in records:
            if any(present(c) for c in cells[width:]):
                problems.append(
                    Problem(
                        f"This row has {len(cells)} cells but the header has {width} columns.",
                        file=label,
                        row=row,
                    )
                )
            fixed.append(list(cells[:width]) + [None] * (width - len(cells)))
        frame = pd.DataFrame(fixed, columns=range(width), dtype=object)
        names: list[str] = []
        keep: list[int] = []
        for j, header in enumerate(headers):
            text = "" if header is None else str(header).strip()
            if not text:
                if not frame[j].map(present).any():
                    continue  # an unnamed, empty column: a trailing delimiter
                text = f"Unnamed: {j}"
            names.append(text)
            keep.append(j)
        frame = frame[keep].set_axis(range(len(keep)), axis=1)
        rows = np.array([r for r, _ in records], dtype=np.int64)
        if check_text:
            check_unicode(names, frame, rows, label)
        return cls(tuple(names), frame, rows, source, problems=tuple(problems))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, source: SourceInfo) -> RawTable:
        """A raw table of a DataFrame: position ``k`` is row ``k + 2``.

        A named index becomes columns. Without ``source.sha256`` the digest is
        :func:`frame_sha256` of the frame.

        Raises
        ------
        DataError
            If the frame has no columns or no rows, is larger than the limits
            (:func:`check_shape`), has an index named like one of its columns, or holds text
            that is not valid Unicode.
        """
        named = [n for n in frame.index.names if n is not None]
        if not isinstance(frame.index, pd.RangeIndex) and named:
            clash = [n for n in named if n in frame.columns]
            if clash:
                raise fail(
                    f"The table's index is named {short(clash[0])} and a column has the same "
                    "name, so tcfit cannot tell which one is meant; rename one of them.",
                    source.label,
                )
            frame = frame.reset_index()
        check_shape(frame.shape[0], frame.shape[1], source.label)
        if frame.shape[1] == 0:
            raise fail("The table has no columns.", source.label)
        if frame.shape[0] == 0:
            raise fail("The table has a header but no data rows.", source.label)
        cells = frame.set_axis(range(frame.shape[1]), axis=1).reset_index(drop=True)
        rows = np.arange(2, frame.shape[0] + 2, dtype=np.int64)
        headers = tuple(str(c).strip() or f"Unnamed: {j}" for j, c in enumerate(frame.columns))
        check_unicode(list(headers), cells, rows, source.label)
        if source.sha256 is None:
            source = replace(source, sha256=frame_sha256(frame))
        return cls(headers, cells, rows, source)
