"""``tcfit check``: exit codes 0 / 1 / 2, the diff table, --update, --json, --against-reference."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tcfit
from tcfit.cli import app
from tcfit.datasets import baseline_path
from tcfit.regression import read_baseline

runner = CliRunner()
SHIPPED = str(baseline_path("table1", policy="integer"))


def _run(*args):
    return runner.invoke(app, ["check", *map(str, args)])


@pytest.fixture
def csv(tmp_path):
    """Table-1 as a user's data file in SI units (material, tc, bc, n, i)."""
    path = tmp_path / "table1.csv"
    tcfit.datasets.load("table1")[["material", "tc", "bc", "n", "i"]].to_csv(path, index=False)
    return path


def _edit(path, material, column, factor):
    import pandas as pd

    df = pd.read_csv(path)
    df.loc[df["material"] == material, column] *= factor
    df.to_csv(path, index=False)


def test_the_shipped_table1_baseline_matches_exit_0():
    result = _run("table1", "--baseline", SHIPPED)
    assert result.exit_code == 0, result.output
    assert "21 materials (policy 'integer')" in result.stdout
    assert "everything matches" in result.stdout


def test_a_copy_of_the_data_matches_the_shipped_baseline(csv):
    assert _run(csv, "--baseline", SHIPPED).exit_code == 0


def test_one_edited_bc_exits_1_naming_that_material(csv):
    _edit(csv, "Nb", "bc", 1.02)  # Bc of Nb: 0.1950 T -> 0.1989 T
    result = _run(csv, "--baseline", SHIPPED)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "1 material (Nb)" in out
    table_rows = [line for line in out.splitlines() if line.startswith("│")]
    assert {row.split("│")[1].strip() for row in table_rows} == {"Nb"}
    assert any("i_implied" in row for row in table_rows)
    assert any("residual" in row for row in table_rows)


def test_a_reordered_data_file_is_not_a_difference(csv):
    import pandas as pd

    df = pd.read_csv(csv)
    df.iloc[::-1].to_csv(csv, index=False)
    result = _run(csv, "--baseline", SHIPPED)
    assert result.exit_code == 0, result.output


def test_a_removed_material_is_a_difference(csv):
    import pandas as pd

    df = pd.read_csv(csv)
    df[df["material"] != "Os"].to_csv(csv, index=False)
    result = _run(csv, "--baseline", SHIPPED)
    assert result.exit_code == 1
    assert "missing from the data" in result.stdout
    assert "Os" in result.stdout


def test_json_lists_every_difference(csv):
    _edit(csv, "Zn", "bc", 1.5)
    result = _run(csv, "--baseline", SHIPPED, "--json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["changed_materials"] == ["Zn"]
    fields = [d["field"] for d in payload["differences"]]
    assert "i_assigned" in fields  # 1.5² = 2.25 × implied i (1.98 -> 4.5): i 2 -> 4 (or 5)
    zn = next(d for d in payload["differences"] if d["field"] == "i_implied")
    assert zn["new"] == pytest.approx(2.25 * zn["old"], rel=1e-12)


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [(["--tol-sigma", "1"], 0), (["--tol-sigma", "0.1"], 1), ([], 1), (["--rtol", "0.05"], 1)],
)
def test_tolerances(csv, args, exit_code):
    # Al's Bc +1 %: implied i +2.01 %, i.e. 0.18 σ (σ_i/i ≈ 10.9 %), assignment stays 3. Its
    # residual moves from -0.28 % to +0.71 %: relative to a residual that small, even rtol 5 %
    # is exceeded; --tol-sigma measures the move on the physical scale instead.
    _edit(csv, "Al", "bc", 1.01)
    result = _run(csv, "--baseline", SHIPPED, *args)
    assert result.exit_code == exit_code, result.output


def test_policy_given_on_the_command_line_is_compared_with_the_baselines():
    result = _run("table1", "--baseline", SHIPPED, "--policy", "paper")
    assert result.exit_code == 1
    assert "The policy changed from 'integer' to 'paper'." in result.stdout
    assert "17 → 16" in result.stdout  # Nb
    assert "13 → 12" in result.stdout  # Ta


def test_the_paper_policy_baseline_is_read_with_its_own_policy():
    paper = str(baseline_path("table1", policy="paper"))
    assert _run("table1", "--baseline", paper).exit_code == 0


def test_against_reference_lists_the_papers_choices_with_both_residuals():
    result = _run("table1", "--against-reference")
    assert result.exit_code == 1
    rows = {
        line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
        for line in result.stdout.splitlines()
        if line.startswith("│")
    }
    assert sorted(rows) == ["Nb", "Ta"]
    # field, data's i, assigned i, change, implied i, residual with data's i, with assigned i
    assert rows["Nb"][:5] == ["i_assigned", "16", "17", "16 → 17", "16.58"]
    assert rows["Ta"][:5] == ["i_assigned", "12", "13", "12 → 13", "12.62"]
    assert _run("table1", "--against-reference", "--policy", "paper").exit_code == 0


def test_update_creates_rewrites_and_reports_what_changed(csv, tmp_path):
    baseline = tmp_path / "sub" / "mine.yml"
    created = _run(csv, "--baseline", baseline, "--update")
    assert created.exit_code == 0, created.output
    assert f"Created {baseline} with 21 materials (policy 'integer')." in created.stdout
    assert _run(csv, "--baseline", baseline).exit_code == 0

    same = _run(csv, "--baseline", baseline, "--update")
    assert same.exit_code == 0
    assert "nothing changed (21 materials match)" in same.stdout

    _edit(csv, "Ga", "bc", 1.3)
    assert _run(csv, "--baseline", baseline).exit_code == 1
    rewrote = _run(csv, "--baseline", baseline, "--update")
    assert rewrote.exit_code == 0
    assert "accepted" in rewrote.stdout
    assert rewrote.stdout.rstrip().endswith("in 1 material(s): Ga.")
    assert _run(csv, "--baseline", baseline).exit_code == 0
    assert read_baseline(baseline)["data"]["name"] == "table1"


def test_update_keeps_the_policy_of_the_existing_baseline(tmp_path):
    baseline = tmp_path / "paper.yml"
    shutil.copy(baseline_path("table1", policy="paper"), baseline)
    result = _run("table1", "--baseline", baseline, "--update", "--json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert (payload["created"], payload["policy"], payload["n_differences"]) == (False, "paper", 0)
    assert baseline.read_bytes() == baseline_path("table1", policy="paper").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["table1", "--baseline", "{tmp}/missing.yml"], "The baseline file does not exist"),
        (["table1", "--baseline", "{tmp}/bad.yml"], "not a tcfit baseline"),
        (["table1", "--baseline", SHIPPED, "--policy", "intger"], "not 'intger'"),
        (
            ["table1", "--baseline", SHIPPED, "--rtol", "-1"],
            "The `rtol` parameter must be a finite number ≥ 0; not -1.0",
        ),
        (
            ["table1", "--baseline", SHIPPED, "--tol-sigma", "0"],
            "The `tol_sigma` parameter must be a finite number > 0; not 0.0",
        ),
        (["table1"], "Give --baseline FILE"),
        (["table1", "--update"], "--update needs --baseline FILE"),
        (
            ["table1", "--baseline", "{tmp}/x.yml", "--update", "--against-reference"],
            "cannot be combined",
        ),
        (["no-such-dataset-or-file", "--baseline", SHIPPED], "no-such-dataset-or-file"),
    ],
)
def test_bad_input_exits_2_with_a_message(tmp_path, args, message):
    (tmp_path / "bad.yml").write_text("just: text\n", encoding="utf-8")
    result = _run(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 2, result.output
    assert "Error:" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_against_reference_without_an_i_column_exits_2(tmp_path):
    path = tmp_path / "no_i.csv"
    tcfit.datasets.load("table1")[["material", "tc", "bc", "n"]].to_csv(path, index=False)
    result = _run(path, "--against-reference")
    assert result.exit_code == 2
    assert "no `i` column" in result.stderr


def test_check_is_listed_in_help():
    assert "check" in runner.invoke(app, ["--help"]).stdout


def test_console_script_exit_codes(tmp_path):
    """The installed ``tcfit`` script, as a real subprocess (the README's commands)."""
    tcfit_exe = shutil.which("tcfit", path=str(Path(sys.executable).parent))
    assert tcfit_exe is not None
    ok = subprocess.run([tcfit_exe, "check", "table1", "--baseline", SHIPPED], capture_output=True)
    assert ok.returncode == 0, ok.stderr
    differ = subprocess.run(
        [tcfit_exe, "check", "table1", "--against-reference"], capture_output=True, text=True
    )
    assert differ.returncode == 1
    assert "Nb" in differ.stdout
    bad = subprocess.run(
        [tcfit_exe, "check", "table1", "--baseline", str(tmp_path / "none.yml")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("Error:")
