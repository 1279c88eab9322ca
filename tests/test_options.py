"""FitOptions travel whole: validation, round trips, and the bugs of loose keywords, pinned."""

from __future__ import annotations

import json
import math
import pickle

import numpy as np
import pytest
from typer.testing import CliRunner

import tcfit
from tcfit.cli import app
from tcfit.options import DEFAULT_REL_ERR, FitOptions

runner = CliRunner()


def test_defaults_and_round_trip_through_a_dict():
    opts = FitOptions()
    assert (opts.model, opts.policy, opts.i_max, opts.seed) == ("eq5", "integer", 20, 0)
    assert dict(opts.rel_err) == dict(DEFAULT_REL_ERR) == {"tc": 0.02, "bc": 0.05, "n": 0.05}
    assert opts.prefactor == tcfit.PREFACTOR
    custom = FitOptions(
        policy="1,2,3,1/2",
        i_max=7,
        seed=5,
        rel_err={"bc": 0.1},
        prefactor=1.56e7,
        skip_invalid=True,
        units={"bc": "G"},
        sheet="data",
        encoding="CP1252",
    )
    assert custom.encoding == "cp1252"  # the codec's canonical name
    assert custom.policy == (0.5, 1.0, 2.0, 3.0)
    assert dict(custom.rel_err) == {"tc": 0.02, "bc": 0.1, "n": 0.05}
    back = FitOptions.from_dict(json.loads(json.dumps(custom.to_dict())))
    assert back == custom
    assert pickle.loads(pickle.dumps(custom)) == custom


def test_a_named_policy_is_restored_by_name_and_an_odd_one_by_its_values():
    assert FitOptions.from_dict({"policy": "paper"}).policy == "paper"
    # An older baseline: integer policy with 30 values and no i_max recorded.
    old = {"policy": "integer", "policy_values": list(range(1, 31)), "prefactor": 1.5e7}
    restored = FitOptions.from_dict(old)
    assert (restored.policy, restored.i_max) == ("integer", 30)
    assert FitOptions.from_dict({"policy": "custom", "policy_values": [1, 4]}).policy == (1.0, 4.0)


def test_options_are_frozen_and_replace_validates():
    opts = FitOptions()
    with pytest.raises(AttributeError):
        opts.seed = 3  # type: ignore[misc]
    with pytest.raises(TypeError, match="read-only"):
        opts.rel_err["tc"] = 0.5  # type: ignore[index]
    assert opts.replace(seed=3).seed == 3
    with pytest.raises(tcfit.InputError, match=r"Unknown fit option 'sede'; the options are model"):
        opts.replace(sede=3)
    with pytest.raises(tcfit.InputError, match=r"Unknown fit option 'sede'"):
        tcfit.fit("table1", sede=3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"i_max": 0}, r"The `i_max` parameter must be an integer of at least 1; not 0"),
        ({"prefactor": math.nan}, r"The `prefactor` parameter must be a positive number"),
        ({"model": "eq6"}, r"The `model` parameter must be one of 'eq5'"),
        ({"policy": "1,x"}, r"The `policy` list must be comma-separated numbers"),
        ({"units": {"bc": 3}}, r"The `units` parameter must map column names to unit strings"),
        ({"skip_invalid": "yes"}, r"The `skip_invalid` parameter must be True or False"),
        ({"sheet": 1.5}, r"The `sheet` parameter must be a sheet name or position"),
        ({"encoding": "klingon"}, r"The `encoding` parameter must name a text encoding"),
    ],
)
def test_invalid_options_name_the_parameter(kwargs, match):
    with pytest.raises(tcfit.InputError, match=match):
        FitOptions(**kwargs)


def test_a_fit_passes_its_options_on_and_options_object_and_keywords_agree():
    opts = FitOptions(policy="paper", seed=3, rel_err={"bc": 0.1})
    a = tcfit.fit("table1", opts)
    b = tcfit.fit("table1", policy="paper", seed=3, rel_err={"bc": 0.1})
    assert a.options == b.options == opts
    np.testing.assert_array_equal(a.table["i_implied_err"], b.table["i_implied_err"])
    # σ(ln i) = sqrt((2·0.1)² + (0.05/3)² + (2·0.02)²) with the 10 % Bc default.
    expected = math.sqrt(0.2**2 + (0.05 / 3) ** 2 + 0.04**2)
    al = a.table.iloc[0]
    assert al.i_implied_err / al.i_implied == pytest.approx(expected, rel=1e-12)


# -- the rel_err baseline bug: a baseline must pass its own check ------------------------------


def test_a_baseline_written_with_rel_err_passes_its_own_check(tmp_path):
    path = tcfit.write_baseline("table1", tmp_path / "b.yml", rel_err={"bc": 0.1}, prefactor=1.56e7)
    outcome = tcfit.check("table1", path)
    assert outcome.ok, outcome.describe()
    assert outcome.result.options.rel_err["bc"] == 0.1
    assert outcome.result.options.prefactor == 1.56e7
    cli = runner.invoke(app, ["check", "table1", "--baseline", str(path)])
    assert cli.exit_code == 0, cli.output
    # Overriding a recorded option on purpose is reported as a change of the fit settings.
    moved = tcfit.check("table1", path, rel_err={"bc": 0.05})
    assert "rel_err" in set(moved.differences["field"])


# -- one set of options for every command that reads or fits data ------------------------------


def _option_names(command_name):
    import typer.main

    group = typer.main.get_command(app)
    command = group.commands[command_name]  # type: ignore[attr-defined]
    return {p.name for p in command.params}


@pytest.mark.parametrize("command", ["fit", "check", "report"])
def test_fitting_commands_share_every_read_and_fit_option(command):
    from tcfit.cli._options import FIT_OPTIONS, READ_OPTIONS

    assert set(READ_OPTIONS) | set(FIT_OPTIONS) <= _option_names(command)


def test_validate_has_the_read_options():
    from tcfit.cli._options import READ_OPTIONS

    assert set(READ_OPTIONS) <= _option_names("validate")


@pytest.mark.parametrize("command", ["fit", "check", "report"])
def test_a_policy_list_works_in_every_command(command, tmp_path):
    args = {
        "fit": ["fit", "table1", "--policy", "1,2,3,5", "--json"],
        "check": [
            "check", "table1", "--policy", "1,2,3,5", "-b", str(tmp_path / "b.yml"), "--update",
        ],
        "report": [
            "report", "table1", "--policy", "1,2,3,5", "-o", str(tmp_path / "r"),
            "--format", "html", "--no-timestamp", "--json",
        ],
    }[command]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    if command == "check":
        baseline = tcfit.Baseline.read(tmp_path / "b.yml")
        assert baseline.options.policy == (1.0, 2.0, 3.0, 5.0)
    else:
        payload = json.loads(result.stdout)
        assert payload["summary"]["policy_values"] == [1.0, 2.0, 3.0, 5.0]


# -- the report's source comparison uses the report's options, not defaults ----------------------


def test_compare_fits_both_sources_with_the_same_options():
    analysis = tcfit.analysis.analyse("table1", compare="elements", rel_err={"bc": 0.1}, n_null=10)
    sources = analysis.sources
    primary = analysis.result.table.set_index("material")
    for _, row in sources.iterrows():
        assert row["i_implied_err_a"] == primary.at[row["material"], "i_implied_err"]
    other = tcfit.fit("elements", analysis.options).table.set_index("material")
    for _, row in sources.iterrows():
        assert row["i_implied_err_b"] == other.at[row["material"], "i_implied_err"]
