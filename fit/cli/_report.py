"""``tcfit report``: the validation report (HTML, PDF, figures, LaTeX table) for one data set."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import app, out_console, print_json, tcfit_errors


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
    policy: str = typer.Option(
        "integer", "--policy", help="Allowed values of i: integer, paper, half or rational."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the Monte Carlo draws and the null."),
    compare: str | None = typer.Option(
        None, "--compare", help="A second source for the same materials (name or file)."
    ),
    title: str | None = typer.Option(None, "--title", help="Title of the report."),
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

    Beside them: table.tex (booktabs), results.csv, summary.json and every figure as SVG and
    PNG. A progress bar runs on stderr.
    """
    import json

    from tcfit.reports import build

    paths = build(
        data,
        Path(output) if output is not None else None,
        formats=formats,
        title=title,
        seed=seed,
        policy=policy,
        compare=compare,
        timestamp=timestamp,
        progress=not json_output,
    )
    summary = json.loads(paths.summary_json.read_text(encoding="utf-8"))
    if json_output:
        print_json(
            {
                "files": {
                    "html": str(paths.html) if paths.html else None,
                    "pdf": str(paths.pdf) if paths.pdf else None,
                    "table_tex": str(paths.table_tex),
                    "results_csv": str(paths.results_csv),
                    "summary_json": str(paths.summary_json),
                    "figures": {
                        name: {kind: str(p) for kind, p in files.items()}
                        for name, files in paths.figures.items()
                    },
                },
                "summary": summary["summary"],
                "quantization_test": summary["quantization_test"],
            }
        )
        return
    s = summary["summary"]
    q = summary["quantization_test"]
    out_console.print(
        f"{s['n_materials']} materials, RMS residual {s['rms_residual']:.2%}, "
        f"{s['within_10pct']} within 10 %, quantization-test p = {q['p_value']:.3g}"
    )
    for path in (paths.html, paths.pdf, paths.table_tex, paths.results_csv, paths.summary_json):
        if path is not None:
            out_console.print(f"wrote {path}", soft_wrap=True)
    out_console.print(f"wrote {2 * len(paths.figures)} figure files in {paths.out_dir / 'figures'}")
