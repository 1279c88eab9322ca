"""``tcfit report``: the validation report (HTML, PDF, figures, LaTeX table) for one data set."""

from __future__ import annotations

from pathlib import Path

import typer

from . import _options as opt
from ._app import QUIET, app, out_console, print_json, safe_text, tcfit_errors


@app.command()
@tcfit_errors
def report(
    data: str = typer.Argument(
        ..., help="A built-in dataset name (e.g. table1, elements) or a data file."
    ),
    output: str | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Report folder (created if missing). Default: ./tcfit-reports/<dataset-name>/.",
    ),
    formats: str = typer.Option(
        "html,pdf", "--format", help="Documents to write, comma-separated: html, pdf."
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
    compare: str | None = typer.Option(
        None, "--compare", help="A second source for the same materials (name or file)."
    ),
    title: str | None = typer.Option(None, "--title", help="Title of the report."),
    overwrite: bool = typer.Option(
        False,
        "--overwrite",
        help="Replace an earlier report in the folder (it is swapped whole; a folder holding "
        "other files is refused).",
    ),
    timestamp: bool = typer.Option(
        True,
        "--timestamp/--no-timestamp",
        help="Print the date in the report (SOURCE_DATE_EPOCH when set); "
        "--no-timestamp for byte-identical reruns.",
    ),
    json_output: bool = typer.Option(
        False, "--json", help="Print the written paths and the headline numbers as JSON."
    ),
) -> None:
    """Write a self-contained HTML report and a matching PDF on how well Eq. (5) fits DATA.

    Beside them: table.tex (booktabs, siunitx; table-standalone.tex compiles by itself with
    pdflatex), results.csv, results.parquet, summary.json and every figure as SVG and PNG. A
    progress bar runs on stderr.
    """
    from tcfit.reports import build

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
    )
    paths = build(
        opt.data_source(data, input_format),
        Path(output) if output is not None else None,
        options,
        formats=formats,
        title=title,
        compare=compare,
        timestamp=timestamp,
        progress=not (json_output or QUIET["on"]),
        overwrite=overwrite,
    )
    summary = paths.summary
    if json_output:
        print_json(
            {
                "files": {
                    "html": str(paths.html) if paths.html else None,
                    "pdf": str(paths.pdf) if paths.pdf else None,
                    "table_tex": str(paths.table_tex),
                    "table_standalone_tex": str(paths.table_standalone_tex),
                    "results_csv": str(paths.results_csv),
                    "results_parquet": str(paths.results_parquet),
                    "summary_json": str(paths.summary_json),
                    "figures": {
                        name: {kind: str(p) for kind, p in files.items()}
                        for name, files in paths.figures.items()
                    },
                },
                "summary": summary["summary"],
                "verdict": summary.get("verdict"),
                "lattice": summary.get("lattice"),
                "quantization_test": summary["quantization_test"],
            }
        )
        return
    s = summary["summary"]
    verdict = summary.get("verdict")
    out_console.print(
        f"{s['n_materials']} materials, RMS residual {s['rms_residual']:.2%}, "
        f"{s['within_10pct']} within 10 %"
        + (f"; verdict: {verdict['conclusion']}" if verdict else ""),
        soft_wrap=True,
    )
    if verdict:
        out_console.print(safe_text(verdict["headline"]), soft_wrap=True)
    for path in (
        paths.html,
        paths.pdf,
        paths.table_tex,
        paths.table_standalone_tex,
        paths.results_csv,
        paths.results_parquet,
        paths.summary_json,
    ):
        if path is not None:
            out_console.print(f"wrote {path}", soft_wrap=True)
    out_console.print(f"wrote {2 * len(paths.figures)} figure files in {paths.out_dir / 'figures'}")
