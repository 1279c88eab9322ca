"""The ``tcfit`` command: a thin typer + rich shell over the public Python API.

Each subcommand lives in its own module and maps one-to-one to a public function. Heavy modules
are imported inside the commands, so ``tcfit --help`` stays fast. Exit codes: 0 success, 1 a check
that found differences, 2 bad input or usage. :class:`tcfit.TcfitError` is caught here, at the
boundary, and printed as ``Error: message``; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

# Importing a command module registers its commands on `app`.
from . import _check, _datasets, _fit, _predict, _report, _reproduce  # noqa: F401
from ._app import app, main

__all__ = ["app", "main"]
