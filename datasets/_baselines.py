"""Where the shipped regression baselines live (``datasets/baselines/<dataset>-<policy>.yml``).

The files are written by :func:`tcfit.write_baseline` and checked by the project's own tests with
pytest-regressions, so regenerating them is ``pytest tests/test_regression.py --force-regen``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from tcfit.errors import DataError

__all__ = ["baseline_names", "baseline_path"]


def _folder() -> Path:
    return Path(str(resources.files("tcfit.datasets") / "baselines"))


def baseline_names() -> list[tuple[str, str]]:
    """The shipped baselines as ``(dataset, policy)`` pairs, sorted.

    Returns
    -------
    list of tuple of str
        E.g. ``[("elements", "integer"), ("table1", "integer"), ("table1", "paper")]``.

    Examples
    --------
    >>> ("table1", "integer") in baseline_names()
    True
    """
    pairs = []
    for path in _folder().glob("*.yml"):
        dataset, _, policy = path.stem.rpartition("-")
        pairs.append((dataset, policy))
    return sorted(pairs)


def baseline_path(name: str, *, policy: str = "integer") -> Path:
    """The shipped baseline file of a built-in dataset under a policy.

    Parameters
    ----------
    name : str
        A built-in dataset, e.g. ``"table1"``.
    policy : str, default="integer"
        The assignment policy the baseline was made with.

    Returns
    -------
    pathlib.Path
        The YAML file, for ``tcfit check NAME --baseline PATH`` or :func:`tcfit.check`.

    Raises
    ------
    DataError
        If tcfit ships no baseline for that dataset and policy (the message lists those it has).

    Examples
    --------
    >>> baseline_path("table1", policy="paper").name
    'table1-paper.yml'
    """
    path = _folder() / f"{name}-{policy}.yml"
    if not path.is_file():
        known = ", ".join(f"{d!r} with policy {p!r}" for d, p in baseline_names())
        raise DataError(
            f"tcfit ships no baseline for dataset {name!r} with policy {policy!r}; "
            f"it ships: {known or 'none'}."
        )
    return path
