"""Where the built-in datasets live and how they are found by name."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from tcfit.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["data_bytes", "load", "metadata", "names", "register"]

_LOADERS: dict[str, Callable[[], pd.DataFrame]] = {}


def register(name: str) -> Callable[[Callable[[], pd.DataFrame]], Callable[[], pd.DataFrame]]:
    """Decorator: make a zero-argument loader available as ``load(name)``."""

    def decorate(loader: Callable[[], pd.DataFrame]) -> Callable[[], pd.DataFrame]:
        _LOADERS[name] = loader
        return loader

    return decorate


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
    _import_loaders()
    return sorted(_LOADERS)


def _import_loaders() -> None:
    # Each dataset module registers itself on import.
    from . import _elements, _table1  # noqa: F401


def _check_name(name: str) -> None:
    _import_loaders()
    if name not in _LOADERS:
        known = ", ".join(repr(n) for n in sorted(_LOADERS))
        raise DataError(f"There is no built-in dataset named {name!r}; the built-ins are {known}.")


def data_bytes(filename: str) -> bytes:
    """The raw bytes of a file in ``tcfit/datasets/data/``."""
    return resources.files(__package__).joinpath("data", filename).read_bytes()


def sha256(filename: str) -> str:
    """Hex sha256 of a shipped data file, for provenance."""
    return hashlib.sha256(data_bytes(filename)).hexdigest()


@cache
def _metadata(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load(data_bytes(f"{name}.yaml").decode("utf-8")))


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
    import copy

    _check_name(name)
    return copy.deepcopy(_metadata(name))


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
    return _LOADERS[name]()
