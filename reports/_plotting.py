"""Rendering the report's figures: deterministic SVG and PNG, and SVG ready to inline.

The figures themselves are drawn by :mod:`tcfit.plot` (the same functions users call);
:func:`render` turns a figure into an SVG string that is the same byte for byte on every run
(fixed ``svg.hashsalt``, no date, glyphs as paths from the DejaVu Sans font that matplotlib
ships, no comments) and into PNG bytes; :func:`inline_svg` prepares that SVG for embedding in
HTML (ids prefixed per figure, so several figures can share one page, and an accessible name).
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["inline_svg", "render"]

#: Settings of the saved files (on top of tcfit.plot.RC, which the ticks drawn at save read).
_SAVE_RC: Any = {"svg.hashsalt": "tcfit-report", "svg.fonttype": "path", "savefig.dpi": 150}
_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
_PNG_METADATA = {"Software": None}


def render(fig: Figure) -> tuple[str, bytes]:
    """A figure as deterministic SVG text and PNG bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    svg : str
        A standalone SVG document (XML declaration included, no metadata, no comments).
    png : bytes
        The same figure as PNG at 150 dpi, without the software tag.
    """
    import matplotlib as mpl

    from tcfit.plot import RC

    with mpl.rc_context({**RC, **_SAVE_RC}):
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata=_SVG_METADATA)
        png = io.BytesIO()
        fig.savefig(png, format="png", metadata=_PNG_METADATA)
    svg = re.sub(r"<!--.*?-->\n?", "", buf.getvalue(), flags=re.S)
    return svg, png.getvalue()


def inline_svg(svg: str, *, prefix: str, title: str, described_by: str | None = None) -> str:
    """Prepare a standalone SVG for embedding in an HTML page.

    Drops the XML declaration and DOCTYPE, prefixes every ``id`` (and every ``#id`` reference)
    with ``prefix`` so that figures sharing a page cannot collide, drops the fixed width and
    height (CSS sizes the figure; the ``viewBox`` keeps its aspect ratio) and adds a ``<title>``
    and ``role="img"`` for screen readers (the figure's alternative text), and
    ``aria-describedby`` naming the caption when there is one.

    Parameters
    ----------
    svg : str
        Output of :func:`render`.
    prefix : str
        A short identifier made of letters, digits and ``-``.
    title : str
        Accessible name of the figure; HTML-escaped here.
    described_by : str, optional
        The id of the element that describes the figure (its ``<figcaption>``).

    Returns
    -------
    str
        Markup that starts with ``<svg``.
    """
    from markupsafe import escape

    body = svg[svg.index("<svg") :]
    body = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', body)
    body = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', body)
    body = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", body)
    head_end = body.index(">")
    head = re.sub(r'\s(width|height)="[^"]*"', "", body[:head_end])
    head += f' role="img" aria-labelledby="{prefix}-title"'
    if described_by:
        head += f' aria-describedby="{escape(described_by)}"'
    return f'{head}>\n <title id="{prefix}-title">{escape(title)}</title>{body[head_end + 1 :]}'
