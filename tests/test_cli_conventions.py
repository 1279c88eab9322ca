"""CLI conventions: standard input, --quiet, schema_version in every JSON, completion, units."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tcfit
from tcfit.cli import app
from tcfit.cli._app import JSON_SCHEMA_VERSION

runner = CliRunner()
CSV = "material,Tc,Bc,n\nAl,1.19,0.0099,1.812e29\nSn,3.72,0.0303,1.482e29\nPb,7.2,0.0803,1.32e29\n"


@pytest.mark.parametrize(
    "args",
    [
        ["fit", "-", "--json"],
        ["fit", "-", "--json", "--input-format", "csv"],
        ["validate", "-", "--json"],
    ],
)
def test_standard_input_is_read_with_dash(args):
    result = runner.invoke(app, args, input=CSV)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    rows = payload.get("table") or payload.get("rows")
    assert [r["material"] for r in rows] == ["Al", "Sn", "Pb"]


def test_input_format_only_with_standard_input_and_must_be_known():
    bad = runner.invoke(app, ["fit", "-", "--input-format", "xls"], input=CSV)
    assert bad.exit_code == 2
    assert "The `input_format` parameter must be one of 'csv'" in bad.stderr
    misplaced = runner.invoke(app, ["fit", "table1", "--input-format", "csv"])
    assert misplaced.exit_code == 2
    assert "applies to standard input only" in misplaced.stderr


def test_check_reads_standard_input_too(tmp_path):
    baseline = tmp_path / "b.yml"
    created = runner.invoke(app, ["check", "-", "-b", str(baseline), "--update"], input=CSV)
    assert created.exit_code == 0, created.output
    assert runner.invoke(app, ["check", "-", "-b", str(baseline)], input=CSV).exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["fit", "table1", "--json"],
        ["datasets", "--json"],
        ["reproduce", "--json"],
        ["validate", "table1", "--json"],
        ["check", "table1", "--against-reference", "--json"],
    ],
)
def test_every_json_output_carries_a_schema_version(args):
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["schema_version"] == JSON_SCHEMA_VERSION


def test_quiet_silences_notes_and_progress_not_results(tmp_path):
    out = tmp_path / "fit.csv"
    loud = runner.invoke(app, ["fit", "table1", "-o", str(out)])
    assert "Wrote the per-material table" in loud.stderr
    quiet = runner.invoke(app, ["--quiet", "fit", "table1", "-o", str(tmp_path / "q.csv")])
    assert quiet.exit_code == 0
    assert quiet.stderr == ""
    assert "Al" in quiet.stdout


def test_shell_completion_is_available():
    # typer detects the shell from the parent processes (shellingham): run it from a bash, so
    # that the test does not depend on how pytest itself was started (`; exit $?` keeps bash
    # from replacing itself with the command).
    out = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m tcfit --show-completion; exit $?'],
        capture_output=True,
        text=True,
        env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "SHELL": "/bin/bash"},
    )
    assert out.returncode == 0, out.stderr
    assert "complete" in out.stdout


def test_fit_tables_carry_si_units_and_convert_to_pint_dtypes():
    result = tcfit.fit("elements")
    units = result.table.attrs["units"]
    assert (units["tc"], units["bc"], units["n"], units["tc_model"]) == ("K", "T", "m^-3", "K")
    assert units["tc_bcs"] == "K"
    assert units["i_implied"] == units["posterior_assigned"] == "1"
    typed = tcfit.with_units(result.table)
    assert str(typed["bc"].pint.units) == "tesla"
    assert typed["bc"].pint.to("mT").pint.magnitude.iloc[0] == pytest.approx(
        1e3 * result.table["bc"].iloc[0]
    )
    assert str(typed["i_implied"].pint.units) == "dimensionless"


def test_the_cli_prints_pdg_rounded_implied_i():
    result = runner.invoke(app, ["fit", "table1"])
    assert "2.98 ± 0.33" in result.stdout  # Al: 2.983 ± 0.325; PDG: digits 325 ≤ 354, two kept
