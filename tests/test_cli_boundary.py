"""The CLI's error boundary and its sinks: exit codes, --debug, paths, terminal and CSV safety."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import tcfit
from tcfit.cli import app
from tcfit.cli._app import DEBUG, safe_text

runner = CliRunner()
HOSTILE = '"[bold red]Pb[/]\x1b[31m\u202e",7.2,0.0803,1.32e29\n"=1+1",1.19,0.0099,1.812e29\n'


@pytest.fixture
def hostile_csv(tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_text("material,Tc,Bc,n\n" + HOSTILE + "Al,1.19,0.0099,1.812e29\n", encoding="utf-8")
    return path


def test_an_unexpected_error_is_a_one_line_message_with_exit_3(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("something broke")

    monkeypatch.setattr(tcfit, "fit", boom)
    result = runner.invoke(app, ["fit", "table1"])
    assert result.exit_code == 3
    assert "Internal error (RuntimeError: something broke)" in result.stderr
    assert "--debug" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("something broke")

    monkeypatch.setattr(tcfit, "fit", boom)
    monkeypatch.setitem(DEBUG, "on", False)
    result = runner.invoke(app, ["--debug", "fit", "table1"])
    assert isinstance(result.exception, RuntimeError)
    assert result.exit_code != 3


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (MemoryError(), "more memory than this machine has"),
        (RecursionError(), "more memory than this machine has"),
        (PermissionError(13, "Permission denied", "/x/y.csv"), "Permission denied: /x/y.csv"),
    ],
)
def test_resource_and_os_errors_exit_2(monkeypatch, error, message):
    def boom(*args, **kwargs):
        raise error

    monkeypatch.setattr(tcfit, "fit", boom)
    result = runner.invoke(app, ["fit", "table1"])
    assert result.exit_code == 2
    assert message in result.stderr


def test_an_unwritable_output_names_the_file_asked_for(tmp_path):
    target = tmp_path / "missing-folder" / "out.csv"
    result = runner.invoke(app, ["fit", "table1", "-o", str(target)])
    assert result.exit_code == 2
    assert f"No such file or directory: {target}" in result.stderr
    assert ".tmp" not in result.stderr


def test_the_output_may_not_be_the_input_or_exist_without_overwrite(hostile_csv, tmp_path):
    same = runner.invoke(app, ["fit", str(hostile_csv), "-o", str(hostile_csv)])
    assert same.exit_code == 2
    assert "is the input" in same.stderr
    assert hostile_csv.read_text(encoding="utf-8").startswith("material,Tc,Bc,n")
    out = tmp_path / "out.csv"
    assert runner.invoke(app, ["fit", str(hostile_csv), "-o", str(out)]).exit_code == 0
    again = runner.invoke(app, ["fit", str(hostile_csv), "-o", str(out)])
    assert again.exit_code == 2
    assert "exists; pass --overwrite" in again.stderr
    assert (
        runner.invoke(app, ["fit", str(hostile_csv), "-o", str(out), "--overwrite"]).exit_code == 0
    )


def test_names_from_data_are_neither_markup_nor_escape_codes_in_the_terminal(hostile_csv):
    result = runner.invoke(app, ["fit", str(hostile_csv)])
    assert result.exit_code == 0, result.output
    assert "[bold red]Pb[/]\\x1b[31m\\u202e" in result.stdout  # shown literally
    assert "\x1b" not in result.stdout
    assert "\u202e" not in result.stdout


def test_csv_output_is_spreadsheet_safe(hostile_csv, tmp_path):
    out = tmp_path / "out.csv"
    assert runner.invoke(app, ["fit", str(hostile_csv), "-o", str(out)]).exit_code == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["material"] for r in rows][1] == "'=1+1"
    assert float(rows[0]["residual"]) < 0  # numbers keep their sign: only text cells change


def test_safe_text():
    assert safe_text("a\x1b[31mb\x07c\u202ed\tok\n") == "a\\x1b[31mb\\x07c\\u202ed\tok\n"


def test_the_console_script_never_prints_a_traceback_for_bad_input(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "tcfit", "fit", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith("Error:")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: tcfit.fit("table1", i_max=10**9),
            r"`i_max` parameter must be an integer of at most",
        ),
        (
            lambda: tcfit.quantization_test(tcfit.fit("table1"), n_null=10**12),
            r"`n_null` parameter must be an integer of at most",
        ),
        (
            lambda: tcfit.lattice_test(tcfit.fit("table1"), n_sim=10**9),
            r"`n_sim` parameter must be an integer of at most",
        ),
    ],
)
def test_resource_requests_are_bounded_before_allocation(call, match):
    with pytest.raises(tcfit.InputError, match=match):
        call()


def test_inputs_that_overflow_eq5_are_refused_not_passed_on_as_nan():
    import warnings

    import pandas as pd

    df = pd.DataFrame(
        {"material": ["a", "b", "c"], "tc": [1e-300, 1.0, 2.0], "bc": [1e300, 0.01, 0.02],
         "n": [1e29, 1e29, 1e29]}
    )  # fmt: skip
    # The reader refuses magnitudes outside QUANTITY_RANGE first, naming the row and both columns.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reader's unit warning for this row
        with pytest.raises(tcfit.DataError) as err:
            tcfit.fit(df)
    assert {(p.row, p.column) for p in err.value.problems} == {(2, "tc"), (2, "bc")}
    assert "QUANTITY_RANGE" in str(err.value)


def test_the_fit_refuses_non_finite_outputs_that_pass_the_reader():
    # The second line of defence: whatever reaches Eq. (5) and overflows is a FitError, not NaN.
    import numpy as np
    import pandas as pd

    from tcfit.fitting import _check_finite

    table = pd.DataFrame(
        {"material": ["a", "b"], "i_implied": [np.inf, 2.0], "i_implied_err": [1.0, 0.1],
         "tc_model": [1.0, 1.0], "residual": [0.0, 0.0], "z": [0.0, 0.0],
         "chi2_assigned": [0.0, 0.0]}
    )  # fmt: skip
    with pytest.raises(tcfit.FitError, match=r"'a': Eq\. \(5\) overflows .*i_implied not finite"):
        _check_finite(table, pd.DataFrame())
    _check_finite(table.iloc[1:].reset_index(drop=True), pd.DataFrame())  # finite rows pass
