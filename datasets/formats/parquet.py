"""Parquet files through pandas (pyarrow); position ``k`` (from 0) is row ``k + 2``.

The file's footer is read first: a table beyond ``MAX_ROWS``/``MAX_COLUMNS``/``MAX_CELLS`` is
refused before its data is inflated (a column of a billion equal values compresses to almost
nothing).
"""

from __future__ import annotations

import io

import pandas as pd

from .._raw import RawTable, SourceInfo, check_shape, fail

__all__ = ["FORMAT", "ParquetFormat"]


class ParquetFormat:
    """An Apache Parquet file."""

    name = "parquet"
    description = "a Parquet file"
    extensions = frozenset({".parquet", ".pq"})
    binary = True

    def sniff(self, head: bytes) -> bool:
        """True for Parquet's magic bytes."""
        return head.startswith(b"PAR1")

    def parse(self, blob: bytes, *, source: SourceInfo, sheet: str | int | None) -> RawTable:
        """The table in the file (``sheet`` is ignored)."""
        import pyarrow.parquet as pq

        try:
            meta = pq.ParquetFile(io.BytesIO(blob)).metadata
        except Exception as err:  # pyarrow raises several error types for damaged files
            raise fail(f"The file is not a readable Parquet file ({err}).", source.label) from err
        check_shape(meta.num_rows, meta.num_columns, source.label)
        try:
            frame = pd.read_parquet(io.BytesIO(blob))
        except Exception as err:  # pyarrow raises several error types for damaged files
            raise fail(f"The file is not a readable Parquet file ({err}).", source.label) from err
        return RawTable.from_frame(frame, source=source)


FORMAT = ParquetFormat()
