"""The built-in Table-1 dataset: faithful to the print, SI on load."""

from __future__ import annotations

import pandas as pd
import pytest

import tcfit
from tcfit import datasets


@pytest.fixture(scope="module")
def table1() -> pd.DataFrame:
    return datasets.load("table1")


def test_names_lists_table1():
    assert "table1" in datasets.names()
    assert datasets.names() == sorted(datasets.names())


def test_shape_and_canonical_columns(table1):
    assert len(table1) == 21
    assert list(table1.columns) == ["material", "tc", "bc", "n", "i", "tc_printed", "note"]
    assert table1["material"].is_unique


def test_converted_to_si(table1):
    al = table1.set_index("material").loc["Al"]
    assert al["n"] == pytest.approx(1.812e29, rel=1e-12)
    assert al["bc"] == pytest.approx(99e-4, rel=1e-12)
    assert al["tc"] == 1.19
    assert al["tc_printed"] == 1.19
    cd = table1.set_index("material").loc["Cd"]
    assert cd["n"] == pytest.approx(0.9624e29, rel=1e-12)
    w = table1.set_index("material").loc["W"]
    assert w["bc"] == pytest.approx(1.15e-4, rel=1e-12)


def test_attrs_carry_units_and_source(table1):
    assert table1.attrs["units"] == {"tc": "K", "bc": "T", "n": "m^-3", "tc_printed": "K", "i": "1"}
    assert table1.attrs["units_as_given"]["n"] == "1e29 m^-3"
    assert table1.attrs["units_as_given"]["bc"] == "1e-4 T"
    assert "Jiang" in table1.attrs["source"]
    assert len(table1.attrs["sha256"]) == 64


def test_paper_assignments_as_printed(table1):
    # Table-1 prints i once per group: 3 (rows 1-9), 5 (10-12), 6, 7, 2 (15-17), 1, 12 (19-20), 16.
    expected = [3] * 9 + [5] * 3 + [6, 7] + [2] * 3 + [1] + [12] * 2 + [16]
    assert table1["i"].tolist() == expected
    assert sorted(set(expected)) == [1, 2, 3, 5, 6, 7, 12, 16]


def test_phases_kept_in_note(table1):
    noted = table1.loc[table1["note"] != "", ["material", "note"]]
    assert noted.to_dict("list") == {
        "material": ["Hg", "Ti", "Th"],
        "note": ["printed as Hg(α)", "printed as Ti(α)", "printed as Th(α)"],
    }


def test_printed_strings_keep_printed_digits():
    printed = datasets.table1_printed()
    assert printed.loc[printed["metal"] == "Cd", "n_1e29_per_m3"].item() == "0.9624"
    assert printed.loc[printed["metal"] == "Re", "tc_exp_K"].item() == "1.70"
    assert printed.loc[printed["metal"] == "Ga", "tc_exp_K"].item() == "1.1"
    assert printed["no"].tolist() == [str(k) for k in range(1, 22)]


def test_alternatives_as_printed():
    alt = datasets.table1_alternatives()
    assert list(zip(alt["material"], alt["i_printed"], alt["tc_printed_text"], strict=True)) == [
        ("Al", "1", "2.06"),
        ("Al", "2", "1.46"),
        ("Ta", "1", "15.93"),
        ("V", "1", "18.96"),
        ("Nb", "1", "37.76"),
        ("Nb", "1/4", "75.52"),
        ("Nb", "1/100", "377.6"),
    ]
    assert alt["i"].tolist() == [1, 2, 1, 1, 1, 0.25, 0.01]


def test_worked_example_in_si():
    ex = datasets.table1_worked_example()
    assert ex["ns_max"] == pytest.approx(1.589e24)
    assert ex["jc"] == pytest.approx(5.16e7 * 1e4)  # A/cm² -> A/m²
    assert (ex["tc"], ex["n"]) == (1.19, pytest.approx(1.812e29))


def test_metadata_documents_every_column():
    meta = datasets.metadata("table1")
    assert set(meta["columns"]) == set(datasets.table1_printed().columns)
    assert meta["transcription_notes"]


def test_unknown_name_is_a_data_error():
    with pytest.raises(tcfit.DataError, match=r"no built-in dataset named 'tabel1'.*'table1'"):
        datasets.load("tabel1")


def test_load_returns_a_fresh_frame_each_time():
    first = datasets.load("table1")
    first.loc[0, "bc"] = 1.0
    assert datasets.load("table1").loc[0, "bc"] == pytest.approx(0.0099)
