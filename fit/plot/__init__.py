"""Draw the report's figures from Python, one function per figure (``tcfit.plot``).

Each function takes a finished result and draws onto a matplotlib Axes you give (``ax=``) — or,
for the figures with several panels, into a Figure you give (``fig=``) — or onto a new figure
the size the report uses, and returns what it drew on, so you can change titles, limits or
labels and save it. The look is the report's (seaborn's colour-blind palette and whitegrid
style, :func:`style`); the report draws its figures with these same functions, inside
:func:`offscreen`. Material names are drawn literally, never as mathtext. Nothing is fitted here.

=================  ===========================  ==========================================
function           draws from                   returns
=================  ===========================  ==========================================
:func:`parity`     FitResult (or its table)     Axes: model against measured Tc
:func:`residuals`  FitResult (or its table)     Axes: relative residuals, sorted
:func:`implied_i`  FitResult (or its table)     Axes: implied i ± 1σ against the allowed i
:func:`predictor`  FitResult with γ             Figure: Tc and i predicted without Tc (BCS)
:func:`evidence`   LatticeTest                  Figure: ln BF against the error scale
:func:`profile`    Profile                      Axes: Δχ² of one parameter, i re-assigned
:func:`profiles`   dict or list of Profile      Figure: the profiles side by side
:func:`global_fit` GlobalFit                    Figure: fits with i held fixed (conditional)
:func:`valence`    ValenceSensitivity           Axes: implied i under each valence count
:func:`sources`    compare_sources' frame       Axes: implied i from two data sources
=================  ===========================  ==========================================

``result.plot(kind=...)`` on :class:`~tcfit.FitResult`, :class:`~tcfit.LatticeTest`,
:class:`~tcfit.Profile` and :class:`~tcfit.analysis.Analysis` calls :func:`draw`, which picks
the function by ``kind`` (:data:`KINDS` lists each class's kinds, the first the default).

matplotlib and seaborn are imported on first use. A new figure is pyplot's (so it shows in a
notebook); inside :func:`offscreen` it is a plain ``Figure`` that pyplot never sees.

Examples
--------
>>> import tcfit
>>> from tcfit import plot
>>> result = tcfit.fit("table1")
>>> with plot.offscreen():
...     ax = plot.parity(result)
...     ax.set_title("Table 1 of the paper")  # doctest: +ELLIPSIS
Text(...)
>>> ax.figure.savefig("parity.svg")
"""

from __future__ import annotations

from typing import Any

from ._fit import global_fit, implied_i, parity, predictor, residuals, sources
from ._inference import (
    EVIDENCE_BOTTOM,
    PARAMETER_LABELS,
    PROFILE_TOP,
    evidence,
    profile,
    profiles,
    valence,
)
from ._style import DENSE_ABOVE, LABELS_AT_MOST, RC, WIDTH, offscreen, style

__all__ = [
    "DENSE_ABOVE",
    "EVIDENCE_BOTTOM",
    "KINDS",
    "LABELS_AT_MOST",
    "PARAMETER_LABELS",
    "PROFILE_TOP",
    "RC",
    "WIDTH",
    "draw",
    "evidence",
    "global_fit",
    "implied_i",
    "offscreen",
    "parity",
    "predictor",
    "profile",
    "profiles",
    "residuals",
    "sources",
    "style",
    "valence",
]

#: The kinds ``plot(kind=...)`` accepts on each result class; the first is the default.
KINDS: dict[str, tuple[str, ...]] = {
    "FitResult": ("parity", "residuals", "implied_i", "predictor"),
    "LatticeTest": ("evidence",),
    "Profile": ("profile",),
    "Analysis": (
        "evidence",
        "profiles",
        "global_fit",
        "predictor",
        "valence",
        "parity",
        "residuals",
        "implied_i",
        "sources",
    ),
}


def draw(result: Any, kind: str | None = None, /, **kwargs: Any) -> Any:
    """Draw one figure of a result by name: what ``result.plot(kind=...)`` calls.

    Parameters
    ----------
    result : FitResult, LatticeTest, Profile or Analysis
    kind : str, optional
        One of ``KINDS[type(result).__name__]``; default the first of them.
    **kwargs
        Passed on to the drawing function (``ax=``, ``fig=``, ...).

    Returns
    -------
    matplotlib.axes.Axes or matplotlib.figure.Figure
        What the drawing function returns.

    Raises
    ------
    InputError
        For a result of another type, an unknown kind, or an analysis that lacks the part
        (e.g. ``"sources"`` without a second source).
    """
    from tcfit._validate import check_option
    from tcfit.errors import InputError

    name = type(result).__name__
    if name not in KINDS:
        raise InputError(
            f"tcfit.plot.draw draws a {', '.join(KINDS)}; got a {name}.", argument="result"
        )
    kind = check_option("kind", KINDS[name][0] if kind is None else kind, KINDS[name])
    if name == "Analysis":
        return _draw_analysis(result, kind, kwargs)
    return globals()[kind](result, **kwargs)


def _draw_analysis(analysis: Any, kind: str, kwargs: dict[str, Any]) -> Any:
    from tcfit.errors import InputError

    if kind in {"parity", "residuals", "implied_i", "predictor"}:
        return globals()[kind](analysis.result, **kwargs)
    part: Any = {
        "evidence": analysis.lattice,
        "profiles": analysis.profiles or None,
        "global_fit": analysis.global_fit,
        "valence": analysis.valence,
        "sources": analysis.sources,
    }[kind]
    if part is None:
        why = {
            "evidence": f"the lattice test did not run: {analysis.lattice_error}",
            "profiles": "its model has no exponents α and β to profile",
            "global_fit": f"the global fits did not run: {analysis.global_fit_error}",
            "valence": "no material is an element the valence conventions cover",
            "sources": "analyse was given no second source (`compare`)",
        }[kind]
        raise InputError(f"This analysis has no {kind!r} figure: {why}.", argument="kind")
    if kind == "evidence":
        table = analysis.result.table
        stated = float((table["i_implied_err"] / table["i_implied"]).median())
        return evidence(part, **{"stated": stated, **kwargs})
    if kind == "sources":
        labels = {"label_a": analysis.name, "label_b": analysis.compare_label or "second source"}
        return sources(part, **{**labels, **kwargs})
    return globals()[kind](part, **kwargs)
