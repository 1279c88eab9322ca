"""compare_sources: per-material implied and assigned i from two sources, flags for changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tcfit
from tcfit import model


def _source(name, rows):
    """rows: (material, implied i) with fixed Bc and n; Tc from Eq. (5)."""
    df = pd.DataFrame(
        {
            "material": [m for m, _ in rows],
            "bc": 0.01,
            "n": 1.5e29,
        }
    )
    df["tc"] = model.tc(df["bc"].to_numpy(), df["n"].to_numpy(), np.array([i for _, i in rows]))
    df.attrs["name"] = name
    return df[["material", "tc", "bc", "n"]]


def test_changes_are_flagged():
    a = _source("a", [("Al", 2.9), ("Nb", 16.4), ("Pb", 6.1), ("Zn", 2.0)])
    b = _source("b", [("Nb", 16.6), ("Al", 3.1), ("Pb", 6.6), ("Sn", 3.0)])
    df = tcfit.compare_sources(a, b)
    # In the order of `a`, only shared materials. Nb: 16.4 → 16, 16.6 → 17 (boundary 16.49);
    # Pb: 6.1 → 6, 6.6 → 7 (boundary √42 = 6.48); Al stays 3.
    assert list(df["material"]) == ["Al", "Nb", "Pb"]
    assert list(df["i_assigned_a"]) == [3, 16, 6]
    assert list(df["i_assigned_b"]) == [3, 17, 7]
    assert list(df["changed"]) == [False, True, True]
    np.testing.assert_allclose(df["i_implied_a"], [2.9, 16.4, 6.1], rtol=1e-9)
    np.testing.assert_allclose(df["implied_ratio"], [3.1 / 2.9, 16.6 / 16.4, 6.6 / 6.1])
    assert df.attrs["only_a"] == ["Zn"]
    assert df.attrs["only_b"] == ["Sn"]
    assert df.attrs["n_changed"] == 2
    for column in ("material", "i_implied_a", "i_assigned_a", "i_implied_b", "i_assigned_b"):
        assert column in df.columns
    for column in ("residual_a", "residual_b", "tc_a", "tc_b", "p_stable_a"):
        assert column in df.columns


def test_policy_applies_to_both():
    a = _source("a", [("X", 8.4)])
    b = _source("b", [("X", 8.6)])
    # Integers: 8 and 9 (boundary √72 = 8.485). Paper set: both 7 (boundary √84 = 9.165).
    assert bool(tcfit.compare_sources(a, b)["changed"].iloc[0])
    paper = tcfit.compare_sources(a, b, policy="paper")
    assert not paper["changed"].iloc[0]
    assert paper["i_assigned_a"].iloc[0] == paper["i_assigned_b"].iloc[0] == 7


def test_same_source_changes_nothing_and_fit_results_are_accepted():
    res = tcfit.fit("table1")
    df = tcfit.compare_sources(res, "table1")
    assert len(df) == 21
    assert not df["changed"].any()
    assert df.attrs["a"] == df.attrs["b"] == "table1"


def test_no_shared_material_is_a_data_error():
    with pytest.raises(tcfit.DataError, match=r"share no material name"):
        tcfit.compare_sources(_source("a", [("X", 2.0)]), _source("b", [("Y", 2.0)]))


@pytest.mark.skipif(
    "elements" not in tcfit.datasets.names(), reason="the elements dataset (issue 3) is not in"
)
def test_table1_against_elements():
    df = tcfit.compare_sources("table1", "elements")
    assert len(df) >= 5
    assert set(df["material"]) <= set(tcfit.datasets.load("table1")["material"])


def test_doctests():
    import doctest

    from tcfit import sources

    assert doctest.testmod(sources, optionflags=doctest.ELLIPSIS).failed == 0


def test_change_of_implied_i_is_decomposed_into_tc_bc_and_n():
    df = tcfit.compare_sources("table1", "elements")
    parts = df["dln_i_tc"] + df["dln_i_bc"] + df["dln_i_n"]
    np.testing.assert_allclose(parts, df["dln_i"], rtol=0, atol=1e-12)
    # By hand for Hg: only n differs much (Table-1 counts 12 electrons per atom, the reference 2):
    # Δ ln i from n = −(1/3)·ln(n_b/n_a).
    hg = df.set_index("material").loc["Hg"]
    assert hg["dln_i_n"] == pytest.approx(-np.log(hg["n_b"] / hg["n_a"]) / 3, rel=1e-12)
    assert hg["dln_i_n"] == pytest.approx(0.575, abs=0.002)  # the audit's 0.575
    nb = df.set_index("material").loc["Nb"]
    assert nb["dln_i_n"] == pytest.approx(0.539, abs=0.002)
