"""``tcfit check``: compare a fresh fit with a baseline file (and/or the data's own i)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from . import _options as opt
from ._app import app, note, out_console, plain, print_json, safe_text, tcfit_errors

if TYPE_CHECKING:
    import pandas as pd


def _num(value: float, digits: int = 6) -> str:
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if float(value).is_integer() and abs(value) < 1e6:
        return f"{int(value)}"
    return f"{value:.{digits}g}"


def _change_text(row: Any) -> str:
    if row.kind == "missing":
        return "missing from the data"
    if row.kind == "added":
        return "not in the baseline"
    if row.kind == "metadata" and row.field != "prefactor":
        return str(row.description)
    if row.field == "i_assigned":
        return f"{_num(row.old)} → {_num(row.new)}"
    return f"{row.change:+.3g} (allowed ±{row.allowed:.2g})"


def _differences_table(differences: pd.DataFrame, title: str) -> Any:
    from rich.table import Table

    reference = bool((differences["source"] == "reference").any())
    table = Table(title=plain(title))
    table.add_column("Material", justify="left")
    table.add_column("Field", justify="left")
    table.add_column("Old" if not reference else "Old / data's i", justify="right")
    table.add_column("New (fresh fit)", justify="right")
    table.add_column("Change", justify="left")
    if reference:
        table.add_column("implied i", justify="right")
        table.add_column("residual, data's i", justify="right")
        table.add_column("residual, assigned i", justify="right")
    for row in differences.itertuples(index=False):
        cells = [
            row.material or "(fit)",
            row.field,
            _num(float(row.old)),  # type: ignore[arg-type]
            _num(float(row.new)),  # type: ignore[arg-type]
            _change_text(row),
        ]
        if reference:
            cells += [
                _num(float(row.i_implied), 4),  # type: ignore[arg-type]
                "—" if row.source != "reference" else f"{row.residual_reference:+.2%}",
                "—" if row.source != "reference" else f"{row.residual_assigned:+.2%}",
            ]
        table.add_row(*(plain(c) for c in cells))
    return table


@app.command()
@tcfit_errors
def check(
    data: str = typer.Argument(
        ..., help="A built-in dataset name (e.g. table1) or a data file (CSV, TSV, XLSX, ...)."
    ),
    baseline_file: str | None = typer.Option(
        None,
        "--baseline",
        "-b",
        help="Baseline YAML file to compare with (written by --update).",
        metavar="FILE",
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
    rtol: float = typer.Option(
        1e-6, "--rtol", help="Relative tolerance of floats: |new - old| <= rtol·|old|."
    ),
    tol_sigma: float | None = typer.Option(
        None,
        "--tol-sigma",
        help="Instead of --rtol: flag implied i or residual moved by more than K·σ (propagated).",
        metavar="K",
    ),
    update: bool = typer.Option(
        False, "--update", help="Write or rewrite the baseline and say what changed."
    ),
    against_reference: bool = typer.Option(
        False,
        "--against-reference",
        help="Compare the assignment with the data's own i column (for table1: the paper's).",
    ),
    json_output: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
) -> None:
    """Fit DATA afresh and compare the i assignments with a baseline; exit 1 when any moved.

    Exit 0: everything matches (assigned i equal, floats within --rtol or --tol-sigma).
    Exit 1: differences, listed material by material. Exit 2: bad input.
    """
    from tcfit import Baseline, InputError
    from tcfit import check as run_check

    given = {
        "model": model,
        "policy": policy,
        "i_max": i_max,
        "seed": seed,
        "rel_err": rel_err,
        "units": units,
        "sheet": sheet,
        "skip_invalid": skip_invalid,
        "encoding": encoding,
    }
    baseline = None if baseline_file is None else Path(baseline_file)
    if update and baseline is None:
        raise InputError("--update needs --baseline FILE to write.", argument="baseline")
    if baseline is None and not against_reference:
        raise InputError(
            "Give --baseline FILE (to compare with, or to write with --update), "
            "--against-reference, or both.",
            argument="baseline",
        )
    if update and against_reference:
        raise InputError(
            "--update and --against-reference cannot be combined; run them one after the other.",
            argument="update",
        )
    # Every option not given on the command line comes from the baseline (all of them).
    recorded = Baseline.read(baseline) if baseline is not None and baseline.exists() else None
    options = opt.fit_options(None if recorded is None else recorded.options, **given)
    source = opt.data_source(data, input_format)
    if update:
        assert baseline is not None  # for mypy; checked above
        _update(
            source, baseline, recorded, options, rtol=rtol, tol_sigma=tol_sigma, as_json=json_output
        )
        return

    outcome = run_check(
        source,
        recorded if recorded is not None else baseline,
        options,
        rtol=rtol,
        tol_sigma=tol_sigma,
        against_reference=against_reference,
    )
    if json_output:
        print_json(outcome.to_dict())
    elif outcome.ok:
        out_console.print(outcome.describe(), markup=False, soft_wrap=True)
    else:
        out_console.print(_differences_table(outcome.differences, f"tcfit check {safe_text(data)}"))
        out_console.print(outcome.describe(details=False), markup=False, soft_wrap=True)
    if outcome.no_reference and not json_output:
        note("Note: no reference i in the data for " + ", ".join(outcome.no_reference) + ".")
    if not outcome.ok:
        raise typer.Exit(code=1)


def _update(
    data: Any,
    baseline: Path,
    recorded: Any,
    options: Any,
    *,
    rtol: float,
    tol_sigma: float | None,
    as_json: bool,
) -> None:
    """``--update``: write or rewrite the baseline and say what changed."""
    from tcfit import check as run_check
    from tcfit import fit, write_baseline

    previous = None
    if recorded is not None:
        previous = run_check(data, recorded, options, rtol=rtol, tol_sigma=tol_sigma)
        result = previous.result
    else:
        result = fit(data, options)
    write_baseline(result, baseline)
    n_materials = len(result.table)
    if as_json:
        print_json(
            {
                "updated": str(baseline),
                "created": previous is None,
                "n_materials": n_materials,
                "policy": result.summary.policy,
                "n_differences": 0 if previous is None else len(previous.differences),
                "differences": [] if previous is None else previous.to_dict()["differences"],
            }
        )
    elif previous is None:
        out_console.print(
            f"Created {baseline} with {n_materials} materials (policy {result.summary.policy!r}).",
            markup=False,
            soft_wrap=True,
        )
    elif previous.ok:
        out_console.print(
            f"Rewrote {baseline}: nothing changed ({n_materials} materials match).",
            markup=False,
            soft_wrap=True,
        )
    else:
        out_console.print(
            _differences_table(previous.differences, f"Changes in {safe_text(baseline)}")
        )
        out_console.print(
            f"Rewrote {baseline}: accepted {len(previous.differences)} difference(s) in "
            f"{len(previous.changed_materials)} material(s): "
            f"{', '.join(previous.changed_materials) or 'fit settings only'}.",
            markup=False,
            soft_wrap=True,
        )
