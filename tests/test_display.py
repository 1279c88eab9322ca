"""Every public result shows itself: a compact repr, a text report and an escaped HTML table."""

from __future__ import annotations

import html

import pandas as pd
import pytest

import tcfit
from tcfit.analysis import analyse


@pytest.fixture(scope="module")
def analysis():
    return analyse("table1", n_null=100)


def _results(analysis):
    result = analysis.result
    return {
        "fit": result,
        "lattice": analysis.lattice,
        "profile": analysis.profiles["alpha"],
        "global": analysis.global_fit,
        "valence": analysis.valence,
        "quantization": analysis.quantization,
        "reproduction": analysis.reproduction,
        "check": tcfit.check("table1", tcfit.datasets.baseline_path("table1")),
        "analysis": analysis,
    }


@pytest.mark.parametrize(
    "kind",
    ["fit", "lattice", "profile", "global", "valence", "quantization", "reproduction", "check",
     "analysis"],
)  # fmt: skip
def test_each_result_has_a_short_repr_a_report_and_html(analysis, kind):
    obj = _results(analysis)[kind]
    assert len(repr(obj)) < 400
    text = obj.report()
    assert text == str(obj)
    assert text.splitlines()[0].startswith("tcfit")
    page = obj._repr_html_()
    assert page.startswith("<div class='tcfit-result'>")
    assert html.escape(text.splitlines()[0]) in page


def test_the_fit_report_rounds_and_labels(analysis):
    text = analysis.result.report()
    assert "RMS residual" in text
    assert "3.40 %" in text
    assert "17 / 21 of 21" in text


def test_a_global_fit_shows_pdg_rounded_values_and_says_it_is_conditional(analysis):
    text = analysis.global_fit.report()
    # σ = 1.554e7 × σ(ln A) = 1.554e7 × 0.109/√21 = 1.85e5: digits 184 → two significant.
    assert "(1.554 ± 0.018)×10⁷" in text
    assert "conditional on the assigned i" in text


def test_html_escapes_names_from_the_data():
    frame = pd.DataFrame(
        {"material": ["<script>x</script>", "Al", "Sn"], "tc": [40.0, 1.19, 3.72],
         "bc": [0.0099, 0.0099, 0.0303], "n": [1.812e29, 1.812e29, 1.482e29]}
    )  # fmt: skip
    result = tcfit.fit(frame)  # the first row lies outside the grid: named in a warning
    page = result._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
