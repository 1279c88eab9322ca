"""The conditional global fits laid out: parameter rows, the three fits side by side, the figure.

These fits hold every material's i at the value assigned under Eq. (5) as written, so they are
*conditional on the assigned i — not a test* (statistics audit, part 1b): the profiles section
shows them below the profiles, labelled so, with no verdict, badge or colouring. The values a
parameter is printed beside come from the fit (:attr:`tcfit.global_fit.ParamEstimate.reference`,
i.e. the model's own exponents), except the prefactor's, which is the CODATA value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tcfit.model import PAPER_PREFACTOR, PREFACTOR

if TYPE_CHECKING:
    from tcfit.global_fit import GlobalFit, GlobalFitPart, ParamEstimate

    from ._common import Formatter

__all__ = [
    "CONDITIONAL",
    "GLOBAL_CAVEAT",
    "common_i",
    "exponent_rows",
    "mode_text",
    "parameter_rows",
    "part_rows",
]

#: The label of the fits with i held fixed, wherever they are shown.
CONDITIONAL = "conditional on the assigned i — not a test"
#: Said wherever the global fit is shown (see the caveat in :mod:`tcfit.global_fit`).
GLOBAL_CAVEAT = (
    "Each material's i was chosen to make Eq. (5), as written, fit best, and is held fixed "
    "here, so these fits return values close to the ones used to assign: they describe the "
    "fit, conditional on that choice, and test nothing. The profiles above re-assign every i."
)
_SYMBOLS = {"alpha": "α", "beta": "β"}
_QUANTITIES = {"bc": "Bc"}
_PART_TITLES = {
    "prefactor": "prefactor free, assigned i fixed",
    "exponents": "exponents of n and Bc free, assigned i fixed",
    "common_i": "one common i for every material",
}


def _exponents(gfit: GlobalFit) -> list[tuple[str, str, ParamEstimate]]:
    """(symbol, quantity, estimate) of each free exponent, in the model's order."""
    names = gfit.result.model.exponent_names
    params = gfit.parts["exponents"].params
    return [
        (_SYMBOLS.get(name, name), _QUANTITIES.get(quantity, quantity), params[name])
        for name, (quantity, _sign) in names.items()
        if name in params
    ]


def _row(
    label: str,
    est: ParamEstimate,
    expected: float,
    expected_text: str,
    fmt: Formatter,
    scale: float = 1.0,
) -> dict[str, Any]:
    low, high = float(est.ci95_low) / scale, float(est.ci95_high) / scale
    return {
        "label": label,
        "estimate": fmt.pdg(float(est.value) / scale, float(est.std_err) / scale),
        "interval": f"[{fmt.sig(low, 4)}, {fmt.sig(high, 4)}]",
        "expected": expected_text,
    }


def exponent_rows(gfit: GlobalFit, fmt: Formatter) -> list[dict[str, Any]]:
    """One row per free exponent beside the model's value (``symbol`` names it: ``α``)."""
    return [
        {**_row(f"{symbol}, exponent of {quantity}", est, ref, fmt.i(ref), fmt), "symbol": symbol}
        for symbol, quantity, est in _exponents(gfit)
        if (ref := est.reference) is not None
    ]


def parameter_rows(gfit: GlobalFit, fmt: Formatter) -> list[dict[str, Any]]:
    """The exponent rows and the prefactor's (beside the CODATA value)."""
    prefactor = _row(
        "prefactor A (10⁷ K m^½ T⁻¹)",
        gfit.parts["prefactor"].params["prefactor"],
        PREFACTOR,
        f"{PREFACTOR / 1e7:.5f} (CODATA); paper {PAPER_PREFACTOR / 1e7:g}",
        fmt,
        scale=1e7,
    )
    return [*exponent_rows(gfit, fmt), prefactor]


def part_rows(gfit: GlobalFit, fmt: Formatter) -> list[dict[str, str]]:
    """The three global fits side by side (χ², AIC, BIC, parameters)."""
    return [_part_row(key, title, gfit.parts[key], fmt) for key, title in _PART_TITLES.items()]


def _part_row(key: str, title: str, part: GlobalFitPart, fmt: Formatter) -> dict[str, str]:
    params = "; ".join(f"{name} = {fmt.pdg(p.value, p.std_err)}" for name, p in part.params.items())
    return {
        "name": title,
        "description": str(getattr(part, "description", "")),
        "params": params,
        "chi2": f"{fmt.sig(part.chi_square, 3)} / {part.dof}",
        "reduced": fmt.sig(part.reduced_chi_square, 3),
        "p_value": "—" if part.p_value is None else fmt.sig(part.p_value, 2),
        "covariance_scale": fmt.sig(getattr(part, "covariance_scale", 1.0), 3),
        "aic": f"{part.aic:.1f}",
        "bic": f"{part.bic:.1f}",
        "n_parameters": str(part.n_parameters),
        "mode": part.mode,
    }


def mode_text(parts: Mapping[str, GlobalFitPart], fmt: Formatter) -> str:
    """How the uncertainties were treated, with the covariance scale each fit used."""
    modes = {part.mode for part in parts.values()}
    scales = "; ".join(
        f"{_PART_TITLES.get(key, key)} ×{fmt.sig(getattr(part, 'covariance_scale', 1.0), 3)}"
        for key, part in parts.items()
    )
    if modes == {"absolute"}:
        return (
            "Uncertainties: the measurement uncertainties as absolute 1σ (covariance not rescaled)."
        )
    if modes == {"scaled"}:
        return (
            "Uncertainties: assumed defaults, so the covariance is multiplied by max(1, χ²/dof) "
            "— inflated when the scatter exceeds them, never narrowed (a small χ² here comes "
            f"from choosing each i). Covariance scale used: {scales}."
        )
    return (
        "Uncertainties: "
        + "; ".join(f"{k} {p.mode}" for k, p in parts.items())
        + (f". Covariance scale used: {scales}.")
    )


def common_i(gfit: GlobalFit, fmt: Formatter) -> str:
    """The best single common i, ``value ± error``; empty if that fit has none."""
    est = gfit.parts["common_i"].params.get("i_common")
    return fmt.pdg(est.value, est.std_err) if est else ""
