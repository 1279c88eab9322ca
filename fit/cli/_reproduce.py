"""``tcfit reproduce``: the paper's Table-1 beside its recomputation."""

from __future__ import annotations

import typer

from ._app import app, out_console, print_json, tcfit_errors


@app.command()
@tcfit_errors
def reproduce(
    json_output: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    paper_prefactor: bool = typer.Option(
        False,
        "--paper-prefactor",
        help="Recompute with the paper's rounded 1.56e7 instead of the CODATA prefactor.",
    ),
) -> None:
    """Recompute every theoretical Tc of the paper's Table-1 and show the deviation per row."""
    from rich.table import Table

    from tcfit import PAPER_PREFACTOR, PREFACTOR, reproduce_table1

    prefactor = PAPER_PREFACTOR if paper_prefactor else PREFACTOR
    rep = reproduce_table1(prefactor=prefactor)
    if json_output:
        print_json(rep.to_dict())
        return

    table = Table(
        title=f"Table-1 recomputed with Eq. (5), prefactor {prefactor:.6g} K m^½/T",
        caption="* differs from the printed value by more than the printed rounding",
    )
    for header in (
        "No",
        "Metal",
        "i",
        "n (1e29/m³)",
        "Bc (1e-4 T)",
        "Tc printed (K)",
        "Tc recomputed (K)",
        "deviation",
        "Tc measured (K)",
    ):
        table.add_column(header, justify="left" if header == "Metal" else "right")
    for row in rep.table.itertuples(index=False):
        flag = " *" if row.beyond_rounding else ""
        table.add_row(
            str(row.no),
            row.label,
            f"{row.i:g}",
            f"{row.n / 1e29:.4g}",
            f"{row.bc * 1e4:.4g}",
            row.tc_printed_text,
            f"{row.tc_recomputed:.4g}",
            f"{row.deviation:+.2%}{flag}",
            f"{row.tc:g}",
        )
    out_console.print(table)

    alt = Table(title="Alternative-i values printed beside Table-1")
    for header in ("Metal", "i", "Tc printed (K)", "Tc recomputed (K)", "deviation"):
        alt.add_column(header, justify="left" if header == "Metal" else "right")
    for row in rep.alternatives.itertuples(index=False):
        flag = " *" if row.beyond_rounding else ""
        alt.add_row(
            row.material,
            row.i_printed,
            row.tc_printed_text,
            f"{row.tc_recomputed:.5g}",
            f"{row.deviation:+.2%}{flag}",
        )
    out_console.print(alt)

    worked = Table(title="Al worked example (Tc = 1.19 K, n = 1.812e29 m⁻³)")
    for header in ("Quantity", "printed", "recomputed (SI)", "deviation"):
        worked.add_column(header, justify="left" if header == "Quantity" else "right")
    for row in rep.worked_example.itertuples(index=False):
        flag = " *" if row.beyond_rounding else ""
        worked.add_row(
            row.quantity,
            row.printed_text,
            f"{row.recomputed:.4e} {row.unit}",
            f"{row.deviation:+.2%}{flag}",
        )
    out_console.print(worked)
