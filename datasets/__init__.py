"""Built-in datasets of tcfit (the package ``tcfit.datasets``, folder ``datasets/``).

Data is data: every dataset is a CSV file with a YAML sidecar in ``data/`` (units of each column,
source, transcription notes), loaded through :mod:`importlib.resources` and converted to SI here,
once. Numbers are never pasted into code.
"""

from __future__ import annotations

if __name__ != "tcfit.datasets":  # pragma: no cover - guards against `import datasets`
    raise ImportError(
        "This folder is the package 'tcfit.datasets'; install tcfit and import it as "
        f"'tcfit.datasets', not {__name__!r}."
    )

from ._baselines import baseline_names, baseline_path
from ._read import read, resolve
from ._registry import load, metadata, names
from ._schema import canonical_schema
from ._table1 import table1_alternatives, table1_printed, table1_worked_example

__all__ = [
    "baseline_names",
    "baseline_path",
    "canonical_schema",
    "load",
    "metadata",
    "names",
    "read",
    "resolve",
    "table1_alternatives",
    "table1_printed",
    "table1_worked_example",
]
