"""``tcfit predict``: Eq. (5) solved for the one unknown of Tc, Bc, n and i."""

from __future__ import annotations

from typing import Annotated

import typer

from ._app import app, out_console, print_json, tcfit_errors

_FORMS = "a number in SI or with a unit as in a table header"


@app.command()
@tcfit_errors
def predict(
    material: Annotated[
        str | None,
        typer.Argument(help="A material of the dataset (e.g. Al); it supplies Bc and n."),
    ] = None,
    tc: Annotated[
        str | None, typer.Option("--tc", help=f"Critical temperature: {_FORMS} (1.2K, 800mK).")
    ] = None,
    bc: Annotated[
        str | None,
        typer.Option("--bc", help=f"Critical field Bc(0): {_FORMS} (99G, 9.9mT, '99 ± 2 G')."),
    ] = None,
    n: Annotated[
        str | None,
        typer.Option("--n", help=f"Free-electron density: {_FORMS} (1.812e29m^-3, 1.8e23cm^-3)."),
    ] = None,
    i: Annotated[
        str | None, typer.Option("--i", help="Degree of freedom: a number or a fraction (1/4).")
    ] = None,
    solve: Annotated[
        str | None,
        typer.Option(
            "--solve", help="What to solve for (tc, bc, n or i) when the material supplies it."
        ),
    ] = None,
    dataset: Annotated[
        str, typer.Option("--dataset", help="The built-in dataset MATERIAL is looked up in.")
    ] = "table1",
    paper_prefactor: Annotated[
        bool,
        typer.Option(
            "--paper-prefactor", help="Use the paper's rounded 1.56e7 instead of CODATA's C."
        ),
    ] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON.")
    ] = False,
) -> None:
    """Give three of Tc, Bc, n and i (a material gives Bc and n) and get the fourth (Eq. 5).

    Examples: ``tcfit predict Al --i 1`` (2.055 K); ``tcfit predict --bc 99G --n 1.812e29m^-3
    --i 1/4``; ``tcfit predict Nb --tc 20 --i 1 --solve bc``.
    """
    from rich.table import Table

    from tcfit import PAPER_PREFACTOR, PREFACTOR
    from tcfit import predict as run
    from tcfit.formatting import i_text, pdg_text, sci

    prefactor = PAPER_PREFACTOR if paper_prefactor else PREFACTOR
    result = run(
        material, tc=tc, bc=bc, n=n, i=i, solve_for=solve, prefactor=prefactor, dataset=dataset
    )
    payload = result.to_dict()
    if json_output:
        print_json(payload)
        return
    out_console.print(f"[bold]{result}[/]", markup=True)
    table = Table()
    for header in ("input", "value (SI)", "from"):
        table.add_column(header, justify="right" if header == "value (SI)" else "left")
    for name, entry in payload["inputs"].items():
        value, error = entry["value"], entry["std_dev"]
        if error > 0:
            text = pdg_text(value, error)
        else:
            text = i_text(value) if name == "i" else f"{value:.6g}"
        table.add_row(name, f"{text} {entry['unit']}".rstrip(), entry["source"])
    out_console.print(table)
    out_console.print(f"Eq. (5) with C = {sci(prefactor, 7)} K m^½ T⁻¹")
