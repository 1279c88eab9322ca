"""``tcfit fit``: infer and assign i per material; optionally the verdict with the lattice test
(``--lattice``), the profiles and the conditional global fits (``--global``), the valence
systematic (``--valence``) and the retired quantization test (``--quantization``)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import typer

from . import _options as opt
from ._app import app, note, out_console, plain, print_json, safe_text, status, tcfit_errors

if TYPE_CHECKING:
    from tcfit import FitResult


#: Above this many materials ``tcfit fit`` prints the summary and the :data:`WORST` worst ones
#: (``--all`` prints every one; ``-o`` writes every one).
LONG_TABLE = 50
#: How many of the worst-fitting materials a long table shows.
WORST = 10
#: A Parquet or CSV file above this size (or a directory) is fitted in chunks.
STREAM_BYTES = 64 * 2**20


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
    input_format: opt.InputFormat = None,
    encoding: opt.Encoding = None,
    series_law: opt.SeriesLaw = None,
    valences: opt.Valences = None,
    lattice: bool = typer.Option(
        False,
        "--lattice",
        help="The verdict: integer against continuous i (Bayes factor, calibrated p, error "
        "scale, leave-one-out), the counts beside what the grid guarantees.",
    ),
    global_fit: bool = typer.Option(
        False,
        "--global",
        help="Profiles of the exponents and prefactor with every i re-assigned; then the fits "
        "with i held fixed (conditional, not a test).",
    ),
    valence: bool = typer.Option(
        False, "--valence", help="Refit with n under each valence convention."
    ),
    quantization: bool = typer.Option(
        False, "--quantization", help="The retired log-uniform RMS test (superseded by --lattice)."
    ),
    n_null: int = typer.Option(10000, "--n-null", help="Null tables for --quantization."),
    json_output: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    output: str | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Write the per-material table to this file: .parquet, .json (the --json form) or "
        "CSV (any other name).",
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing --output file."),
    all_rows: bool = typer.Option(
        False,
        "--all",
        help=f"Print every material; above {LONG_TABLE} materials only the summary and the "
        f"{WORST} worst (largest |residual|) are printed.",
    ),
    chunk_rows: int | None = typer.Option(
        None,
        "--chunk-rows",
        help="Fit in chunks of this many rows, in bounded memory (automatic for a directory of "
        f"Parquet files and for a Parquet or CSV file above {STREAM_BYTES // 2**20} MiB); the "
        "numbers are those of the whole table.",
        min=1,
    ),
) -> None:
    """Infer each material's i from Eq. (5), assign it under a policy, and score the agreement."""
    import tcfit

    if output is not None:
        opt.output_path(output, data, overwrite=overwrite)  # refuse before any work
    options = opt.fit_options(
        model=model,
        policy=policy,
        i_max=i_max,
        seed=seed,
        rel_err=rel_err,
        units=units,
        sheet=sheet,
        skip_invalid=skip_invalid,
        encoding=encoding,
        series_law=series_law,
        valences=valences,
    )
    if input_format is None and _streams(data, chunk_rows):
        _no_extras(lattice=lattice, global_fit=global_fit, valence=valence, q=quantization)
        if output is not None:
            opt.output_path(output, data, overwrite=overwrite)
        with status(f"Fitting {data} in chunks…"):
            streamed = tcfit.fit_stream(data, output, options, chunk_rows=chunk_rows, worst=WORST)
        if output is not None:
            note(f"Wrote the per-material table to {output}.")
        if json_output:
            print_json(streamed.to_dict())
            return
        _print_streamed(streamed)
        return
    with status(f"Fitting {data}…"):
        result = tcfit.fit(opt.data_source(data, input_format), options)
    extras = _extras(result, lattice=lattice, global_fit=global_fit, valence=valence)
    if quantization:
        with status(f"Quantization test: {n_null} null tables…"):
            extras["quantization"] = tcfit.quantization_test(
                result, n_null=n_null, seed=options.seed
            )
    if output is not None:
        from tcfit.streaming import write_result

        write_result(result, opt.output_path(output, data, overwrite=overwrite))
        note(f"Wrote the per-material table to {output}.")
    if json_output:
        payload = result.to_dict()
        payload.update({key: _to_json(value) for key, value in extras.items()})
        print_json(payload)
        return
    _print_fit(result, all_rows=all_rows)
    _print_extras(extras)


def _streams(data: str, chunk_rows: int | None) -> bool:
    """Whether ``data`` is fitted in chunks: asked for, a directory, or a big Parquet/CSV file."""
    from pathlib import Path

    path = Path(data)
    if data == "-" or not path.exists():
        return False
    if path.is_dir() or chunk_rows is not None:
        return True
    big = path.is_file() and path.stat().st_size > STREAM_BYTES
    return big and path.suffix.lower() in (".parquet", ".pq", ".csv", ".tsv", ".txt")


def _no_extras(*, lattice: bool, global_fit: bool, valence: bool, q: bool) -> None:
    from tcfit.errors import InputError

    asked = [n for n, on in (("--lattice", lattice), ("--global", global_fit),
                             ("--valence", valence), ("--quantization", q)) if on]  # fmt: skip
    if asked:
        raise InputError(
            f"{', '.join(asked)} need the whole table in memory; they are not available when "
            "the table is fitted in chunks (a directory, a file above "
            f"{STREAM_BYTES // 2**20} MiB or --chunk-rows).",
            argument=asked[0].lstrip("-"),
        )


def _print_streamed(streamed: Any) -> None:
    s = streamed.summary
    name = streamed.provenance.get("name", "data")
    out_console.print(
        _rows_table(streamed.worst, s, name, streamed.options.get_policy(), s.n_materials)
    )
    policy = streamed.options.get_policy()
    for line in _notes(streamed.worst, s, policy, streamed.provenance.get("dropped") or [], True):
        out_console.print(line, markup=False)
    out_console.print(
        f"Fitted in {streamed.chunks} chunks"
        + (f"; every material is in {streamed.output}." if streamed.output else "."),
        markup=False,
    )


def _extras(result: FitResult, *, lattice: bool, global_fit: bool, valence: bool) -> dict[str, Any]:
    """The dataset-level results asked for, computed from the one fit."""
    import tcfit
    from tcfit.analysis import analyse

    extras: dict[str, Any] = {}
    if lattice:
        with status("Lattice test and its calibration bootstrap…"):
            analysis = analyse(result, n_null=1)
        extras["verdict"] = analysis.verdict
        if analysis.lattice is not None:
            extras["lattice"] = analysis.lattice
    if global_fit:
        from tcfit.profiles import PARAMETERS

        with status("Profiles with every i re-assigned…"):
            extras["profiles"] = {p: tcfit.profile(result, p) for p in PARAMETERS}
        try:
            extras["global"] = tcfit.fit_global(result)
        except tcfit.FitError as err:
            note(f"No conditional global fits: {err}")
    if valence:
        with status("Refitting under each valence convention…"):
            extras["valence"] = tcfit.valence_sensitivity(result, lattice=True)
    return extras


def _to_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: v.to_dict() for k, v in value.items()}
    return value.to_dict()


def _print_extras(extras: dict[str, Any]) -> None:
    from . import _results as show

    if "verdict" in extras:
        show.print_verdict(extras["verdict"])
    if "lattice" in extras:
        show.print_lattice(extras["lattice"])
    if "profiles" in extras:
        show.print_profiles(extras["profiles"])
    if "global" in extras:
        show.print_global(extras["global"])
    if "valence" in extras:
        show.print_valence(extras["valence"])
    if "quantization" in extras:
        show.print_quantization(extras["quantization"])


def _print_fit(result: FitResult, *, all_rows: bool = False) -> None:
    t = result.table
    long = len(t) > LONG_TABLE and not all_rows
    shown = _worst_rows(t) if long else t
    name = result.data.attrs.get("name", "data")
    out_console.print(_rows_table(shown, result.summary, name, result.policy, len(t)))
    dropped = result.data.attrs.get("dropped") or []
    for line in _notes(t, result.summary, result.policy, dropped, long):
        out_console.print(line, markup=False)


def _worst_rows(table: Any) -> Any:
    """The :data:`WORST` rows with the largest |residual| (ties: the earlier row), worst first."""
    import numpy as np

    order = np.argsort(-np.abs(table["residual"].to_numpy(dtype=float)), kind="stable")
    return table.iloc[order[:WORST]]


def _rows_table(t: Any, s: Any, name: str, policy: Any, total: int) -> Any:
    """The per-material rich table (of every material, or of the worst of ``total``)."""
    import pandas as pd
    from rich.markup import escape
    from rich.table import Table

    from tcfit.formatting import pdg_text

    has_ref = "i_reference" in t.columns
    has_bcs = "tc_bcs" in t.columns
    title = f"{safe_text(name)}: i per material under the {s['policy']!r} policy (Eq. 5)"
    if len(t) < total:
        title += (
            f" — the {len(t)} worst of {total:,} (largest |residual|; --all prints every one, "
            "-o writes every one)"
        )
    table = Table(title=escape(title))
    headers = ["Material", "i implied ± 1σ", "i"]
    if has_ref:
        headers.append("i data")
    headers += ["Tc (K)", "Tc model", "residual", "z", "next i", "resid. next", "P(i)"]
    if has_bcs:
        headers += ["Tc BCS", "resid. BCS", "i BCS"]
    for header in headers:
        table.add_column(header, justify="left" if header == "Material" else "right", no_wrap=True)
    for row in t.itertuples(index=False):
        cells: list[Any] = [
            plain(row.material),
            pdg_text(row.i_implied, row.i_implied_err),
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


def _listed(items: list[str], long: bool) -> str:
    """Items joined; for a long table the first :data:`WORST` and how many more."""
    if long and len(items) > WORST:
        return "; ".join(items[:WORST]) + f"; and {len(items) - WORST:,} more (see -o)"
    return "; ".join(items)


def _notes(t: Any, s: Any, policy: Any, dropped: list[Any], long: bool) -> list[str]:
    """The lines under the table: policy, uncertainties, residuals, χ², warnings."""
    lines = [
        f"Policy: {policy.describe()}; ties go to the smaller i.",
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
        "see --lattice for what a free i per material buys.",
    ]
    if "n_reference" in s:
        lines.append(
            f"Agreement with the data's own i: {s['n_agrees']} of {s['n_reference']}"
            + (" (≠ marks a disagreement)." if s["n_agrees"] < s["n_reference"] else ".")
        )
    if s["n_outside_grid"]:
        outside = t[t["outside_grid"]]
        named = [
            f"{r.material} (implied {r.i_implied:.3g})"
            for r in outside.head(WORST if long else len(outside)).itertuples()
        ]
        extra = s["n_outside_grid"] - len(named)
        lines.append(
            "Outside the allowed values (the end value was assigned; read residual and p(i) with "
            "care): "
            + ", ".join(named)
            + (f" and {extra:,} more (see -o)" if extra > 0 else "")
            + "."
        )
    if s.get("n_bcs"):
        lines.append(
            f"BCS weak-coupling Tc (no free parameter) for {s['n_bcs']} materials: RMS residual "
            f"{s['rms_residual_bcs']:.1%}; Eq. (5) at BCS's i (from γ, no use of Tc) rounded to "
            f"the allowed values: {s['rms_residual_predicted_bcs']:.1%}; the fitted i: "
            f"{s['rms_residual_fitted_bcs']:.1%} (weak coupling is expected to miss "
            "strong-coupling metals such as Pb and Hg)."
        )
    if dropped:
        lines.append(
            f"Dropped {len(dropped)} invalid row(s) (--skip-invalid): "
            + _listed(
                [f"row {d.get('row')} {d.get('material')!s}: {d.get('reason')}" for d in dropped],
                long,
            )
        )
    return lines
