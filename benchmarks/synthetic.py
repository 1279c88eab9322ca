"""Synthetic tables for the benchmarks (not a benchmark itself: no ``bench_`` prefix).

``rows`` materials obeying Eq. (5) at an integer i in 1..19 with 3 % log-normal scatter in Tc,
Bc between 1 mT and 1 T and n between 1e28 and 3e29 m⁻³ (SI columns); seeded, so every run
benchmarks the same numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def synthetic(rows: int, seed: int = 0, start: int = 0) -> Any:
    """A pandas DataFrame of ``rows`` materials named ``M<start>``, ``M<start + 1>``, ..."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng([seed, start])
    bc = 10 ** rng.uniform(-3, 0, rows)
    n = 10 ** rng.uniform(28, 29.5, rows)
    i = rng.integers(1, 20, rows)
    tc = 1.56e7 * bc / (n ** (1 / 6) * np.sqrt(i)) * np.exp(rng.normal(0, 0.03, rows))
    names = "M" + pd.Series(np.arange(start, start + rows)).astype(str).str.zfill(8)
    return pd.DataFrame({"material": names.to_numpy(object), "tc": tc, "bc": bc, "n": n})


def write_parquet(path: Path, rows: int, *, piece: int = 1_000_000) -> Path:
    """``rows`` synthetic materials to one Parquet file, written ``piece`` rows at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    for start in range(0, rows, piece):
        table = pa.Table.from_pandas(
            synthetic(min(piece, rows - start), start=start), preserve_index=False
        )
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    if writer is not None:
        writer.close()
    return path
