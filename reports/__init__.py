"""Validation reports of tcfit (the package ``tcfit.reports``, folder ``reports/``).

A report reads a finished result object (:class:`tcfit.FitResult`, plus the global fits and the
quantization test computed in one place by :func:`build`) and lays it out: one Jinja2 template
rendered to a self-contained HTML page and, by WeasyPrint, to a PDF, with the figures, a LaTeX
booktabs table, ``results.csv`` and ``summary.json`` beside them. It never changes a number: it
formats them (uncertainties by the Particle Data Group rounding rule).

Modules: ``_build`` (:func:`build`, :class:`ReportPaths`), ``_figures`` (seaborn figures as
deterministic SVG/PNG), ``_format`` (PDG rounding), ``_latex`` (booktabs), ``templates/``.
Heavy libraries (matplotlib, seaborn, jinja2, weasyprint) load on first use of :func:`build`.
"""

from __future__ import annotations

if __name__ != "tcfit.reports":  # pragma: no cover - guards against `import reports`
    raise ImportError(
        "This folder is the package 'tcfit.reports'; install tcfit and import it as "
        f"'tcfit.reports', not {__name__!r}."
    )

from typing import Any as _Any

__all__ = ["ReportPaths", "build"]


def __getattr__(name: str) -> _Any:
    if name in __all__:
        from . import _build

        value = getattr(_build, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tcfit.reports' has no attribute {name!r}")
