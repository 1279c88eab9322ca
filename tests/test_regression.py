"""Regression testing of assignments: baseline files, the comparison engine, check().

The shipped baselines (``datasets/baselines/*.yml``) are checked at the end of this file through
the ``tcfit_regression`` fixture, which stands on pytest-regressions: to regenerate them after an
intended change, run ``pytest tests/test_regression.py --force-regen`` and review the git diff.
"""

from __future__ import annotations

import copy
import doctest
import importlib
import json
import math
from importlib import resources
from pathlib import Path

import pytest
import yaml
from scipy.constants import hbar, k, m_e, mu_0, pi

import tcfit
from tcfit.datasets import baseline_names, baseline_path
from tcfit.regression import (
    DIFFERENCE_COLUMNS,
    baseline_from_result,
    compare_baselines,
    dump_baseline,
    read_baseline,
)

# Eq. (5)'s prefactor from CODATA constants, computed here independently of tcfit.model.
C_CODATA = hbar * (3 * pi**2) ** (1 / 3) / (k * math.sqrt(2 * m_e * mu_0))


def _baseline(**materials):
    """A hand-made baseline; each material gives the five FIELDS in order."""
    return {
        "tcfit_baseline": 1,
        "fit": {"policy": "integer", "policy_values": [1, 2, 3], "prefactor": 1.5617e7},
        "materials": {
            name: dict(
                zip(
                    ("i_assigned", "i_implied", "i_implied_err", "residual", "residual_err"),
                    values,
                    strict=True,
                )
            )
            for name, values in materials.items()
        },
    }


OLD = _baseline(
    Al=(3, 2.98, 0.3, -0.003, 0.05),
    Pb=(6, 6.2, 0.6, 0.016, 0.05),
    Zn=(2, 1.9, 0.2, -0.025, 0.05),
)


def _edit(baseline, material, field, value):
    new = copy.deepcopy(baseline)
    new["materials"][material][field] = value
    return new


# --------------------------------------------------------------------------------------------
# The comparison engine on hand-made inputs
# --------------------------------------------------------------------------------------------


def test_identical_baselines_have_no_differences():
    diff = compare_baselines(OLD, copy.deepcopy(OLD))
    assert diff.empty
    assert tuple(diff.columns) == DIFFERENCE_COLUMNS


def test_order_of_materials_does_not_matter():
    reordered = copy.deepcopy(OLD)
    reordered["materials"] = dict(reversed(list(OLD["materials"].items())))
    assert list(reordered["materials"]) == ["Zn", "Pb", "Al"]
    assert compare_baselines(OLD, reordered).empty


def test_assigned_i_is_compared_exactly_whatever_the_tolerance():
    new = _edit(OLD, "Pb", "i_assigned", 6 + 1e-9)
    diff = compare_baselines(OLD, new, rtol=0.5)
    assert diff[["material", "field", "kind"]].values.tolist() == [["Pb", "i_assigned", "changed"]]
    assert compare_baselines(OLD, _edit(OLD, "Pb", "i_assigned", 6.0)).empty  # 6 == 6.0


@pytest.mark.parametrize(
    ("relative_move", "rtol", "flagged"),
    [(0.5e-6, 1e-6, False), (2e-6, 1e-6, True), (0.009, 1e-2, False), (0.011, 1e-2, True)],
)
def test_floats_are_compared_with_rtol(relative_move, rtol, flagged):
    old_value = OLD["materials"]["Zn"]["residual"]
    new = _edit(OLD, "Zn", "residual", old_value * (1 + relative_move))
    diff = compare_baselines(OLD, new, rtol=rtol)
    assert (len(diff) == 1) is flagged
    if flagged:
        row = diff.iloc[0]
        assert (row.material, row.field) == ("Zn", "residual")
        assert row.old == old_value
        assert row.change == pytest.approx(old_value * relative_move)
        assert row.allowed == pytest.approx(rtol * abs(old_value))
        assert row.description.startswith("Zn: the residual moved")


def test_uncertainties_are_floats_too_under_rtol():
    diff = compare_baselines(OLD, _edit(OLD, "Al", "i_implied_err", 0.31))
    assert diff[["material", "field"]].values.tolist() == [["Al", "i_implied_err"]]


@pytest.mark.parametrize(("tol_sigma", "flagged"), [(2.0, False), (1.0, True)])
def test_tol_sigma_measures_the_move_in_recorded_sigmas(tol_sigma, flagged):
    # Pb's implied i moves by 1.5 σ (σ = 0.6 in the baseline) and its σ itself changes.
    new = _edit(OLD, "Pb", "i_implied", 6.2 + 1.5 * 0.6)
    new["materials"]["Pb"]["i_implied_err"] = 0.9
    diff = compare_baselines(OLD, new, tol_sigma=tol_sigma)
    assert diff["field"].tolist() == (["i_implied"] if flagged else [])
    if flagged:
        assert diff.iloc[0].allowed == pytest.approx(tol_sigma * 0.6)
        assert "1 σ" in diff.iloc[0].description


def test_tol_sigma_falls_back_to_rtol_without_a_recorded_sigma():
    old = _edit(OLD, "Zn", "residual_err", math.nan)
    new = _edit(old, "Zn", "residual", -0.025 * (1 + 2e-6))
    diff = compare_baselines(old, new, tol_sigma=3, rtol=1e-6)
    assert diff[["material", "field"]].values.tolist() == [["Zn", "residual"]]
    assert "rtol" in diff.iloc[0].description


def test_assigned_i_is_exact_under_tol_sigma_too():
    diff = compare_baselines(OLD, _edit(OLD, "Al", "i_assigned", 2), tol_sigma=100)
    assert diff[["material", "field", "old", "new"]].values.tolist() == [
        ["Al", "i_assigned", 3.0, 2.0]
    ]


def test_a_material_on_one_side_only_is_a_difference():
    new = copy.deepcopy(OLD)
    del new["materials"]["Pb"]
    new["materials"]["Nb"] = dict(OLD["materials"]["Al"])
    diff = compare_baselines(OLD, new)
    assert diff[["material", "kind", "field"]].values.tolist() == [
        ["Nb", "added", "material"],
        ["Pb", "missing", "material"],
    ]
    assert "Pb: in the baseline" in diff.loc[diff.material == "Pb", "description"].item()
    assert "not in the baseline" in diff.loc[diff.material == "Nb", "description"].item()


def test_nan_equals_nan_but_not_a_number():
    old = _edit(OLD, "Al", "i_implied_err", math.nan)
    assert compare_baselines(old, copy.deepcopy(old)).empty
    diff = compare_baselines(old, OLD)
    assert diff[["material", "field"]].values.tolist() == [["Al", "i_implied_err"]]
    assert "was none" in diff.iloc[0].description


def test_policy_and_prefactor_changes_are_differences():
    new = copy.deepcopy(OLD)
    new["fit"]["policy"] = "paper"
    new["fit"]["prefactor"] = 1.56e7
    diff = compare_baselines(OLD, new)
    assert diff[["kind", "field"]].values.tolist() == [
        ["metadata", "policy"],
        ["metadata", "prefactor"],
    ]
    assert "'integer' to 'paper'" in diff.iloc[0].description


def test_changed_allowed_values_of_the_same_policy_are_a_difference():
    new = copy.deepcopy(OLD)
    new["fit"]["policy_values"] = [1, 2, 3, 4]
    diff = compare_baselines(OLD, new)
    assert diff["field"].tolist() == ["policy_values"]
    assert "newly allowed: 4" in diff.iloc[0].description


def test_differences_are_sorted_by_material_then_field():
    new = _edit(OLD, "Zn", "i_assigned", 1)
    new["materials"]["Zn"]["residual"] = 0.3
    new["materials"]["Al"]["residual"] = 0.2
    diff = compare_baselines(OLD, new)
    assert diff[["material", "field"]].values.tolist() == [
        ["Al", "residual"],
        ["Zn", "i_assigned"],
        ["Zn", "residual"],
    ]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"rtol": -1e-6}, "The `rtol` parameter must be a finite number ≥ 0; not -1e-06"),
        ({"rtol": math.inf}, "The `rtol` parameter must be a finite number ≥ 0; not inf"),
        ({"tol_sigma": 0}, "The `tol_sigma` parameter must be a finite number > 0; not 0"),
        ({"tol_sigma": "2"}, "The `tol_sigma` parameter must be a finite number > 0; not '2'"),
    ],
)
def test_bad_tolerances_are_refused(kwargs, match):
    with pytest.raises(tcfit.InputError, match=match):
        compare_baselines(OLD, OLD, **kwargs)


# --------------------------------------------------------------------------------------------
# Baseline files
# --------------------------------------------------------------------------------------------


def test_dump_and_read_round_trip_floats_exactly(tmp_path):
    awkward = _baseline(X=(3, 0.1 + 0.2, 1 / 3, -1e-17, 2.2250738585072014e-308))
    awkward["fit"]["seed"] = 0
    path = tmp_path / "b.yml"
    path.write_text(dump_baseline(awkward), encoding="utf-8")
    back = read_baseline(path)
    assert back["materials"] == awkward["materials"]  # bit-for-bit
    assert compare_baselines(awkward, back, rtol=0).empty
    assert dump_baseline(awkward) == dump_baseline(back)


def test_the_file_is_human_readable_yaml(tmp_path):
    text = dump_baseline(OLD)
    assert text.startswith("# tcfit baseline")
    assert "  Al:\n    i_assigned: 3\n    i_implied: 2.98\n" in text
    assert "policy_values: [1, 2, 3]" in text
    assert yaml.safe_load(text)["materials"]["Pb"]["residual"] == 0.016


def _write(tmp_path, text):
    path = tmp_path / "baseline.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("a: [1, 2", "not valid YAML"),
        ("materials: {}\n", "not a tcfit baseline"),
        ("tcfit_baseline: 99\nmaterials: {}\n", "format 99 is not supported"),
        (
            "tcfit_baseline: 1\nfit: {prefactor: 1.0}\nmaterials:\n  Al: {i_assigned: 3}\n",
            "material 'Al': 'i_implied' must be a number, not None",
        ),
        (
            "tcfit_baseline: 1\nfit: {prefactor: 1.0}\nmaterials:\n"
            "  Al: {i_assigned: 3, i_implied: x, residual: 0.1}\n",
            "'i_implied' must be a number, not 'x'",
        ),
        (
            "tcfit_baseline: 1\nfit: {prefactor: 1.0}\nmaterials:\n"
            "  Al: {i_assigned: 3, i_implied: 3.0, residual: 0.1}\n"
            "  Al: {i_assigned: 2, i_implied: 2.0, residual: 0.1}\n",
            r"the key 'Al' appears twice \(lines 4 and 5\)",
        ),
        ("tcfit_baseline: 1\nfit: {}\nmaterials: {}\n", "'materials' must be a non-empty"),
        (
            "tcfit_baseline: 1\nfit: {policy: integer}\nmaterials:\n"
            "  Al: {i_assigned: 3, i_implied: 3.0, residual: 0.1}\n",
            "'fit.prefactor' must be a number",
        ),
    ],
)
def test_malformed_baselines_raise_data_error_naming_the_file(tmp_path, text, match):
    path = _write(tmp_path, text)
    with pytest.raises(tcfit.DataError, match=match) as info:
        read_baseline(path)
    assert str(path) in str(info.value)
    assert info.value.file == str(path)


def test_missing_baseline_says_how_to_create_it(tmp_path):
    with pytest.raises(tcfit.DataError, match=r"does not exist; create it with .*--update"):
        read_baseline(tmp_path / "nope.yml")


# --------------------------------------------------------------------------------------------
# check() on real fits
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def table1():
    return tcfit.datasets.load("table1")


@pytest.fixture(scope="module")
def table1_baseline(tmp_path_factory):
    return tcfit.write_baseline("table1", tmp_path_factory.mktemp("b") / "table1.yml")


def test_check_passes_against_its_own_baseline(table1_baseline):
    outcome = tcfit.check("table1", table1_baseline)
    assert outcome.ok
    assert outcome.n_materials == 21
    assert "everything matches" in outcome.describe()


def test_same_data_policy_and_seed_write_identical_bytes(table1, tmp_path):
    a = tcfit.write_baseline(table1, tmp_path / "a.yml")
    reordered = table1.iloc[::-1].reset_index(drop=True)
    reordered.attrs = dict(table1.attrs)
    b = tcfit.write_baseline(reordered, tmp_path / "b.yml")
    assert a.read_bytes() == b.read_bytes()


def test_editing_one_bc_names_that_material_only(table1, table1_baseline):
    edited = table1.copy()
    edited.attrs = dict(table1.attrs)
    edited.loc[edited["material"] == "Pb", "bc"] *= 1.10
    outcome = tcfit.check(edited, table1_baseline)
    assert not outcome.ok
    assert outcome.changed_materials == ["Pb"]
    # A 10 % larger Bc multiplies the implied i by 1.21 (i ∝ Bc²): 5.97 → 7.22, assigned 6 → 7.
    i_old = (C_CODATA * 0.0804 / (1.322e29 ** (1 / 6) * 7.20)) ** 2
    rows = outcome.differences.set_index("field")
    assert rows.at["i_implied", "old"] == pytest.approx(i_old, rel=1e-12)
    assert rows.at["i_implied", "new"] == pytest.approx(1.21 * i_old, rel=1e-12)
    assert (rows.at["i_assigned", "old"], rows.at["i_assigned", "new"]) == (6.0, 7.0)
    assert "Pb" in outcome.describe()


def test_a_reordered_table_is_not_a_difference(table1, table1_baseline):
    shuffled = table1.sample(frac=1.0, random_state=3).reset_index(drop=True)
    shuffled.attrs = dict(table1.attrs)
    assert shuffled["material"].tolist() != table1["material"].tolist()
    assert tcfit.check(shuffled, table1_baseline).ok


def test_a_removed_material_is_a_difference(table1, table1_baseline):
    fewer = table1[table1["material"] != "Zr"].reset_index(drop=True)
    fewer.attrs = dict(table1.attrs)
    outcome = tcfit.check(fewer, table1_baseline)
    assert outcome.differences[["material", "kind"]].values.tolist() == [["Zr", "missing"]]


def test_the_baseline_policy_is_used_unless_another_is_asked_for(tmp_path):
    path = tcfit.write_baseline("table1", tmp_path / "paper.yml", policy="paper")
    assert tcfit.check("table1", path).ok  # policy taken from the file
    outcome = tcfit.check("table1", path, policy="integer")
    assert outcome.differences["field"].tolist()[0] == "policy"


def test_integer_and_paper_policies_differ_on_nb_and_ta_only(tmp_path):
    """The integer policy moves two of the paper's Table-1 choices: Nb 16 → 17, Ta 12 → 13."""
    path = tcfit.write_baseline("table1", tmp_path / "paper.yml", policy="paper")
    diff = tcfit.check("table1", path, policy="integer").differences
    assigned = diff[diff["field"] == "i_assigned"]
    assert assigned[["material", "old", "new"]].values.tolist() == [
        ["Nb", 16.0, 17.0],
        ["Ta", 12.0, 13.0],
    ]


def test_against_reference_lists_the_papers_choices_the_policy_rejects():
    outcome = tcfit.check("table1", against_reference=True)
    diff = outcome.differences
    assert diff["source"].unique().tolist() == ["reference"]
    # Implied i recomputed here from the printed inputs (Bc in T, n in m⁻³, Tc in K).
    expected = {
        "Ta": (12, 13, (C_CODATA * 0.0823 / (2.777e29 ** (1 / 6) * 4.48)) ** 2),
        "Nb": (16, 17, (C_CODATA * 0.1950 / (2.776e29 ** (1 / 6) * 9.26)) ** 2),
    }
    assert sorted(diff["material"]) == sorted(expected)
    for row in diff.itertuples():
        paper_i, integer_i, implied = expected[row.material]
        assert (row.old, row.new) == (paper_i, integer_i)
        assert row.i_implied == pytest.approx(implied, rel=1e-12)
        assert row.residual_reference == pytest.approx(math.sqrt(implied / paper_i) - 1, rel=1e-9)
        assert row.residual_assigned == pytest.approx(math.sqrt(implied / integer_i) - 1, rel=1e-9)
        assert f"the data give i = {paper_i}" in row.description
    assert tcfit.check("table1", against_reference=True, policy="paper").ok


def test_against_reference_needs_an_i_column(table1):
    no_i = table1.drop(columns=["i"])
    no_i.attrs = dict(table1.attrs)
    with pytest.raises(tcfit.DataError, match="no `i` column"):
        tcfit.check(no_i, against_reference=True)


def test_check_needs_something_to_compare_with():
    with pytest.raises(tcfit.InputError, match="Nothing to check against"):
        tcfit.check("table1")


def test_options_cannot_be_given_with_a_finished_fit(table1_baseline):
    result = tcfit.fit("table1")
    assert tcfit.check(result, table1_baseline).ok
    with pytest.raises(tcfit.InputError, match="policy cannot be given with a finished FitResult"):
        tcfit.check(result, table1_baseline, policy="paper")


def test_baseline_may_be_given_as_a_dictionary(table1_baseline):
    baseline = read_baseline(table1_baseline)
    baseline["materials"]["Al"]["i_assigned"] = 2
    outcome = tcfit.check("table1", baseline)
    assert outcome.changed_materials == ["Al"]
    assert outcome.baseline_file is None


def test_check_result_is_frozen_and_json_ready(table1_baseline):
    baseline = read_baseline(table1_baseline)
    baseline["materials"]["Hg"]["i_implied_err"] = math.nan
    outcome = tcfit.check("table1", baseline, against_reference=True)
    with pytest.raises(AttributeError):
        outcome.rtol = 1.0
    payload = json.loads(json.dumps(outcome.to_dict(), allow_nan=False))
    assert payload["ok"] is False
    assert payload["changed_materials"] == ["Hg", "Nb", "Ta"]
    assert {d["source"] for d in payload["differences"]} == {"baseline", "reference"}
    hg = next(d for d in payload["differences"] if d["material"] == "Hg")
    assert hg["old"] is None


def test_fresh_baseline_carries_provenance():
    fresh = baseline_from_result(tcfit.fit("table1", seed=4))
    assert fresh["data"]["name"] == "table1"
    assert len(fresh["data"]["sha256"]) == 64
    assert fresh["fit"]["policy"] == "integer"
    assert fresh["fit"]["seed"] == 4
    assert "draws" not in fresh["fit"]  # the Monte Carlo is gone: p_stable is a closed form
    assert fresh["fit"]["prefactor"] == tcfit.PREFACTOR
    assert fresh["tcfit_version"] == tcfit.__version__
    al = fresh["materials"]["Al"]
    # residual_err = |1 + residual| · (σ_i / i) / 2, first-order propagation.
    assert al["residual_err"] == pytest.approx(
        (1 + al["residual"]) * al["i_implied_err"] / al["i_implied"] / 2, rel=1e-12
    )


# --------------------------------------------------------------------------------------------
# The shipped baselines, checked with pytest-regressions (regenerate: --force-regen)
# --------------------------------------------------------------------------------------------

SHIPPED = [("table1", "integer"), ("table1", "paper"), ("elements", "integer")]


def test_every_shipped_baseline_is_checked_here():
    assert sorted(baseline_names()) == sorted(SHIPPED)


@pytest.mark.parametrize(("dataset", "policy"), SHIPPED)
def test_shipped_baseline(tcfit_regression, dataset, policy):
    # Built by hand rather than by baseline_path(), so that a new baseline is created on first run.
    path = Path(str(resources.files("tcfit.datasets"))) / "baselines" / f"{dataset}-{policy}.yml"
    tcfit_regression.check(dataset, policy=policy, fullpath=path)
    assert baseline_path(dataset, policy=policy) == path


def test_shipped_table1_baselines_match_the_paper_where_they_should():
    integer = read_baseline(baseline_path("table1", policy="integer"))["materials"]
    paper = read_baseline(baseline_path("table1", policy="paper"))["materials"]
    printed = tcfit.datasets.load("table1").set_index("material")["i"]
    assert {m: v["i_assigned"] for m, v in paper.items()} == printed.astype(int).to_dict()
    moved = sorted(m for m in integer if integer[m]["i_assigned"] != paper[m]["i_assigned"])
    assert moved == ["Nb", "Ta"]


def test_unknown_shipped_baseline_lists_the_known_ones():
    with pytest.raises(tcfit.DataError, match="ships no baseline for dataset 'table1' with policy"):
        baseline_path("table1", policy="half")


def test_baseline_path_is_a_real_file():
    path = baseline_path("table1")
    assert path.is_file()
    assert path.name == "table1-integer.yml"


@pytest.mark.parametrize("module", ["tcfit.regression", "tcfit.datasets._baselines"])
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_a_baseline_from_before_p_stable_still_loads_and_names_the_new_fields(tmp_path):
    """A baseline written before p_stable and posterior_assigned existed (with the retired
    Monte Carlo's `draws` in its fit section) loads, passes, and names the new fields."""
    fresh = baseline_from_result(tcfit.fit("table1"))
    old = copy.deepcopy(fresh)
    old["fit"]["draws"] = 2000
    for entry in old["materials"].values():
        del entry["p_stable"], entry["posterior_assigned"]
    path = tmp_path / "old.yml"
    path.write_text(dump_baseline(old), encoding="utf-8")
    assert "  p_stable:" not in path.read_text(encoding="utf-8")
    outcome = tcfit.check("table1", path)
    assert outcome.ok, outcome.describe()
    assert outcome.added_fields == ("p_stable", "posterior_assigned")
    assert "New in this tcfit, not in the baseline" in outcome.describe()
    # Rewriting it records them.
    tcfit.write_baseline("table1", path)
    assert tcfit.check("table1", path).added_fields == ()


def test_the_posterior_is_recorded_but_not_compared(table1, table1_baseline):
    """Editing Zn's Bc by ×1.5 moves the posterior of many other materials (they share the
    envelope), but only Zn is named; the posterior is in the file all the same."""
    edited = table1.copy()
    edited.attrs = dict(table1.attrs)
    edited.loc[edited["material"] == "Zn", "bc"] *= 1.5
    outcome = tcfit.check(edited, table1_baseline)
    assert outcome.changed_materials == ["Zn"]
    assert "posterior_assigned" not in set(outcome.differences["field"])
    fresh = outcome.fresh.materials
    assert (fresh["posterior_assigned"].drop("Zn") != read_baseline_frame(table1_baseline)).any()


def read_baseline_frame(path):
    return tcfit.Baseline.read(path).materials["posterior_assigned"].drop("Zn")
