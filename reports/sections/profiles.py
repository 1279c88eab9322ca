"""Section "profiles": the exponents and the prefactor, with every material's i re-assigned.

The primary result (:attr:`tcfit.analysis.Analysis.profiles`, :mod:`tcfit.profiles`): for α
(exponent of n), β (exponent of Bc) and the prefactor scale, χ² profiled with every i
re-assigned at each trial value — the curve (Δχ² with the 3.84 line, Eq. (5)'s value, the allowed
set shaded interval by interval) and a table (best value, χ²_min, the allowed set as a union of
disjoint intervals, whether Eq. (5)'s value lies in it, open ends, the σ treatment). The allowed
set is a profile-likelihood region on a grid whose coverage is not measured: it describes which
values fit as well as Eq. (5)'s, and no verdict is drawn from it.

Below them, the global fits with i held fixed (:mod:`tcfit.global_fit`), labelled *conditional on
the assigned i — not a test*, with the covariance scale used and no badge or colouring.

``summary.json`` gets ``profiles`` (each :meth:`tcfit.profiles.Profile.to_dict`, with its curve
when it has at most :data:`CURVE_MAX` points) and ``global_fit`` (the conditional fits, marked
``conditional``, or ``{"error": ...}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tcfit.plot import PARAMETER_LABELS

from .._render import FigureEntry, figure_entry
from . import _global

if TYPE_CHECKING:
    from tcfit.analysis import Analysis
    from tcfit.profiles import Profile

    from ._common import Formatter

__all__ = ["CURVE_MAX", "SECTION", "Profiles", "allowed_text"]

#: A profile's curve goes into summary.json when it has at most this many trial values.
CURVE_MAX = 400
_LABELS = PARAMETER_LABELS


def allowed_text(profile: Profile, fmt: Formatter) -> str:
    """The allowed set as a union of disjoint intervals: ``[0.18, 0.2] ∪ [0.24, 0.27]``."""
    if not profile.allowed:
        return "empty"
    return " ∪ ".join(f"[{fmt.sig(a, 3)}, {fmt.sig(b, 3)}]" for a, b in profile.allowed)


def _open_ends(profile: Profile, fmt: Formatter) -> str:
    values = profile.curve["value"]
    low, high = profile.open_ends
    ends = [
        f"reaches the lowest trial value {fmt.sig(values.min(), 3)}" if low else "",
        f"reaches the highest trial value {fmt.sig(values.max(), 3)}" if high else "",
    ]
    text = "; ".join(e for e in ends if e)
    return f"{text} (the set may extend beyond the grid)" if text else "none"


def _row(name: str, profile: Profile, fmt: Formatter) -> dict[str, str]:
    values = profile.curve["value"]
    return {
        "parameter": _LABELS.get(name, name),
        "reference": fmt.i(profile.reference),
        "best": fmt.sig(profile.best, 3),
        "chi2_min": fmt.sig(profile.chi_square_min, 3),
        "chi2_reference": fmt.sig(profile.chi_square_reference, 3),
        "allowed": allowed_text(profile, fmt),
        "n_intervals": str(len(profile.allowed)),
        "reference_allowed": "yes" if profile.reference_allowed else "no",
        "open_ends": _open_ends(profile, fmt),
        "grid": f"{len(values)} values, {fmt.sig(values.min(), 3)} to {fmt.sig(values.max(), 3)}",
        "sigma": profile.sigma,
    }


def _profile_figure(profiles: Mapping[str, Profile]) -> FigureEntry:
    from tcfit import plot

    return figure_entry(
        "profiles",
        plot.profiles(profiles),
        title="Profiles of the exponents and the prefactor, every i re-assigned",
        caption=(
            "Δχ² against each trial value, with every material's i re-assigned under the "
            "policy at that value and the other parameters profiled. Dashed grey: Δχ² = 3.84; "
            "dashed red: Eq. (5)'s value; dotted blue: the minimum. Shaded green: the allowed "
            "set, each disjoint interval of grid points widened by half a grid step on either "
            f"side; Δχ² above {plot.PROFILE_TOP:g} runs off the top. A description: the "
            "coverage of this set with re-assigned i is not measured."
        ),
    )


def _conditional(analysis: Analysis, fmt: Formatter) -> tuple[dict[str, Any], list[FigureEntry]]:
    from tcfit import plot

    gfit = analysis.global_fit
    if gfit is None:
        return {"error": f"No global fit of the exponents: {analysis.global_fit_error}"}, []
    entry = figure_entry(
        "global_fit",
        plot.global_fit(gfit),
        title=f"Global fits with the assigned i held fixed ({_global.CONDITIONAL})",
        caption=(
            "Estimates with 95 % intervals from lmfit, each material's assigned i held fixed; "
            "dashed lines mark the values Eq. (5) fixes. "
            + _global.mode_text(gfit.parts, fmt)
            + " "
            + _global.GLOBAL_CAVEAT
        ),
    )
    context = {
        "error": None,
        "rows": _global.parameter_rows(gfit, fmt),
        "parts": _global.part_rows(gfit, fmt),
        "common_i": _global.common_i(gfit, fmt),
        "mode_text": _global.mode_text(gfit.parts, fmt),
    }
    return context, [entry]


class Profiles:
    """Profiles first, then the conditional fits: always present (either may say why not)."""

    id = "profiles"
    title = "Global inference: exponents and prefactor"
    template = "sections/profiles.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any]:
        """Profile rows and figure; the conditional fits' rows, parts and figure."""
        profiles = analysis.profiles
        figures = [_profile_figure(profiles)] if profiles else []
        conditional, extra = _conditional(analysis, fmt)
        return {
            "toc": "Exponents and prefactor",
            "profiles": [_row(name, p, fmt) for name, p in profiles.items()],
            "policy": analysis.result.policy.name,
            "figures": figures + extra,
            "profile_figures": figures,
            "conditional_figures": extra,
            "conditional": conditional,
            "label": _global.CONDITIONAL,
            "caveat": _global.GLOBAL_CAVEAT,
        }

    def summary(self, analysis: Analysis) -> Mapping[str, Any]:
        """``profiles`` and ``global_fit`` (marked conditional), or their errors."""
        gfit = analysis.global_fit
        return {
            "profiles": {
                name: p.to_dict(include_curve=len(p.curve) <= CURVE_MAX)
                for name, p in analysis.profiles.items()
            },
            "global_fit": (
                {"conditional": _global.CONDITIONAL, **gfit.to_dict()}
                if gfit is not None
                else {"error": analysis.global_fit_error}
            ),
        }


SECTION = Profiles()
