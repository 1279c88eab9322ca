"""tcfit.reports.build and `tcfit report`: structure, numbers, escaping, determinism, PDF.

Most tests render from one cheap :class:`tcfit.analysis.Analysis` per module (a quantization
test of 200 null tables instead of 10000: the same code path); a few build from data, to cover
``build``'s own call of :func:`tcfit.analysis.analyse`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import tcfit
from tcfit.analysis import Analysis, analyse
from tcfit.cli import app
from tcfit.formatting import format_percent, pdg_round
from tcfit.reports import ReportPaths, build

HOSTILE = "<script>alert(1)</script>"
SECTIONS = ["verdict", "provenance", "model", "materials", "figures", "reproduction", "warnings"]
FIGURES = ["parity", "residuals", "implied_i", "quantization", "global_fit", "bcs"]  # table1 has γ
#: Null tables of the quantization test in the cheap analyses these tests render.
N_NULL = 200


class _Page(HTMLParser):
    """Collects what the tests look at: ids, sections, scripts, attributes, table rows, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.sections: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self.meta: dict[str, str] = {}
        self.figures: list[str] = []
        self.rows: list[dict[str, object]] = []
        self.text: list[str] = []
        self._in_script = False
        self._table: str | None = None
        self._row: dict[str, object] | None = None
        self._cell: list[str] | None = None
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "section":
            self.sections.append(a.get("id", ""))
        if tag == "figure":
            self.figures.append(a.get("id", ""))
        if tag == "meta" and "http-equiv" in a:
            self.meta[a["http-equiv"]] = a.get("content", "")
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        if tag == "table":
            self._table = a.get("id")
        if tag == "tr" and self._table == "material-table":
            self._row = {"class": a.get("class", ""), "cells": []}
        if tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row["cells"].append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr" and self._row is not None:
            if self._row["cells"]:
                self.rows.append(self._row)
            self._row = None
        if tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _text(page: _Page) -> str:
    return re.sub(r"\s+", " ", " ".join(page.text))


def _synthetic(rng: np.random.Generator, names: list[str], *, i_true, rel=0.02) -> pd.DataFrame:
    """Measurements generated from Eq. (5) with known i and multiplicative noise."""
    k = len(names)
    n = rng.uniform(1e29, 5e29, k)
    bc = rng.uniform(0.005, 0.15, k)
    tc = tcfit.tc(bc, n, np.asarray(i_true, float)) * np.exp(rng.normal(0.0, rel, k))
    return pd.DataFrame({"material": names, "tc": tc, "bc": bc, "n": n, "i": i_true})


@pytest.fixture(scope="module")
def table1_analysis() -> Analysis:
    return analyse("table1", n_null=N_NULL)


@pytest.fixture(scope="module")
def table1_report(tmp_path_factory, table1_analysis) -> ReportPaths:
    return build(table1_analysis, tmp_path_factory.mktemp("r1"), timestamp=False)


@pytest.fixture(scope="module")
def table1_page(table1_report) -> tuple[str, _Page]:
    html = table1_report.html.read_text(encoding="utf-8")
    return html, _parse(html)


@pytest.fixture(scope="module")
def table1_fit() -> tcfit.FitResult:
    return tcfit.fit("table1")


# ---------------------------------------------------------------------------- structure


def test_every_file_is_written(table1_report):
    out = table1_report.out_dir
    for name in ("report.html", "report.pdf", "table.tex", "results.csv", "summary.json"):
        assert (out / name).is_file(), name
    assert sorted(table1_report.figures) == sorted(FIGURES)
    for name in FIGURES:
        svg = out / "figures" / f"{name}.svg"
        png = out / "figures" / f"{name}.png"
        assert svg.read_text(encoding="utf-8").startswith("<?xml")
        assert png.read_bytes()[:4] == b"\x89PNG"
    assert all(p.is_file() for p in table1_report.files())


def test_sections_in_the_issue_order(table1_page):
    _html, page = table1_page
    assert page.sections == SECTIONS
    assert len(page.ids) == len(set(page.ids)), "duplicate id"
    assert page.figures == [f"fig-{name}" for name in FIGURES]


def test_every_material_is_in_the_table(table1_page, table1_fit):
    _html, page = table1_page
    assert [row["cells"][0] for row in page.rows] == list(table1_fit.table["material"])


def test_every_figure_is_inline_svg_with_a_title(table1_page):
    html, _page = table1_page
    for name in FIGURES:
        block = html.split(f'<figure id="fig-{name}">', 1)[1].split("</figure>", 1)[0]
        assert block.lstrip().startswith("<svg")
        assert f'<title id="fig-{name}-title">' in block


def test_no_resource_is_fetched_from_anywhere(table1_page):
    html, page = table1_page
    for tag, name, value in page.attributes:
        if name in {"src", "href", "xlink:href", "action", "poster", "data", "srcset"}:
            assert value.startswith("#"), (tag, name, value)
    assert not re.search(r"url\(\s*['\"]?(?!#)", html)
    assert "@import" not in html
    assert not re.search(r"<(link|img|iframe|object|embed|audio|video)\b", html)
    # The only http(s):// in the page are XML namespace names of the inline SVGs.
    assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }


def test_content_security_policy_allows_exactly_the_inline_script(table1_page):
    _html, page = table1_page
    csp = page.meta["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "connect-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert len(page.scripts) == 1
    digest = base64.b64encode(hashlib.sha256(page.scripts[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp


# ---------------------------------------------------------------------------- numbers


def test_verdict_numbers_match_the_fit_and_a_hand_calculation(table1_page, table1_fit):
    _html, page = table1_page
    text = _text(page)
    s = table1_fit.summary
    # Independent recomputation: implied i from Eq. (5), nearest integer 1..20 in log space.
    df = tcfit.datasets.load("table1")
    i_imp = (tcfit.PREFACTOR * df["bc"] / (df["n"] ** (1 / 6) * df["tc"])) ** 2
    grid = np.arange(1, 21)
    i_assigned = grid[np.argmin(np.abs(np.log(i_imp.to_numpy()[:, None] / grid)), axis=1)]
    residual = np.sqrt(i_imp / i_assigned) - 1.0
    rms = float(np.sqrt(np.mean(residual**2)))
    assert rms == pytest.approx(s["rms_residual"], rel=1e-12)
    assert f"RMS residual {format_percent(rms, 2, sign=False)}" in text
    assert f"{int(np.sum(np.abs(residual) <= 0.10))} of 21 measured Tc within 10 %" in text
    assert f"{int(np.sum(np.abs(residual) <= 0.05))} within 5 %" in text
    assert format_percent(np.abs(residual).max(), 2, sign=False) in text
    assert f"{s['n_agrees']} of {s['n_reference']}" in text


def test_quantization_p_and_its_plain_sentence(table1_page, table1_fit):
    _html, page = table1_page
    text = _text(page)
    q = tcfit.quantization_test(table1_fit, n_null=N_NULL, seed=0)
    p = q.p_value
    assert re.search(rf"p = [0-9.]+: in [0-9.]+ % of {N_NULL} random tables", text)
    shown = float(re.search(r"p = ([0-9.]+): in", text).group(1))
    assert shown == pytest.approx(p, rel=0.05)
    sentence = "is not evidence for Eq. (5)" if p >= 0.05 else "better than a free i per material"
    assert sentence in text


def test_global_fit_exponents_are_reported_against_one_sixth_and_one(table1_page, table1_fit):
    _html, page = table1_page
    text = _text(page)
    g = tcfit.fit_global(table1_fit)
    for name, expected in (("alpha", "1/6"), ("beta", "1")):
        p = g.parts["exponents"].params[name]
        assert pdg_round(p.value, p.std_err).text() in text
        inside = p.ci95_low <= {"alpha": 1 / 6, "beta": 1.0}[name] <= p.ci95_high
        word = "inside" if inside else "outside"
        assert re.search(rf"Eq\. \(5\): {re.escape(expected)}, {word} the 95 % interval", text)
    assert "scaled by √(χ²/dof)" in text  # table1 has no measured uncertainties


def test_per_material_chi_square_is_not_called_reduced(table1_page, table1_fit):
    """With one i chosen per material no degree of freedom is left: the card says χ² / materials."""
    _html, page = table1_page
    text = _text(page)
    chi2 = table1_fit.summary["chi_square"]
    assert f"χ² / materials {chi2:.3g} / 21" in text.replace("\n", " ")
    assert "per-material i choices not subtracted" in text


def test_disagreements_with_the_reference_are_highlighted(table1_page, table1_fit):
    _html, page = table1_page
    table = table1_fit.table
    expected = set(table.loc[~table["agrees"].astype(bool), "material"])
    highlighted = {row["cells"][0] for row in page.rows if "disagree" in row["class"]}
    assert highlighted == expected
    assert expected  # Table-1 has disagreements under the integer policy (Ta, Nb)
    for row in page.rows:
        if row["cells"][0] in expected:
            assert "≠" in row["cells"][-1]


def test_implied_i_is_pdg_rounded_in_html_and_latex(table1_report, table1_page, table1_fit):
    _html, page = table1_page
    tex = table1_report.table_tex.read_text(encoding="utf-8")
    for row, (_, r) in zip(page.rows, table1_fit.table.iterrows(), strict=True):
        number = pdg_round(r["i_implied"], r["i_implied_err"])
        assert number.text() in row["cells"]
        assert f"${number.latex()}$" in tex


def test_warnings_list_every_ambiguous_assignment(table1_page, table1_fit):
    html, _page = table1_page
    warnings = html.split('<section id="warnings"', 1)[1]
    ambiguous = table1_fit.table.loc[table1_fit.table["posterior_assigned"] < 0.8, "material"]
    assert len(ambiguous) > 0
    for material in ambiguous:
        assert f"{material}: ambiguous assignment" in warnings


def test_reproduction_of_table1(table1_page):
    _html, page = table1_page
    text = _text(page)
    rep = tcfit.reproduce_table1()
    n_beyond = int(rep.table["beyond_rounding"].sum())
    assert f"{n_beyond} of 21 rows differ from the printed value" in text


def test_results_csv_and_summary_json_hold_the_fit(table1_report, table1_fit):
    back = pd.read_csv(table1_report.results_csv)
    assert list(back["material"]) == list(table1_fit.table["material"])
    for column in ("tc", "i_implied", "i_implied_err", "residual", "posterior_assigned", "z"):
        np.testing.assert_array_equal(back[column].to_numpy(), table1_fit.table[column].to_numpy())
    payload = json.loads(table1_report.summary_json.read_text(encoding="utf-8"))
    assert payload["summary"] == json.loads(json.dumps(table1_fit.to_dict()["summary"]))
    assert set(payload) >= {"summary", "global_fit", "quantization_test", "provenance", "report"}
    assert payload["provenance"]["sha256"] == tcfit.datasets.load("table1").attrs["sha256"]


def test_latex_table_is_booktabs(table1_report):
    tex = table1_report.table_tex.read_text(encoding="utf-8")
    for command in (r"\toprule", r"\midrule", r"\bottomrule", r"\begin{tabular}", r"\caption"):
        assert tex.count(command) == 1, command
    body = tex.split(r"\midrule", 1)[1].split(r"\bottomrule", 1)[0]
    assert body.count(r"\\") == 21
    assert r"^{\dagger}" in tex  # the two disagreements with the paper


# ---------------------------------------------------------------------------- PDF


def test_pdf_has_pages_and_the_verdict_numbers(table1_report, table1_fit):
    from pypdf import PdfReader

    reader = PdfReader(table1_report.pdf)
    assert len(reader.pages) >= 3
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    s = table1_fit.summary
    assert format_percent(s["rms_residual"], 2, sign=False) in text
    assert format_percent(s["max_abs_residual"], 2, sign=False) in text
    assert f"{s['within_5pct']} of {s['n_materials']}" in text
    assert f"{s['within_10pct']} of {s['n_materials']}" in text
    assert re.search(r"p = [0-9.]+", text)
    assert "page 1 of" in text


# ---------------------------------------------------------------------------- determinism


def test_two_runs_give_identical_bytes(tmp_path, table1_report):
    """From the data again (analyses included), the same bytes."""
    again = build("table1", tmp_path, formats="html", timestamp=False, n_null=N_NULL)
    assert again.html.read_bytes() == table1_report.html.read_bytes()
    assert again.table_tex.read_bytes() == table1_report.table_tex.read_bytes()
    assert again.results_csv.read_bytes() == table1_report.results_csv.read_bytes()
    for name in FIGURES:
        assert again.figures[name]["svg"].read_bytes() == (
            table1_report.figures[name]["svg"].read_bytes()
        )


def test_source_date_epoch_fixes_the_timestamp(tmp_path, monkeypatch, table1_analysis):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a = build(table1_analysis, tmp_path / "a", formats="html")
    b = build(table1_analysis, tmp_path / "b", formats="html")
    html = a.html.read_text(encoding="utf-8")
    assert "2023-11-14 22:13:20 UTC" in html
    assert a.html.read_bytes() == b.html.read_bytes()


def test_no_timestamp_leaves_the_date_out(table1_page):
    html, _page = table1_page
    assert not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", html)


# ---------------------------------------------------------------------------- user input


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> ReportPaths:
    rng = np.random.default_rng(5)
    data = _synthetic(rng, ["Al", HOSTILE, "Sn & Pb_2 {x}", "Nb", "V"], i_true=[3, 2, 5, 12, 1])
    data.attrs["name"] = "hostile"
    analysis = analyse(tcfit.fit(data), n_null=N_NULL)
    return build(analysis, tmp_path_factory.mktemp("hostile"), timestamp=False)


def test_a_hostile_material_name_is_escaped(hostile_report):
    html = hostile_report.html.read_text(encoding="utf-8")
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<script") == 1  # only the sorting script
    page = _parse(html)
    assert HOSTILE in [row["cells"][0] for row in page.rows]
    tex = hostile_report.table_tex.read_text(encoding="utf-8")
    assert r"\textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{}" in tex
    assert r"Sn \& Pb\_2 \{x\}" in tex


def test_reproduction_only_for_table1(hostile_report):
    page = _parse(hostile_report.html.read_text(encoding="utf-8"))
    assert "reproduction" not in page.sections
    assert page.sections == [s for s in SECTIONS if s != "reproduction"]


def test_unit_mistake_and_large_z_are_warned(tmp_path):
    rng = np.random.default_rng(11)
    names = ["A", "B", "C", "D", "E", "F", "G"]
    data = _synthetic(rng, names, i_true=[1, 2, 3, 4, 5, 6, 40], rel=0.0)
    data.loc[0, "bc"] *= 1e4  # a field in gauss read as tesla: implied i x 1e8
    data.loc[1, "tc"] *= 1.3  # 30 % off a grid value of i, with 0.1 % uncertainties
    for q in ("tc", "bc", "n"):
        data[f"{q}_err"] = data[q] * 0.001
    with pytest.warns(tcfit.TcfitWarning, match="implied i outside"):
        result = tcfit.fit(data.drop(columns="i"))
    paths = build(analyse(result, n_null=N_NULL), tmp_path, formats="html", timestamp=False)
    warnings = paths.html.read_text(encoding="utf-8").split('<section id="warnings"', 1)[1]
    assert "A: implied i = " in warnings
    assert "probably a unit mistake" in warnings
    assert "While reading: 1 row(s) give an implied i outside" in warnings
    z_b = float(result.table.loc[1, "z"])
    assert abs(z_b) > 3
    assert f"B: model and measurement differ by {z_b:+.1f} σ" in warnings
    assert "Measured uncertainties from the data" in paths.html.read_text(encoding="utf-8")
    # σ_i/i = √((2·0.001)² + (0.001/3)² + (2·0.001)²) = 0.00285, so σ_i = 0.114 for i = 40.
    assert "G: implied i = 40.00 ± 0.11 lies outside the 'integer' policy's range [1, 20]" in (
        _text(_parse(warnings))
    )


def test_compare_adds_the_source_comparison(tmp_path):
    other = tcfit.datasets.load("table1").copy()
    other["bc"] = other["bc"] * 1.25  # a source with 25 % larger fields: i grows by 1.56
    other.attrs["name"] = "table1-bc125"
    paths = build("table1", tmp_path, formats="html", compare=other, timestamp=False, n_null=N_NULL)
    assert sorted(paths.figures) == sorted([*FIGURES, "sources"])
    html = paths.html.read_text(encoding="utf-8")
    expected = tcfit.compare_sources("table1", other)
    n_changed = int(expected["changed"].sum())
    assert n_changed > 0
    assert f"{n_changed} of 21 change" in html


# ---------------------------------------------------------------------------- options, errors


def test_default_folder_is_under_the_working_directory(tmp_path, monkeypatch, table1_analysis):
    monkeypatch.chdir(tmp_path)
    paths = build(table1_analysis, formats="html", timestamp=False)
    assert paths.html == tmp_path / "tcfit-reports" / "table1" / "report.html"
    assert paths.pdf is None


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(tcfit.InputError, match="The `format` parameter must be one of 'html'"):
        build("table1", tmp_path, formats="html,docx")


def test_no_format_is_refused(tmp_path):
    with pytest.raises(tcfit.InputError, match="must name at least one of 'html' or 'pdf'"):
        build("table1", tmp_path, formats=[])


def test_the_package_source_folder_is_refused(table1_analysis):
    import tcfit.reports

    inside = Path(tcfit.reports.__file__).parent / "out"
    with pytest.raises(tcfit.InputError, match="inside tcfit's own source folder"):
        build(table1_analysis, inside, formats="html")
    assert not inside.exists()


def test_bad_source_date_epoch_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(tcfit.InputError, match="SOURCE_DATE_EPOCH must be an integer"):
        build("table1", tmp_path, formats="html")


def test_progress_goes_to_stderr_not_stdout(tmp_path, capsys):
    build("table1", tmp_path, formats="html", timestamp=False, progress=True, n_null=N_NULL)
    assert capsys.readouterr().out == ""


# ---------------------------------------------------------------------------- CLI


def test_cli_report_json(tmp_path):
    result = CliRunner().invoke(
        app,
        ["report", "table1", "-o", str(tmp_path), "--format", "html", "--no-timestamp", "--json"],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["files"]["html"] == str(tmp_path / "report.html")
    assert payload["files"]["pdf"] is None
    assert payload["summary"] == json.loads(json.dumps(tcfit.fit("table1").to_dict()["summary"]))


def test_cli_report_bad_format_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["report", "table1", "-o", str(tmp_path), "--format", "doc"])
    assert result.exit_code == 2
    assert "Error:" in result.output
    assert "The `format` parameter must be one of" in result.output


def test_too_few_materials_for_a_global_fit_still_give_a_report(tmp_path):
    rng = np.random.default_rng(2)
    data = _synthetic(rng, ["Al", "Sn", "Pb"], i_true=[3, 3, 6])
    paths = build(data, tmp_path, formats="html", timestamp=False, n_null=N_NULL)
    text = _text(_parse(paths.html.read_text(encoding="utf-8")))
    assert "No global fit of the exponents: The 'exponents' global fit has 3 free" in text
    assert "global_fit" not in paths.figures
    payload = json.loads(paths.summary_json.read_text(encoding="utf-8"))
    assert "needs at least 4 materials" in payload["global_fit"]["error"]


def test_readme_main_job_writes_the_report(tmp_path):
    """The README's main command, after its install steps, as a real subprocess."""
    import os
    import shlex
    import subprocess
    import sys

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    main_job = re.findall(r"```bash\n(.*?)\n```", readme, flags=re.S)[0]
    command = shlex.split(main_job.split("&&")[-1])
    assert command == ["tcfit", "report", "table1"]
    script = Path(sys.executable).parent / "tcfit"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    out = subprocess.run(
        [str(script), *command[1:]], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    folder = tmp_path / "tcfit-reports" / "table1"
    assert (folder / "report.html").is_file()
    assert (folder / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert f"wrote {folder / 'report.html'}" in out.stdout


def test_a_file_merely_called_table1_gets_no_paper_reproduction(tmp_path):
    df = tcfit.datasets.load("table1")[["material", "tc", "bc", "n"]]
    path = tmp_path / "table1.csv"
    df.assign(tc=df["tc"] * 1.01).to_csv(path, index=False)
    paths = build(str(path), tmp_path / "out", formats="html", timestamp=False, n_null=N_NULL)
    page = _parse(paths.html.read_text(encoding="utf-8"))
    assert "reproduction" not in page.sections
