"""``tcfit datasets`` (list, show) and ``tcfit validate``: the loaders on the command line."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import typer

from . import _options as opt
from ._app import app, err_console, out_console, plain, print_json, safe_text, tcfit_errors

if TYPE_CHECKING:
    pass

datasets_app = typer.Typer(
    help="List the built-in datasets, or show one (`tcfit datasets show NAME`).",
    no_args_is_help=False,
)
app.add_typer(datasets_app, name="datasets")


@datasets_app.callback(invoke_without_command=True)
def datasets(
    ctx: typer.Context,
    json_output: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
) -> None:
    """List the built-in datasets with their row counts and sources."""
    if ctx.invoked_subcommand is not None:
        return
    _list_datasets(json_output)


@tcfit_errors
def _list_datasets(json_output: bool) -> None:
    from rich.table import Table

    from tcfit import datasets as ds

    entries = []
    for name in ds.names():
        df = ds.load(name)
        entries.append(
            {
                "name": name,
                "rows": len(df),
                "title": df.attrs.get("title", ""),
                "file": df.attrs.get("file"),
                "sha256": df.attrs.get("sha256"),
                "source": " ".join(str(df.attrs.get("source", "")).split()),
            }
        )
    if json_output:
        print_json({"datasets": entries})
        return
    table = Table(title="Built-in datasets (tcfit datasets show NAME)")
    for header in ("Name", "Rows", "Title", "Source"):
        table.add_column(header, justify="right" if header == "Rows" else "left")
    for entry in entries:
        source = entry["source"]
        short = source if len(source) <= 90 else source[:87] + "..."
        table.add_row(entry["name"], str(entry["rows"]), entry["title"], short)
    out_console.print(table)


@datasets_app.command("show")
@tcfit_errors
def show(
    name: str = typer.Argument(..., help="A built-in dataset name (see `tcfit datasets`)."),
    output_format: str = typer.Option(
        "csv", "--format", help="csv (SI columns) or json (rows and provenance)."
    ),
) -> None:
    """Print a built-in dataset in SI units, every row as loaded (nothing dropped)."""
    import sys

    from tcfit import datasets as ds
    from tcfit._json import jsonable, table_records
    from tcfit._validate import check_option

    check_option("format", output_format, ("csv", "json"))
    df = ds.load(name)
    if output_format == "json":
        print_json({"name": name, "provenance": jsonable(df.attrs), "rows": table_records(df)})
        return
    sys.stdout.write(df.to_csv(index=False, lineterminator="\n"))


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


@app.command()
@tcfit_errors
def validate(
    path: str = typer.Argument(..., help="A CSV, TSV, XLSX, JSON or Parquet file."),
    units: opt.Units = None,
    sheet: opt.Sheet = None,
    skip_invalid: opt.SkipInvalid = False,
    input_format: opt.InputFormat = None,
    encoding: opt.Encoding = None,
    require: str = typer.Option(
        "tc,bc,n", "--require", help="Columns every row must have (comma-separated; '' for none)."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
) -> None:
    """Read a measurement table, convert it to SI and list every problem (exit 2 if any)."""
    import warnings

    from tcfit import DataError, TcfitWarning, read

    needed = tuple(r.strip() for r in require.split(",") if r.strip())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TcfitWarning)
        try:
            df = read(
                opt.data_source(path, input_format),
                units=opt.parse_units(units),
                sheet=sheet,
                skip_invalid=skip_invalid,
                require=needed,
                encoding=encoding,
            )
        except DataError as err:  # the error list also goes to stderr (tcfit_errors, exit 2)
            if json_output:
                print_json(
                    {
                        "valid": False,
                        "file": err.file,
                        "errors": [
                            {"file": p.file, "row": p.row, "column": p.column, "message": p.message}
                            for p in err.problems
                        ],
                    }
                )
            raise
    messages = [str(w.message) for w in caught if issubclass(w.category, TcfitWarning)]
    if json_output:
        _validated_json(df, messages)
    else:
        _print_validated(df, messages)


def _validated_json(df: Any, messages: list[str]) -> None:
    """``validate --json`` for a valid table."""
    from tcfit._json import jsonable, table_records

    attrs = df.attrs
    print_json(
        {
            "valid": True,
            "file": attrs.get("file"),
            "sha256": attrs.get("sha256"),
            "format": attrs.get("format"),
            "rows": table_records(df),
            "units": attrs.get("units"),
            "units_as_given": attrs.get("units_as_given"),
            "units_from": attrs.get("units_from"),
            "dropped": jsonable(attrs.get("dropped", [])),
            "derived": jsonable(attrs.get("derived", {})),
            "warnings": messages,
        }
    )


def _print_validated(df: Any, messages: list[str]) -> None:
    """``validate`` for a valid table: warnings, drops, the SI table and notes."""
    from rich.markup import escape
    from rich.table import Table

    from tcfit.datasets import CANONICAL_ORDER, QUANTITY_COLUMNS

    attrs = df.attrs
    for message in messages:
        err_console.print(f"[bold yellow]Warning:[/] {escape(safe_text(message))}", markup=True)
    for drop in attrs.get("dropped", []):
        err_console.print(
            f"Dropped row {drop['row']} ({drop['material'] or 'no material'}): {drop['reason']}",
            markup=False,
            highlight=False,
        )
    shown = [c for c in CANONICAL_ORDER if c in df.columns]
    table = Table(title=plain(f"{attrs.get('file')}: {len(df)} valid row(s), in SI units"))
    units_si = attrs.get("units", {})
    for column in shown:
        unit = units_si.get(column)
        label = f"{column} [{unit}]" if unit and unit != "1" else column
        table.add_column(label, justify="right" if column in QUANTITY_COLUMNS else "left")
    for record in df[shown].astype(object).itertuples(index=False):
        table.add_row(*(plain(_cell(v)) for v in record))
    out_console.print(table)
    given = ", ".join(
        f"{c} in {u} ({attrs['units_from'].get(c, '')})"
        for c, u in attrs.get("units_as_given", {}).items()
    )
    out_console.print(f"Units as given: {given}.", markup=False, highlight=False)
    extras = [c for c in df.columns if c not in shown]
    if extras:
        out_console.print(
            f"Other columns kept as they are: {', '.join(extras)}.", markup=False, highlight=False
        )
    derived = attrs.get("derived", {}).get("n")
    if derived:
        out_console.print(
            f"n derived from the valence ({derived['formula']}) for "
            f"{', '.join(str(r['material']) for r in derived['rows'])}.",
            markup=False,
            highlight=False,
        )
