"""Report sections: a toy section added from this file alone, absent sections, the registry's
errors, and that laying out a finished Analysis calls no fitter."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pandas as pd
import pytest

import tcfit
import tcfit.reports
from tcfit.analysis import Analysis, analyse
from tcfit.formatting import i_text
from tcfit.reports import SECTIONS, Section, build, register_section

HOSTILE = "<script>alert(1)</script>"
BUILT_IN = [
    "verdict",
    "lattice",
    "profiles",
    "predictor",
    "valence",
    "provenance",
    "series",
    "model",
    "materials",
    "figures",
    "reproduction",
    "warnings",
    "superseded",
]
#: The sections on table1's page: all but "series" (its data do not come from Bc(T) series).
ON_TABLE1 = [s for s in BUILT_IN if s != "series"]


class _Page(HTMLParser):
    """The ids of the <section> elements and the TOC's links, in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[str] = []
        self.toc: list[tuple[str, str]] = []
        self._link: str | None = None
        self._in_toc = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id", ""))
        if tag == "nav":
            self._in_toc = True
        if tag == "a" and self._in_toc:
            self._link = a["href"]
            self.toc.append((self._link, ""))

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_toc = False
        if tag == "a":
            self._link = None

    def handle_data(self, data):
        if self._link is not None:
            link, text = self.toc[-1]
            self.toc[-1] = (link, text + data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


class ToySection:
    """A section defined here and nowhere else: inline template, own context and summary."""

    id = "toy"
    title = "Toy <section> & co"
    template = '<p class="toy">{{ note }}: {{ n }} materials, RMS {{ rms }} ({{ dataset }}).</p>\n'

    def context(self, analysis, fmt):
        summary = analysis.result.summary
        return {
            "note": HOSTILE,
            "n": summary.n_materials,
            "rms": fmt.percent(summary.rms_residual, 2, sign=False),
            "toc": "Toy & co",
        }

    def summary(self, analysis):
        return {"toy": {"n_materials": analysis.result.summary.n_materials, "note": HOSTILE}}


class AbsentSection(ToySection):
    """Says None: left out of the page, the TOC and summary.json."""

    id = "absent"

    def context(self, analysis, fmt):
        return None

    def summary(self, analysis):
        return None


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse("table1", n_null=200)


@pytest.fixture
def registry():
    """Restore the section registry after a test that registers sections."""
    saved = list(SECTIONS)
    yield SECTIONS
    SECTIONS[:] = saved


# ---------------------------------------------------------------------------- the registry


def test_the_registry_is_the_page_in_order():
    assert [s.id for s in SECTIONS] == BUILT_IN
    assert all(isinstance(s, Section) for s in SECTIONS)
    assert tcfit.reports.SECTIONS is tcfit.reports.sections.SECTIONS
    assert {"SECTIONS", "Section", "register_section"} <= set(tcfit.reports.__all__)


def test_a_toy_section_from_this_file_is_rendered_listed_and_summarised(
    registry, analysis, tmp_path
):
    toy = register_section(ToySection(), after="materials")
    assert [s.id for s in registry].index("toy") == BUILT_IN.index("materials") + 1

    paths = build(analysis, tmp_path, formats="html", timestamp=False)
    html = paths.html.read_text(encoding="utf-8")
    page = _parse(html)
    at = ON_TABLE1.index("materials") + 1
    assert page.sections == [*ON_TABLE1[:at], "toy", *ON_TABLE1[at:]]
    assert ("#toy", "Toy & co") in page.toc
    assert [link for link, _ in page.toc] == [f"#{s}" for s in page.sections]
    # Escaped: the user's text and title, never raw markup.
    assert HOSTILE not in html
    assert '<p class="toy">&lt;script&gt;alert(1)&lt;/script&gt;: 21 materials' in html
    assert '<h2 id="toy-title">Toy &lt;section&gt; &amp; co</h2>' in html
    assert f"({analysis.name})" in html  # the page's values are in scope
    # In summary.json, on disk and in memory.
    expected = {"n_materials": 21, "note": HOSTILE}
    assert json.loads(paths.summary_json.read_text(encoding="utf-8"))["toy"] == expected
    assert paths.summary["toy"] == expected
    assert toy in registry


def test_a_section_registered_without_after_comes_last(registry, analysis, tmp_path):
    register_section(ToySection())
    assert registry[-1].id == "toy"
    page = _parse(build(analysis, tmp_path, formats="html", timestamp=False).html.read_text())
    assert page.sections[-1] == "toy"


def test_a_section_that_returns_none_is_absent(registry, analysis, tmp_path):
    register_section(AbsentSection(), after="verdict")
    paths = build(analysis, tmp_path, formats="html", timestamp=False)
    html = paths.html.read_text(encoding="utf-8")
    page = _parse(html)
    assert page.sections == ON_TABLE1
    assert "#absent" not in [link for link, _ in page.toc]
    assert "absent" not in html
    assert "toy" not in paths.summary


def test_reproduction_is_absent_without_a_reproduction(analysis, tmp_path):
    """A built-in section that answers None: an Analysis without the Table-1 reproduction."""
    from dataclasses import replace

    paths = build(replace(analysis, reproduction=None), tmp_path, formats="html", timestamp=False)
    page = _parse(paths.html.read_text(encoding="utf-8"))
    assert page.sections == [s for s in ON_TABLE1 if s != "reproduction"]
    assert "#reproduction" not in [link for link, _ in page.toc]
    assert "reproduction" not in paths.summary


@pytest.mark.parametrize(
    ("section", "after", "message"),
    [
        (object(), None, "A report section needs `id`, `title`, `template`"),
        (type("Bad", (ToySection,), {"id": "1st"})(), None, "must start with a letter"),
        (type("Bad", (ToySection,), {"id": "a b"})(), None, "must start with a letter"),
        (type("Dup", (ToySection,), {"id": "materials"})(), None, "'materials' is already"),
        (ToySection(), "materail", "The `after` parameter must be one of 'verdict'"),
    ],
)
def test_register_section_refuses(registry, section, after, message):
    with pytest.raises(tcfit.InputError, match=message):
        register_section(section, after=after)
    assert [s.id for s in registry] == BUILT_IN


@pytest.mark.parametrize(
    "entries",
    [{"summary": {"n_materials": 0}}, {"report": {"title": "mine"}}, {"provenance": 1}],
)
def test_a_section_overwriting_a_summary_entry_is_refused(registry, analysis, tmp_path, entries):
    class Clash(ToySection):
        id = "clash"

        def summary(self, analysis):
            return entries

    register_section(Clash())
    key = next(iter(entries))
    with pytest.raises(tcfit.InputError, match=rf"'clash' adds '{key}' to summary\.json"):
        build(analysis, tmp_path, formats="html", timestamp=False)


def test_a_section_may_join_the_report_entry(registry, analysis, tmp_path):
    class Joins(ToySection):
        id = "joins"

        def summary(self, analysis):
            return {"report": {"toy_note": HOSTILE}}

    register_section(Joins())
    report = build(analysis, tmp_path, formats="html", timestamp=False).summary["report"]
    assert list(report) == ["title", "seed", "generated", "versions", "warnings", "toy_note"]
    assert report["toy_note"] == HOSTILE


# ---------------------------------------------------------------------------- no fitter


FITTERS = [
    "tcfit.fit",
    "tcfit.fit_global",
    "tcfit.quantization_test",
    "tcfit.lattice_test",
    "tcfit.profile",
    "tcfit.valence_sensitivity",
    "tcfit.lattice.lattice_test",
    "tcfit.profiles.profile",
    "tcfit.valence.valence_sensitivity",
    "tcfit.compare_sources",
    "tcfit.reproduce_table1",
    "tcfit.fitting.fit",
    "tcfit.fitting.as_result",
    "tcfit.global_fit.fit_global",
    "tcfit.quantization.quantization_test",
    "tcfit.sources.compare_sources",
    "tcfit.reproduction.reproduce_table1",
    "tcfit.analysis.analyse",
    "tcfit.datasets.load",
    "tcfit.datasets.read",
]


def test_a_ready_analysis_is_laid_out_without_calling_any_fitter(monkeypatch, tmp_path):
    other = tcfit.datasets.load("table1").copy()
    other["bc"] = other["bc"] * 1.25
    other.attrs["name"] = "table1-bc125"
    ready = analyse("table1", compare=other, n_null=200)  # every part present
    calls: list[str] = []

    for target in FITTERS:

        def refuse(*args, _name=target, **kwargs):
            calls.append(_name)
            raise AssertionError(f"the report called {_name}")

        monkeypatch.setattr(target, refuse)

    paths = build(ready, tmp_path, timestamp=False)  # HTML and PDF
    assert calls == []
    assert sorted(paths.figures) == [
        "bcs",  # table1 carries the sourced γ
        "evidence",
        "global_fit",
        "implied_i",
        "parity",
        "profiles",
        "residuals",
        "sources",
        "valence",
    ]
    assert {"source_comparison", "reproduction", "lattice", "valence"} <= set(paths.summary)


@pytest.mark.parametrize(
    ("extra", "name"),
    [
        ({"compare": "table1"}, "compare"),
        ({"n_null": 10}, "n_null"),
        ({"policy": "half"}, "policy"),
    ],
)
def test_options_with_a_ready_analysis_are_refused(analysis, tmp_path, extra, name):
    with pytest.raises(tcfit.InputError, match=f"given a finished Analysis, so '{name}'"):
        build(analysis, tmp_path, formats="html", **extra)
    with pytest.raises(tcfit.InputError, match="'options' would change nothing"):
        build(analysis, tmp_path, tcfit.FitOptions(), formats="html")


# ---------------------------------------------------------------------------- one formatter


def test_i_prints_as_in_the_cli(tmp_path):
    """The report prints i through tcfit.formatting: 1/100, not 0.01 (the old report's text)."""
    rational = analyse("elements", policy="rational", n_null=200)
    low = float(rational.result.policy.values[0])
    assert i_text(low) == "1/100"
    paths = build(rational, tmp_path, formats="html", timestamp=False)
    html = paths.html.read_text(encoding="utf-8")
    outside = rational.result.table[rational.result.table["outside_grid"].astype(bool)]
    assert len(outside) > 0
    assert "policy&#39;s range [1/100, 20]" in html
    assert "[0.01, 20]" not in html
    assert any("[1/100, 20]" in w["text"] for w in paths.summary["report"]["warnings"])


def test_the_date_is_a_provenance_row_only_when_dated(analysis, tmp_path, monkeypatch):
    undated = build(analysis, tmp_path / "a", formats="html", timestamp=False)
    assert '<th scope="row">Generated</th>' not in undated.html.read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = build(analysis, tmp_path / "b", formats="html")
    html = dated.html.read_text(encoding="utf-8")
    row = '<tr><th scope="row">Generated</th><td class="">2023-11-14 22:13:20 UTC</td></tr>'
    assert row in html
    assert dated.summary["report"]["generated"] == "2023-11-14 22:13:20 UTC"


def test_summary_json_holds_each_sections_entries(analysis, tmp_path):
    paths = build(analysis, tmp_path, formats="html", timestamp=False)
    payload = json.loads(paths.summary_json.read_text(encoding="utf-8"))
    assert payload == paths.summary
    assert list(payload) == [
        "summary",
        "verdict",
        "lattice",
        "profiles",
        "global_fit",
        "independent_predictor",
        "valence",
        "provenance",
        "reproduction",
        "quantization_test",
        "report",
    ]
    assert list(payload["report"]) == ["title", "seed", "generated", "versions", "warnings"]
    assert "null_rms" not in payload["quantization_test"]
    rep = analysis.reproduction.table
    assert payload["reproduction"]["n_rows"] == len(rep)
    assert payload["reproduction"]["n_beyond_rounding"] == int(rep["beyond_rounding"].sum())
    worst = rep.loc[rep["deviation"].abs().idxmax()]
    assert payload["reproduction"]["max_deviation_row"] == str(worst["label"])


def test_the_exponents_are_shown_beside_the_models(analysis, tmp_path):
    """The values of Eq. (5) come from the model (via the fit and the profiles), as fractions."""
    paths = build(analysis, tmp_path, formats="html", timestamp=False)
    html = paths.html.read_text(encoding="utf-8")
    block = html.split('<section id="profiles"', 1)[1].split("</section>", 1)[0]
    profiles, conditional = block.split('<h3 id="conditional">', 1)
    model = analysis.result.model
    for name, (quantity, sign) in model.exponent_names.items():
        expected = sign * model.log_coefficients[quantity]
        assert analysis.global_fit.parts["exponents"].params[name].reference == expected
        assert analysis.profiles[name].reference == expected
        cell = f'<td class="num">{i_text(expected)}</td>'
        assert cell in profiles, name
        assert cell in conditional, name


def test_a_section_may_carry_its_own_figure(registry, analysis, tmp_path):
    """A figure listed under a section's ``figures`` is inlined and written to figures/."""
    from matplotlib.figure import Figure

    from tcfit.reports._render import figure_entry

    class WithFigure(ToySection):
        id = "drawn"
        template = (
            '{% for fig in figures %}<figure id="{{ fig.id }}">{{ fig.svg }}</figure>{% endfor %}'
        )

        def context(self, analysis, fmt):
            fig = Figure(figsize=(2, 2))
            fig.add_subplot().plot(pd.Series([1.0, 2.0, 3.0]))
            return {"figures": [figure_entry("toy", fig, title="Toy <fig>", caption="")]}

    register_section(WithFigure())
    paths = build(analysis, tmp_path, formats="html", timestamp=False)
    assert paths.figures["toy"]["svg"].read_text(encoding="utf-8").startswith("<?xml")
    html = paths.html.read_text(encoding="utf-8")
    assert '<figure id="fig-toy"><svg' in html
    assert "Toy &lt;fig&gt;" in html
