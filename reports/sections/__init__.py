"""The sections of a report: one module and one template each, in one ordered registry.

A **section** turns a finished :class:`tcfit.analysis.Analysis` into ready-formatted text for
its template, and says what it adds to ``summary.json``. It never computes a number the
analysis does not hold, and never calls a fitter. :data:`SECTIONS` lists them in page order;
:func:`tcfit.reports.build` asks each for its context, leaves out those that answer None, and
lays out the rest in a skeleton page with a table of contents.

The built-in sections (module ``sections/<id>.py``, template ``templates/sections/<id>.html.j2``)::

    verdict       conclusion word, headline and sentences (tcfit.verdict), number cards
    lattice       integer against continuous i: ln BF, calibrated p, evidence against the
                  error scale, crossings, leave-one-out, counts, Rayleigh companion
    profiles      exponents and prefactor profiled with every i re-assigned; below them the
                  fits with i held fixed, labelled conditional (not a test)
    predictor     i predicted from the Sommerfeld γ without Tc (only for data with γ)
    valence       the valence convention behind n (only when the analysis computed it)
    provenance    data source, file hash, policy, seeds, units, derived/dropped rows, versions
    model         Eq. (5) and its prefactor
    materials     the per-material table
    figures       parity, residuals, implied i; the source comparison with its table
    reproduction  the paper's Table-1 recomputed (only for the paper's own Table-1)
    warnings      what deserves a second look
    superseded    appendix: the retired quantization test with its measured size

Adding a section is one object and one registry line (see :func:`register_section`)::

    class Note:
        id = "note"
        title = "A note"
        template = "<p>{{ text }}</p>"          # or "sections/note.html.j2" in the package

        def context(self, analysis, fmt):
            return {"text": f"RMS residual {fmt.percent(analysis.result.summary.rms_residual)}"}

        def summary(self, analysis):
            return {"note": {"n": analysis.result.summary.n_materials}}

    register_section(Note(), after="materials")
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from tcfit._validate import check_option
from tcfit.errors import InputError

from . import (
    figures,
    lattice,
    materials,
    model,
    predictor,
    profiles,
    provenance,
    reproduction,
    superseded,
    valence,
    verdict,
    warnings,
)
from ._common import FORMATTER, Formatter, disagrees, records

if TYPE_CHECKING:
    from tcfit.analysis import Analysis

__all__ = [
    "FORMATTER",
    "SECTIONS",
    "Formatter",
    "Section",
    "disagrees",
    "present",
    "records",
    "register_section",
]

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@runtime_checkable
class Section(Protocol):
    """What a report needs of a section.

    Attributes
    ----------
    id : str
        The ``<section id>`` and TOC anchor: a letter, then letters, digits, ``-`` or ``_``.
    title : str
        The section's heading (plain text; escaped).
    template : str
        A template file of :mod:`tcfit.reports` (``"sections/<id>.html.j2"``, a name ending in
        ``.j2``), or the Jinja2 source itself, for sections defined outside the package. It is
        rendered with autoescaping and ``StrictUndefined``; it sees the section's context and
        the page's ``title``, ``dataset``, ``generated`` (or None) and ``tcfit_version``. The
        skeleton writes the ``<section>`` element and the ``<h2>`` around it.
    """

    id: str
    title: str
    template: str

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any] | None:
        """What the template lays out, ready-formatted with ``fmt``; None leaves the section
        out of this report (and out of the TOC).

        Two keys mean something to the page: ``toc`` (the TOC label, default the title) and
        ``figures`` (a list of :class:`~tcfit.reports._render.FigureEntry`, also written to
        ``figures/``).
        """

    def summary(self, analysis: Analysis) -> Mapping[str, Any] | None:
        """Top-level entries for ``summary.json`` (JSON-ready or convertible), or None.

        Entries merge by key: two mappings under one key are joined (``report``); any other
        clash is an error.
        """


#: The sections of a report, in page order.
SECTIONS: list[Section] = [
    verdict.SECTION,
    lattice.SECTION,
    profiles.SECTION,
    predictor.SECTION,
    valence.SECTION,
    provenance.SECTION,
    model.SECTION,
    materials.SECTION,
    figures.SECTION,
    reproduction.SECTION,
    warnings.SECTION,
    superseded.SECTION,
]


def _check_section(section: Any) -> Section:
    if not isinstance(section, Section):
        raise InputError(
            "A report section needs `id`, `title`, `template`, `context(analysis, fmt)` and "
            f"`summary(analysis)` (see tcfit.reports.Section); got {section!r}.",
            argument="section",
        )
    if not isinstance(section.id, str) or not _ID.fullmatch(section.id):
        raise InputError(
            "A section's `id` must start with a letter and hold only letters, digits, '-' and "
            f"'_' (it becomes an HTML id); got {section.id!r}.",
            argument="section",
        )
    if any(s.id == section.id for s in SECTIONS):
        raise InputError(
            f"A report section with id {section.id!r} is already registered; choose another id.",
            argument="section",
        )
    return section


def register_section(section: Section, *, after: str | None = None) -> Section:
    """Add a section to every later report.

    Parameters
    ----------
    section : Section
        Any object with the :class:`Section` attributes and methods.
    after : str, optional
        The id of the section it follows on the page; default at the end.

    Returns
    -------
    Section
        ``section``.

    Raises
    ------
    InputError
        If ``section`` lacks a part of the protocol, its id is malformed or taken, or ``after``
        names no registered section.

    Examples
    --------
    >>> class Note:
    ...     id, title, template = "note", "A note", "<p>{{ n }} materials</p>"
    ...     def context(self, analysis, fmt):
    ...         return {"n": analysis.result.summary.n_materials}
    ...     def summary(self, analysis):
    ...         return None
    >>> note = register_section(Note(), after="model")
    >>> [s.id for s in SECTIONS][5:8]
    ['provenance', 'model', 'note']
    >>> SECTIONS.remove(note)
    """
    _check_section(section)
    if after is None:
        SECTIONS.append(section)
        return section
    ids = [s.id for s in SECTIONS]
    check_option("after", after, tuple(ids))
    SECTIONS.insert(ids.index(after) + 1, section)
    return section


def present(
    analysis: Analysis, fmt: Formatter = FORMATTER
) -> list[tuple[Section, Mapping[str, Any]]]:
    """The sections this analysis has, in page order, each with its context.

    Figures are drawn inside :func:`tcfit.plot.offscreen` with ``isolated=True``: plain
    matplotlib figures that pyplot never sees (no global state, no GUI backend), from
    matplotlib's own defaults plus tcfit's style, whatever ``matplotlibrc`` is around.
    """
    from tcfit.plot import offscreen

    out = []
    with offscreen(isolated=True):
        for section in SECTIONS:
            context = section.context(analysis, fmt)
            if context is not None:
                out.append((section, context))
    return out
