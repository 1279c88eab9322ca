"""The report folder is written whole (issue 12): assembled beside the target and swapped in at
the end, never over an existing output without ``overwrite``, never over files tcfit did not
write; SOURCE_DATE_EPOCH bounded; results.csv spreadsheet-safe; figures immune to matplotlibrc."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import tcfit
from tcfit.analysis import analyse
from tcfit.cli import app
from tcfit.reports import build

N_NULL = 200


@pytest.fixture(scope="module")
def analysis():
    return analyse("table1", n_null=N_NULL)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_an_existing_report_is_not_replaced_without_overwrite(tmp_path, analysis):
    out = tmp_path / "report"
    first = build(analysis, out, formats="html", timestamp=False, title="first")
    assert first.out_dir == out
    assert first.html == out / "report.html"
    assert all(p.is_file() and out in p.parents for p in first.files())
    before = _snapshot(out)
    with pytest.raises(tcfit.InputError, match=r"already holds an output; pass --overwrite"):
        build(analysis, out, formats="html", timestamp=False, title="second")
    assert _snapshot(out) == before
    again = build(analysis, out, formats="html", timestamp=False, title="second", overwrite=True)
    assert "second" in again.html.read_text(encoding="utf-8")
    assert "first" not in again.html.read_text(encoding="utf-8").split("<title>")[1][:40]
    assert _leftovers(tmp_path) == []  # no assembly folder left behind


def test_the_swap_replaces_the_whole_folder(tmp_path, analysis):
    out = tmp_path / "report"
    build(analysis, out, formats="html,pdf", timestamp=False)
    assert (out / "report.pdf").is_file()
    build(analysis, out, formats="html", timestamp=False, overwrite=True)
    # The new report has no PDF: the old one must not survive beside the new HTML.
    assert not (out / "report.pdf").exists()
    assert (out / "report.html").is_file()


def test_a_folder_with_other_files_is_never_replaced(tmp_path, analysis):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    (out / "report.html").write_text("old")
    with pytest.raises(tcfit.InputError, match=r"holds files tcfit did not write \('notes.txt'\)"):
        build(analysis, out, formats="html", overwrite=True)
    assert (out / "notes.txt").read_text() == "my notes"
    assert (out / "report.html").read_text() == "old"


def test_an_empty_folder_is_fresh_and_a_file_is_refused(tmp_path, analysis):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(analysis, empty, formats="html").html.is_file()
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(tcfit.InputError, match="exists and is not a folder"):
        build(analysis, a_file, formats="html")
    assert a_file.read_text() == "x"


def test_a_failing_run_leaves_the_previous_report(tmp_path, analysis, monkeypatch):
    out = tmp_path / "report"
    build(analysis, out, timestamp=False)
    before = _snapshot(out)

    def broken_pdf(html, path):
        path.write_bytes(b"%PDF-half")
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("tcfit.reports._build.write_pdf", broken_pdf)
    with pytest.raises(OSError, match="No space left"):
        build(analysis, out, timestamp=False, title="new", overwrite=True)
    assert _snapshot(out) == before
    assert _leftovers(tmp_path) == []


def test_the_folder_is_checked_before_the_analyses_run(tmp_path, monkeypatch):
    out = tmp_path / "report"
    out.mkdir()
    (out / "summary.json").write_text("{}")

    def never(*args, **kwargs):
        raise AssertionError("the analyses ran before the folder was checked")

    monkeypatch.setattr("tcfit.analysis.analyse", never)
    with pytest.raises(tcfit.InputError, match="already holds an output"):
        build("table1", out, formats="html")


def test_cli_report_twice_needs_overwrite(tmp_path, analysis):
    out = tmp_path / "r"
    runner = CliRunner()
    args = ["--quiet", "report", "table1", "-o", str(out), "--format", "html"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    # The headline is the verdict (tcfit.verdict), not the retired quantization test.
    assert f"verdict: {analysis.verdict.conclusion}" in first.output
    assert analysis.verdict.headline[:60] in " ".join(first.output.split())
    assert "quantization" not in first.output
    second = runner.invoke(app, args)
    assert second.exit_code == 2
    assert "already holds an output; pass --overwrite" in second.output
    assert "Traceback" not in second.output
    third = runner.invoke(app, [*args, "--overwrite"])
    assert third.exit_code == 0, third.output


@pytest.mark.parametrize("value", ["-1", "253402300800", "99999999999999999999999"])
def test_source_date_epoch_out_of_range_is_refused(tmp_path, monkeypatch, analysis, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(tcfit.InputError, match=r"between 0 and 253402300799"):
        build(analysis, tmp_path / "r", formats="html")
    assert not (tmp_path / "r").exists()


def test_source_date_epoch_at_the_last_second_of_year_9999(tmp_path, monkeypatch, analysis):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    html = build(analysis, tmp_path / "r", formats="html").html.read_text(encoding="utf-8")
    assert "9999-12-31 23:59:59 UTC" in html


def test_results_csv_is_spreadsheet_safe(tmp_path):
    frame = tcfit.datasets.load("table1")[["material", "tc", "bc", "n"]].head(4).copy()
    frame["material"] = ["=1+2", "@SUM(A1)", "+Pb", "-Sn"]
    paths = build(frame, tmp_path / "r", formats="html", n_null=N_NULL)
    written = pd.read_csv(paths.results_csv)
    assert written["material"].tolist() == ["'=1+2", "'@SUM(A1)", "'+Pb", "'-Sn"]
    # Numbers stay numbers (a negative residual is not a formula).
    assert pd.api.types.is_float_dtype(written["residual"])


_DRAW = textwrap.dedent(
    """
    import sys
    from tcfit.analysis import analyse
    from tcfit.reports import build
    paths = build(analyse("table1", n_null=50), sys.argv[1], formats="html", timestamp=False)
    """
)


def test_a_matplotlibrc_in_the_working_folder_does_not_change_the_figures(tmp_path):
    clean, styled = tmp_path / "clean", tmp_path / "styled"
    clean.mkdir()
    styled.mkdir()
    (styled / "matplotlibrc").write_text(
        "lines.linewidth: 7\nlines.markersize: 20\naxes.facecolor: red\n"
        "axes.prop_cycle: cycler('color', ['k'])\nfont.size: 22\nsvg.fonttype: none\n"
        "savefig.dpi: 40\naxes.grid: False\nhatch.linewidth: 4\n"
    )
    for cwd in (clean, styled):
        subprocess.run([sys.executable, "-c", _DRAW, str(cwd / "out")], cwd=cwd, check=True)
    a, b = _snapshot(clean / "out"), _snapshot(styled / "out")
    figures = [k for k in a if k.startswith("figures/")]
    assert figures
    for name in figures:
        assert a[name] == b[name], f"{name} changed with a matplotlibrc in the working folder"
    assert a["report.html"] == b["report.html"]
