"""``tcfit datasets`` and ``tcfit validate`` (fit/cli/_datasets.py), in-process and as a process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tcfit
from tcfit.cli import app

runner = CliRunner()

GOOD = "metal,Tc [K],Bc [mT],n (cm^-3)\nAl,1.175,10.3,1.81e23\nSn,3.72,30.55,1.48e23\n"
# The negative Bc sits on the 4th line of the file (header = line 1).
BAD = GOOD + "Pb,7.196,-80.3,1.32e23\n"


@pytest.fixture
def good_csv(tmp_path: Path) -> Path:
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.fixture
def bad_csv(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    return path


def test_datasets_lists_table1_and_elements_with_row_counts():
    result = runner.invoke(app, ["datasets"])
    assert result.exit_code == 0, result.output
    for name in ("table1", "elements", "elements_all"):
        assert name in result.stdout
    assert "21" in result.stdout
    assert "13" in result.stdout
    assert "31" in result.stdout


def test_datasets_json():
    result = runner.invoke(app, ["datasets", "--json"])
    assert result.exit_code == 0, result.output
    rows = {d["name"]: d for d in json.loads(result.stdout)["datasets"]}
    assert (rows["table1"]["rows"], rows["elements"]["rows"], rows["elements_all"]["rows"]) == (
        21,
        13,
        31,
    )
    assert rows["elements"]["file"] == "elements.csv"
    assert len(rows["elements"]["sha256"]) == 64
    assert "elements_reference.csv" in rows["elements"]["source"]


def test_show_csv_round_trips_through_the_reader():
    result = runner.invoke(app, ["datasets", "show", "elements"])
    assert result.exit_code == 0, result.output
    again = tcfit.read(io.StringIO(result.stdout))
    loaded = tcfit.datasets.load("elements")
    for column in ("tc", "bc", "n", "gamma", "density", "molar_mass", "valence"):
        assert again[column].equals(loaded[column]), column
    assert again.material.tolist() == loaded.material.tolist()


def test_show_json_has_rows_and_provenance():
    result = runner.invoke(app, ["datasets", "show", "elements_all", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert len(payload["rows"]) == 31
    assert payload["provenance"]["units_as_given"]["bc"] == "G"
    be = payload["rows"][1]
    assert be["material"] == "Be"
    assert be["bc"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["datasets", "show", "nope"], "There is no built-in dataset named 'nope'"),
        (
            ["datasets", "show", "table1", "--format", "xml"],
            "The `format` parameter must be one of 'csv' or 'json'; not 'xml'.",
        ),
    ],
)
def test_show_bad_input_exits_2(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_validate_prints_si_values(good_csv):
    result = runner.invoke(app, ["validate", str(good_csv)])
    assert result.exit_code == 0, result.output
    for text in ("0.0103", "0.03055", "1.81e+29", "1.48e+29", "bc [T]", "2 valid row(s)"):
        assert text in result.stdout
    assert "bc in mT (header)" in result.stdout
    assert "n in cm^-3 (header)" in result.stdout


def test_validate_negative_bc_on_line_4_exits_2_naming_line_and_column(bad_csv):
    result = runner.invoke(app, ["validate", str(bad_csv)])
    assert result.exit_code == 2
    assert (
        f"Error: {bad_csv}, row 4, column 'Bc [mT]': Bc [mT] of 'Pb' must be positive; "
        "the table has '-80.3'." in " ".join(result.stderr.split())
    )
    assert "Traceback" not in result.output


def test_validate_json(good_csv, bad_csv):
    ok = runner.invoke(app, ["validate", str(good_csv), "--json"])
    assert ok.exit_code == 0, ok.output
    payload = json.loads(ok.stdout)
    assert payload["valid"] is True
    assert payload["rows"][0]["bc"] == 0.0103
    assert payload["units_as_given"]["n"] == "cm^-3"
    bad = runner.invoke(app, ["validate", str(bad_csv), "--json"])
    assert bad.exit_code == 2
    errors = json.loads(bad.stdout)["errors"]
    assert errors == [
        {
            "file": str(bad_csv),
            "row": 4,
            "column": "Bc [mT]",
            "message": "Bc [mT] of 'Pb' must be positive; the table has '-80.3'.",
        }
    ]


def test_validate_units_option(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("metal,Tc,Hc,n\nAl,1175,103,1.81e23\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--units", "tc=mK,bc=G,n=cm^-3", "--json"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["rows"][0]
    assert (row["tc"], row["bc"], row["n"]) == (1.175, 0.0103, 1.81e29)


@pytest.mark.parametrize("units", ["bc", "bc=G,=K", "bc=G,n"])
def test_validate_malformed_units_option_exits_2(good_csv, units):
    result = runner.invoke(app, ["validate", str(good_csv), "--units", units])
    assert result.exit_code == 2
    assert "COLUMN=UNIT" in result.output


def test_validate_skip_invalid_lists_dropped_rows(bad_csv):
    result = runner.invoke(app, ["validate", str(bad_csv), "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert "Dropped row 4 (Pb)" in result.stderr
    assert "2 valid row(s)" in result.stdout


def test_validate_prints_unit_warnings(tmp_path):
    path = tmp_path / "gauss.csv"
    path.write_text("metal,Tc,Bc,n\nAl,1.175,103,1.81e29\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "Warning:" in result.stderr
    assert "Likely unit mistake: Bc looks like gauss or mT." in " ".join(result.stderr.split())
    assert "'Bc [mT]'" in result.stderr  # rich markup did not eat the brackets


def test_validate_require_option(tmp_path):
    path = tmp_path / "tc_only.csv"
    path.write_text("metal,Tc\nAl,1.175\n", encoding="utf-8")
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 2
    result = runner.invoke(app, ["validate", str(path), "--require", "tc"])
    assert result.exit_code == 0, result.output


def test_validate_missing_file_exits_2(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "none.csv")])
    assert result.exit_code == 2
    assert "There is no file" in result.stderr


def test_validate_as_a_real_process(good_csv, bad_csv):
    command = [sys.executable, "-m", "tcfit", "validate"]
    ok = subprocess.run([*command, str(good_csv)], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert "1.81e+29" in ok.stdout
    bad = subprocess.run([*command, str(bad_csv)], capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert "row 4, column 'Bc [mT]'" in bad.stderr
