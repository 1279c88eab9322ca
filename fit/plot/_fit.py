"""The figures of one fit: parity, residuals, implied i, the γ predictor, two sources, the
conditional global fits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ._style import (
    BLUE,
    DENSE_ABOVE,
    GREEN,
    GREY,
    INK,
    LABELS_AT_MOST,
    ORANGE,
    RED,
    WIDTH,
    equal_axes,
    label_points,
    log_limits,
    new_axes,
    new_figure,
    plain_log_ticks,
    style,
    table_of,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    from tcfit.fitting import FitResult
    from tcfit.global_fit import GlobalFit

__all__ = ["global_fit", "implied_i", "parity", "predictor", "residuals", "sources"]


def parity(result: FitResult | pd.DataFrame, /, *, ax: Axes | None = None) -> Axes:
    """Model against measured Tc on log axes, with ±5 % and ±10 % bands and material labels.

    Parameters
    ----------
    result : FitResult or DataFrame
        A fit, or its table: ``material``, ``tc`` (measured, K), ``tc_model`` (Eq. (5) with
        the assigned i, K) and ``residual`` ((tc_model − tc)/tc).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure the report's size.

    Returns
    -------
    matplotlib.axes.Axes
    """
    table = table_of(result)
    tc = table["tc"].to_numpy(float)
    model = table["tc_model"].to_numpy(float)
    res = np.abs(table["residual"].to_numpy(float))
    with style():
        ax = new_axes(ax, WIDTH * 0.85, WIDTH * 0.75)
        lo, hi = log_limits(tc, model)
        grid = np.geomspace(lo, hi, 200)
        ax.fill_between(grid, grid * 0.90, grid * 1.10, color=BLUE, alpha=0.10, lw=0, label="±10 %")
        ax.fill_between(grid, grid * 0.95, grid * 1.05, color=BLUE, alpha=0.20, lw=0, label="±5 %")
        ax.plot(grid, grid, color=INK, lw=0.8, label="model = measured")
        if len(table) > DENSE_ABOVE:
            _parity_density(ax, tc, model, res, (lo, hi))
        else:
            _parity_points(ax, tc, model, res)
        ax.set(xscale="log", yscale="log", xlim=(lo, hi), ylim=(lo, hi))
        label_points(ax, tc, model, table["material"].astype(str).tolist(), priority=res)
        plain_log_ticks(ax.xaxis, ax.yaxis)
        ax.set_xlabel("measured Tc (K)")
        ax.set_ylabel("Eq. (5) Tc with assigned i (K)")
        ax.set_title("Model against measurement")
        ax.legend(loc="upper left", frameon=True)
    return ax


def _parity_points(ax: Any, tc: np.ndarray, model: np.ndarray, res: np.ndarray) -> None:
    """One marker per material, coloured by |residual| (within 5 %, 5–10 %, beyond 10 %)."""
    groups = [
        (res <= 0.05, BLUE, "o", "within 5 %"),
        ((res > 0.05) & (res <= 0.10), ORANGE, "s", "5–10 %"),
        (res > 0.10, RED, "D", "beyond 10 %"),
    ]
    for mask, colour, marker, label in groups:
        if mask.any():
            ax.scatter(
                tc[mask], model[mask], color=colour, marker=marker, s=22, zorder=3,
                label=f"{label} ({int(mask.sum())})",
            )  # fmt: skip


def _parity_density(
    ax: Any, tc: np.ndarray, model: np.ndarray, res: np.ndarray, limits: tuple[float, float]
) -> None:
    """Many materials: a hexagonal density of (measured, model) and the worst ones marked."""
    extent = np.log10([limits[0], limits[1], limits[0], limits[1]])
    cells = ax.hexbin(
        tc, model, xscale="log", yscale="log", gridsize=60, mincnt=1, bins="log", cmap="Blues",
        extent=tuple(extent), linewidths=0.2, zorder=2,
    )  # fmt: skip
    ax.get_figure().colorbar(cells, ax=ax, label="materials per cell (log scale)")
    worst = np.argsort(-res, kind="stable")[:LABELS_AT_MOST]
    within = [int((res <= b).sum()) for b in (0.05, 0.10)]
    ax.scatter(
        tc[worst], model[worst], color=RED, marker="D", s=22, zorder=3,
        label=f"{len(worst)} largest |residual| (of {len(tc)}; {within[0]} within 5 %, "
        f"{within[1]} within 10 %)",
    )  # fmt: skip


def residuals(result: FitResult | pd.DataFrame, /, *, ax: Axes | None = None) -> Axes:
    """Relative residual per material, sorted, with the ±5 % and ±10 % bands.

    Parameters
    ----------
    result : FitResult or DataFrame
        A fit, or its table: ``material`` and ``residual`` ((tc_model − tc)/tc).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure, taller with more materials.

    Returns
    -------
    matplotlib.axes.Axes
    """
    df = table_of(result)[["material", "residual"]].sort_values("residual", kind="stable")
    pct = df["residual"].to_numpy(float) * 100.0
    dense = len(df) > DENSE_ABOVE
    with style():
        ax = new_axes(ax, WIDTH * 0.8, WIDTH * 0.55 if dense else 1.0 + 0.2 * len(df))
        ax.axvspan(-10, 10, color=BLUE, alpha=0.10, lw=0, label="±10 %")
        ax.axvspan(-5, 5, color=BLUE, alpha=0.15, lw=0, label="±5 %")
        if dense:
            _residual_histogram(ax, pct, df["material"].astype(str).to_numpy())
        else:
            y = np.arange(len(df))
            colours = [RED if abs(p) > 10 else ORANGE if abs(p) > 5 else BLUE for p in pct]
            ax.barh(y, pct, color=colours, height=0.7)
            ax.set_yticks(y, labels=df["material"].astype(str).tolist(), parse_math=False)
            ax.set_ylim(-0.7, len(df) - 0.3)
        ax.axvline(0.0, color=INK, lw=0.8)
        ax.set_xlabel("residual (Tc_model − Tc)/Tc (%)")
        ax.set_title("Residuals, sorted" if not dense else f"Residuals of {len(df)} materials")
        ax.legend(loc="upper right" if dense else "lower right")
    return ax


def _short(name: str, at_most: int = 24) -> str:
    """A name cut to ``at_most`` characters (with an ellipsis) for a figure's text box."""
    return name if len(name) <= at_most else name[: at_most - 1] + "…"


def _residual_histogram(ax: Any, pct: np.ndarray, names: np.ndarray) -> None:
    """Many materials: the histogram of residuals, the most extreme ones named beside it."""
    edges = np.histogram_bin_edges(pct, bins="fd")
    if len(edges) > 201:  # a few wild residuals: bound the bin count, not the range
        edges = np.linspace(pct.min(), pct.max(), 201)
    ax.hist(pct, bins=edges, color=BLUE, edgecolor="white", linewidth=0.3, label="materials")
    ax.set_ylabel("materials per bin")
    worst = np.argsort(-np.abs(pct), kind="stable")[:LABELS_AT_MOST]
    text = "largest |residual|:\n" + "\n".join(
        f"{_short(names[k])}  {pct[k]:+.1f} %" for k in worst
    )
    ax.text(
        0.02, 0.97, text, transform=ax.transAxes, va="top", ha="left", fontsize=6.5,
        family="DejaVu Sans Mono", parse_math=False,
        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": GREY, "alpha": 0.9},
    )  # fmt: skip


def implied_i(
    result: FitResult | pd.DataFrame,
    /,
    *,
    grid: Sequence[float] | None = None,
    policy: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Each material's implied i with its 1σ error bar, against the allowed values.

    Parameters
    ----------
    result : FitResult or DataFrame
        A fit, or its table: ``material``, ``i_implied``, ``i_implied_err`` (1σ),
        ``i_assigned`` and, optionally, ``i_reference`` (e.g. the paper's i).
    grid : sequence of float, optional
        The allowed values (dotted lines); default the fit's policy's.
    policy : str, optional
        The policy's name for the legend; default the fit's.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    fit_policy = getattr(result, "policy", None)
    grid = grid if grid is not None else ([] if fit_policy is None else fit_policy.values)
    policy = policy or ("allowed" if fit_policy is None else fit_policy.name)
    df = table_of(result).sort_values("i_implied", kind="stable")
    if len(df) > DENSE_ABOVE:
        with style():
            ax = new_axes(ax, WIDTH * 0.8, WIDTH * 0.5)
            _implied_histogram(ax, df, np.asarray(grid, dtype=float), policy)
        return ax
    y = np.arange(len(df))
    imp = df["i_implied"].to_numpy(float)
    err = df["i_implied_err"].to_numpy(float)
    lower = np.clip(imp - err, imp * 1e-3, None)
    with style():
        ax = new_axes(ax, WIDTH * 0.8, 1.2 + 0.2 * len(df))
        lo, hi = log_limits(lower, imp + err, df["i_assigned"].to_numpy(float), pad=1.3)
        _allowed_lines(ax, np.asarray(grid, dtype=float), policy, (lo, hi))
        ax.errorbar(
            imp, y, xerr=[imp - lower, err], fmt="o", color=BLUE, ms=4, capsize=2, lw=1,
            label="implied i ± 1σ", zorder=3,
        )  # fmt: skip
        ax.scatter(
            df["i_assigned"].to_numpy(float), y, marker="s", facecolor="none", edgecolor=ORANGE,
            s=40, lw=1.2, zorder=4, label="assigned i",
        )  # fmt: skip
        ref = df["i_reference"].to_numpy(float) if "i_reference" in df else np.array([])
        ok = np.isfinite(ref)
        if ok.any():
            ax.scatter(
                ref[ok], y[ok], marker="x", color=RED, s=30, lw=1.2, zorder=5, label="reference i"
            )
        ax.set_xscale("log")
        ax.set_xlim(lo, hi)
        plain_log_ticks(ax.xaxis)
        ax.set_yticks(y, labels=df["material"].astype(str).tolist(), parse_math=False)
        ax.set_ylim(-0.7, len(df) - 0.3)
        ax.set_xlabel("degree of freedom i (dimensionless, log scale)")
        ax.set_title("Implied i against the allowed values")
        ax.legend(loc="lower right", frameon=True)
    return ax


def _allowed_lines(ax: Any, values: np.ndarray, policy: str, limits: tuple[float, float]) -> None:
    """The allowed values of i inside the axis limits, as dotted vertical lines."""
    ax.grid(False, axis="x")
    inside = values[(values >= limits[0]) & (values <= limits[1])]
    for k, value in enumerate(inside):
        ax.axvline(
            value, color=GREY, lw=0.8, ls=":", label=f"allowed i ({policy})" if k == 0 else None
        )


def _implied_histogram(ax: Any, df: pd.DataFrame, grid: np.ndarray, policy: str) -> None:
    """Many materials: the histogram of implied i on log bins, against the allowed values."""
    imp = df["i_implied"].to_numpy(float)
    imp = imp[np.isfinite(imp) & (imp > 0)]
    lo, hi = log_limits(imp, pad=1.3)
    bins = np.geomspace(lo, hi, int(np.clip(np.sqrt(imp.size), 20, 150)) + 1)
    _allowed_lines(ax, grid, policy, (lo, hi))
    ax.hist(imp, bins=bins, color=BLUE, edgecolor="white", linewidth=0.3, zorder=3,
            label=f"implied i ({imp.size} materials)")  # fmt: skip
    import matplotlib as mpl

    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    steps = (1, 2, 3, 5)
    ticks = [m * 10.0**e for e in range(-3, 5) for m in steps if lo <= m * 10.0**e <= hi]
    ax.set_xticks(ticks, labels=[f"{t:g}" for t in ticks])
    ax.xaxis.set_minor_formatter(mpl.ticker.NullFormatter())
    ax.set_ylim(0, ax.get_ylim()[1] * 1.25)  # room for the legend above the bars
    ax.set_xlabel("implied i (dimensionless, log bins)")
    ax.set_ylabel("materials per bin")
    ax.set_title("Implied i against the allowed values")
    ax.legend(loc="upper right", frameon=True)


def predictor(
    result: FitResult | pd.DataFrame, /, *, fig: Figure | SubFigure | None = None
) -> Figure | SubFigure:
    """BCS weak coupling and the i it predicts from the Sommerfeld γ, against the data.

    Left: measured Tc against BCS's Tc_BCS and against Eq. (5) at i_BCS rounded to an allowed
    value (neither uses Tc). Right: i_BCS against the implied i.

    Parameters
    ----------
    result : FitResult or DataFrame
        A fit of data with γ (density and molar mass), or its table: ``material``, ``tc`` (K),
        ``tc_bcs`` (K), ``i_implied``, ``i_bcs`` and, optionally, ``tc_predicted_bcs`` (K).
        Rows without ``i_predicted_bcs`` (when that column exists) are left out.
    fig : matplotlib.figure.Figure or SubFigure, optional
        An empty figure to draw the two panels into; default a new one.

    Returns
    -------
    matplotlib.figure.Figure or SubFigure
    """
    df = table_of(result)
    if "tc_bcs" not in df or "i_bcs" not in df:
        from tcfit.errors import InputError

        raise InputError(
            "The predictor figure needs BCS's columns (tc_bcs, i_bcs), which a fit has only for "
            "data with the Sommerfeld γ, the density and the molar mass (e.g. 'table1').",
            argument="result",
        )
    if "i_predicted_bcs" in df:
        df = df[df["i_predicted_bcs"].notna()]
    df = df.dropna(subset=["tc_bcs", "i_bcs"])
    names = df["material"].astype(str).tolist()
    with style():
        fig = fig if fig is not None else new_figure(WIDTH, WIDTH * 0.45)
        ax1, ax2 = fig.subplots(1, 2)
        tc = df["tc"].to_numpy(float)
        left = [(df["tc_bcs"].to_numpy(float), GREEN, "o", "BCS Tc from Bc and γ")]
        if "tc_predicted_bcs" in df:
            left.append(
                (df["tc_predicted_bcs"].to_numpy(float), ORANGE, "s", "Eq. (5), rounded i_BCS")
            )
        equal_axes(ax1, tc, [y for y, *_ in left])
        for k, (y, colour, marker, label) in enumerate(left):
            face = colour if k == 0 else "none"  # the second set hollow, so both stay visible
            ax1.scatter(
                tc, y, marker=marker, s=24, zorder=3 + k, facecolor=face, edgecolor=colour,
                lw=1.2, label=label,
            )  # fmt: skip
        label_points(ax1, tc, left[0][0], names, priority=np.abs(np.log(left[0][0] / tc)))
        ax1.set_xlabel("measured Tc (K)")
        ax1.set_ylabel("predicted Tc, no free parameter (K)")
        ax1.set_title("Tc predicted without Tc")
        ax1.legend(loc="upper left")
        x, y = df["i_implied"].to_numpy(float), df["i_bcs"].to_numpy(float)
        equal_axes(ax2, x, [y])
        ax2.scatter(x, y, color=GREEN, s=22, zorder=3)
        label_points(ax2, x, y, names, priority=np.abs(np.log(y / x)))
        ax2.set_xlabel("implied i of Eq. (5)")
        ax2.set_ylabel("i_BCS from γ (dimensionless)")
        ax2.set_title("The i BCS predicts")
        ax2.legend(loc="upper left")
    return fig


def sources(
    comparison: pd.DataFrame,
    /,
    *,
    label_a: str = "the first source",
    label_b: str = "the second source",
    ax: Axes | None = None,
) -> Axes:
    """Implied i of the same materials from two data sources; changed assignments marked.

    Parameters
    ----------
    comparison : DataFrame
        :func:`tcfit.compare_sources`: ``material``, ``i_implied_a``, ``i_implied_b`` and
        ``changed`` (bool).
    label_a, label_b : str
        Names of the two sources (axis labels).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    x = comparison["i_implied_a"].to_numpy(float)
    y = comparison["i_implied_b"].to_numpy(float)
    changed = comparison["changed"].to_numpy(bool)
    with style():
        ax = new_axes(ax, WIDTH * 0.7, WIDTH * 0.6)
        lo, hi = log_limits(x, y)
        ax.plot([lo, hi], [lo, hi], color=INK, lw=0.8, label="same i")
        ax.scatter(
            x[~changed], y[~changed], color=BLUE, s=22, zorder=3,
            label=f"same assignment ({int((~changed).sum())})",
        )  # fmt: skip
        ax.scatter(
            x[changed], y[changed], color=RED, marker="D", s=26, zorder=3,
            label=f"assignment changes ({int(changed.sum())})",
        )  # fmt: skip
        ax.set(xscale="log", yscale="log", xlim=(lo, hi), ylim=(lo, hi))
        label_points(
            ax, x, y, comparison["material"].astype(str).tolist(), priority=np.abs(np.log(y / x))
        )
        plain_log_ticks(ax.xaxis, ax.yaxis)
        ax.set_xlabel(f"implied i from {label_a}")
        ax.set_ylabel(f"implied i from {label_b}")
        ax.set_title("Sensitivity to the data source")
        ax.legend(loc="upper left")
    return ax


@dataclass(frozen=True)
class Estimate:
    """One panel of :func:`global_fit`: value, 95 % interval, the value Eq. (5) fixes."""

    label: str
    value: float
    low: float
    high: float
    expected: float
    expected_label: str
    unit: str = "dimensionless"


_SYMBOLS = {"alpha": "α", "beta": "β"}
_QUANTITIES = {"bc": "Bc"}


def estimates(gfit: GlobalFit) -> list[Estimate]:
    """Each free exponent beside the model's value, and the prefactor relative to CODATA."""
    from tcfit.formatting import i_text
    from tcfit.model import PREFACTOR

    params = gfit.parts["exponents"].params
    out = []
    for name, (quantity, _sign) in gfit.result.model.exponent_names.items():
        est = params.get(name)
        if est is None or est.reference is None:
            continue
        symbol, what = _SYMBOLS.get(name, name), _QUANTITIES.get(quantity, quantity)
        label, expected = f"{symbol} (exponent of {what})", f"Eq. (5): {i_text(est.reference)}"
        low, high = float(est.ci95_low), float(est.ci95_high)
        out.append(Estimate(label, float(est.value), low, high, est.reference, expected))
    pref = gfit.parts["prefactor"].params["prefactor"]
    value, low, high = (float(x) / PREFACTOR for x in (pref.value, pref.ci95_low, pref.ci95_high))
    unit = "prefactor relative to the CODATA value (dimensionless)"
    out.append(Estimate("A / A(CODATA)", value, low, high, 1.0, "CODATA prefactor", unit))
    return out


def global_fit(gfit: GlobalFit, /, *, fig: Figure | SubFigure | None = None) -> Figure | SubFigure:
    """The exponents and the prefactor fitted with every assigned i held fixed, with 95 %
    intervals, against the values Eq. (5) fixes — conditional on the assigned i, not a test.

    Parameters
    ----------
    gfit : GlobalFit
        :func:`tcfit.fit_global`. One panel per free exponent, and the prefactor relative to
        the CODATA value.
    fig : matplotlib.figure.Figure or SubFigure, optional
        An empty figure to draw the panels into; default a new one.

    Returns
    -------
    matplotlib.figure.Figure or SubFigure
    """
    items = estimates(gfit)
    with style():
        fig = fig if fig is not None else new_figure(WIDTH, 1.0 + 0.45 * len(items) + 0.6)
        axes = fig.subplots(len(items), 1, squeeze=False)[:, 0]
        for ax, est in zip(axes, items, strict=True):
            _estimate_panel(ax, est)
        axes[0].set_title("Global fit: parameters Eq. (5) fixes, set free")
    return fig


def _estimate_panel(ax: Any, est: Estimate) -> None:
    ax.errorbar(
        [est.value], [0], xerr=[[est.value - est.low], [est.high - est.value]], fmt="o",
        color=BLUE, capsize=4, lw=1.5, label="fit, 95 % interval",
    )  # fmt: skip
    ax.axvline(est.expected, color=RED, lw=1.2, ls="--", label=est.expected_label)
    finite = [v for v in (est.low, est.high, est.expected) if np.isfinite(v)]
    span = (max(finite) - min(finite)) or abs(est.expected) or 1.0
    ax.set_xlim(min(finite) - 0.15 * span, max(finite) + 0.15 * span)
    ax.set_yticks([0], labels=[est.label])
    ax.set_ylim(-1, 1)
    ax.set_xlabel(est.unit)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=7, frameon=True)
