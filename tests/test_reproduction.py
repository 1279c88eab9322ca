"""Every number the paper prints, recomputed from its own inputs (never copied)."""

from __future__ import annotations

import math

import pytest

import tcfit
from tcfit import datasets
from tcfit.reproduction import half_unit

REPRODUCTION = tcfit.reproduce_table1()
TABLE = REPRODUCTION.table.set_index("material")
ONE_PERCENT = 0.01


@pytest.mark.parametrize("material", TABLE.index.tolist())
def test_theoretical_tc_reproduced(material):
    """Within 1 % relative, or within the printed rounding where that is coarser (W only)."""
    row = TABLE.loc[material]
    recomputed = tcfit.tc(row["bc"], row["n"], row["i"])  # from the inputs, not the printed Tc
    assert recomputed == pytest.approx(row["tc_recomputed"], rel=1e-14)
    tolerance = max(ONE_PERCENT, half_unit(row["tc_printed_text"]) / row["tc_printed"])
    assert recomputed == pytest.approx(row["tc_printed"], rel=tolerance)


def test_only_w_needs_the_rounding_allowance():
    beyond_one_percent = TABLE.index[TABLE["deviation"].abs() > ONE_PERCENT].tolist()
    assert beyond_one_percent == ["W"]
    w = TABLE.loc["W"]
    assert abs(w["tc_recomputed"] - w["tc_printed"]) <= half_unit("0.012")


ALTERNATIVES = REPRODUCTION.alternatives


@pytest.mark.parametrize(
    "k",
    range(len(ALTERNATIVES)),
    ids=lambda k: "{material}-i={i_printed}".format(**ALTERNATIVES.iloc[k]),
)
def test_alternative_i_values_reproduced(k):
    alt = ALTERNATIVES.iloc[k]
    row = TABLE.loc[alt["material"]]
    recomputed = tcfit.tc(row["bc"], row["n"], alt["i"])
    assert recomputed == pytest.approx(alt["tc_printed"], rel=ONE_PERCENT)


def test_nb_alternatives_were_scaled_from_the_rounded_printed_value():
    """Finding: 9.44 K × √(16/i) gives the printed Nb values to the digit; Eq. (5) does not."""
    nb = ALTERNATIVES[ALTERNATIVES["material"] == "Nb"]
    for alt in nb.itertuples():
        scaled = 9.44 * math.sqrt(16 / alt.i)
        assert abs(scaled - alt.tc_printed) <= half_unit(alt.tc_printed_text) * (1 + 1e-9)
        assert alt.beyond_rounding


def test_al_worked_example_reproduced():
    ex = datasets.table1_worked_example()
    assert tcfit.ns_max(ex["tc"], ex["n"]) == pytest.approx(1.589e24, rel=ONE_PERCENT)
    assert tcfit.jc_max(ex["tc"], ex["n"]) / 1e4 == pytest.approx(5.16e7, rel=ONE_PERCENT)  # A/cm²


def test_recorded_findings_match_the_recomputation():
    """The dataset notes list exactly the rows the code finds beyond rounding, with its numbers."""
    findings = datasets.metadata("table1")["reproduction_findings"]
    recorded = {f["material"]: f for f in findings["table_rows_beyond_rounding"]}
    beyond = TABLE[TABLE["beyond_rounding"]]
    assert set(recorded) == set(beyond.index)
    for material, row in beyond.iterrows():
        assert recorded[material]["recomputed_K"] == pytest.approx(row["tc_recomputed"], abs=5e-5)
        assert recorded[material]["deviation_percent"] == pytest.approx(
            100 * row["deviation"], abs=5e-3
        )
    alt_recorded = {(f["material"], f["i"]) for f in findings["alternatives_beyond_rounding"]}
    alt_beyond = ALTERNATIVES[ALTERNATIVES["beyond_rounding"]]
    assert alt_recorded == set(zip(alt_beyond["material"], alt_beyond["i_printed"], strict=True))
    worked_recorded = {f["quantity"] for f in findings["worked_example_beyond_rounding"]}
    worked = REPRODUCTION.worked_example
    assert worked_recorded == set(worked.loc[worked["beyond_rounding"], "quantity"])


def test_paper_prefactor_lowers_every_value_by_the_same_ratio():
    ratio = TABLE["tc_recomputed_paper"] / TABLE["tc_recomputed"]
    assert ratio.to_numpy() == pytest.approx(1.56e7 / tcfit.PREFACTOR, rel=1e-12)


def test_to_dict_is_json_ready():
    import json

    payload = json.loads(json.dumps(REPRODUCTION.to_dict(), allow_nan=False))
    assert len(payload["rows"]) == 21
    assert {"material", "tc_printed", "tc_recomputed", "deviation"} <= set(payload["rows"][0])
    assert len(payload["alternatives"]) == 7
    assert [w["quantity"] for w in payload["worked_example"]] == ["ns_max", "jc"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.146", 5e-4), ("99", 0.5), ("4.6", 0.05), ("1.589e24", 5e20), ("377.6", 0.05)],
)
def test_half_unit(text, expected):
    assert half_unit(text) == pytest.approx(expected, rel=1e-12)
