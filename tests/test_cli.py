"""The command-line interface, driven in-process with typer's CliRunner."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

import tcfit
from tcfit.cli import app

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"tcfit {tcfit.__version__}"


def test_help_lists_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "reproduce" in result.stdout


def test_reproduce_table():
    result = runner.invoke(app, ["reproduce"])
    assert result.exit_code == 0, result.output
    for label in ("Al", "Hg(α)", "Nb", "377.6", "1.589 × 10^24"):
        assert label in result.stdout
    assert "+1.52%" in result.stdout  # W, recomputed 0.01218 K vs printed 0.012 K


def test_reproduce_json_lists_21_rows_with_printed_and_recomputed():
    result = runner.invoke(app, ["reproduce", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert len(payload["rows"]) == 21
    al = payload["rows"][0]
    assert al["material"] == "Al"
    assert al["tc_printed"] == 1.19
    assert round(al["tc_recomputed"], 4) == 1.1866
    assert payload["prefactor"] == tcfit.PREFACTOR


def test_reproduce_with_paper_prefactor():
    result = runner.invoke(app, ["reproduce", "--json", "--paper-prefactor"])
    payload = json.loads(result.stdout)
    assert payload["prefactor"] == 1.56e7
    assert round(payload["rows"][0]["tc_recomputed"], 4) == 1.1853


def test_cli_import_is_light():
    """`tcfit --help` must not import pandas, pint, lmfit, matplotlib or weasyprint."""
    code = (
        "import sys, tcfit.cli; "
        "heavy = [m for m in ('pandas', 'pint', 'lmfit', 'matplotlib', 'weasyprint', 'seaborn') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_console_script_runs_as_a_subprocess():
    out = subprocess.run(
        [sys.executable, "-m", "tcfit", "--version"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"tcfit {tcfit.__version__}"


def test_error_boundary_prints_the_message_verbatim_and_exits_2():
    """A TcfitError becomes `Error: ...` on stderr, exit 2; brackets are text, not rich markup."""
    import typer

    from tcfit.cli._app import tcfit_errors

    demo = typer.Typer()

    @demo.command()
    @tcfit_errors
    def broken() -> None:
        raise tcfit.DataError("data.csv, row 4, column 'Bc [mT]': -3 is not positive.")

    result = runner.invoke(demo, [])
    assert result.exit_code == 2
    assert "Error: data.csv, row 4, column 'Bc [mT]': -3 is not positive." in result.stderr
    assert "Traceback" not in result.output
