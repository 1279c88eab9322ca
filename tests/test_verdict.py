"""The verdict: words that follow measured numbers, quoted from the shipped calibration."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import tcfit
from tcfit.analysis import analyse
from tcfit.verdict import THRESHOLDS, Verdict, calibration_row

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def table1():
    return analyse("table1", n_null=200)


def test_the_shipped_calibration_is_the_published_one():
    from importlib import resources

    shipped = resources.files("tcfit.lattice").joinpath("calibration.json").read_text("utf-8")
    assert json.loads(shipped) == json.loads((ROOT / "docs" / "calibration.json").read_text())


def test_calibration_row_reads_docs_calibration(table1):
    row = calibration_row(21, 0.109)
    published = json.loads((ROOT / "docs" / "calibration.json").read_text())["rows"]
    cell = {r["scenario"]: r for r in published if r["m"] == 21 and r["sigma"] == 0.109}
    assert row["size"] == max(cell[s]["p_marginal"] for s in ("N0", "N1", "N2", "N3", "N4"))
    assert row["power_alt"] == cell["ALT"]["p_marginal"]
    assert calibration_row(17, 0.1)["m"] == 21  # nearest in log
    assert calibration_row(40, 0.04)["sigma"] == 0.03


def test_table1_verdict_follows_the_lattice_test(table1):
    v = table1.verdict
    test = table1.lattice
    assert isinstance(v, Verdict)
    assert list(v.sentences) == [
        "counts", "lattice", "error_scale", "carriers", "predictor", "valence",
    ]  # fmt: skip
    expected = (
        "modest"
        if test.p_value <= THRESHOLDS["alpha"] and 1.1 <= test.ln_bayes_factor < 3.0
        else v.conclusion
    )
    assert v.conclusion == expected == "modest"
    assert f"ln BF = {test.ln_bayes_factor:+.2f}" in v.sentences["lattice"]
    assert f"calibrated p = {test.p_value:.3g}" in v.sentences["lattice"]
    assert "docs/calibration.md" in v.sentences["lattice"]
    counts = test.counts.set_index("tolerance")
    assert f"guarantee {int(counts.loc[0.05, 'guaranteed'])} and" in v.sentences["counts"]
    assert "17 of 21 measured Tc within 5 %" in v.sentences["counts"]
    assert "changes sign" in v.sentences["error_scale"]
    assert json.loads(json.dumps(v.to_dict(), allow_nan=False))["conclusion"] == "modest"


def test_no_verdict_sentence_uses_a_fit_with_i_held_fixed_or_the_retired_test(table1):
    text = " ".join(table1.verdict.lines()).lower()
    for banned in ("quantization", "log-uniform", "alpha =", "α =", "95 % interval", "conditional"):
        assert banned not in text


def test_elements_gives_no_evidence_and_says_so():
    v = analyse("elements", n_null=100).verdict
    assert v.conclusion == "none"
    assert v.headline.startswith("The data show no calibrated evidence")


def test_too_few_materials_give_no_verdict_but_say_why():
    frame = tcfit.datasets.load("table1").iloc[:2][["material", "tc", "bc", "n"]]
    a = analyse(frame, n_null=10)
    assert a.lattice is None
    v = a.verdict
    assert v.conclusion == "not computed"
    assert "at least 3 materials" in v.headline
    assert not math.isnan(a.result.summary.rms_residual)


def test_analyses_bound_the_lattice_test_by_the_number_of_materials(monkeypatch):
    from tcfit import analysis as analysis_module
    from tcfit import lattice

    assert lattice.default_n_sim(21) == 199
    assert lattice.default_n_sim(200) == 99  # (199 + 1)·100/200 − 1
    assert lattice.default_n_sim(10_000) == 19
    monkeypatch.setattr(lattice, "LATTICE_MAX_MATERIALS", 5)
    a = analysis_module.analyse("table1", n_null=10)
    assert a.lattice is None
    assert "not run for 21 materials" in a.lattice_error
    assert a.verdict.conclusion == "not computed"
