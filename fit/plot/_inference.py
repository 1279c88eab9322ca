"""The figures of the inference: evidence against the error scale, the profiles, the valence."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._style import BLUE, GREEN, GREY, ORANGE, RED, WIDTH, new_axes, new_figure, style

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    from tcfit.lattice import LatticeTest
    from tcfit.profiles import Profile
    from tcfit.valence import ValenceSensitivity

__all__ = [
    "EVIDENCE_BOTTOM",
    "PARAMETER_LABELS",
    "PROFILE_TOP",
    "evidence",
    "profile",
    "profiles",
    "valence",
]

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
#: ln BF below this runs off the bottom of the evidence figure.
EVIDENCE_BOTTOM = -15.0
#: Δχ² above this is off the top of a profile panel.
PROFILE_TOP = 20.0
#: How each profiled parameter is named in figures and in the report's table.
PARAMETER_LABELS = {
    "alpha": "α, exponent of n",
    "beta": "β, exponent of Bc",
    "scale": "s = prefactor / C",
}
_SYMBOLS = {"alpha": "α", "beta": "β", "scale": "s"}


def evidence(
    test: LatticeTest,
    /,
    *,
    stated: float | None = None,
    modern: float | None = None,
    fig: Figure | SubFigure | None = None,
) -> Figure | SubFigure:
    """ln BF of the lattice model against the effective error σ(ln i), with the Kass–Raftery
    bands; below it, the posterior of the error scale under each model.

    Parameters
    ----------
    test : LatticeTest
        :func:`tcfit.lattice_test`; its ``evidence`` scan, ``flip_scale`` and ``sigma_eff``.
    stated : float, optional
        σ(ln i) at the stated errors (s = 1); default the test's median σ(ln i).
    modern : float, optional
        σ(ln i) of modern data, marked for reference; default
        ``tcfit.verdict.THRESHOLDS["modern_sigma"]`` (0.03).
    fig : matplotlib.figure.Figure or SubFigure, optional
        An empty figure for the two panels; default a new one.

    Returns
    -------
    matplotlib.figure.Figure or SubFigure
        ln BF below :data:`EVIDENCE_BOTTOM` runs off the bottom of the top panel.
    """
    from tcfit.verdict import THRESHOLDS

    table = test.evidence
    stated = test.sigma_eff / test.error_scale if stated is None else float(stated)
    modern = float(THRESHOLDS["modern_sigma"]) if modern is None else float(modern)
    lines = [
        (stated, "#444444", "--", f"stated errors (σ = {stated:.3f})"),
        (modern, GREY, "-.", f"modern precision (σ = {modern:g})"),
    ]
    if math.isfinite(test.flip_scale):
        flip = test.flip_scale * stated
        lines.append((flip, RED, ":", f"ln BF changes sign (σ = {flip:.3f})"))
    with style():
        fig = fig if fig is not None else new_figure(WIDTH * 0.85, WIDTH * 0.72)
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(2.2, 1.0))
        _evidence_top(top, table, lines)
        _evidence_bottom(bottom, table, test.sigma_eff, lines)
    return fig


_Line = tuple[float, Any, str, str]


def _evidence_top(ax: Any, table: pd.DataFrame, lines: list[_Line]) -> None:
    import matplotlib as mpl

    x, ln_bf = table["sigma_eff"].to_numpy(float), table["ln_bayes_factor"].to_numpy(float)
    low = max(float(np.nanmin(ln_bf)) - 1.0, EVIDENCE_BOTTOM)
    high = max(float(np.nanmax(ln_bf)) + 1.0, 6.0)
    transform = mpl.transforms.blended_transform_factory(ax.transAxes, ax.transData)
    for band_low, band_high, colour, alpha, label in _KR_BANDS:
        a, b = max(band_low, low), min(band_high, high)
        if a < b:
            ax.axhspan(a, b, color=colour, alpha=alpha, lw=0)
            kw = {"fontsize": 6.5, "va": "center", "color": "#555555"}
            ax.text(0.01, (a + b) / 2, label, transform=transform, **kw)
    for edge in _KR_EDGES:
        if low < edge < high:
            ax.axhline(edge, color=GREY, lw=0.5, ls=":")
    ax.axhline(0.0, color="#444444", lw=0.8)
    ax.plot(x, ln_bf, color="#222222", lw=1.6, label="ln BF, lattice vs continuous")
    for value, colour, dash, label in lines:
        ax.axvline(value, color=colour, ls=dash, lw=1.2, label=label)
    ax.set_ylim(low, high)
    ax.set_ylabel("ln BF (dimensionless)")
    ax.set_title("Evidence for the allowed values against the error scale")
    ax.legend(loc="lower right", frameon=True, fontsize=7)


def _evidence_bottom(ax: Any, table: pd.DataFrame, mode: float, lines: list[_Line]) -> None:
    import matplotlib as mpl

    for value, colour, dash, _label in lines:
        ax.axvline(value, color=colour, ls=dash, lw=1.2)
    x = table["sigma_eff"].to_numpy(float)
    ax.plot(x, table["posterior_lattice"].to_numpy(float), color=BLUE, lw=1.4, label="lattice")
    continuous = table["posterior_continuous"].to_numpy(float)
    ax.plot(x, continuous, color=ORANGE, lw=1.4, ls="--", label="continuous")
    ax.axvline(mode, color=BLUE, lw=0.8, alpha=0.6, label="lattice mode")
    ax.set_xscale("log")
    ax.set_xlim(float(x.min()), float(x.max()))
    ticks = [t for t in (0.02, 0.03, 0.05, 0.1, 0.2, 0.3) if x.min() <= t <= x.max()]
    ax.set_xticks(ticks, labels=[f"{t:g}" for t in ticks])
    ax.xaxis.set_minor_formatter(mpl.ticker.NullFormatter())
    ax.set_xlabel("effective error σ(ln i) = s × stated (dimensionless, log scale)")
    ax.set_ylabel("posterior of s\n(per unit ln s)")
    ax.legend(loc="upper right", frameon=True, fontsize=7)


def _half_steps(values: np.ndarray, low: float, high: float) -> tuple[float, float]:
    """An interval of grid points widened by half the local grid step on each side."""
    k_low = int(np.searchsorted(values, low))
    k_high = int(np.searchsorted(values, high))
    left = (values[k_low] - values[k_low - 1]) / 2 if k_low > 0 else 0.0
    right = (values[k_high + 1] - values[k_high]) / 2 if k_high + 1 < values.size else 0.0
    return float(low - left), float(high + right)


def _profile_panel(ax: Any, p: Profile, threshold: float) -> None:
    import matplotlib as mpl

    from tcfit.formatting import i_text

    values = p.curve["value"].to_numpy(float)
    for low, high in p.allowed:
        a, b = _half_steps(values, low, high)
        ax.axvspan(a, b, color=GREEN, alpha=0.22, lw=0)
    delta = p.curve["delta_chi_square"].to_numpy(float)
    ax.plot(values, delta, color="#222222", lw=1.0, drawstyle="steps-mid")
    ax.axhline(threshold, color=GREY, ls="--", lw=1.0)
    ax.axvline(p.reference, color=RED, ls="--", lw=1.4)
    ax.axvline(p.best, color=BLUE, ls=":", lw=1.2)
    ax.set_ylim(0.0, PROFILE_TOP)
    ax.set_xlim(float(values.min()), float(values.max()))
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(5))
    ax.set_xlabel(f"{_SYMBOLS.get(p.parameter, p.parameter)} (dimensionless)")
    label = PARAMETER_LABELS.get(p.parameter, p.parameter)
    ax.set_title(f"{label}; Eq. (5): {i_text(p.reference)}", fontsize=8.5)


def _profile_handles(threshold: float) -> list[Any]:
    import matplotlib as mpl

    return [
        mpl.patches.Patch(color=GREEN, alpha=0.22, label="allowed set"),
        mpl.lines.Line2D([], [], color=GREY, ls="--", label=f"Δχ² = {threshold:.2f}"),
        mpl.lines.Line2D([], [], color=RED, ls="--", label="Eq. (5)'s value"),
        mpl.lines.Line2D([], [], color=BLUE, ls=":", label="minimum"),
    ]


def profile(p: Profile, /, *, ax: Axes | None = None) -> Axes:
    """Δχ² of one profile against its trial values: the Δχ² = 3.84 line, Eq. (5)'s value,
    the minimum and the allowed set shaded interval by interval.

    Parameters
    ----------
    p : Profile
        :func:`tcfit.profile`.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Δχ² above :data:`PROFILE_TOP` runs off the top.
    """
    from tcfit.profiles import DELTA_CHI2_95

    with style():
        ax = new_axes(ax, WIDTH * 0.55, WIDTH * 0.44)
        _profile_panel(ax, p, DELTA_CHI2_95)
        ax.set_ylabel("Δχ² (every i re-assigned)")
        ax.legend(handles=_profile_handles(DELTA_CHI2_95), loc="upper right", fontsize=7)
    return ax


def profiles(
    profiles: Profile | Mapping[str, Profile] | Iterable[Profile],
    /,
    *,
    fig: Figure | SubFigure | None = None,
) -> Figure | SubFigure:
    """The profiles side by side, sharing the Δχ² axis and one legend (see :func:`profile`).

    Parameters
    ----------
    profiles : Profile, dict of str to Profile, or sequence of Profile
        E.g. :attr:`tcfit.analysis.Analysis.profiles` (α, β and the prefactor scale).
    fig : matplotlib.figure.Figure or SubFigure, optional
        An empty figure for the panels; default a new one.

    Returns
    -------
    matplotlib.figure.Figure or SubFigure
    """
    from tcfit.profiles import DELTA_CHI2_95

    items = _as_list(profiles)
    with style():
        fig = fig if fig is not None else new_figure(WIDTH, WIDTH * 0.44)
        axes = fig.subplots(1, len(items), squeeze=False, sharey=True)[0]
        for ax, p in zip(axes, items, strict=True):
            _profile_panel(ax, p, DELTA_CHI2_95)
        axes[0].set_ylabel("Δχ² (every i re-assigned)")
        fig.legend(
            handles=_profile_handles(DELTA_CHI2_95),
            loc="outside lower center",
            ncols=4,
            frameon=False,
        )
    return fig


def _as_list(profiles: Any) -> list[Profile]:
    from tcfit.errors import InputError
    from tcfit.profiles import Profile

    if isinstance(profiles, Profile):
        return [profiles]
    items = list(profiles.values() if isinstance(profiles, Mapping) else profiles)
    if not items or not all(isinstance(p, Profile) for p in items):
        raise InputError(
            "The `profiles` parameter must be a tcfit.Profile, or a non-empty dict or sequence "
            f"of them (tcfit.profile); got {profiles!r:.80}.",
            argument="profiles",
        )
    return items


def valence(
    sensitivity: ValenceSensitivity | pd.DataFrame,
    /,
    *,
    grid: Sequence[float] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Each material's implied i under each valence convention, against the allowed values.

    Parameters
    ----------
    sensitivity : ValenceSensitivity or DataFrame
        :func:`tcfit.valence_sensitivity`, or its ``table``: ``material`` and, per convention
        c, ``i_implied_<c>`` and ``changed_<c>`` (filled markers).
    grid : sequence of float, optional
        The allowed values (dotted lines); default the policy's of the refits.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    import pandas as pd

    table = sensitivity if isinstance(sensitivity, pd.DataFrame) else sensitivity.table
    fits = {} if isinstance(sensitivity, pd.DataFrame) else sensitivity.fits
    if grid is None:  # the refits share the policy
        grid = [float(v) for v in next(iter(fits.values())).policy.values] if fits else []
    columns = [str(c) for c in table.columns]
    conventions = [c.removeprefix("i_implied_") for c in columns if c.startswith("i_implied_")]
    names = table["material"].astype(str).tolist()
    implied = np.column_stack([table[f"i_implied_{c}"].to_numpy(float) for c in conventions])
    with style():
        ax = new_axes(ax, WIDTH * 0.8, 1.2 + 0.2 * len(names))
        _valence_axes(ax, table, conventions, implied, [float(v) for v in grid])
    return ax


def _valence_axes(
    ax: Any, table: pd.DataFrame, conventions: list[str], implied: np.ndarray, grid: list[float]
) -> None:
    import matplotlib as mpl

    y = np.arange(len(table))
    markers = (("o", BLUE), ("s", ORANGE), ("D", GREEN), ("^", RED))
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
            implied[:, k], y, marker=marker, s=26, zorder=3, facecolor="none",
            edgecolor=colour, lw=1.2, label=f"{convention}",
        )  # fmt: skip
        if changed.any():
            ax.scatter(implied[changed, k], y[changed], marker=marker, s=26, zorder=4, color=colour)
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    ticks = [t for t in (0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 20, 50) if lo <= t <= hi]
    ax.set_xticks(ticks, labels=[f"{t:g}" for t in ticks])
    ax.xaxis.set_minor_formatter(mpl.ticker.NullFormatter())
    ax.set_yticks(y, labels=table["material"].astype(str).tolist(), parse_math=False)
    ax.set_ylim(len(table) - 0.3, -0.7)  # the first material on top, as in the table
    ax.set_xlabel("implied i under each convention (dimensionless, log scale)")
    ax.set_title("Valence convention behind n: implied i (filled: assignment changes)")
    ax.legend(loc="lower right", frameon=True, fontsize=7)
