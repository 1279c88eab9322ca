"""The look of tcfit's figures and the helpers every figure is drawn with.

The colour-blind palette of seaborn, its whitegrid style with fixed fonts (:func:`style`), new
figures with constrained layout (pyplot's, unless inside :func:`offscreen`), greedy label
placement on log-log axes and the log-axis helpers. matplotlib and seaborn are imported on first
use, not with this module.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "BLUE",
    "DENSE_ABOVE",
    "GREEN",
    "GREY",
    "INK",
    "LABELS_AT_MOST",
    "ORANGE",
    "RC",
    "RED",
    "WIDTH",
    "equal_axes",
    "label_points",
    "log_limits",
    "new_axes",
    "new_figure",
    "offscreen",
    "plain_log_ticks",
    "style",
    "table_of",
]

# seaborn's "colorblind" palette (its first, second, third, fourth and eighth colours).
BLUE, ORANGE, GREEN, RED, GREY = "#0173b2", "#de8f05", "#029e73", "#d55e00", "#949494"
#: Lines of equality and zero.
INK = "#444444"
#: Inches: the text width of an A4 page with 2 cm margins, near enough.
WIDTH = 7.0
#: Above this many materials a figure shows densities (hexbin, histograms) instead of one mark
#: or one row per material, and labels only the most extreme ones.
DENSE_ABOVE = 200
#: How many materials a dense figure labels (the most extreme by the figure's own measure).
LABELS_AT_MOST = 12

#: matplotlib settings of every figure, applied by :func:`style` (``Any``: matplotlib's stubs
#: type the keys as one long Literal). Ticks drawn later (at save) read them too.
RC: Any = {
    "font.family": "DejaVu Sans",
    "text.usetex": False,
    "figure.dpi": 100,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
}

_OFFSCREEN: contextvars.ContextVar[bool] = contextvars.ContextVar("tcfit_offscreen", default=False)


@contextmanager
def style() -> Iterator[None]:
    """seaborn's whitegrid look with fixed fonts, applied only inside the block.

    Examples
    --------
    >>> from tcfit.plot import style
    >>> with style():
    ...     pass  # figures made here look like the report's
    """
    import matplotlib as mpl
    import seaborn as sns

    with sns.axes_style("whitegrid"), mpl.rc_context(RC):
        yield


@contextmanager
def offscreen(*, isolated: bool = False) -> Iterator[None]:
    """New figures made inside the block are plain :class:`~matplotlib.figure.Figure` objects.

    Outside it, a figure :mod:`tcfit.plot` creates is pyplot's (``plt.figure``), so that it shows
    in a notebook and in interactive sessions. Inside it, figures are not registered with pyplot:
    no global state, no GUI backend, nothing to close — how the report draws, and what a script
    that saves many figures may want.

    With ``isolated=True`` the block also starts from matplotlib's own default settings
    (:func:`matplotlib.rcdefaults` inside an :func:`matplotlib.rc_context`, restored on exit):
    a ``matplotlibrc`` file in the working folder or in the user's configuration, the
    ``MPLCONFIGDIR`` settings and any ``rcParams`` changed in the session do not reach the
    figures. The report draws this way, so that its figures are the same byte for byte
    wherever it runs.

    Examples
    --------
    >>> import tcfit
    >>> from tcfit import plot
    >>> with plot.offscreen():
    ...     ax = plot.parity(tcfit.fit("table1"))
    >>> type(ax.figure).__name__
    'Figure'
    """
    import matplotlib as mpl

    token = _OFFSCREEN.set(True)
    try:
        if isolated:
            with mpl.rc_context():
                mpl.rcdefaults()  # leaves the backend and the other style-blacklisted keys
                yield
        else:
            yield
    finally:
        _OFFSCREEN.reset(token)


def new_figure(width: float, height: float) -> Figure:
    """A figure with constrained layout: pyplot's, or a plain one inside :func:`offscreen`."""
    if _OFFSCREEN.get():
        from matplotlib.figure import Figure

        return Figure(figsize=(width, height), layout="constrained")
    import matplotlib.pyplot as plt

    return plt.figure(figsize=(width, height), layout="constrained")


def new_axes(ax: Axes | None, width: float, height: float) -> Axes:
    """``ax``, or the one Axes of a new figure of that size."""
    return ax if ax is not None else new_figure(width, height).add_subplot()


def table_of(result: Any) -> pd.DataFrame:
    """The per-material table of a :class:`~tcfit.FitResult` (or the table itself)."""
    import pandas as pd

    table = getattr(result, "table", result)
    if not isinstance(table, pd.DataFrame):
        from tcfit.errors import InputError

        raise InputError(
            "Expected a tcfit.FitResult or its per-material table (a pandas DataFrame); "
            f"got {type(result).__name__}.",
            argument="result",
        )
    return table


# Candidate label offsets (points) around a marker, tried in this order.
_OFFSETS = [(4, 3), (4, -9), (-4, 3), (-4, -9), (6, -3), (-6, -3), (0, 6), (0, -12)]


def label_points(
    ax: Axes,
    x: np.ndarray,
    y: np.ndarray,
    names: Sequence[str],
    priority: np.ndarray | None = None,
) -> None:
    """Label markers on log-log axes, placing each label where it overlaps least (greedy).

    Works in an approximate point grid of the axes (log coordinates scaled to the axes' size in
    points) so the placement is deterministic and needs no drawing. Names are drawn literally
    (``parse_math=False``): a ``$`` in a material's name is never mathtext. With more than
    :data:`DENSE_ABOVE` points only the :data:`LABELS_AT_MOST` of highest ``priority`` (e.g.
    the largest residuals; default the first ones) are labelled, so that the cost stays
    O(points · labels) and the figure readable.
    """
    fig: Any = ax.get_figure()
    width_pt = fig.get_figwidth() * 72 * 0.8
    height_pt = fig.get_figheight() * 72 * 0.8
    (x0, x1), (y0, y1) = np.log10(ax.get_xlim()), np.log10(ax.get_ylim())
    px = (np.log10(x) - x0) / (x1 - x0) * width_pt
    py = (np.log10(y) - y0) / (y1 - y0) * height_pt
    chosen = np.arange(len(px))
    if len(px) > DENSE_ABOVE:
        rank = np.zeros(len(px)) if priority is None else -np.asarray(priority, dtype=float)
        chosen = np.sort(np.argsort(rank, kind="stable")[:LABELS_AT_MOST])
    char_w, text_h = 4.3, 7.0
    boxes = np.column_stack([px[chosen] - 3, py[chosen] - 3, px[chosen] + 3, py[chosen] + 3])
    offsets = np.asarray(_OFFSETS, dtype=float)
    for k in chosen[np.argsort(px[chosen], kind="stable")]:
        name = str(names[k])
        w = char_w * len(name)
        left = np.where(offsets[:, 0] >= 0, px[k] + offsets[:, 0], px[k] + offsets[:, 0] - w)
        bottom = py[k] + offsets[:, 1]
        cand = np.column_stack([left, bottom, left + w, bottom + text_h])[:, None, :]
        dx_ = np.minimum(cand[..., 2], boxes[:, 2]) - np.maximum(cand[..., 0], boxes[:, 0])
        dy_ = np.minimum(cand[..., 3], boxes[:, 3]) - np.maximum(cand[..., 1], boxes[:, 1])
        cost = (np.clip(dx_, 0.0, None) * np.clip(dy_, 0.0, None)).sum(axis=1)
        best = int(np.flatnonzero(cost < cost.min() + 1e-9)[0])  # first of the cheapest
        dx, dy = _OFFSETS[best]
        boxes = np.vstack([boxes, cand[best, 0]])
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
    import matplotlib as mpl

    formatter = mpl.ticker.FuncFormatter(lambda v, _pos: f"{v:g}")
    for axis in axes_:
        axis.set_major_formatter(formatter)


def log_limits(*arrays: Any, pad: float = 1.6) -> tuple[float, float]:
    """Axis limits spanning every positive finite value, padded by a factor ``pad``."""
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return 0.1, 10.0
    return float(values.min() / pad), float(values.max() * pad)


def equal_axes(ax: Axes, x: np.ndarray, ys: Sequence[np.ndarray], label: str = "equal") -> None:
    """Log-log axes with equal limits and the line of equality."""
    lo, hi = log_limits(x, *ys)
    ax.plot([lo, hi], [lo, hi], color=INK, lw=0.8, label=label)
    ax.set(xscale="log", yscale="log", xlim=(lo, hi), ylim=(lo, hi))
    plain_log_ticks(ax.xaxis, ax.yaxis)
