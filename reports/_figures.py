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

import numpy as np
import pandas as pd
import seaborn as sns
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
    "quantization",
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


def quantization(
    null_rms: np.ndarray, *, observed: float, low: float, high: float, p_value: float
) -> Figure:
    """Null distribution of the RMS residual with the observed value marked.

    Parameters
    ----------
    null_rms : ndarray of shape (n_null,)
        RMS relative residual of each null data set (implied i drawn log-uniformly, then
        assigned under the same policy).
    observed : float
        The observed RMS relative residual.
    low, high : float
        The null's 5 % and 95 % quantiles.
    p_value : float
        P(RMS_null ≤ RMS_observed).

    Returns
    -------
    matplotlib.figure.Figure
    """
    with style():
        fig = new_figure(WIDTH * 0.8, WIDTH * 0.42)
        ax = fig.add_subplot()
        values = np.asarray(null_rms, dtype=float) * 100.0
        sns.histplot(
            x=values,
            bins=60,
            stat="density",
            color=GREY,
            edgecolor="white",
            linewidth=0.3,
            ax=ax,
            label=f"null ({values.size} data sets)",
        )
        ax.axvspan(low * 100, high * 100, color=BLUE, alpha=0.12, lw=0, label="null 5–95 %")
        ax.axvline(
            observed * 100,
            color=RED,
            lw=2,
            label=f"observed {observed * 100:.2f} % (p = {p_value:.3g})",
        )
        ax.set_xlabel("RMS relative residual (%)")
        ax.set_ylabel("density (1/%)")
        ax.set_title("What a free i per material buys by itself")
        ax.legend(loc="upper right", frameon=True)
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
    """BCS weak-coupling prediction of Tc (from Bc and γ) and of i, against the data.

    Parameters
    ----------
    table : DataFrame
        Columns ``material``, ``tc`` (K), ``tc_bcs`` (K), ``i_implied`` and ``i_bcs``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    df = table.dropna(subset=["tc_bcs", "i_bcs"])
    names = df["material"].astype(str).tolist()
    with style():
        fig = new_figure(WIDTH, WIDTH * 0.45)
        ax1, ax2 = fig.subplots(1, 2)
        for ax, x_column, y_column, xlabel, ylabel, title in (
            (
                ax1,
                df["tc"],
                df["tc_bcs"],
                "measured Tc (K)",
                "BCS Tc from Bc and γ (K)",
                "BCS: Tc with no free parameter",
            ),
            (
                ax2,
                df["i_implied"],
                df["i_bcs"],
                "implied i of Eq. (5)",
                "i_BCS",
                "The i BCS would predict",
            ),
        ):
            x = x_column.to_numpy(float)
            y = y_column.to_numpy(float)
            lo, hi = log_limits(x, y)
            ax.plot([lo, hi], [lo, hi], color="#444444", lw=0.8, label="equal")
            ax.scatter(x, y, color=GREEN, s=22, zorder=3)
            ax.set(xscale="log", yscale="log", xlim=(lo, hi), ylim=(lo, hi))
            label_points(ax, x, y, names)
            plain_log_ticks(ax.xaxis, ax.yaxis)
            ax.set_xlabel(xlabel)
            ax.set_ylabel(ylabel)
            ax.set_title(title)
            ax.legend(loc="upper left")
    return fig


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
