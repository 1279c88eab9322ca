"""``tcfit fit``, driven in-process with typer's CliRunner (and once as a real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

import tcfit
from tcfit.cli import app

runner = CliRunner()


def _json(args):
    result = runner.invoke(app, ["fit", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_table1_json_gives_all_21_materials():
    payload = _json(["table1", "--json"])
    assert len(payload["table"]) == 21
    for record in payload["table"]:
        for key in ("i_implied", "i_implied_err", "i_assigned", "residual", "posterior_assigned"):
            assert record[key] is not None, key
    by_material = {r["material"]: r for r in payload["table"]}
    assert by_material["Ta"]["i_assigned"] == 13
    assert by_material["Ta"]["agrees"] is False
    assert payload["summary"]["n_agrees"] == 19
    assert payload["summary"]["seed"] == 0
    assert payload["provenance"]["name"] == "table1"


def test_table1_global_reports_prefactor_and_exponents_with_intervals():
    payload = _json(["table1", "--global", "--json"])
    parts = payload["global"]["parts"]
    assert set(parts) == {"prefactor", "exponents", "common_i"}
    for name, part in (("prefactor", "prefactor"), ("alpha", "exponents"), ("beta", "exponents")):
        est = parts[part]["params"][name]
        assert est["ci95_low"] < est["value"] < est["ci95_high"]
    assert payload["global"]["mode"] == "scaled"
    text = runner.invoke(app, ["fit", "table1", "--global"])
    assert text.exit_code == 0
    for label in (
        "Profiles with every i re-assigned",
        "Conditional on the assigned i — not a test",
        "alpha",
        "beta",
        "i_common",
        "95 % interval",
        "AIC",
        "scaled",
    ):
        assert label in text.stdout


def test_table_text_marks_disagreements_and_states_the_defaults():
    result = runner.invoke(app, ["fit", "table1"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "12 ≠" in out  # Ta
    assert "16 ≠" in out  # Nb
    assert "19 of 21" in out
    assert "default relative 1σ: Tc 2%, Bc 5%, n 5%" in out
    assert "P(i): posterior probability" in out.replace("\n", " ")
    assert "not a probability of being right" in out.replace("\n", " ")


def test_same_seed_same_bytes():
    a = runner.invoke(app, ["fit", "table1", "--json", "--seed", "4"])
    b = runner.invoke(app, ["fit", "table1", "--json", "--seed", "4"])
    assert a.stdout == b.stdout
    assert json.loads(a.stdout)["summary"]["seed"] == 4


def test_policy_list_rel_err_and_csv(tmp_path):
    out = tmp_path / "table.csv"
    payload = _json(
        ["table1", "--policy", "1,2,3,1/2", "--rel-err", "tc=0.1", "-o", str(out), "--json"]
    )
    assert payload["summary"]["policy"] == "explicit"
    assert payload["summary"]["policy_values"] == [0.5, 1.0, 2.0, 3.0]
    assert payload["summary"]["rel_err"]["tc"] == 0.1
    table = pd.read_csv(out)
    assert len(table) == 21
    assert set(table["i_assigned"]) <= {0.5, 1.0, 2.0, 3.0}


def test_quantization_option():
    payload = _json(["table1", "--quantization", "--n-null", "500", "--json"])
    q = payload["quantization"]
    assert q["n_null"] == 500
    assert 0.0 <= q["p_value"] <= 1.0
    text = runner.invoke(app, ["fit", "table1", "--quantization", "--n-null", "500"])
    assert "Superseded quantization test" in text.stdout


def test_a_csv_file_with_units_in_the_header(tmp_path):
    path = tmp_path / "lab.csv"
    path.write_text(
        "material,Tc [K],Bc [mT],n (cm^-3)\nAl,1.175,10.3,1.81e23\nPb,7.2,80.3,1.32e23\n"
    )
    payload = _json([str(path), "--json"])
    assert [r["material"] for r in payload["table"]] == ["Al", "Pb"]
    assert payload["table"][0]["bc"] == pytest.approx(0.0103)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["table1", "--policy", "intger"], "The `policy` parameter must be one of"),
        (["table1", "--policy", "1,x"], "comma-separated numbers or fractions"),
        (["table1", "--rel-err", "0.1"], "key=value pairs"),
        (["table1", "--rel-err", "q=0.1"], "The `rel_err` parameter must be one of"),
        (["table1", "--i-max", "0"], "The `i_max` parameter must be an integer of at least 1"),
        (["/no/such/file.csv"], ""),
    ],
)
def test_bad_input_exits_2_with_a_message(args, match):
    result = runner.invoke(app, ["fit", *args])
    assert result.exit_code == 2
    assert "Error:" in result.stderr
    assert match in result.stderr.replace("\n", " ")


@pytest.mark.skipif(
    "elements" not in tcfit.datasets.names(), reason="the elements dataset (issue 3) is not in"
)
def test_elements_shows_the_bcs_columns():
    result = runner.invoke(app, ["fit", "elements"])
    assert result.exit_code == 0, result.output
    for label in ("Tc BCS", "resid. BCS", "i BCS", "BCS weak-coupling Tc", "Outside the allowed"):
        assert label in result.stdout


def test_real_subprocess_json():
    out = subprocess.run(
        [sys.executable, "-m", "tcfit", "fit", "table1", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(json.loads(out.stdout)["table"]) == 21


def test_global_puts_the_profiles_first_and_never_a_verdict_badge():
    payload = _json(["table1", "--global", "--json"])
    alpha = payload["profiles"]["alpha"]
    assert alpha["best"] == pytest.approx(0.40, abs=0.011)
    assert alpha["reference_allowed"] is False
    assert len(alpha["allowed"]) > 1  # a union of disjoint intervals
    text = runner.invoke(app, ["fit", "table1", "--global"]).stdout
    assert text.index("Profiles with every i re-assigned") < text.index("Conditional on")
    assert "inside" not in text.split("Conditional on", 1)[1].split("Goodness", 1)[0]


def test_lattice_prints_the_verdict_and_its_numbers():
    payload = _json(["table1", "--lattice", "--json"])
    verdict = payload["verdict"]
    assert verdict["conclusion"] == "modest"
    lattice = payload["lattice"]
    assert f"ln BF = {lattice['ln_bayes_factor']:+.2f}" in verdict["sentences"]["lattice"]
    text = runner.invoke(app, ["fit", "table1", "--lattice"]).stdout
    assert "Verdict (modest)" in text
    assert "docs/calibration.md" in text
    assert "closer" not in text
    assert "quantization" not in text.lower()


def test_valence_lists_the_conventions():
    payload = _json(["table1", "--valence", "--json"])
    conventions = {row["convention"]: row for row in payload["valence"]["summary"]}
    assert conventions["group"]["changed"] == ["Hg"]
    assert sorted(conventions["d10"]["changed"]) == ["Cd", "Zn"]
    assert set(conventions["data"]) >= {"ln_bayes_factor", "verdict", "p_value"}
