"""The built-in datasets ``elements`` and ``elements_all`` (tcfit.datasets._elements)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest

import tcfit
from tcfit.datasets import _elements, load, metadata, names, resolve
from tcfit.datasets._elements import build, check_reference_rows, select_fittable
from tcfit.datasets._registry import data_bytes
from tcfit.datasets._schema import canonical_schema

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "data" / "elements_reference.csv"

FITTABLE = ["Al", "Cd", "Ga", "Hg", "In", "Ir", "Nb", "Pb", "Re", "Sn", "Tl", "Zn", "Zr"]
# Rows of elements_all.csv (header = row 1) without Bc(0); Am (row 30) also lacks n.
NO_BC = {
    "Be": 3, "Hf": 6, "La": 10, "Lu": 11, "Mo": 12, "Os": 14, "Pa": 15, "Ru": 18, "Ta": 20,
    "Tc": 21, "Th": 22, "Ti": 23, "U": 25, "V": 26, "W": 27, "Am": 30, "Li": 31, "Rh": 32,
}  # fmt: skip


def _rows(filename: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data_bytes(filename).decode("utf-8"), newline="")))


def test_names_and_row_counts():
    assert {"table1", "elements", "elements_all"} <= set(names())
    assert len(load("elements_all")) == 31
    assert load("elements").material.tolist() == FITTABLE
    assert len(load("table1")) == 21


# Values as printed in elements_reference.md (primary sources) and its units note.
@pytest.mark.parametrize(
    ("material", "column", "expected"),
    [
        ("Al", "tc", 1.175),
        ("Al", "bc", 103.0e-4),  # P_AL: Hc(0) 103.0 G
        ("Al", "n", 18.1e28),  # OSX93: 18.1e28 m^-3
        ("Al", "gamma", 1.35e-3),  # P_AL: 1.35 mJ mol^-1 K^-2
        ("Al", "debye_temperature", 428.0),
        ("Sn", "bc", 305.5e-4),  # P_SN: Hc0 = 305.5 Oe
        ("Tl", "bc", 176.5e-4),  # P_HGTL: Hc(0) 176.5 G
        ("Tl", "gamma", 1.47e-3),
        ("Ir", "tc", 0.1125),  # P_IR
        ("Ir", "bc", 16.00e-4),
        ("Ir", "gamma", 3.19e-3),
        ("Re", "bc", 211e-4),  # P_RE: H0 211 Oe
        ("Nb", "bc", 2000e-4),  # OSX, kept over P_NB's 8250 Oe
        ("Hg", "tc", 4.154),
        ("V", "gamma", 9.82e-3),  # P_V
        ("Th", "tc", 1.38),
    ],
)
def test_values_in_si(material, column, expected):
    df = load("elements_all").set_index("material")
    assert df.loc[material, column] == pytest.approx(expected, rel=1e-12)


def test_density_and_molar_mass_in_si():
    al = load("elements").set_index("material").loc["Al"]
    assert al.density == pytest.approx(2698.9)  # 2.6989 g/cm^3 (periodictable 2.1.0)
    assert al.molar_mass == pytest.approx(0.0269815385)


def test_nothing_is_filled_in():
    df = load("elements_all")
    assert df.bc.notna().sum() == 13
    assert df.gamma.notna().sum() == 13
    assert df.n.notna().sum() == 30  # all but Am
    assert df.valence.notna().sum() == 27  # blank for La, Os, Zr and Am
    assert df.debye_temperature.notna().sum() == 31
    assert not df.n_derived.any()
    assert df.attrs["derived"] == {}
    assert np.isnan(df.set_index("material").loc["Zr"].valence)  # n/atoms = 3.56, left blank


def test_source_columns_are_kept():
    df = load("elements_all")
    for column in (
        "name",
        "phase",
        "tc_source",
        "tc_other_values",
        "bc0_source",
        "bc0_other_values",
        "gamma_source",
        "n_source",
        "density_source",
        "molar_mass_source",
        "debye_source",
        "debye_other_values",
        "m_thermal_ratio",
    ):
        assert column in df.columns, column
    pb = df.set_index("material").loc["Pb"]
    assert pb.m_thermal_ratio == pytest.approx(1.97)
    assert pb.debye_source.endswith("(public repository, name not recorded)")
    assert pb.debye_other_values == "105 (WIKID); 105 (MSS)"
    assert pb.note.startswith("Bc: single source (0.080 T)")


def test_metadata_cites_sources_and_units():
    for name in ("elements", "elements_all"):
        meta = metadata(name)
        for key in ("PMG:", "OSX:", "MSS:", "KIT7D:", "P_AL:"):
            assert key in meta["sources"]
        assert meta["columns"]["bc0_gauss"]["unit"] == "G"
        assert meta["columns"]["n_free_1e29_per_m3"]["unit"] == "1e29 m^-3"
        assert all("description" in spec for spec in meta["columns"].values())
        df = load(name)
        assert df.attrs["units_as_given"]["bc"] == "G"
        assert df.attrs["columns_as_given"]["bc"] == "bc0_gauss"
        assert df.attrs["title"] == meta["title"]
    assert metadata("elements")["rows"] == 13
    assert metadata("elements_all")["rows"] == 31


def test_elements_all_refuses_rows_without_bc_or_n():
    with pytest.raises(tcfit.DataError, match=r"19 problems in elements_all.csv") as info:
        resolve("elements_all")
    named = {(p.row, p.column) for p in info.value.problems}
    assert named == {(row, "bc0_gauss") for row in NO_BC.values()} | {(30, "n_free_1e29_per_m3")}
    for symbol, row in NO_BC.items():
        expected = f"row {row}, column 'bc0_gauss': No value for the required column 'bc0_gauss'"
        assert f"{expected} of {symbol!r}" in str(info.value)


def test_elements_all_with_skip_invalid_gives_the_fittable_rows():
    df = resolve("elements_all", skip_invalid=True)
    assert df.material.tolist() == FITTABLE
    assert sorted(d["material"] for d in df.attrs["dropped"]) == sorted(NO_BC)
    assert {d["row"] for d in df.attrs["dropped"]} == set(NO_BC.values())
    reference = load("elements")
    for column in ("tc", "bc", "n", "gamma", "valence", "density", "molar_mass"):
        np.testing.assert_array_equal(df[column].to_numpy(), reference[column].to_numpy())


def test_elements_resolves_without_warnings_and_fits_the_schema():
    df = resolve("elements")  # filterwarnings=error: no implied-i unit warning
    canonical_schema().validate(df)
    implied = tcfit.implied_i(df.tc.to_numpy(), df.bc.to_numpy(), df.n.to_numpy())
    assert np.all((implied > 1e-3) & (implied < 1e4))


def test_shipped_elements_csv_is_the_fittable_selection_of_elements_all():
    assert _rows("elements.csv") == select_fittable(_rows("elements_all.csv"))
    assert len(_rows("elements_all.csv")) == 32
    assert {len(r) for r in _rows("elements_all.csv")} == {27}


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference data not present")
def test_build_from_the_shared_reference_reproduces_the_shipped_files(tmp_path):
    summary = build(REFERENCE, tmp_path)
    assert summary["rows_all"] == 31
    assert summary["fittable"] == FITTABLE
    for filename in ("elements_all.csv", "elements.csv"):
        assert (tmp_path / filename).read_bytes() == data_bytes(filename)


def test_build_refuses_a_malformed_reference_instead_of_repairing_it(tmp_path):
    rows = [["symbol", "debye_source", "notes"], ["Xx", "a, b", "c"]]
    check_reference_rows(rows)  # a quoted comma is one cell: fine
    split = [["symbol", "debye_source", "notes"], ["Xx", "ok", "c"], ["Zz", "x (a", " b)", "c"]]
    with pytest.raises(
        ValueError, match=r"Line 3 \('Zz'\) of the reference has 4 cells; the header has 3"
    ):
        check_reference_rows(split)
    source = tmp_path / "reference.csv"
    source.write_text("symbol,debye_source,notes\nZz,x (a, b),c\n", encoding="utf-8")
    with pytest.raises(ValueError, match="the build repairs nothing"):
        build(source, tmp_path)
    assert not (tmp_path / "elements_all.csv").exists()


def test_build_script_entry_point(tmp_path, capsys):
    source = tmp_path / "reference.csv"
    source.write_bytes(data_bytes("elements_all.csv"))
    assert _elements.main([str(source), str(tmp_path)]) == 0
    assert "elements_all.csv: 31 rows; elements.csv: 13 rows" in capsys.readouterr().out
    assert _elements.main([]) == 2


def test_table1_is_unchanged_by_the_loaders():
    df = load("table1")
    assert df.columns.tolist() == ["material", "tc", "bc", "n", "i", "tc_printed", "note"]
    al = df.iloc[0]
    assert (al.material, al.tc, al.bc, al.n, al.i) == ("Al", 1.19, 99e-4, 1.812e29, 3.0)
