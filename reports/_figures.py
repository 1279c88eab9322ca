"""The report's figures: seaborn on matplotlib, colour-blind palette, deterministic SVG and PNG.

Every function takes plain arrays or DataFrames (columns of :attr:`tcfit.FitResult.table`),
returns a :class:`matplotlib.figure.Figure` built without pyplot (no global figure state, no GUI
backend), and never fits anything. :func:`render` (from :mod:`tcfit.reports._plotting`) turns a
figure into deterministic SVG text and PNG bytes; :func:`inline_svg` prepares that SVG for
embedding in HTML.

Text from the user's file (material names) is drawn with ``parse_math=False``, so a name with
``$`` is drawn literally and never interpreted as mathtext.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ._plotting import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    RED,
    WIDTH,
    inline_svg,
    label_points,
    log_limits,
    new_figure,
    plain_log_ticks,
    render,
    style,
)

__all__ = [
    "Estimate",
    "bcs_comparison",
    "global_fit",
    "implied_i",
    "inline_svg",
    "parity",
    "render",
    "residuals",
    "source_comparison",
]


def parity(table: pd.DataFrame) -> Figure:
    """Model against measured Tc on log axes, with ±5 % and ±10 % bands and material labels.

    Parameters
    ----------
    table : DataFrame
        Columns ``material``, ``tc`` (measured, K), ``tc_model`` (Eq. (5) with the assigned i,
        K) and ``residual`` ((tc_model − tc)/tc).

    Returns
    -------
    matplotlib.figure.Figure
    """
    tc = table["tc"].to_numpy(float)
    model = table["tc_model"].to_numpy(float)
    res = np.abs(table["residual"].to_numpy(float))
    with style():
        fig = new_figure(WIDTH * 0.85, WIDTH * 0.75)
        ax = fig.add_subplot()
        lo, hi = log_limits(tc, model)
        grid = np.geomspace(lo, hi, 200)
        ax.fill_between(grid, grid * 0.90, grid * 1.10, color=BLUE, alpha=0.10, lw=0, label="±10 %")
        ax.fill_between(grid, grid * 0.95, grid * 1.05, color=BLUE, alpha=0.20, lw=0, label="±5 %")
        ax.plot(grid, grid, color="#444444", lw=0.8, label="model = measured")
        groups = [
            (res <= 0.05, BLUE, "o", "within 5 %"),
            ((res > 0.05) & (res <= 0.10), ORANGE, "s", "5–10 %"),
            (res > 0.10, RED, "D", "beyond 10 %"),
        ]
        for mask, colour, marker, label in groups:
            if mask.any():
                ax.scatter(
                    tc[mask],
                    model[mask],
                    color=colour,
                    marker=marker,
                    s=22,
                    zorder=3,
                    label=f"{label} ({int(mask.sum())})",
                )
        ax.set(xscale="log", yscale="log", xlim=(lo, hi), ylim=(lo, hi))
        label_points(ax, tc, model, table["material"].astype(str).tolist())
        plain_log_ticks(ax.xaxis, ax.yaxis)
        ax.set_xlabel("measured Tc (K)")
        ax.set_ylabel("Eq. (5) Tc with assigned i (K)")
        ax.set_title("Model against measurement")
        ax.legend(loc="upper left", frameon=True)
    return fig


def residuals(table: pd.DataFrame) -> Figure:
    """Relative residual per material, sorted, with the ±5 % and ±10 % bands.

    Parameters
    ----------
    table : DataFrame
        Columns ``material`` and ``residual`` ((tc_model − tc)/tc).

    Returns
    -------
    matplotlib.figure.Figure
    """
    df = table[["material", "residual"]].sort_values("residual", kind="stable")
    pct = df["residual"].to_numpy(float) * 100.0
    names = df["material"].astype(str).tolist()
    y = np.arange(len(df))
    with style():
        fig = new_figure(WIDTH * 0.8, 1.0 + 0.2 * len(df))
        ax = fig.add_subplot()
        ax.axvspan(-10, 10, color=BLUE, alpha=0.10, lw=0, label="±10 %")
        ax.axvspan(-5, 5, color=BLUE, alpha=0.15, lw=0, label="±5 %")
        colours = [RED if abs(p) > 10 else ORANGE if abs(p) > 5 else BLUE for p in pct]
        ax.barh(y, pct, color=colours, height=0.7)
        ax.axvline(0.0, color="#444444", lw=0.8)
        ax.set_yticks(y, labels=names, parse_math=False)
        ax.set_ylim(-0.7, len(df) - 0.3)
        ax.set_xlabel("residual (Tc_model − Tc)/Tc (%)")
        ax.set_title("Residuals, sorted")
        ax.legend(loc="lower right")
    return fig


def implied_i(table: pd.DataFrame, policy_values: Sequence[float], *, policy: str) -> Figure:
    """Each material's implied i with its 1σ error bar, against the allowed grid of the policy.

    Parameters
    ----------
    table : DataFrame
        Columns ``material``, ``i_implied``, ``i_implied_err`` (1σ), ``i_assigned`` and,
        optionally, ``i_reference`` (e.g. the paper's i).
    policy_values : sequence of float
        The allowed values of i under the policy (drawn as vertical lines).
    policy : str
        The policy's name, for the legend.

    Returns
    -------
    matplotlib.figure.Figure
    """
    df = table.sort_values("i_implied", kind="stable")
    y = np.arange(len(df))
    imp = df["i_implied"].to_numpy(float)
    err = df["i_implied_err"].to_numpy(float)
    assigned = df["i_assigned"].to_numpy(float)
    lower = np.clip(imp - err, imp * 1e-3, None)
    with style():
        fig = new_figure(WIDTH * 0.8, 1.2 + 0.2 * len(df))
        ax = fig.add_subplot()
        lo, hi = log_limits(lower, imp + err, assigned, pad=1.3)
        grid = np.asarray(policy_values, dtype=float)
        shown = grid[(grid >= lo) & (grid <= hi)]
        ax.grid(False, axis="x")
        for k, value in enumerate(shown):
            ax.axvline(
                value, color=GREY, lw=0.8, ls=":", label=f"allowed i ({policy})" if k == 0 else None
            )
        ax.errorbar(
            imp,
            y,
            xerr=[imp - lower, err],
            fmt="o",
            color=BLUE,
            ms=4,
            capsize=2,
            lw=1,
            label="implied i ± 1σ",
            zorder=3,
        )
        ax.scatter(
            assigned,
            y,
            marker="s",
            facecolor="none",
            edgecolor=ORANGE,
            s=40,
            lw=1.2,
            zorder=4,
            label="assigned i",
        )
        if "i_reference" in df:
            ref = df["i_reference"].to_numpy(float)
            ok = np.isfinite(ref)
            if ok.any():
                ax.scatter(
                    ref[ok],
                    y[ok],
                    marker="x",
                    color=RED,
                    s=30,
                    lw=1.2,
                    zorder=5,
                    label="reference i",
                )
        ax.set_xscale("log")
        ax.set_xlim(lo, hi)
        plain_log_ticks(ax.xaxis)
        ax.set_yticks(y, labels=df["material"].astype(str).tolist(), parse_math=False)
        ax.set_ylim(-0.7, len(df) - 0.3)
        ax.set_xlabel("degree of freedom i (dimensionless, log scale)")
        ax.set_title("Implied i against the allowed values")
        ax.legend(loc="lower right", frameon=True)
    return fig


@dataclass(frozen=True)
class Estimate:
    """One fitted parameter for :func:`global_fit`: value, 95 % interval, expected value."""

    label: str
    value: float
    low: float
    high: float
    expected: float
    expected_label: str
    unit: str = "dimensionless"


def global_fit(estimates: Sequence[Estimate]) -> Figure:
    """Fitted parameters with 95 % intervals against the values Eq. (5) fixes.

    Parameters
    ----------
    estimates : sequence of Estimate
        One panel per estimate (e.g. the exponent of n against 1/6, of Bc against 1, the
        prefactor against the CODATA value).

    Returns
    -------
    matplotlib.figure.Figure
    """
    with style():
        fig = new_figure(WIDTH, 1.0 + 0.45 * len(estimates) + 0.6)
        axes = fig.subplots(len(estimates), 1, squeeze=False)[:, 0]
        for ax, est in zip(axes, estimates, strict=True):
            ax.errorbar(
                [est.value],
                [0],
                xerr=[[est.value - est.low], [est.high - est.value]],
                fmt="o",
                color=BLUE,
                capsize=4,
                lw=1.5,
                label="fit, 95 % interval",
            )
            ax.axvline(est.expected, color=RED, lw=1.2, ls="--", label=est.expected_label)
            values = [est.low, est.high, est.expected]
            finite = [v for v in values if np.isfinite(v)]
            span = (max(finite) - min(finite)) or abs(est.expected) or 1.0
            ax.set_xlim(min(finite) - 0.15 * span, max(finite) + 0.15 * span)
            ax.set_yticks([0], labels=[est.label])
            ax.set_ylim(-1, 1)
            ax.set_xlabel(est.unit)
            ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=7, frameon=True)
        axes[0].set_title("Global fit: parameters Eq. (5) fixes, set free")
    return fig


def bcs_comparison(table: pd.DataFrame) -> Figure:
    """BCS weak coupling and the i it predicts, against the data.

    Parameters
    ----------
    table : DataFrame
        Columns ``material``, ``tc`` (K), ``tc_bcs`` (K), ``i_implied`` and ``i_bcs``; with
        ``tc_predicted_bcs`` (Eq. (5) at i_BCS rounded to an allowed value, K) the left panel
        shows that zero-parameter prediction too.

    Returns
    -------
    matplotlib.figure.Figure
    """
    df = table.dropna(subset=["tc_bcs", "i_bcs"])
    names = df["material"].astype(str).tolist()
    with style():
        fig = new_figure(WIDTH, WIDTH * 0.45)
        ax1, ax2 = fig.subplots(1, 2)
        tc = df["tc"].to_numpy(float)
        left = [(df["tc_bcs"].to_numpy(float), GREEN, "o", "BCS Tc from Bc and γ")]
        if "tc_predicted_bcs" in df:
            left.append(
                (df["tc_predicted_bcs"].to_numpy(float), ORANGE, "s", "Eq. (5), rounded i_BCS")
            )
        _equal_axes(ax1, tc, [y for y, *_ in left])
        for k, (y, colour, marker, label) in enumerate(left):
            face = colour if k == 0 else "none"  # the second set hollow, so both stay visible
            ax1.scatter(
                tc,
                y,
                marker=marker,
                s=24,
                zorder=3 + k,
                facecolor=face,
                edgecolor=colour,
                lw=1.2,
                label=label,
            )
        label_points(ax1, tc, left[0][0], names)
        ax1.set_xlabel("measured Tc (K)")
        ax1.set_ylabel("predicted Tc, no free parameter (K)")
        ax1.set_title("Tc predicted without Tc")
        ax1.legend(loc="upper left")
        x, y = df["i_implied"].to_numpy(float), df["i_bcs"].to_numpy(float)
        _equal_axes(ax2, x, [y])
        ax2.scatter(x, y, color=GREEN, s=22, zorder=3)
        label_points(ax2, x, y, names)
        ax2.set_xlabel("implied i of Eq. (5)")
        ax2.set_ylabel("i_BCS from γ (dimensionless)")
        ax2.set_title("The i BCS predicts")
        ax2.legend(loc="upper left")
    return fig


def _equal_axes(ax: Any, x: np.ndarray, ys: Sequence[np.ndarray]) -> None:
    """Log-log axes with equal limits and the line of equality."""
    lo, hi = log_limits(x, *ys)
    ax.plot([lo, hi], [lo, hi], color="#444444", lw=0.8, label="equal")
    ax.set(xscale="log", yscale="log", xlim=(lo, hi), ylim=(lo, hi))
    plain_log_ticks(ax.xaxis, ax.yaxis)


def source_comparison(frame: pd.DataFrame, *, label_a: str, label_b: str) -> Figure:
    """Implied i of the same materials from two data sources; changed assignments marked.

    Parameters
    ----------
    frame : DataFrame
        Columns ``material``, ``i_implied_a``, ``i_implied_b`` and ``changed`` (bool), as
        returned by :func:`tcfit.compare_sources`.
    label_a, label_b : str
        Names of the two sources (axis labels).

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = frame["i_implied_a"].to_numpy(float)
    y = frame["i_implied_b"].to_numpy(float)
    changed = frame["changed"].to_numpy(bool)
    with style():
        fig = new_figure(WIDTH * 0.7, WIDTH * 0.6)
        ax = fig.add_subplot()
        lo, hi = log_limits(x, y)
        ax.plot([lo, hi], [lo, hi], color="#444444", lw=0.8, label="same i")
        ax.scatter(
            x[~changed],
            y[~changed],
            color=BLUE,
            s=22,
            zorder=3,
            label=f"same assignment ({int((~changed).sum())})",
        )
        ax.scatter(
            x[changed],
            y[changed],
            color=RED,
            marker="D",
            s=26,
            zorder=3,
            label=f"assignment changes ({int(changed.sum())})",
        )
        ax.set(xscale="log", yscale="log", xlim=(lo, hi), ylim=(lo, hi))
        label_points(ax, x, y, frame["material"].astype(str).tolist())
        plain_log_ticks(ax.xaxis, ax.yaxis)
        ax.set_xlabel(f"implied i from {label_a}")
        ax.set_ylabel(f"implied i from {label_b}")
        ax.set_title("Sensitivity to the data source")
        ax.legend(loc="upper left")
    return fig
