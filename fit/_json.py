"""Plain-JSON conversion shared by every ``to_dict`` and ``--json`` output.

NaN, inf, pandas NA/NaT become ``None``; numpy scalars and arrays become Python numbers and lists;
DataFrames become lists of records; paths become strings; anything else its ``str``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["json_dict", "jsonable", "table_records"]


def table_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``df`` as JSON-ready dicts (NaN/NA → None, numpy scalars → Python)."""
    return [
        {str(k): jsonable(v) for k, v in zip(df.columns, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]


def jsonable(value: Any) -> Any:
    """Recursively convert to plain JSON types; NaN, inf and pandas NA become None."""
    import pandas as pd

    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, pd.DataFrame):
        return table_records(value)
    if isinstance(value, pd.Series):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def json_dict(value: Mapping[str, Any]) -> dict[str, Any]:
    """:func:`jsonable` for a mapping, typed as a dict."""
    out: dict[str, Any] = jsonable(value)
    return out
