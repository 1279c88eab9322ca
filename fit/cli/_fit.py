"""``tcfit fit``: infer and assign i per material; optionally the global fits and the
quantization test."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from . import _options as opt
from ._app import app, err_console, out_console, print_json, tcfit_errors

if TYPE_CHECKING:
    from tcfit import FitResult, GlobalFit, QuantizationTest


def _num(value: Any, spec: str = ".4g") -> str:
    if value is None:
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "—"
    if math.isnan(number):
        return "—"
    return format(number, spec)


def _i_text(value: Any) -> str:
    from tcfit.formatting import i_text

    return i_text(value, missing="—")


@app.command("fit")
@tcfit_errors
def fit_command(
    data: str = typer.Argument(
        ..., help="A built-in dataset name (table1, elements, ...) or a data file."
    ),
    model: opt.Model = None,
    policy: opt.PolicyOption = None,
    i_max: opt.IMax = None,
    seed: opt.Seed = None,
    rel_err: opt.RelErr = None,
    units: opt.Units = None,
    sheet: opt.Sheet = None,
    skip_invalid: opt.SkipInvalid = False,
    global_fit: bool = typer.Option(
        False, "--global", help="Also fit the prefactor, the exponents and one common i."
    ),
    quantization: bool = typer.Option(
        False, "--quantization", help="Also run the quantization test (what a free i buys)."
    ),
    n_null: int = typer.Option(10000, "--n-null", help="Null tables for --quantization."),
    json_output: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    output: str | None = typer.Option(
        None, "--output", "-o", help="Write the per-material table to this CSV file."
    ),
) -> None:
    """Infer each material's i from Eq. (5), assign it under a policy, and score the agreement."""
    import tcfit

    options = opt.fit_options(
        model=model,
        policy=policy,
        i_max=i_max,
        seed=seed,
        rel_err=rel_err,
        units=units,
        sheet=sheet,
        skip_invalid=skip_invalid,
    )
    with err_console.status(f"Fitting {data}…"):
        result = tcfit.fit(data, options)
    glob = tcfit.fit_global(result) if global_fit else None
    quant = None
    if quantization:
        with err_console.status(f"Quantization test: {n_null} null tables…"):
            quant = tcfit.quantization_test(result, n_null=n_null, seed=options.seed)

    if output is not None:
        from tcfit._io import atomic_path

        with atomic_path(Path(output)) as tmp:
            result.table.to_csv(tmp, index=False)
        err_console.print(f"Wrote the per-material table to {output}.", markup=False)

    if json_output:
        payload = result.to_dict()
        if glob is not None:
            payload["global"] = glob.to_dict()
        if quant is not None:
            payload["quantization"] = quant.to_dict()
        print_json(payload)
        return

    _print_fit(result)
    if glob is not None:
        _print_global(glob)
    if quant is not None:
        _print_quantization(quant)


def _print_fit(result: FitResult) -> None:
    out_console.print(_fit_table(result))
    for line in _fit_notes(result):
        out_console.print(line, markup=False)


def _fit_table(result: FitResult) -> Any:
    """The per-material rich table."""
    import pandas as pd
    from rich.table import Table

    t = result.table
    s = result.summary
    has_ref = "i_reference" in t.columns
    has_bcs = "tc_bcs" in t.columns
    name = result.data.attrs.get("name", "data")
    table = Table(title=f"{name}: i per material under the {s['policy']!r} policy (Eq. 5)")
    headers = ["Material", "i implied", "±1σ", "i"]
    if has_ref:
        headers.append("i data")
    headers += ["Tc (K)", "Tc model", "residual", "z", "next i", "resid. next", "P(i)"]
    if has_bcs:
        headers += ["Tc BCS", "resid. BCS", "i BCS"]
    for header in headers:
        table.add_column(header, justify="left" if header == "Material" else "right", no_wrap=True)
    for row in t.itertuples(index=False):
        cells = [
            str(row.material),
            f"{row.i_implied:.3f}",
            f"{row.i_implied_err:.3f}",
            _i_text(row.i_assigned),
        ]
        if has_ref:
            disagrees = row.agrees is not pd.NA and not bool(row.agrees)
            cells.append(_i_text(row.i_reference) + (" ≠" if disagrees else ""))
        cells += [
            _num(row.tc),
            _num(row.tc_model),
            f"{row.residual:+.2%}",
            f"{row.z:+.2f}",
            _i_text(row.i_runner_up),
            "—" if math.isnan(row.residual_runner_up) else f"{row.residual_runner_up:+.2%}",
            "—" if math.isnan(row.posterior_assigned) else f"{row.posterior_assigned:.2f}",
        ]
        if has_bcs:
            cells += [
                _num(row.tc_bcs),
                "—" if math.isnan(row.residual_bcs) else f"{row.residual_bcs:+.1%}",
                _num(row.i_bcs, ".3f"),
            ]
        table.add_row(*cells)
    table.caption = (
        "i: assigned (log-nearest allowed value); next i: runner-up; P(i): posterior probability "
        "that i is the assigned value under the lattice model (--json and -o add p_stable, the "
        "probability that a re-measurement keeps it — not a probability of being right); "
        "residual = (Tc model − Tc)/Tc; z in units of σ(ln Tc)"
        + ("; Tc BCS: weak-coupling BCS from Bc(0) and γ" if has_bcs else "")
        + "."
    )
    return table


def _fit_notes(result: FitResult) -> list[str]:
    """The lines under the table: policy, uncertainties, residuals, χ², warnings."""
    t = result.table
    s = result.summary
    lines = [
        f"Policy: {result.policy.describe()}; ties go to the smaller i.",
        f"Uncertainties: {s['uncertainties']}"
        + (
            f" (default relative 1σ: Tc {s['rel_err']['tc']:.0%}, Bc {s['rel_err']['bc']:.0%}, "
            f"n {s['rel_err']['n']:.0%})"
            if s["uncertainties"] != "measured"
            else ""
        )
        + ".",
        f"Residuals: RMS {s['rms_residual']:.2%}, max |residual| {s['max_abs_residual']:.2%}; "
        f"within 1 % / 5 % / 10 %: {s['within_1pct']} / {s['within_5pct']} / "
        f"{s['within_10pct']} of {s['n_materials']}.",
        f"χ² = {s['chi_square']:.3f} for {s['dof']} materials (χ²/n = "
        f"{s['reduced_chi_square']:.3f}); the per-material choice of i is not subtracted — "
        "see --quantization for what it buys.",
    ]
    if "n_reference" in s:
        lines.append(
            f"Agreement with the data's own i: {s['n_agrees']} of {s['n_reference']}"
            + (" (≠ marks a disagreement)." if s["n_agrees"] < s["n_reference"] else ".")
        )
    if s["n_outside_grid"]:
        outside = t[t["outside_grid"]]
        lines.append(
            "Outside the allowed values (the end value was assigned; read residual and p(i) with "
            "care): "
            + ", ".join(f"{r.material} (implied {r.i_implied:.3g})" for r in outside.itertuples())
            + "."
        )
    if s.get("n_bcs"):
        lines.append(
            f"BCS weak-coupling Tc (no free parameter) for {s['n_bcs']} materials: RMS residual "
            f"{s['rms_residual_bcs']:.1%}."
        )
    dropped = result.data.attrs.get("dropped") or []
    if dropped:
        lines.append(
            f"Dropped {len(dropped)} invalid row(s) (--skip-invalid): "
            + "; ".join(
                f"row {d.get('row')} {d.get('material')!s}: {d.get('reason')}" for d in dropped
            )
        )
    return lines


def _print_global(glob: GlobalFit) -> None:
    from rich.table import Table

    params = Table(
        title=f"Global fits of Eq. (5) in log space (i = {glob.i_source}, mode = {glob.mode})"
    )
    for header in ("Fit", "Parameter", "value", "std err", "95 % interval", "Eq. (5)", "inside"):
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
                "—" if est.reference_inside is None else ("yes" if est.reference_inside else "NO"),
            )
    out_console.print(params)
    stats = Table(title="Goodness of fit (k counts one parameter per assigned i)")
    for header in ("Fit", "χ²", "dof", "χ²/dof", "p", "AIC", "BIC", "k", "model"):
        stats.add_column(header, justify="left" if header in ("Fit", "model") else "right")
    for part in glob.parts.values():
        stats.add_row(
            part.name,
            _num(part.chi_square, ".4g"),
            str(part.dof),
            _num(part.reduced_chi_square, ".3g"),
            _num(part.p_value, ".3g"),
            _num(part.aic, ".4g"),
            _num(part.bic, ".4g"),
            str(part.n_parameters),
            part.description,
        )
    out_console.print(stats)
    note = (
        "Mode 'scaled': no measured uncertainties, so the covariance is rescaled by χ²/dof and "
        "χ²'s p-value rests on the assumed default uncertainties."
        if glob.mode == "scaled"
        else "Mode 'absolute': measured uncertainties taken at face value (scale_covar=False)."
    )
    out_console.print(note)
    if glob.i_source == "assigned":
        out_console.print(
            "The i values were assigned with the CODATA prefactor, so the prefactor and exponent "
            "fits are conditional on that choice."
        )


def _print_quantization(q: QuantizationTest) -> None:
    out_console.print(
        f"Quantization test ({q.policy!r} policy, {q.n_null} null tables, seed {q.seed}, implied "
        f"i log-uniform on [{q.i_low:.3g}, {q.i_high:.3g}]): observed RMS {q.rms_observed:.2%}, "
        f"null median {q.null_median:.2%} (5–95 %: {q.null_low:.2%}–{q.null_high:.2%}), "
        f"p = P(RMS_null ≤ RMS_obs) = {q.p_value:.4g}"
        + (f" (< {1 / q.n_null:.0e})" if q.p_value == 0 else "")
        + "."
    )
