"""Rendering: the Jinja2 environment, the page skeleton, figure entries, the CSP, and the PDF.

Security: autoescaping is on for every template (files and inline section templates alike), so
every string from the user's file is escaped; undefined names fail loudly (``StrictUndefined``).
The page loads nothing from anywhere — CSS and the small sorting script inline, figures as inline
SVG — and says so in a Content-Security-Policy whose ``script-src`` is the hash of that one
script. Nothing here computes a number; a section's context arrives ready-formatted.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tcfit._io import atomic_path
from tcfit.errors import InputError

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    from tcfit.analysis import Analysis

    from .sections import Section

__all__ = [
    "PDF_VARIANT",
    "FigureEntry",
    "RenderedSection",
    "csp",
    "environment",
    "figure_entry",
    "page_values",
    "render_page",
    "render_section",
    "timestamp_text",
    "write_pdf",
]


#: The PDF is tagged for accessibility (PDF/UA-1: structure tree, reading order, language).
PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class FigureEntry:
    """One figure of the page, rendered: inline SVG for the HTML, SVG and PNG for the files.

    A section lists its figures under the ``figures`` key of its context;
    :func:`tcfit.reports.build` writes each as ``figures/<name>.svg`` and ``.png``.

    Attributes
    ----------
    name : str
        File stem and id suffix (``parity`` → ``figures/parity.svg``, ``id="fig-parity"``).
    title, caption : str
        Plain text (escaped when rendered).
    svg : markupsafe.Markup
        The SVG for inlining (ids prefixed, a ``<title>`` for screen readers).
    svg_file : str
        The SVG file's text.
    png_file : bytes
        The PNG file's bytes.
    """

    name: str
    title: str
    caption: str
    svg: Markup
    svg_file: str
    png_file: bytes

    @property
    def id(self) -> str:
        """The ``<figure>``'s HTML id: ``fig-<name>``."""
        return f"fig-{self.name}"


def figure_entry(
    name: str, drawn: Figure | SubFigure | Axes, *, title: str, caption: str
) -> FigureEntry:
    """Render a matplotlib figure (deterministic SVG and PNG) into a :class:`FigureEntry`.

    ``drawn`` is a figure, or what a :mod:`tcfit.plot` function returned (an Axes or a
    SubFigure): its whole figure is rendered.
    """
    from markupsafe import Markup
    from matplotlib.figure import Figure

    from . import _plotting

    fig: Any = drawn
    while not isinstance(fig, Figure):  # an Axes, a SubFigure: up to the root figure
        fig = fig.figure
    svg, png = _plotting.render(fig)
    described_by = f"fig-{name}-caption" if caption else None  # the templates' <figcaption>
    inline = Markup(
        _plotting.inline_svg(svg, prefix=f"fig-{name}", title=title, described_by=described_by)
    )
    return FigureEntry(name, title, caption, inline, svg, png)


@dataclass(frozen=True)
class RenderedSection:
    """A present section, rendered: what the skeleton lays out and the TOC lists.

    Attributes
    ----------
    id, title : str
        The section's; the skeleton writes ``<section id>`` and the ``<h2>``.
    toc : str
        The label in the table of contents (the context's ``toc``, default the title).
    body : markupsafe.Markup
        The section's template rendered with its context.
    figures : tuple of FigureEntry
        The figures of its context (written to ``figures/``).
    """

    id: str
    title: str
    toc: str
    body: Markup
    figures: tuple[FigureEntry, ...] = ()


def load_text(name: str) -> str:
    """A file of ``templates/`` as text (the CSS and the script are inlined)."""
    return resources.files("tcfit.reports").joinpath("templates", name).read_text("utf-8")


def environment() -> jinja2.Environment:
    """The Jinja2 environment: package templates, autoescaping, ``StrictUndefined``."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("tcfit.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _template(env: jinja2.Environment, template: str) -> jinja2.Template:
    """A template file of the package (a name ending in ``.j2``) or inline template source."""
    if template.endswith(".j2") and "\n" not in template and "{" not in template:
        return env.get_template(template)
    return env.from_string(template)


def render_section(
    env: jinja2.Environment,
    section: Section,
    context: Mapping[str, Any],
    page: Mapping[str, Any],
) -> RenderedSection:
    """Render one section's template with its context (the page's values also in scope)."""
    from markupsafe import Markup

    body = _template(env, section.template).render({**page, **context})
    body = body if body.endswith("\n") else body + "\n"  # </section> on a line of its own
    figures = tuple(context.get("figures") or ())
    toc = str(context.get("toc") or section.title)
    return RenderedSection(section.id, section.title, toc, Markup(body), figures)


def csp(script: str) -> str:
    """The Content-Security-Policy: nothing from anywhere, only this one inline script."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; "
        f"script-src 'sha256-{digest}'; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; "
        "frame-src 'none'; worker-src 'none'; manifest-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def render_page(
    env: jinja2.Environment, sections: Sequence[RenderedSection], page: Mapping[str, Any]
) -> str:
    """The whole page: the skeleton (header, TOC, footer) around the rendered sections.

    ``page`` holds ``title``, ``dataset``, ``n_materials``, ``policy``, ``generated`` and
    ``tcfit_version``; the CSS, the script and its CSP hash are added here.
    """
    from markupsafe import Markup

    script = load_text("sort.js")
    return env.get_template("report.html.j2").render(
        **page,
        sections=sections,
        csp=csp(script),
        css=Markup(load_text("report.css")),
        script=Markup(script),
    )


def page_values(analysis: Analysis, title: str | None, generated: str | None) -> dict[str, Any]:
    """The page's own values: in the skeleton, and in scope for every section's template."""
    from tcfit import __version__

    return {
        "title": title or f"Eq. (5) against {analysis.name}: validation report",
        "dataset": analysis.name,
        "n_materials": analysis.result.summary.n_materials,
        "policy": analysis.result.policy.name,
        "generated": generated,
        "tcfit_version": str(__version__),
    }


#: The last second a four-digit year can show (9999-12-31 23:59:59 UTC).
_LAST_EPOCH = 253402300799


def timestamp_text(timestamp: bool) -> str | None:
    """The report's date: SOURCE_DATE_EPOCH when set (reproducible builds), else now, in UTC.

    Raises
    ------
    InputError
        If ``SOURCE_DATE_EPOCH`` is set but not an integer from 0 to 253402300799.
    """
    if not timestamp:
        return None
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is not None and raw.strip() != "":
        try:
            seconds = int(raw.strip())
        except ValueError as err:
            raise InputError(
                "SOURCE_DATE_EPOCH must be an integer number of seconds since 1970-01-01 UTC; "
                f"got {raw!r}.",
                argument="SOURCE_DATE_EPOCH",
            ) from err
        if not 0 <= seconds <= _LAST_EPOCH:
            raise InputError(
                "SOURCE_DATE_EPOCH must be seconds since 1970-01-01 UTC between 0 and "
                f"{_LAST_EPOCH} (9999-12-31 23:59:59 UTC); got {raw.strip()!r}.",
                argument="SOURCE_DATE_EPOCH",
            )
        moment = _dt.datetime.fromtimestamp(seconds, tz=_dt.UTC)
    else:
        moment = _dt.datetime.now(tz=_dt.UTC).replace(microsecond=0)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def write_pdf(html: str, path: Path) -> Path:
    """Render the report's HTML to PDF with WeasyPrint (atomically), fetching only data: URIs."""
    import logging
    import warnings

    with warnings.catch_warnings():
        # WeasyPrint >= 68 announces, once at import, that a future version will need the
        # system's libharfbuzz-subset; today it renders the same PDF without it.
        warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
        import weasyprint

    logger = logging.getLogger("weasyprint")
    previous = logger.level
    logger.setLevel(logging.ERROR)  # CSS it does not know (screen-only rules) is not news
    try:
        document = weasyprint.HTML(
            string=html,
            base_url=None,
            url_fetcher=weasyprint.URLFetcher(allowed_protocols={"data"}),
        )
        with atomic_path(path) as tmp:
            document.write_pdf(
                tmp,
                pdf_identifier=hashlib.sha256(html.encode()).digest()[:16],
                pdf_variant=PDF_VARIANT,
            )
    finally:
        logger.setLevel(previous)
    return path
