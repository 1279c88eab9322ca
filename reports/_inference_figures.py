"""The figures of the inference sections: evidence against the error scale, profiles, valence.

Like :mod:`tcfit.reports._figures`, every function takes plain numbers or DataFrames from the
analysis, returns a :class:`matplotlib.figure.Figure` built without pyplot, and never computes a
statistic; :func:`tcfit.reports._plotting.render` makes deterministic SVG and PNG of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ._plotting import BLUE, GREEN, GREY, ORANGE, RED, WIDTH, new_figure, style

__all__ = ["EVIDENCE_BOTTOM", "PROFILE_TOP", "ProfilePanel", "evidence", "profiles", "valence"]

#: Kass–Raftery edges on ln BF (lattice against continuous), the bands between them shaded.
_KR_EDGES = (-5.0, -3.0, -1.1, 1.1, 3.0, 5.0)
#: (low, high, colour, alpha, label) of each shaded band.
_KR_BANDS = (
    (-math.inf, -5.0, RED, 0.16, "very strong against"),
    (-5.0, -3.0, RED, 0.10, "strong against"),
    (-3.0, -1.1, RED, 0.05, "positive against"),
    (1.1, 3.0, BLUE, 0.06, "positive"),
    (3.0, 5.0, BLUE, 0.12, "strong"),
    (5.0, math.inf, BLUE, 0.18, "very strong"),
)
#: ln BF below this runs off the bottom of the evidence figure (the caption says how low it goes).
EVIDENCE_BOTTOM = -15.0
#: Δχ² above this is off the top of a profile panel (the caption says so).
PROFILE_TOP = 20.0


def evidence(
    table: pd.DataFrame,
    *,
    stated: float,
    flip: float,
    modern: float,
    mode: float,
) -> Figure:
    """ln BF of the lattice model against σ_eff, with the Kass–Raftery bands; below it, the
    posterior of the error scale under each model.

    Parameters
    ----------
    table : DataFrame
        :attr:`tcfit.lattice.LatticeTest.evidence`: ``sigma_eff``, ``ln_bayes_factor``,
        ``posterior_lattice``, ``posterior_continuous`` (densities per unit ln s).
    stated : float
        σ(ln i) at the stated errors (s = 1).
    flip : float
        σ(ln i) where ln BF changes sign (NaN: it keeps its sign).
    modern : float
        σ(ln i) of modern data, marked for reference.
    mode : float
        σ(ln i) at the lattice model's most probable error scale.

    Returns
    -------
    matplotlib.figure.Figure
        ln BF below :data:`EVIDENCE_BOTTOM` runs off the bottom of the top panel.
    """
    x = table["sigma_eff"].to_numpy(float)
    ln_bf = table["ln_bayes_factor"].to_numpy(float)
    lines = [
        (stated, "#444444", "--", f"stated errors (σ = {stated:.3f})"),
        (modern, GREY, "-.", f"modern precision (σ = {modern:g})"),
    ]
    if math.isfinite(flip):
        lines.append((flip, RED, ":", f"ln BF changes sign (σ = {flip:.3f})"))
    with style():
        fig = new_figure(WIDTH * 0.85, WIDTH * 0.72)
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(2.2, 1.0))
        low = max(float(np.nanmin(ln_bf)) - 1.0, EVIDENCE_BOTTOM)
        high = max(float(np.nanmax(ln_bf)) + 1.0, 6.0)
        _kass_raftery_bands(top, low, high)
        top.axhline(0.0, color="#444444", lw=0.8)
        top.plot(x, ln_bf, color="#222222", lw=1.6, label="ln BF, lattice vs continuous")
        for ax in (top, bottom):
            for value, colour, dash, label in lines:
                ax.axvline(value, color=colour, ls=dash, lw=1.2, label=label if ax is top else None)
        top.set_ylim(low, high)
        top.set_ylabel("ln BF (dimensionless)")
        top.set_title("Evidence for the allowed values against the error scale")
        top.legend(loc="lower right", frameon=True, fontsize=7)
        bottom.plot(
            x, table["posterior_lattice"].to_numpy(float), color=BLUE, lw=1.4, label="lattice"
        )
        bottom.plot(
            x,
            table["posterior_continuous"].to_numpy(float),
            color=ORANGE,
            lw=1.4,
            ls="--",
            label="continuous",
        )
        bottom.axvline(mode, color=BLUE, lw=0.8, alpha=0.6, label="lattice mode")
        bottom.set_xscale("log")
        bottom.set_xlim(float(x.min()), float(x.max()))
        ticks = [t for t in (0.02, 0.03, 0.05, 0.1, 0.2, 0.3) if x.min() <= t <= x.max()]
        bottom.set_xticks(ticks, labels=[f"{t:g}" for t in ticks])
        bottom.xaxis.set_minor_formatter(mpl.ticker.NullFormatter())
        bottom.set_xlabel("effective error σ(ln i) = s × stated (dimensionless, log scale)")
        bottom.set_ylabel("posterior of s\n(per unit ln s)")
        bottom.legend(loc="upper right", frameon=True, fontsize=7)
    return fig


def _kass_raftery_bands(ax: Any, low: float, high: float) -> None:
    """Shade and name the Kass–Raftery bands between ``low`` and ``high`` on the y axis."""
    transform = mpl.transforms.blended_transform_factory(ax.transAxes, ax.transData)
    for band_low, band_high, colour, alpha, label in _KR_BANDS:
        a, b = max(band_low, low), min(band_high, high)
        if a >= b:
            continue
        ax.axhspan(a, b, color=colour, alpha=alpha, lw=0)
        ax.text(
            0.01,
            (a + b) / 2,
            label,
            transform=transform,
            fontsize=6.5,
            va="center",
            color="#555555",
        )
    for edge in _KR_EDGES:
        if low < edge < high:
            ax.axhline(edge, color=GREY, lw=0.5, ls=":")


@dataclass(frozen=True)
class ProfilePanel:
    """One profile for :func:`profiles`: the curve and what to mark on it."""

    label: str
    symbol: str
    values: np.ndarray
    delta: np.ndarray
    reference: float
    reference_label: str
    best: float
    allowed: tuple[tuple[float, float], ...]


def _half_steps(values: np.ndarray, low: float, high: float) -> tuple[float, float]:
    """An interval of grid points widened by half the local grid step on each side."""
    k_low = int(np.searchsorted(values, low))
    k_high = int(np.searchsorted(values, high))
    left = (values[k_low] - values[k_low - 1]) / 2 if k_low > 0 else 0.0
    right = (values[k_high + 1] - values[k_high]) / 2 if k_high + 1 < values.size else 0.0
    return float(low - left), float(high + right)


def profiles(panels: Sequence[ProfilePanel], threshold: float) -> Figure:
    """Δχ² against each trial value, with the Δχ² = ``threshold`` line, Eq. (5)'s value and
    the allowed set shaded interval by interval.

    Parameters
    ----------
    panels : sequence of ProfilePanel
        One panel per profiled parameter.
    threshold : float
        Δχ² of the allowed set (3.84).

    Returns
    -------
    matplotlib.figure.Figure
        Δχ² above :data:`PROFILE_TOP` runs off the top.
    """
    with style():
        fig = new_figure(WIDTH, WIDTH * 0.44)
        axes = fig.subplots(1, len(panels), squeeze=False, sharey=True)[0]
        for ax, panel in zip(axes, panels, strict=True):
            for low, high in panel.allowed:
                a, b = _half_steps(panel.values, low, high)
                ax.axvspan(a, b, color=GREEN, alpha=0.22, lw=0)
            ax.plot(panel.values, panel.delta, color="#222222", lw=1.0, drawstyle="steps-mid")
            ax.axhline(threshold, color=GREY, ls="--", lw=1.0)
            ax.axvline(panel.reference, color=RED, ls="--", lw=1.4)
            ax.axvline(panel.best, color=BLUE, ls=":", lw=1.2)
            ax.set_ylim(0.0, PROFILE_TOP)
            ax.set_xlim(float(panel.values.min()), float(panel.values.max()))
            ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(5))
            ax.set_xlabel(f"{panel.symbol} (dimensionless)")
            ax.set_title(f"{panel.label}; Eq. (5): {panel.reference_label}", fontsize=8.5)
        axes[0].set_ylabel("Δχ² (every i re-assigned)")
        handles = [
            mpl.patches.Patch(color=GREEN, alpha=0.22, label="allowed set"),
            mpl.lines.Line2D([], [], color=GREY, ls="--", label=f"Δχ² = {threshold:.2f}"),
            mpl.lines.Line2D([], [], color=RED, ls="--", label="Eq. (5)'s value"),
            mpl.lines.Line2D([], [], color=BLUE, ls=":", label="minimum"),
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=4, frameon=False)
    return fig


def valence(table: pd.DataFrame, conventions: Sequence[str], grid: Sequence[float]) -> Figure:
    """Each material's implied i under each valence convention, against the allowed values.

    Parameters
    ----------
    table : DataFrame
        :attr:`tcfit.valence.ValenceSensitivity.table`: ``material`` and, per convention c,
        ``i_implied_<c>`` and ``changed_<c>``.
    conventions : sequence of str
    grid : sequence of float
        The allowed values (dotted lines).

    Returns
    -------
    matplotlib.figure.Figure
    """
    names = table["material"].astype(str).tolist()
    y = np.arange(len(names))
    implied = np.column_stack([table[f"i_implied_{c}"].to_numpy(float) for c in conventions])
    markers = (("o", BLUE), ("s", ORANGE), ("D", GREEN), ("^", RED))
    with style():
        fig = new_figure(WIDTH * 0.8, 1.2 + 0.2 * len(names))
        ax = fig.add_subplot()
        finite = implied[np.isfinite(implied) & (implied > 0)]
        lo, hi = float(finite.min()) / 1.3, float(finite.max()) * 1.3
        ax.grid(False, axis="x")
        for k, value in enumerate(v for v in grid if lo <= v <= hi):
            ax.axvline(value, color=GREY, lw=0.8, ls=":", label="allowed i" if k == 0 else None)
        ax.hlines(y, np.nanmin(implied, axis=1), np.nanmax(implied, axis=1), color=GREY, lw=1)
        for k, convention in enumerate(conventions):
            marker, colour = markers[k % len(markers)]
            changed = table[f"changed_{convention}"].to_numpy(bool)
            ax.scatter(
                implied[:, k],
                y,
                marker=marker,
                s=26,
                zorder=3,
                facecolor="none",
                edgecolor=colour,
                lw=1.2,
                label=f"{convention}",
            )
            if changed.any():
                ax.scatter(
                    implied[changed, k], y[changed], marker=marker, s=26, zorder=4, color=colour
                )
        ax.set_xscale("log")
        ax.set_xlim(lo, hi)
        ticks = [t for t in (0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 20, 50) if lo <= t <= hi]
        ax.set_xticks(ticks, labels=[f"{t:g}" for t in ticks])
        ax.xaxis.set_minor_formatter(mpl.ticker.NullFormatter())
        ax.set_yticks(y, labels=names, parse_math=False)
        ax.set_ylim(len(names) - 0.3, -0.7)  # the first material on top, as in the table
        ax.set_xlabel("implied i under each convention (dimensionless, log scale)")
        ax.set_title("Valence convention behind n: implied i (filled: assignment changes)")
        ax.legend(loc="lower right", frameon=True, fontsize=7)
    return fig
