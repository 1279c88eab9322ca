"""The valence systematic: conventions from the periodic table, apparent valences, refits."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tcfit
from tcfit.valence import apparent_valence, valence, valence_sensitivity


@pytest.mark.parametrize(
    ("symbol", "group", "d10"),
    [
        ("Al", 3, 3), ("Sn", 4, 4), ("Pb", 4, 4), ("In", 3, 3), ("Tl", 3, 3), ("Ga", 3, 3),
        ("Zn", 2, 12), ("Cd", 2, 12), ("Hg", 2, 12), ("Nb", 5, 5), ("V", 5, 5), ("Ta", 5, 5),
        ("Mo", 6, 6), ("W", 6, 6), ("Re", 7, 7), ("Os", 8, 8), ("Ru", 8, 8), ("Ir", 9, 9),
        ("Ti", 4, 4), ("Zr", 4, 4), ("Hf", 4, 4), ("Th", 4, 4), ("La", 3, 3), ("Lu", 3, 3),
        ("Li", 1, 1), ("Be", 2, 2),
    ],
)  # fmt: skip
def test_conventions_by_hand(symbol, group, d10):
    assert valence(symbol, "group") == group
    assert valence(symbol, "d10") == d10


@pytest.mark.parametrize("symbol", ["Ce", "U", "Am", "Cl", "Ne", "Xx"])
def test_no_convention_for_f_block_halogens_noble_gases_and_unknowns(symbol):
    assert math.isnan(valence(symbol, "group"))


def test_table1s_apparent_valences_show_its_mixed_convention():
    """n·M/(ρ N_A) with periodictable's ρ and M: Hg counts 12 electrons, Zn and Cd 2 (the audit:
    Hg 11.99, Zn 2.00, Cd 2.08)."""
    df = tcfit.datasets.load("table1")
    z = dict(zip(df["material"].str.split("(").str[0], apparent_valence(df), strict=True))
    assert z["Hg"] == pytest.approx(11.99, abs=0.01)
    assert z["Zn"] == pytest.approx(2.00, abs=0.01)
    assert z["Cd"] == pytest.approx(2.08, abs=0.01)
    assert z["Nb"] == pytest.approx(5.00, abs=0.01)


def test_refits_under_each_convention_on_table1():
    v = valence_sensitivity("table1")
    summary = v.summary.set_index("convention")
    assert summary.loc["data", "changed"] == []
    assert summary.loc["group", "changed"] == ["Hg"]
    assert sorted(summary.loc["d10", "changed"]) == ["Cd", "Zn"]
    # i ∝ n^(-1/3): counting 2 instead of 12 electrons multiplies Hg's implied i by 6^(1/3).
    hg = v.table.set_index("material").loc["Hg"]
    assert hg["i_implied_group"] / hg["i_implied_data"] == pytest.approx(6 ** (1 / 3), rel=1e-9)
    assert hg["n_group"] / hg["n_data"] == pytest.approx(2 / 12, rel=1e-12)
    # The fit under a convention is an ordinary fit of the changed table, with the same options.
    assert v.fits["group"].options == v.fits["data"].options


def test_refits_on_elements_and_json():
    import json

    v = valence_sensitivity("elements", conventions=("data", "group"))
    assert v.summary.set_index("convention").loc["group", "changed"] == ["Ir", "Nb"]
    nb = v.table.set_index("material").loc["Nb"]
    assert (nb["valence_group"], round(nb["valence_apparent"], 2)) == (5.0, 0.99)
    payload = json.loads(json.dumps(v.to_dict(), allow_nan=False))
    assert {r["convention"] for r in payload["summary"]} == {"data", "group"}
    assert np.isfinite(v.table["n_group"]).all()


def test_unknown_convention():
    with pytest.raises(tcfit.InputError, match=r"The `conventions` parameter must be one of"):
        valence_sensitivity("table1", conventions=("data", "groups"))
