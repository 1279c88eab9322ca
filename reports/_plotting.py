"""Plotting machinery of the report's figures: style, label placement, deterministic output.

:func:`render` turns a figure into an SVG string that is the same byte for byte on every run
(fixed ``svg.hashsalt``, no date, glyphs as paths from the DejaVu Sans font that matplotlib
ships, no comments) and into PNG bytes; :func:`inline_svg` prepares that SVG for embedding in
HTML (ids prefixed per figure, so several figures can share one page). :func:`style`,
:func:`new_figure`, :func:`label_points` and the log-axis helpers are what every figure of
:mod:`tcfit.reports._figures` is drawn with.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import numpy as np
import seaborn as sns
from matplotlib.figure import Figure

__all__ = [
    "BLUE",
    "GREEN",
    "GREY",
    "ORANGE",
    "RED",
    "WIDTH",
    "inline_svg",
    "label_points",
    "log_limits",
    "new_figure",
    "plain_log_ticks",
    "render",
    "style",
]

PALETTE = sns.color_palette("colorblind")
BLUE, ORANGE, GREEN, RED, PURPLE, BROWN, PINK, GREY = (PALETTE[k] for k in range(8))

_RC: Any = {  # Any: matplotlib's stubs type rcParams keys as one long Literal
    "svg.hashsalt": "tcfit-report",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "text.usetex": False,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
}
_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
_PNG_METADATA = {"Software": None}
WIDTH = 7.0  # inches: the text width of an A4 page with 2 cm margins, near enough


@contextmanager
def style() -> Iterator[None]:
    """seaborn's whitegrid look with fixed fonts, applied only inside the block."""
    with sns.axes_style("whitegrid"), mpl.rc_context(_RC):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A figure with constrained layout, made without pyplot (no global state)."""
    return Figure(figsize=(width, height), layout="constrained")


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
    with mpl.rc_context(_RC):
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata=_SVG_METADATA)
        png = io.BytesIO()
        fig.savefig(png, format="png", metadata=_PNG_METADATA)
    svg = re.sub(r"<!--.*?-->\n?", "", buf.getvalue(), flags=re.S)
    return svg, png.getvalue()


def inline_svg(svg: str, *, prefix: str, title: str) -> str:
    """Prepare a standalone SVG for embedding in an HTML page.

    Drops the XML declaration and DOCTYPE, prefixes every ``id`` (and every ``#id`` reference)
    with ``prefix`` so that figures sharing a page cannot collide, drops the fixed width and
    height (CSS sizes the figure; the ``viewBox`` keeps its aspect ratio) and adds a ``<title>``
    and ``role="img"`` for screen readers.

    Parameters
    ----------
    svg : str
        Output of :func:`render`.
    prefix : str
        A short identifier made of letters, digits and ``-``.
    title : str
        Accessible name of the figure; HTML-escaped here.

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
    return f'{head}>\n <title id="{prefix}-title">{escape(title)}</title>{body[head_end + 1 :]}'


# Candidate label offsets (points) around a marker, tried in this order.
_OFFSETS = [(4, 3), (4, -9), (-4, 3), (-4, -9), (6, -3), (-6, -3), (0, 6), (0, -12)]


def label_points(ax: Any, x: np.ndarray, y: np.ndarray, names: Sequence[str]) -> None:
    """Label markers on log-log axes, placing each label where it overlaps least (greedy).

    Works in an approximate point grid of the axes (log coordinates scaled to the axes' size in
    points) so the placement is deterministic and needs no drawing.
    """
    fig = ax.get_figure()
    width_pt = fig.get_figwidth() * 72 * 0.8
    height_pt = fig.get_figheight() * 72 * 0.8
    (x0, x1), (y0, y1) = np.log10(ax.get_xlim()), np.log10(ax.get_ylim())
    px = (np.log10(x) - x0) / (x1 - x0) * width_pt
    py = (np.log10(y) - y0) / (y1 - y0) * height_pt
    char_w, text_h = 4.3, 7.0
    boxes: list[tuple[float, float, float, float]] = [
        (a - 3, b - 3, a + 3, b + 3) for a, b in zip(px, py, strict=True)
    ]
    order = np.argsort(px, kind="stable")
    for k in order:
        name = str(names[k])
        w = char_w * len(name)
        best, best_cost = _OFFSETS[0], np.inf
        for dx, dy in _OFFSETS:
            left = px[k] + dx if dx >= 0 else px[k] + dx - w
            box = (left, py[k] + dy, left + w, py[k] + dy + text_h)
            cost = sum(
                max(0.0, min(box[2], o[2]) - max(box[0], o[0]))
                * max(0.0, min(box[3], o[3]) - max(box[1], o[1]))
                for o in boxes
            )
            if cost < best_cost - 1e-9:
                best, best_cost = (dx, dy), cost
        dx, dy = best
        left = px[k] + dx if dx >= 0 else px[k] + dx - w
        boxes.append((left, py[k] + dy, left + w, py[k] + dy + text_h))
        ax.annotate(
            name,
            (x[k], y[k]),
            xytext=(dx, dy),
            textcoords="offset points",
            ha="left" if dx >= 0 else "right",
            fontsize=7,
            color="#333333",
            parse_math=False,
        )


def plain_log_ticks(*axes_: Any) -> None:
    """Log axes labelled 0.01, 0.1, 1, 10 rather than in powers of ten."""
    formatter = mpl.ticker.FuncFormatter(lambda v, _pos: f"{v:g}")
    for axis in axes_:
        axis.set_major_formatter(formatter)


def log_limits(*arrays: np.ndarray, pad: float = 1.6) -> tuple[float, float]:
    """Axis limits spanning every positive finite value, padded by a factor ``pad``."""
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return 0.1, 10.0
    return float(values.min() / pad), float(values.max() * pad)
