"""Reading measurement tables, and the built-in datasets of tcfit (``tcfit.datasets``).

Data is data: every built-in dataset is a CSV file with a YAML sidecar in ``data/`` (units of
each column, source, transcription notes), loaded through :mod:`importlib.resources`. Every
table, built-in or yours, goes through one reader pipeline and is converted to SI once:

    source (name, path, buffer, DataFrame) -> raw table (formats/, _data) -> canonicalise
    (_columns: map columns, resolve units; _canonical: convert, validate, drop invalid;
    _derive: n from the valence) -> canonical frame (_schema) + Provenance (_provenance)
    -> sanity warnings (_sanity)

What is read is bounded and strict (the limits are in _limits, exported here): regular files
only, up to MAX_INPUT_BYTES, MAX_ROWS, MAX_COLUMNS; text decoded strictly (_decode); every
value finite and within QUANTITY_RANGE, every uncertainty within RELATIVE_ERROR_RANGE of its
value (_bounds), so that Eq. (5) and everything computed from a table stay finite.

Names are resolved lazily, so ``import tcfit.datasets`` loads neither numpy nor pandas.
"""

from __future__ import annotations

if __name__ != "tcfit.datasets":  # pragma: no cover - guards against `import datasets`
    raise ImportError(
        "This folder is the package 'tcfit.datasets'; install tcfit and import it as "
        f"'tcfit.datasets', not {__name__!r}."
    )

from importlib import import_module as _import_module
from typing import TYPE_CHECKING
from typing import Any as _Any

if TYPE_CHECKING:
    from ._aliases import ALIASES
    from ._baselines import baseline_names, baseline_path
    from ._limits import (
        MAX_CELLS,
        MAX_COLUMNS,
        MAX_INPUT_BYTES,
        MAX_ROWS,
        MAX_UNIT_EXPONENT,
        MAX_UNIT_LENGTH,
        MAX_XLSX_UNCOMPRESSED_BYTES,
        QUANTITY_RANGE,
        RELATIVE_ERROR_RANGE,
        UNIT_FACTOR_RANGE,
    )
    from ._parts import FramePart, combine_parts, read_part
    from ._provenance import Derivation, DroppedRow, Provenance, provenance
    from ._read import DEFAULT_REQUIRE, read, resolve
    from ._registry import load, metadata, names
    from ._sanity import IMPLIED_I_PLAUSIBLE
    from ._schema import (
        CANONICAL_ORDER,
        QUANTITY_COLUMNS,
        SCHEMA_VERSION,
        SI_UNITS,
        TEXT_COLUMNS,
        canonical_schema,
    )
    from ._series import (
        SERIES_LAWS,
        SERIES_MIN_POINTS,
        SERIES_NON_MONOTONIC_P,
        SERIES_POOR_FIT_P,
        fit_series,
    )
    from ._stream import DEFAULT_CHUNK_ROWS, MAX_STREAM_ROWS, Chunk, ChunkReader, read_chunks
    from ._table1 import table1_alternatives, table1_printed, table1_worked_example

#: Public name -> the private module that defines it.
_EXPORTS: dict[str, str] = {
    "ALIASES": "_aliases",
    "CANONICAL_ORDER": "_schema",
    "DEFAULT_CHUNK_ROWS": "_stream",
    "DEFAULT_REQUIRE": "_read",
    "IMPLIED_I_PLAUSIBLE": "_sanity",
    "MAX_CELLS": "_limits",
    "MAX_COLUMNS": "_limits",
    "MAX_INPUT_BYTES": "_limits",
    "MAX_ROWS": "_limits",
    "MAX_STREAM_ROWS": "_stream",
    "MAX_UNIT_EXPONENT": "_limits",
    "MAX_UNIT_LENGTH": "_limits",
    "MAX_XLSX_UNCOMPRESSED_BYTES": "_limits",
    "QUANTITY_RANGE": "_limits",
    "RELATIVE_ERROR_RANGE": "_limits",
    "UNIT_FACTOR_RANGE": "_limits",
    "QUANTITY_COLUMNS": "_schema",
    "SCHEMA_VERSION": "_schema",
    "SERIES_LAWS": "_series",
    "SERIES_MIN_POINTS": "_series",
    "SERIES_NON_MONOTONIC_P": "_series",
    "SERIES_POOR_FIT_P": "_series",
    "SI_UNITS": "_schema",
    "TEXT_COLUMNS": "_schema",
    "Chunk": "_stream",
    "ChunkReader": "_stream",
    "Derivation": "_provenance",
    "DroppedRow": "_provenance",
    "FramePart": "_parts",
    "Provenance": "_provenance",
    "baseline_names": "_baselines",
    "baseline_path": "_baselines",
    "canonical_schema": "_schema",
    "fit_series": "_series",
    "combine_parts": "_parts",
    "load": "_registry",
    "metadata": "_registry",
    "names": "_registry",
    "provenance": "_provenance",
    "read": "_read",
    "read_chunks": "_stream",
    "read_part": "_parts",
    "resolve": "_read",
    "table1_alternatives": "_table1",
    "table1_printed": "_table1",
    "table1_worked_example": "_table1",
}


def __getattr__(name: str) -> _Any:
    if name in _EXPORTS:
        value = getattr(_import_module(f"{__name__}.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = [
    "ALIASES",
    "CANONICAL_ORDER",
    "DEFAULT_CHUNK_ROWS",
    "DEFAULT_REQUIRE",
    "IMPLIED_I_PLAUSIBLE",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_INPUT_BYTES",
    "MAX_ROWS",
    "MAX_STREAM_ROWS",
    "MAX_UNIT_EXPONENT",
    "MAX_UNIT_LENGTH",
    "MAX_XLSX_UNCOMPRESSED_BYTES",
    "QUANTITY_COLUMNS",
    "QUANTITY_RANGE",
    "RELATIVE_ERROR_RANGE",
    "SCHEMA_VERSION",
    "SERIES_LAWS",
    "SERIES_MIN_POINTS",
    "SERIES_NON_MONOTONIC_P",
    "SERIES_POOR_FIT_P",
    "SI_UNITS",
    "TEXT_COLUMNS",
    "UNIT_FACTOR_RANGE",
    "Chunk",
    "ChunkReader",
    "Derivation",
    "DroppedRow",
    "FramePart",
    "Provenance",
    "baseline_names",
    "baseline_path",
    "canonical_schema",
    "combine_parts",
    "fit_series",
    "load",
    "metadata",
    "names",
    "provenance",
    "read",
    "read_chunks",
    "read_part",
    "resolve",
    "table1_alternatives",
    "table1_printed",
    "table1_worked_example",
]
