"""The built-in datasets: found by name from their YAML sidecars, loaded through the one pipeline.

The list of built-ins is data: every ``data/<name>.yaml`` sidecar is one (:func:`names`). Loading
one reads its CSV and the canonical column and unit the sidecar declares per column into a raw
table (:func:`tcfit.datasets._data.builtin_raw`), applies the dataset's named transform if it has
one (Table-1 splits ``"Hg(α)"``, :func:`tcfit.datasets._table1.split_metal_phase`) and
canonicalises it once, converting to SI. No dataset module registers itself, so nothing here
imports the reader.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tcfit.errors import DataError

from . import _table1
from ._canonical import canonicalise
from ._columns import DEFAULT_SI
from ._data import builtin_names, builtin_raw, data_bytes, sidecar
from ._joins import join_references, joined
from ._provenance import Provenance
from ._schema import CANONICAL_ORDER

if TYPE_CHECKING:
    import pandas as pd

    from ._raw import RawTable

__all__ = ["data_bytes", "load", "metadata", "names", "read_builtin"]

_View = Callable[["pd.DataFrame", Provenance], tuple["pd.DataFrame", dict[str, Any]]]

#: Named transforms of a built-in's raw table before canonicalisation.
TRANSFORMS: dict[str, Callable[[RawTable], RawTable]] = {"table1": _table1.split_metal_phase}
#: How :func:`load` presents a built-in, when not as the canonical frame with its sidecar.
VIEWS: dict[str, _View] = {"table1": _table1.as_loaded}


def names() -> list[str]:
    """Names of the built-in datasets, sorted.

    Returns
    -------
    list of str
        Every name :func:`load` accepts, e.g. ``["table1", ...]``.

    Examples
    --------
    >>> "table1" in names()
    True
    """
    return list(builtin_names())


def _check_name(name: str) -> None:
    if name not in builtin_names():
        known = ", ".join(repr(n) for n in builtin_names())
        raise DataError(f"There is no built-in dataset named {name!r}; the built-ins are {known}.")


def metadata(name: str) -> dict[str, Any]:
    """The YAML sidecar of a built-in dataset: units of each column, source, notes.

    Parameters
    ----------
    name : str
        A name from :func:`names`.

    Returns
    -------
    dict
        A fresh copy of the parsed YAML (safe to modify).

    Raises
    ------
    DataError
        If ``name`` is not a built-in dataset.
    """
    _check_name(name)
    return copy.deepcopy(sidecar(name))


def _raw(name: str) -> RawTable:
    raw = builtin_raw(name)
    transform = TRANSFORMS.get(name)
    raw = raw if transform is None else transform(raw)
    return join_references(raw, sidecar(name).get("joins"))


def _sidecar_view(frame: pd.DataFrame, prov: Provenance) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The canonical frame, with the sidecar's title, source, headers and units as given."""
    meta = sidecar(prov.name)
    specs = meta["columns"]
    prov = replace(
        prov,
        title=meta["title"],
        source=meta["source"],
        columns_as_given={s["canonical"]: c for c, s in specs.items() if s.get("canonical")},
        units_as_given={
            s["canonical"]: s["unit"]
            for s in specs.values()
            if s.get("canonical") and s.get("unit")
        },
        warnings=None,
    )
    return frame, prov.to_attrs()


def _view(frame: pd.DataFrame, prov: Provenance) -> tuple[pd.DataFrame, dict[str, Any]]:
    return VIEWS.get(prov.name, _sidecar_view)(frame, prov)


def load(name: str) -> pd.DataFrame:
    """Load a built-in dataset as a DataFrame in SI units.

    Parameters
    ----------
    name : str
        A name from :func:`names`, e.g. ``"table1"``.

    Returns
    -------
    pandas.DataFrame
        One row per material, columns named as in tcfit's canonical schema (``material``, ``tc``
        in K, ``bc`` in T, ``n`` in m⁻³, ...). ``df.attrs`` holds ``name``, ``source``,
        ``units`` (SI unit of each column), ``units_as_given``, ``file`` and ``sha256``.

    Raises
    ------
    DataError
        If ``name`` is not a built-in dataset.

    Examples
    --------
    >>> df = load("table1")
    >>> len(df), df.attrs["units"]["bc"]
    (21, 'T')
    """
    _check_name(name)
    frame, prov = canonicalise(_raw(name), units=None, require=(), skip_invalid=False)
    loaded, attrs = _view(frame, prov)
    loaded.attrs.clear()
    loaded.attrs.update(attrs)
    return loaded


def read_builtin(
    name: str, *, require: tuple[str, ...], skip_invalid: bool
) -> tuple[pd.DataFrame, Provenance, RawTable]:
    """A built-in as :func:`tcfit.read` returns it: canonical frame, provenance and raw table.

    The frame is canonicalised once, from the shipped CSV. Its provenance is the one
    :func:`tcfit.read` has always given a built-in: that of its SI frame (every unit
    ``"default (SI)"``, the headers those of :func:`load`'s frame) with what :func:`load`'s
    ``attrs`` carry (title, source, the units and headers as given in the file).
    """
    _check_name(name)
    raw = _raw(name)
    frame, prov = canonicalise(raw, units=None, require=require, skip_invalid=skip_invalid)
    loaded, attrs = _view(frame, replace(prov, dropped=(), require=()))
    canonical = [str(c) for c in loaded.columns if c in CANONICAL_ORDER]
    si = replace(
        prov,
        units_as_given=prov.units,
        units_from=dict.fromkeys(prov.units, DEFAULT_SI),
        columns_as_given={c: c for c in canonical},
        derived={},
    )
    joins = sidecar(name).get("joins")
    if joins:
        si = replace(si, extra={**si.extra, "joined": joined(joins)})
    return frame, si.carrying(attrs), raw
