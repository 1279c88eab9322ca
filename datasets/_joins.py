"""Columns a built-in borrows from a sourced reference table or from periodictable.

A sidecar may list ``joins``: a ``reference`` table (``data/reference/<name>.csv`` with its own
sidecar declaring each column's canonical name and unit), matched on a ``key`` column against the
material, and/or ``periodictable`` quantities (``density``, ``molar_mass``) of each element. The
borrowed cells enter the raw table as declared columns, so they are converted to SI by the one
canonicalisation like every other cell; a material the reference lacks gets an empty cell —
nothing is filled in. :func:`joined` describes what was borrowed, for ``df.attrs["joined"]``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._data import data_bytes, declared_columns, file_sha256, read_csv_text
from ._raw import ColumnSpec, RawTable

__all__ = ["join_references", "joined"]

_PERIODIC = {"density": ("density", "g/cm^3"), "molar_mass": ("mass", "g/mol")}


def _reference(name: str) -> tuple[dict[str, Any], pd.DataFrame]:
    import yaml

    meta = dict(yaml.safe_load(data_bytes(f"reference/{name}.yaml").decode("utf-8")))
    return meta, read_csv_text(str(meta["file"]))


def _materials(raw: RawTable) -> pd.Series:
    at = next(j for j, h in enumerate(raw.headers) if raw.declared.get(h, None) is not None
              and raw.declared[h].canonical == "material")  # fmt: skip
    return pd.Series(raw.cells[at].to_numpy(dtype=object), dtype="str").str.strip()


def join_references(raw: RawTable, joins: list[dict[str, Any]] | None) -> RawTable:
    """``raw`` with the columns its sidecar's ``joins`` borrow (see the module docstring)."""
    if not joins:
        return raw
    materials = _materials(raw)
    headers, cells, declared = list(raw.headers), raw.cells.copy(), dict(raw.declared)
    for join in joins:
        if "reference" in join:
            meta, table = _reference(str(join["reference"]))
            specs = declared_columns(meta)
            by_key = table.set_index(str(join["key"]))
            for column in join["columns"]:
                values = materials.map(by_key[column]).fillna("")
                headers.append(f"{join['reference']}:{column}")
                cells[len(headers) - 1] = values.to_numpy(dtype=object)
                declared[headers[-1]] = specs[column]
        for quantity in join.get("periodictable", ()):
            attribute, unit = _PERIODIC[quantity]
            headers.append(f"periodictable:{quantity}")
            cells[len(headers) - 1] = [_element(m, attribute) for m in materials]
            declared[headers[-1]] = ColumnSpec(quantity, unit)
    return RawTable(tuple(headers), cells, raw.rows, raw.source, declared, raw.problems)


def _element(symbol: str, attribute: str) -> str:
    import periodictable

    element = getattr(periodictable, symbol, None)
    value = getattr(element, attribute, None) if element is not None else None
    return (
        ""
        if value is None or not isinstance(getattr(element, "number", None), int)
        else repr(float(value))
    )


def joined(joins: list[dict[str, Any]] | None) -> dict[str, Any]:
    """What the ``joins`` borrow, per canonical column: file and sha256, or periodictable."""
    import periodictable

    out: dict[str, Any] = {}
    for join in joins or ():
        if "reference" in join:
            meta, _ = _reference(str(join["reference"]))
            for column in join["columns"]:
                canonical = declared_columns(meta)[column].canonical
                out[canonical] = {
                    "reference": str(join["reference"]),
                    "file": str(meta["file"]),
                    "sha256": file_sha256(str(meta["file"])),
                    "column": column,
                    "title": meta.get("title"),
                }
        for quantity in join.get("periodictable", ()):
            out[quantity] = {
                "periodictable": periodictable.__version__,
                "attribute": _PERIODIC[quantity][0],
            }
    return out
