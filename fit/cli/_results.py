"""Rich renderings of the dataset-level results for ``tcfit fit``: the verdict, the lattice test,
the profiles (primary global result), the conditional global fits, the valence systematic and the
retired quantization test. Every user string is printed without markup interpretation."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ._app import out_console, plain, safe_text

if TYPE_CHECKING:
    from tcfit import GlobalFit, LatticeTest, QuantizationTest, ValenceSensitivity
    from tcfit.profiles import Profile
    from tcfit.verdict import Verdict

__all__ = [
    "print_global",
    "print_lattice",
    "print_profiles",
    "print_quantization",
    "print_valence",
    "print_verdict",
]


def _num(value: Any, spec: str = ".4g") -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "—"
    return "—" if math.isnan(number) else format(number, spec)


def _say(text: str) -> None:
    out_console.print(safe_text(text), markup=False, highlight=False, soft_wrap=True)


def print_verdict(verdict: Verdict) -> None:
    """The conclusion word, the headline and every sentence."""
    _say(f"Verdict ({verdict.conclusion}): {verdict.headline}")
    for text in verdict.sentences.values():
        _say(f"  - {text}")


def print_lattice(test: LatticeTest) -> None:
    """The evidence against the error scale (a few rows) and the crossings."""
    from rich.table import Table

    table = Table(title="Evidence for the allowed values against the assumed error scale")
    for header in ("σ(ln i)", "× stated", "ln BF", "Kass–Raftery"):
        table.add_column(header, justify="right" if header != "Kass–Raftery" else "left")
    ev = test.evidence
    for target in (0.02, 0.03, 0.05, 0.075, 0.109, 0.15, 0.2, 0.3):
        row = ev.iloc[(ev["sigma_eff"] - target).abs().argmin()]
        table.add_row(
            _num(row.sigma_eff, ".3f"),
            _num(row.error_scale, ".2f"),
            _num(row.ln_bayes_factor, "+.2f"),
            str(row.verdict),
        )
    out_console.print(table)
    _say(
        f"ln BF at the stated errors {test.ln_bayes_factor_fixed:+.2f}; marginalised over the "
        f"error scale {test.ln_bayes_factor:+.2f}; Rayleigh companion p = {test.rayleigh_p:.3g}."
    )


def print_profiles(profiles: dict[str, Profile]) -> None:
    """The primary global result: profiles with every i re-assigned."""
    from rich.table import Table

    table = Table(title="Profiles with every i re-assigned at each trial value (Δχ² ≤ 3.84)")
    for header in ("parameter", "best", "χ²_min", "allowed set", "Eq. (5)", "inside"):
        table.add_column(
            header, justify="left" if header in ("parameter", "allowed set") else "right"
        )
    for name, p in profiles.items():
        spans = ", ".join(f"[{a:.3g}, {b:.3g}]" for a, b in p.allowed)
        if any(p.open_ends):
            spans += " (reaches the grid's edge)"
        table.add_row(
            name,
            _num(p.best, ".4g"),
            _num(p.chi_square_min, ".3g"),
            spans,
            _num(p.reference, ".4g"),
            "yes" if p.reference_allowed else "no",
        )
    out_console.print(table)
    _say(
        "σ: effective variance at the trial values; the allowed sets are profile-likelihood sets "
        "on a grid whose coverage has not been measured: they describe which values fit as well, "
        "they are not a test."
    )


def print_global(glob: GlobalFit) -> None:
    """The fits with each i held fixed at its assigned value: conditional, never a verdict."""
    from rich.table import Table

    params = Table(
        title=f"Conditional on the assigned i — not a test (i = {glob.i_source}, mode {glob.mode})"
    )
    for header in ("Fit", "Parameter", "value", "std err", "95 % interval", "Eq. (5)"):
        params.add_column(header, justify="left" if header in ("Fit", "Parameter") else "right")
    for part in glob.parts.values():
        for name, est in part.params.items():
            params.add_row(
                part.name,
                name,
                _num(est.value, ".5g"),
                _num(est.std_err, ".3g"),
                f"[{_num(est.ci95_low, '.5g')}, {_num(est.ci95_high, '.5g')}]",
                _num(est.reference, ".5g"),
            )
    out_console.print(params)
    stats = Table(title="Goodness of fit (k counts one parameter per assigned i)")
    for header in ("Fit", "χ²", "dof", "χ²/dof", "p", "cov. scale", "AIC", "BIC", "k"):
        stats.add_column(header, justify="left" if header == "Fit" else "right")
    for part in glob.parts.values():
        stats.add_row(
            part.name,
            _num(part.chi_square, ".4g"),
            str(part.dof),
            _num(part.reduced_chi_square, ".3g"),
            "—" if part.p_value is None else _num(part.p_value, ".3g"),
            _num(part.covariance_scale, ".3g"),
            _num(part.aic, ".4g"),
            _num(part.bic, ".4g"),
            str(part.n_parameters),
        )
    out_console.print(stats)
    _say(
        "Each i was chosen to make Eq. (5) fit its own material, so these fits lean towards "
        "Eq. (5)'s exponents and prefactor; read the profiles above instead. The covariance is "
        "scaled by max(1, χ²/dof); no χ² p-value is given where each i was chosen from the data."
    )


def print_valence(v: ValenceSensitivity) -> None:
    """Assignments and dataset-level verdicts under each valence convention."""
    from rich.table import Table

    table = Table(title="The valence behind n: refits under one convention throughout")
    columns = ["convention", "changed", "RMS", "within 10 %"]
    has_lattice = "ln_bayes_factor" in v.summary.columns
    if has_lattice:
        columns += ["ln BF", "Kass–Raftery", "calibrated p"]
    for header in columns:
        table.add_column(header, justify="left" if header in ("convention", "changed") else "right")
    for row in v.summary.itertuples():
        cells: list[Any] = [
            str(row.convention),
            plain(", ".join(row.changed) or "none"),
            f"{row.rms_residual:.2%}",
            str(row.within_10pct),
        ]
        if has_lattice:
            cells += [_num(row.ln_bayes_factor, "+.2f"), str(row.verdict), _num(row.p_value, ".3g")]
        table.add_row(*cells)
    out_console.print(table)


def print_quantization(q: QuantizationTest) -> None:
    """The retired log-uniform RMS test, labelled as such."""
    _say(
        f"Superseded quantization test (kept for comparison; its size under smooth envelopes "
        f"runs from 0 to 0.28, docs/calibration.md — read the lattice test instead): "
        f"{q.policy!r} policy, {q.n_null} null tables, observed RMS {q.rms_observed:.2%}, "
        f"null median {q.null_median:.2%}, p = {q.p_value:.4g}."
    )
