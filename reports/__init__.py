"""Validation reports of tcfit (the package ``tcfit.reports``, folder ``reports/``).

A report lays out a finished :class:`tcfit.analysis.Analysis` — the fit, the verdict in words,
the lattice test, the profiles, the independent predictor, the valence systematic, the
conditional global fits, the superseded quantization test (as an appendix), the source comparison
and the Table-1 reproduction, all computed in the fit layer by :func:`tcfit.analysis.analyse` —
and never calls a fitter itself. It never changes a
number: it formats them through :mod:`tcfit.formatting` (the one formatter the CLI uses too;
uncertainties by the Particle Data Group rounding rule).

The page is a list of **sections** (:data:`SECTIONS`, in page order): each is one module of
``sections/`` and one template of ``templates/sections/``, behind the small :class:`Section`
protocol (``id``, ``title``, ``template``, ``context(analysis, fmt)``, ``summary(analysis)``).
A section whose context is None is left out. :func:`register_section` adds one — from a user's
own code, with an inline template — to every later report.

Layout (data flows down; a module imports only from those above it)::

    _plotting          deterministic SVG/PNG of figures drawn by tcfit.plot (the same
                       functions users call; the report draws them inside plot.offscreen())
    _latex             booktabs LaTeX
    _render            Jinja2 environment (autoescape, StrictUndefined), skeleton page with
                       the TOC, figure entries, CSP with the script hash, PDF via WeasyPrint
    sections/          Section protocol, registry, Formatter; one module per section
    _outputs           results.csv, summary.json, table.tex, figure files (atomic writes)
    _build             build(): analyse (or take an Analysis) -> sections -> render -> write;
                       ReportPaths
    templates/         report.html.j2 (skeleton), sections/<id>.html.j2, report.css, sort.js

Heavy libraries (matplotlib, seaborn, jinja2, weasyprint) load on first use of :func:`build`.
"""

from __future__ import annotations

if __name__ != "tcfit.reports":  # pragma: no cover - guards against `import reports`
    raise ImportError(
        "This folder is the package 'tcfit.reports'; install tcfit and import it as "
        f"'tcfit.reports', not {__name__!r}."
    )

from importlib import import_module as _import_module
from typing import Any as _Any

#: Public name -> the module that defines it (both ``__all__`` and ``__getattr__`` derive).
_EXPORTS: dict[str, str] = {
    "SECTIONS": "tcfit.reports.sections",
    "Formatter": "tcfit.reports.sections",
    "ReportPaths": "tcfit.reports._build",
    "Section": "tcfit.reports.sections",
    "build": "tcfit.reports._build",
    "register_section": "tcfit.reports.sections",
}

__all__ = ["SECTIONS", "Formatter", "ReportPaths", "Section", "build", "register_section"]


def __getattr__(name: str) -> _Any:
    if name in _EXPORTS:
        value = getattr(_import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tcfit.reports' has no attribute {name!r}")
