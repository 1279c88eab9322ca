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
SECTIONS = [
    "verdict",
    "lattice",
    "profiles",
    "predictor",
    "valence",
    "provenance",
    "model",
    "materials",
    "figures",
    "reproduction",
    "warnings",
    "superseded",
]
#: In page order; table1 carries the sourced γ (bcs) and covered elements (valence).
FIGURES = [
    "evidence",
    "profiles",
    "global_fit",
    "bcs",
    "valence",
    "parity",
    "residuals",
    "implied_i",
]
#: Where each figure of an inference section sits.
FIGURE_SECTIONS = {
    "evidence": "lattice",
    "profiles": "profiles",
    "global_fit": "profiles",
    "bcs": "predictor",
    "valence": "valence",
}
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


def _section(html: str, name: str) -> str:
    """The markup of one ``<section>`` of the page."""
    return html.split(f'<section id="{name}"', 1)[1].split("</section>", 1)[0]


def _section_text(html: str, name: str) -> str:
    return _text(_parse(_section(html, name)))


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
    files = ("report.html", "report.pdf", "table.tex", "table-standalone.tex", "results.csv")
    for name in (*files, "summary.json"):
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
    n5, n10 = int(np.sum(np.abs(residual) <= 0.05)), int(np.sum(np.abs(residual) <= 0.10))
    assert f"{n5} of 21 measured Tc within 5 % and {n10} within 10 %" in text
    assert format_percent(np.abs(residual).max(), 2, sign=False) in text
    assert f"{s['n_agrees']} of {s['n_reference']}" in text


def test_the_superseded_quantization_test_is_an_appendix_note(table1_page, table1_fit):
    """Shown only as a note labelled superseded, with its measured size; never in the verdict."""
    html, _page = table1_page
    note = _section_text(html, "superseded")
    q = tcfit.quantization_test(table1_fit, n_null=N_NULL, seed=0)
    assert "Superseded — not used in the verdict." in note
    shown = float(re.search(r"p = ([0-9.]+) \(", note).group(1))
    assert shown == pytest.approx(q.p_value, rel=0.05)
    # Its size at 21 materials and the default errors, from docs/calibration.md's retired rows.
    path = Path(tcfit.lattice.__file__).with_name("calibration.json")
    cell = [r for r in json.loads(path.read_text())["rows"] if (r["m"], r["sigma"]) == (21, 0.109)]
    size = max(r["retired_rms"] for r in cell if r["scenario"] in ("N0", "N1", "N2", "N3", "N4"))
    assert "in up to " + f"{size:.0%}".replace("%", " %") in note
    assert "supports no conclusion" in note
    verdict = _section_text(html, "verdict").lower()
    for phrase in ("quantization", "closer than chance", "inside the 95 %", "random tables"):
        assert phrase not in verdict
    assert "closer than chance" not in html
    assert "inside the 95 %" not in html
    assert "outside the 95 %" not in html


def test_the_verdict_is_tcfit_verdict_word_for_word(table1_page, table1_analysis):
    """Conclusion, headline and every sentence of analysis.verdict, escaped, in order."""
    from markupsafe import escape

    html, _page = table1_page
    verdict = table1_analysis.verdict
    block = _section(html, "verdict")
    shown = re.findall(r'<span class="text">(.*?)</span>', block, flags=re.S)
    assert shown == [str(escape(s)) for s in verdict.sentences.values()]
    topics = re.findall(r'<p class="sentence" data-topic="([a-z_]+)">', block)
    assert topics == list(verdict.sentences)
    assert set(topics) >= {"counts", "lattice", "error_scale", "carriers", "predictor", "valence"}
    assert f'<p class="headline">{escape(verdict.headline)}</p>' in block
    assert f'<strong class="word">{verdict.conclusion}</strong>' in block
    assert verdict.conclusion == "modest"  # table1 at the default errors


def test_conditional_fits_are_labelled_and_carry_no_badge(table1_page, table1_fit):
    html, _page = table1_page
    block = _section(html, "profiles")
    profiles, conditional = block.split('<h3 id="conditional">', 1)
    assert 'id="profile-table"' in profiles  # the profiles come first
    text = _text(_parse(conditional))
    g = tcfit.fit_global(table1_fit)
    for name in ("alpha", "beta"):
        p = g.parts["exponents"].params[name]
        assert pdg_round(p.value, p.std_err).text() in text
    assert text.count("conditional on the assigned i — not a test") >= 3  # heading, 2 captions
    assert "max(1, χ²/dof)" in text  # table1 has no measured uncertainties
    assert f"×{g.parts['common_i'].covariance_scale:.3g}" in text
    assert "flag-bad" not in conditional
    assert "inside" not in text
    assert "outside" not in text


def test_profiles_show_the_allowed_sets_as_disjoint_intervals(table1_page, table1_analysis):
    from tcfit.reports.sections import FORMATTER

    html, _page = table1_page
    text = _section_text(html, "profiles")
    profiles = table1_analysis.profiles
    assert set(profiles) == {"alpha", "beta", "scale"}
    assert len(profiles["alpha"].allowed) > 1  # the audit's bumpy α profile
    for p in profiles.values():
        spans = " ∪ ".join(f"[{FORMATTER.sig(a, 3)}, {FORMATTER.sig(b, 3)}]" for a, b in p.allowed)
        n = len(p.allowed)
        inside = "yes" if p.reference_allowed else "no"
        assert f"{spans} ({n} interval{'' if n == 1 else 's'}) {inside}" in text
    assert "coverage has not been measured" in text


def test_lattice_section_lays_out_the_test(table1_page, table1_analysis):
    html, _page = table1_page
    block = _section(html, "lattice")
    text = _text(_parse(block))
    test = table1_analysis.lattice
    assert f"{test.ln_bayes_factor:+.2f} ({test.verdict})" in text
    fixed = tcfit.lattice.evidence_label(test.ln_bayes_factor_fixed)
    assert f"{test.ln_bayes_factor_fixed:+.2f} ({fixed})" in text
    for name in test.p_values:
        assert f"{name} envelope" in text
    assert f"{test.elpd_diff:+.2f} ± {test.elpd_diff_se:.2f} nats" in text
    assert f"Z = {test.rayleigh_z:.2f}" in text
    # Counts: observed, guaranteed by the grid, expected under the continuous model.
    for r in test.counts.itertuples():
        assert f"{int(r.observed)} of 21 {int(r.guaranteed)} {r.expected_continuous:.1f}" in text
    # Crossings: one row each, in order of the error scale.
    crossings = block.split('id="lattice-crossings"', 1)[1].split("</table>", 1)[0]
    scales = re.findall(r'<tr><td class="num">([0-9.]+)</td>', crossings)
    assert [float(x) for x in scales] == pytest.approx(
        sorted(test.crossings["error_scale"]), abs=6e-4
    )
    # Leave-one-out: sorted by ΔELPD, the carriers (|ΔELPD| > 0.1) highlighted.
    loo = block.split('id="lattice-loo"', 1)[1].split("</table>", 1)[0]
    order = re.findall(r'<tr(?: class="carrier-(?:for|against)")?><td>([^<]+)</td>', loo)
    expected = test.elpd.sort_values("elpd_diff", ascending=False, kind="stable")
    assert order == list(expected["material"])
    highlighted = set(re.findall(r'<tr class="carrier-(?:for|against)"><td>([^<]+)</td>', loo))
    assert highlighted == set(expected.loc[expected["elpd_diff"].abs() > 0.1, "material"])


def test_inference_sections_carry_their_figures(table1_page):
    html, _page = table1_page
    for figure, section in FIGURE_SECTIONS.items():
        assert f'<figure id="fig-{figure}">' in _section(html, section), figure


def test_independent_predictor_for_data_with_gamma(table1_page, table1_fit):
    html, _page = table1_page
    text = _section_text(html, "predictor")
    ref = table1_fit.summary.references["bcs"]
    rms = (ref.rms_residual_predicted, ref.rms_residual, ref.rms_residual_fitted)
    assert "RMS residual " + " ".join(format_percent(v, 2, sign=False) for v in rms) in text
    table = table1_fit.table
    for r in table.itertuples():
        cells = (r.material, format_percent(r.residual_predicted_bcs, 1))
        assert cells[1] in text, cells
    # The note's identity: with a continuous i, Eq. (5) is the BCS relation.
    np.testing.assert_allclose(
        table["i_implied"], table["i_bcs"] * (table["tc_bcs"] / table["tc"]) ** 2, rtol=1e-12
    )
    assert "i_implied = i_BCS·(Tc_BCS/Tc)²" in text
    assert "Pb and Hg" in text
    assert "2Δ/k_B Tc ≈ 4.4–4.6" in text
    pb = table.loc[table["material"] == "Pb", "residual_bcs"].iloc[0]
    assert f"Pb {format_percent(pb, 1)}" in text
    joined = tcfit.datasets.read("table1").attrs["joined"]["gamma"]
    assert joined["file"] in text
    assert joined["sha256"][:12] in text


def test_valence_section_highlights_the_changed_assignments(table1_page, table1_analysis):
    html, _page = table1_page
    block = _section(html, "valence")
    v = table1_analysis.valence
    summary = v.summary.set_index("convention")
    text = _text(_parse(block))
    for _convention, row in summary.iterrows():
        changed = ", ".join(row["changed"]) or "none"
        assert f"{row['n_changed']} {changed}" in text
        assert f"{row['ln_bayes_factor']:+.2f} {row['verdict']}" in text
    body = block.split('id="valence-table"', 1)[1].split("<tbody>", 1)[1]
    rows = body.split("<tr")[1:]
    highlighted = {
        re.search(r"<td>([^<]+)</td>", r).group(1) for r in rows if 'class="valence-changed"' in r
    }
    expected = {
        str(m) for c in summary.index for m in v.table.loc[v.table[f"changed_{c}"], "material"]
    }
    assert highlighted == expected == {"Hg", "Zn", "Cd"}  # Hg under 'group'; Zn, Cd under 'd10'
    n_cells = sum(r.count('num changed"') for r in rows)
    assert n_cells == 2 * sum(len(c) for c in summary["changed"])  # Z and i of each change


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
        exponent = f" e{number.exponent}" if number.exponent else ""  # siunitx input
        assert f" & {number.value} \\pm {number.error}{exponent} & " in tex


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
    columns = (
        "tc",
        "i_implied",
        "i_implied_err",
        "residual",
        "posterior_assigned",
        "p_stable",
        "z",
    )
    for column in columns:
        np.testing.assert_array_equal(back[column].to_numpy(), table1_fit.table[column].to_numpy())
    payload = json.loads(table1_report.summary_json.read_text(encoding="utf-8"))
    assert payload["summary"] == json.loads(json.dumps(table1_fit.to_dict()["summary"]))
    assert set(payload) >= {"summary", "global_fit", "quantization_test", "provenance", "report"}
    assert payload["provenance"]["sha256"] == tcfit.datasets.load("table1").attrs["sha256"]


def test_summary_json_holds_the_new_inference(table1_report, table1_analysis):
    payload = json.loads(table1_report.summary_json.read_text(encoding="utf-8"))
    a = table1_analysis

    def same(value):
        return json.loads(json.dumps(value, allow_nan=False))

    assert {"verdict", "lattice", "profiles", "valence", "independent_predictor"} <= set(payload)
    assert payload["verdict"] == same(a.verdict.to_dict())
    assert payload["lattice"] == same(a.lattice.to_dict())
    assert payload["valence"] == same(a.valence.to_dict())
    for name, p in a.profiles.items():
        assert payload["profiles"][name] == same(p.to_dict(include_curve=True))
        assert payload["profiles"][name]["allowed"] == [list(s) for s in p.allowed]
    assert payload["global_fit"]["conditional"] == "conditional on the assigned i — not a test"
    entry = payload["quantization_test"]
    assert entry["superseded"] is True
    assert entry["used_in_verdict"] is False
    assert 0 < entry["measured_size"] < entry["measured_size_max"]
    ref = a.result.summary.references["bcs"]
    assert payload["independent_predictor"]["rms_residual_predicted"] == ref.rms_residual_predicted


def test_latex_table_is_booktabs(table1_report):
    tex = table1_report.table_tex.read_text(encoding="utf-8")
    for command in (r"\toprule", r"\midrule", r"\bottomrule", r"\begin{tabular}", r"\caption"):
        assert tex.count(command) == 1, command
    body = tex.split(r"\midrule", 1)[1].split(r"\bottomrule", 1)[0]
    assert body.count(r"\\") == 21
    assert r"^{\dagger}" in tex  # the two disagreements with the paper
    assert r"$P_{\mathrm{post}}$: posterior probability of the assigned $i$" in tex


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
    # Long unbroken names get a break opportunity after every character (\allowbreak{}).
    tex = hostile_report.table_tex.read_text(encoding="utf-8").replace(r"\allowbreak{}", "")
    assert r"\textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{}" in tex
    assert r"Sn \& Pb\_2 \{x\}" in tex


def test_reproduction_and_predictor_only_with_their_data(hostile_report):
    """No γ in the data: no predictor section, figure or summary entry; no paper reproduction.
    (Al, Nb and V are elements, so the valence section stays.)"""
    page = _parse(hostile_report.html.read_text(encoding="utf-8"))
    absent = {"reproduction", "predictor"}
    assert page.sections == [s for s in SECTIONS if s not in absent]
    assert "bcs" not in hostile_report.figures
    assert not {"independent_predictor", "reproduction"} & set(hostile_report.summary)


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
    # Outside the grid the table shows no posterior and no stability: "—" for both.
    page = _parse(paths.html.read_text(encoding="utf-8"))
    row = next(r["cells"] for r in page.rows if r["cells"][0] == "G")
    assert row[9:11] == ["—", "—"]


def test_materials_show_the_posterior_and_the_stability(table1_page, table1_fit):
    html, page = table1_page
    # A compact header shows an <abbr> and names the column in full in its aria-label.
    buttons = re.findall(
        r'<button type="button"(?: aria-label="([^"]+)")?>([^<]*(?:<abbr[^>]*>[^<]*</abbr>)?)',
        _section(html, "materials"),
    )
    heads = [label or text for label, text in buttons]
    assert heads[9:11] == ["Posterior of the assigned i", "Stability"]
    assert "it is not a probability of being right" in _section_text(html, "materials")
    for row, r in zip(page.rows, table1_fit.table.itertuples(), strict=True):
        assert row["cells"][9:11] == [f"{r.posterior_assigned:.2f}", f"{r.p_stable:.2f}"]


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
