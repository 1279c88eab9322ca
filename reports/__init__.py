"""Validation reports of tcfit (the package ``tcfit.reports``, folder ``reports/``).

A report reads a finished result object and never calls a fitter.
"""

from __future__ import annotations

if __name__ != "tcfit.reports":  # pragma: no cover - guards against `import reports`
    raise ImportError(
        "This folder is the package 'tcfit.reports'; install tcfit and import it as "
        f"'tcfit.reports', not {__name__!r}."
    )

__all__: list[str] = []
