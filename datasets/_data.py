"""The shipped data files: bytes, digests, YAML sidecars, and a built-in's raw table.

Every built-in dataset is a CSV file in ``data/`` with a YAML sidecar ``data/<name>.yaml`` that
names the file and declares, for each CSV column it gives a meaning, the canonical column and the
unit of its cells. :func:`builtin_raw` reads the two into a :class:`~tcfit.datasets._raw.RawTable`
without interpreting any header text.
"""

from __future__ import annotations

import hashlib
import io
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from ._raw import ColumnSpec, RawTable, SourceInfo

__all__ = [
    "builtin_names",
    "builtin_raw",
    "data_bytes",
    "declared_columns",
    "file_sha256",
    "read_csv_text",
    "sidecar",
]

_PACKAGE = "tcfit.datasets"


def data_bytes(filename: str) -> bytes:
    """The raw bytes of a file in ``tcfit/datasets/data/``."""
    return resources.files(_PACKAGE).joinpath("data", filename).read_bytes()


def file_sha256(filename: str) -> str:
    """Hex sha256 of a shipped data file, for provenance."""
    return hashlib.sha256(data_bytes(filename)).hexdigest()


@cache
def builtin_names() -> tuple[str, ...]:
    """The built-in datasets: the stems of the YAML sidecars in ``data/``, sorted."""
    folder = resources.files(_PACKAGE).joinpath("data")
    return tuple(
        sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))
    )


@cache
def sidecar(name: str) -> dict[str, Any]:
    """The parsed YAML sidecar of a built-in dataset (cached: do not modify)."""
    return dict(yaml.safe_load(data_bytes(f"{name}.yaml").decode("utf-8")))


def read_csv_text(filename: str) -> pd.DataFrame:
    """A shipped CSV file with every cell a string, exactly as written (empty cells ``""``)."""
    return pd.read_csv(
        io.BytesIO(data_bytes(filename)), dtype=str, keep_default_na=False, na_filter=False
    )


def declared_columns(meta: dict[str, Any]) -> dict[str, ColumnSpec]:
    """The ``(canonical, unit)`` the sidecar declares per CSV column (a unit ``"1"`` is none)."""
    declared: dict[str, ColumnSpec] = {}
    for column, spec in meta["columns"].items():
        canonical = spec.get("canonical")
        if canonical:
            unit = spec.get("unit")
            declared[str(column)] = ColumnSpec(
                str(canonical), unit if unit and unit != "1" else None
            )
    return declared


def builtin_raw(name: str) -> RawTable:
    """The raw table of a built-in: its CSV cells as text, each column's meaning from the sidecar.

    Row ``k`` (from 0) is line ``k + 2`` of the CSV file.
    """
    meta = sidecar(name)
    filename = str(meta["file"])
    source = SourceInfo(filename, name, file_sha256(filename), "builtin")
    raw = RawTable.from_frame(read_csv_text(filename), source=source)
    return RawTable(raw.headers, raw.cells, raw.rows, raw.source, declared_columns(meta))
