"""tcfit.read / tcfit.datasets.resolve: formats, aliases, header units, n from valence, errors."""

from __future__ import annotations

import doctest
import hashlib
import io
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tcfit
from tcfit.datasets import (
    _aliases,
    _cells,
    _digest,
    _provenance,
    _raw,
    _read,
    _registry,
    _sanity,
    _schema,
    formats,
    read,
    resolve,
)
from tcfit.datasets._aliases import match_header, split_header
from tcfit.datasets._sanity import unit_hint
from tcfit.datasets._schema import canonical_schema

AVOGADRO = 6.02214076e23  # CODATA 2018, exact

# Three metals in lab units, and the same numbers in SI written out by hand.
LAB = pd.DataFrame(
    {
        "metal": ["Al", "Sn", "Pb"],
        "Tc [K]": [1.175, 3.72, 7.196],
        "Tc_err [K]": [0.002, 0.01, 0.005],
        "Bc [mT]": [10.3, 30.55, 80.3],
        "n (cm^-3)": [1.81e23, 1.48e23, 1.32e23],
        "source": ["P_AL", "P_SN", "OSX"],
    }
)
SI = {
    "material": ["Al", "Sn", "Pb"],
    "tc": [1.175, 3.72, 7.196],
    "tc_err": [0.002, 0.01, 0.005],
    "bc": [0.0103, 0.03055, 0.0803],
    "n": [1.81e29, 1.48e29, 1.32e29],
}


def _write(frame: pd.DataFrame, path: Path, fmt: str) -> Path:
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "tsv":
        frame.to_csv(path, index=False, sep="\t")
    elif fmt == "semicolon":
        frame.to_csv(path, index=False, sep=";")
    elif fmt == "xlsx":
        frame.to_excel(path, index=False)
    elif fmt == "json-records":
        frame.to_json(path, orient="records")
    elif fmt == "json-columns":
        frame.to_json(path, orient="columns")
    elif fmt == "json-split":
        frame.to_json(path, orient="split", index=False)
    elif fmt == "json-table":
        frame.to_json(path, orient="table", index=False)
    elif fmt == "json-lists":
        path.write_text(json.dumps(frame.to_dict(orient="list")), encoding="utf-8")
    elif fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:  # pragma: no cover
        raise AssertionError(fmt)
    return path


def _assert_si(df: pd.DataFrame) -> None:
    for column, values in SI.items():
        if column == "material":
            assert df[column].tolist() == values
        else:
            np.testing.assert_allclose(df[column].to_numpy(), values, rtol=1e-12)


def _text(text: str, name: str = "table.csv") -> io.BytesIO:
    buffer = io.BytesIO(text.encode("utf-8"))
    buffer.name = name
    return buffer


# -------------------------------------------------------------------------------- formats

FORMATS = {
    "csv": "t.csv",
    "tsv": "t.tsv",
    "semicolon": "t.csv",
    "xlsx": "t.xlsx",
    "json-records": "t.json",
    "json-columns": "t.json",
    "json-split": "t.json",
    "json-table": "t.json",
    "json-lists": "t.json",
    "parquet": "t.parquet",
}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_round_trip_every_format(fmt, tmp_path):
    path = _write(LAB, tmp_path / FORMATS[fmt], fmt)
    df = read(path)
    _assert_si(df)
    assert df["source"].tolist() == ["P_AL", "P_SN", "OSX"]
    assert df.attrs["file"] == str(path)
    assert df.attrs["name"] == "t"
    assert df.attrs["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert df.attrs["units_as_given"] == {"tc": "K", "bc": "mT", "n": "cm^-3", "tc_err": "K"}
    assert df.attrs["units"] == {"tc": "K", "bc": "T", "n": "m^-3", "tc_err": "K"}
    assert df.attrs["dropped"] == []
    canonical_schema().validate(df)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json-records", "parquet"])
def test_format_is_sniffed_from_the_content_without_an_extension(fmt, tmp_path):
    path = _write(LAB, tmp_path / FORMATS[fmt], fmt)
    unnamed = io.BytesIO(path.read_bytes())
    _assert_si(read(unnamed))
    renamed = path.rename(tmp_path / "measurements.dat")
    if fmt == "csv":
        _assert_si(read(renamed))


def test_buffers_and_dataframes(tmp_path):
    _assert_si(read(io.StringIO(LAB.to_csv(index=False))))
    _assert_si(resolve(LAB))
    _assert_si(resolve(LAB.set_index("metal")))  # a named index becomes a column
    path = _write(LAB, tmp_path / "t.csv", "csv")
    _assert_si(resolve(str(path)))
    with path.open("rb") as handle:
        df = read(handle)
    _assert_si(df)
    assert df.attrs["file"] == str(path)


def test_xlsx_sheet_by_name_and_position(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"note": ["nothing here"]}).to_excel(writer, sheet_name="readme", index=False)
        LAB.to_excel(writer, sheet_name="data", index=False)
    _assert_si(read(path, sheet="data"))
    _assert_si(read(path, sheet=1))
    with pytest.raises(tcfit.DataError, match=r"no sheet 'dat'; its sheets are 'readme', 'data'"):
        read(path, sheet="dat")
    with pytest.raises(tcfit.DataError, match=r"there is no sheet number 5"):
        read(path, sheet=5)


def test_cp1252_and_utf16_text(tmp_path):
    text = "metal;Tc [K];Bc [µT];n (cm^-3)\r\nAl;1.175;10300;1.81e23\r\n"
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp1252"))
    df = read(path)
    assert df.bc[0] == pytest.approx(0.0103)
    assert df.attrs["encoding"] == "cp1252"
    path16 = tmp_path / "unicode.txt"
    path16.write_bytes(text.replace(";", "\t").encode("utf-16"))
    df = read(path16)
    assert df.bc[0] == pytest.approx(0.0103)
    assert df.attrs["encoding"] == "utf-16"


def test_encoding_is_detected_strictly_or_stated(tmp_path):
    path = tmp_path / "jp.csv"
    path.write_bytes(
        "metal,Tc,Bc,n\nAl,1.175,0.0103,1.81e29\n鉛,7.196,0.0803,1.32e29\n".encode("cp932")
    )
    with pytest.raises(
        tcfit.DataError, match=r"line 3 has the byte\(s\) 89 94 .* encoding="
    ) as info:
        read(path)
    assert info.value.problems[0].row == 3
    df = read(path, encoding="shift_jis")
    assert df.material.tolist() == ["Al", "鉛"]
    assert (df.attrs["encoding"], df.attrs["encoding_from"]) == ("shift_jis", "encoding=")
    utf8 = read(_text("metal,Tc,Bc,n\nAlé,1.175,0.0103,1.81e29\n"))
    assert (utf8.attrs["encoding"], utf8.attrs["encoding_from"]) == ("utf-8", "detected")
    with pytest.raises(tcfit.DataError, match=r"not valid ascii text: line 2"):
        read(_text("metal,Tc,Bc,n\nAlé,1.175,0.0103,1.81e29\n"), encoding="ascii")


@pytest.mark.parametrize(
    ("encoding", "match"),
    [
        ("klingon", r"The `encoding` parameter must name a text encoding Python knows; not 'kl"),
        ("base64", r"must name a text encoding"),
        (8, r"must be a string such as 'utf-8'; not 8"),
    ],
)
def test_unknown_encodings_are_input_errors(encoding, match):
    with pytest.raises(tcfit.InputError, match=match):
        read(_text("metal,Tc,Bc,n\nAl,1.175,0.0103,1.81e29\n"), encoding=encoding)


def test_encoding_applies_to_text_files_and_byte_buffers_only(tmp_path):
    path = tmp_path / "t.xlsx"
    LAB.to_excel(path, index=False)
    with pytest.raises(tcfit.DataError, match=r"encoding='cp1252' applies to text files"):
        read(path, encoding="cp1252")
    with pytest.raises(tcfit.DataError, match=r"applies to files and buffers only"):
        read(LAB, encoding="utf-8")
    with pytest.raises(tcfit.DataError, match=r"applies to files and buffers only"):
        read("table1", encoding="utf-8")
    with pytest.raises(tcfit.InputError, match=r"this buffer gives text \(str\)"):
        read(io.StringIO("metal,Tc,Bc,n\nAl,1.175,0.0103,1.81e29\n"), encoding="utf-8")


def test_a_text_buffer_with_a_lone_surrogate_names_its_line():
    with pytest.raises(tcfit.DataError, match=r"Line 2 holds a lone surrogate"):
        read(io.StringIO("metal,Tc,Bc,n\nAl\ud800,1.175,0.0103,1.81e29\n"))


def test_hidden_sheets_are_read_by_name_only(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    hidden = book.active
    hidden.title = "old"
    hidden.append(["metal", "Tc", "Bc", "n"])
    hidden.append(["Old", 1.0, 0.01, 1e29])
    hidden.sheet_state = "hidden"
    shown = book.create_sheet("new")
    shown.append(["metal", "Tc", "Bc", "n"])
    shown.append(["New", 1.0, 0.01, 1e29])
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert read(path).material.tolist() == ["New"]
    assert read(path, sheet=0).material.tolist() == ["New"]
    assert read(path, sheet="old").material.tolist() == ["Old"]
    assert read(path).attrs["sheet"] == "new"


def test_limits_are_public_and_consistent():
    from tcfit import datasets

    assert datasets.MAX_INPUT_BYTES == 512 * 2**20
    assert datasets.MAX_COLUMNS == 1000
    low, high = datasets.QUANTITY_RANGE
    assert 0 < low < 1 < high < 1e308
    assert datasets.RELATIVE_ERROR_RANGE[1] == 1.0


# -------------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("header", "cell", "column", "expected"),
    [
        ("Bc [mT]", "10.3", "bc", 0.0103),
        ("Hc (G)", "103", "bc", 0.0103),
        ("Hc(0) (G)", "103", "bc", 0.0103),
        ("Bc(0) [Oe]", "103", "bc", 0.0103),
        ("B_c0 [kG]", "0.103", "bc", 0.0103),
        ("Bc / T", "0.0103", "bc", 0.0103),
        ("Hc [A/m]", "8196.5", "bc", 8196.5 * 4e-7 * np.pi),  # mu0 = 4 pi 1e-7 to 1e-9
        ("Bc", "0.0103", "bc", 0.0103),  # SI by default
        ("n (cm^-3)", "1.81e23", "n", 1.81e29),
        ("n (cm⁻³)", "1.81e23", "n", 1.81e29),
        ("n [1e29 m^-3]", "1.81", "n", 1.81e29),
        ("n [10^29 m^-3]", "1.81", "n", 1.81e29),
        ("n_e [nm^-3]", "181", "n", 1.81e29),
        ("Tc / mK", "1175", "tc", 1.175),
        ("Tc [K]", "1.175", "tc", 1.175),
        ("T_c (mK)", "1175", "tc", 1.175),
    ],
)
def test_every_unit_spelling_in_headers(header, cell, column, expected):
    base = {"tc": ("Tc", "1.175"), "bc": ("Bc", "0.0103"), "n": ("n", "1.81e29")}
    base[column] = (header, cell)
    text = (
        "metal,"
        + ",".join(h for h, _ in base.values())
        + "\nAl,"
        + ",".join(c for _, c in base.values())
    )
    df = read(_text(text + "\n"))
    assert df[column][0] == pytest.approx(expected, rel=1e-9)


def test_units_argument_with_canonical_names_aliases_and_headers():
    text = "metal,Tc,Hc,n_e\nAl,1175,103,1.81e23\n"
    expected = (1.175, 0.0103, 1.81e29)
    for units in (
        {"tc": "mK", "bc": "G", "n": "cm^-3"},
        {"Tc": "mK", "Hc": "G", "n_e": "cm^-3"},
        {"T_c": "mK", "critical_field": "G", "electron_density": "cm^-3"},
    ):
        df = read(_text(text), units=units)
        assert (df.tc[0], df.bc[0], df.n[0]) == pytest.approx(expected)
        assert df.attrs["units_from"]["bc"] == "units="


@pytest.mark.parametrize(
    ("units", "match"),
    [
        ({"bc": "mT"}, r"header states the unit 'G' but units= says 'mT'"),
        ({"gamma": "mJ/mol/K^2"}, r"units= names the column 'gamma', which the table does not"),
        ({"metal": "K"}, r"units= gives a unit for 'metal', which holds text"),
        ({"tc": 3}, r"units= gives 3 for 'tc'; a unit must be a string"),
    ],
)
def test_bad_units_argument(units, match):
    with pytest.raises(tcfit.DataError, match=match):
        read(_text("metal,Tc,Bc [G],n\nAl,1.175,103,1.81e29\n"), units=units)


def test_units_argument_must_be_a_mapping():
    with pytest.raises(tcfit.InputError, match=r"units must be a mapping"):
        read(_text("metal,Tc,Bc,n\nAl,1.175,0.0103,1.81e29\n"), units=["bc=G"])


def test_same_unit_in_header_and_argument_is_fine():
    df = read(_text("metal,Tc,Bc [G],n\nAl,1.175,103,1.81e29\n"), units={"bc": "G"})
    assert df.bc[0] == pytest.approx(0.0103)


def test_uncertainties_take_the_unit_of_their_value_column_unless_they_state_one():
    text = (
        "metal,Tc [mK],Tc_err,Bc [mT],sigma_Bc [G],n (cm^-3),n_err [%]\n"
        "Al,1175,2,10.3,1,1.81e23,2\n"
    )
    df = read(_text(text))
    assert df.tc_err[0] == pytest.approx(0.002)  # mK, from "Tc [mK]"
    assert df.bc_err[0] == pytest.approx(1e-4)  # its own unit, G
    assert df.n_err[0] == pytest.approx(0.02 * 1.81e29)  # 2 % of n
    assert df.attrs["units_from"]["tc_err"] == "value column 'Tc [mK]'"


def test_header_numbers_are_exact_decimal_shifts():
    df = read(_text("metal,Tc,Bc [G],n [1e29 m^-3]\nCd,0.517,33.8,1.529\n"))
    assert df.bc[0] == 0.00338
    assert df.n[0] == 1.529e29


# -------------------------------------------------------------------------------- aliases


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("material", "material"),
        ("Metal", "material"),
        ("ELEMENT", "material"),
        ("Symbol", "material"),
        ("Tc", "tc"),
        ("T_c", "tc"),
        ("TC", "tc"),
        ("T c", "tc"),
        ("Tc_exp", "tc"),
        ("Bc", "bc"),
        ("B_c", "bc"),
        ("Hc", "bc"),
        ("B_c0", "bc"),
        ("Bc(0)", "bc"),
        ("Hc(T=0)", "bc"),
        ("critical field", "bc"),
        ("n", "n"),
        ("n_e", "n"),
        ("N_E", "n"),
        ("electron density", "n"),
        ("Tc_err", "tc_err"),
        ("Tc error", "tc_err"),
        ("sigma_Bc", "bc_err"),
        ("ΔTc", "tc_err"),
        ("n_e_unc", "n_err"),
        ("i", "i"),
        ("valence", "valence"),
        ("Valence electrons", "valence"),
        ("density", "density"),
        ("ρ", "density"),
        ("molar mass", "molar_mass"),
        ("atomic_weight", "molar_mass"),
        ("gamma", "gamma"),
        ("γ", "gamma"),
        ("Sommerfeld coefficient", "gamma"),
        ("theta_D", "debye_temperature"),
        ("Notes", "note"),
        ("Reference", "source"),
        ("phase", None),
        ("Z", None),  # an atomic number is not a valence
    ],
)
def test_alias_matching(header, canonical):
    assert match_header(header).canonical == canonical


def test_symbol_wins_over_name_which_is_kept():
    text = "symbol,name,Tc,Bc,n\nAl,Aluminium,1.175,0.0103,1.81e29\n"
    df = read(_text(text))
    assert df.material[0] == "Al"
    assert df["name"][0] == "Aluminium"
    assert read(_text("name,Tc,Bc,n\nAl,1.175,0.0103,1.81e29\n")).material[0] == "Al"


def test_two_columns_with_the_same_meaning_are_an_error():
    with pytest.raises(tcfit.DataError, match=r"The columns 'Tc' and 'T_c' all mean 'tc'"):
        read(_text("metal,Tc,T_c,Bc,n\nAl,1.175,1.2,0.0103,1.81e29\n"))


@pytest.mark.parametrize(
    ("header", "name", "unit"),
    [
        ("Bc [mT]", "Bc", "mT"),
        ("Hc (G)", "Hc", "G"),
        ("n [1e29 m^-3]", "n", "1e29 m^-3"),
        ("Tc / mK", "Tc", "mK"),
        ("Bc(0)", "Bc(0)", None),
        ("Bc(0) [G]", "Bc(0)", "G"),
        ("Tc []", "Tc", None),
        ("comment / remark", "comment", "remark"),
        ("a/b", "a/b", None),
    ],
)
def test_split_header(header, name, unit):
    assert split_header(header) == (name, unit)


def test_extra_columns_are_kept_numeric_or_text():
    text = "metal,Tc,Bc,n,phase,run\nAl,1.175,0.0103,1.81e29,fcc,3\nSn,3.72,0.0305,1.48e29,,4\n"
    df = read(_text(text))
    assert df["run"].tolist() == [3.0, 4.0]
    assert df["phase"][0] == "fcc"
    assert list(df.columns[-2:]) == ["phase", "run"]


# -------------------------------------------------------------------------------- n from valence


def test_n_from_valence_with_density_and_molar_mass_in_the_file():
    text = (
        "metal,Tc,Bc [G],valence,density [g/cm^3],molar_mass [g/mol]\nAl,1.175,103,3,2.70,26.98\n"
    )
    df = read(_text(text))
    by_hand = 3 * 2700.0 * AVOGADRO / 0.02698  # = 1.8079e29 m^-3
    assert df.n[0] == pytest.approx(by_hand, rel=1e-12)
    assert df.n[0] == pytest.approx(1.81e29, rel=2e-3)  # OpenStax Table 9.3, 18.1e28 m^-3
    assert bool(df.n_derived[0]) is True
    (record,) = df.attrs["derived"]["n"]["rows"]
    assert record["row"] == 2
    assert record["density_from"] == record["molar_mass_from"] == "file"
    assert df.attrs["units_from"]["n"] == "derived"


def test_n_from_valence_with_periodictable_for_element_symbols():
    df = read(_text("element,Tc,Bc [G],valence\nAl,1.175,103,3\nPb,7.196,803,4\n"))
    # periodictable 2.x: Al 2.6989 g/cm^3, 26.9815384 g/mol; Pb 11.35 g/cm^3, 207.2 g/mol.
    assert df.n[0] == pytest.approx(3 * 2698.9 * AVOGADRO / 0.0269815384, rel=1e-6)
    assert df.n[1] == pytest.approx(4 * 11350.0 * AVOGADRO / 0.2072, rel=1e-6)
    assert df.n[0] == pytest.approx(1.81e29, rel=3e-3)  # textbook free-electron n of Al
    assert df.n_derived.tolist() == [True, True]
    assert df.attrs["derived"]["n"]["rows"][0]["density_from"].startswith("periodictable")


def test_tabulated_n_is_not_replaced_by_the_valence():
    df = read(_text("element,Tc,Bc,n,valence\nAl,1.175,0.0103,1.81e29,3\nPb,7.196,0.0803,,4\n"))
    assert df.n[0] == 1.81e29
    assert df.n_derived.tolist() == [False, True]


def test_n_cannot_be_derived_for_an_unknown_material():
    text = "material,Tc,Bc,valence\nNbTi alloy,9.2,0.2,4\n"
    with pytest.raises(tcfit.DataError, match=r"row 2, column 'n': .*cannot be derived"):
        read(_text(text))


# -------------------------------------------------------------------------------- errors


def test_negative_bc_in_the_4th_line_names_file_row_and_column(tmp_path):
    path = tmp_path / "lab.csv"
    path.write_text(
        "metal,Tc [K],Bc [mT],n (cm^-3)\nAl,1.175,10.3,1.81e23\nSn,3.72,30.5,1.48e23\n"
        "Pb,7.196,-80.3,1.32e23\n",
        encoding="utf-8",
    )
    with pytest.raises(tcfit.DataError) as info:
        read(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), 4, "Bc [mT]")
    assert str(info.value) == (
        f"{path}, row 4, column 'Bc [mT]': Bc [mT] of 'Pb' must be positive; the table has '-80.3'."
    )


HEADER = "metal,Tc [K],Bc [mT],n (cm^-3)\n"


@pytest.mark.parametrize(
    ("body", "row", "column", "match"),
    [
        ("Al,1.175,0,1.81e23\n", 2, "Bc [mT]", r"must be positive; the table has '0'"),
        ("Al,1.175,10.3,-1.81e23\n", 2, "n (cm^-3)", r"must be positive"),
        ("Al,inf,10.3,1.81e23\n", 2, "Tc [K]", r"Tc \[K\] of 'Al' is 'inf', not a finite"),
        ("Al,1e400,10.3,1.81e23\n", 2, "Tc [K]", r"not a finite number"),
        ("Al,abc,10.3,1.81e23\n", 2, "Tc [K]", r"'abc' is not a number"),
        ('Al,"1,175",10.3,1.81e23\n', 2, "Tc [K]", r"decimal separator as a point"),
        ("Al,1.175(2),10.3,1.81e23\n", 2, "Tc [K]", r"uncertainty in its own column"),
        ("Al,1.175 K,10.3,1.81e23\n", 2, "Tc [K]", r"Put units in the column header"),
        ("Al,1.175,,1.81e23\n", 2, "Bc [mT]", r"No value for the required column 'Bc \[mT\]'"),
        (",1.175,10.3,1.81e23\n", 2, "metal", r"The material name is empty"),
        ("Al,1.175,10.3,1.81e23,7\n", 2, None, r"This row has 5 cells but the header has 4"),
        (
            "Al,1.175,10.3,1.81e23\nAl,1.2,9.9,1.8e23\n",
            3,
            "metal",
            r"The material 'Al' already appears in row 2",
        ),
    ],
)
def test_each_row_error_names_file_row_and_column(body, row, column, match):
    with pytest.raises(tcfit.DataError, match=match) as info:
        read(_text(HEADER + body, name="lab.csv"))
    problem = info.value.problems[-1]
    assert (problem.file, problem.row, problem.column) == ("lab.csv", row, column)
    assert "lab.csv, row" in str(info.value)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", r"lab.csv: The file is empty"),
        ("\n\n  \n", r"lab.csv: The file is empty"),
        ("# only a comment\n", r"The file is empty \(no header and no data rows\)"),
        (HEADER, r"lab.csv: The file has a header but no data rows"),
        ("metal,Tc,n\nAl,1.175,1.81e29\n", r"The required column 'bc' is missing"),
        ("Tc,Bc,n\n1.175,0.0103,1.81e29\n", r"The table has no material column"),
    ],
)
def test_file_level_errors(text, match):
    with pytest.raises(tcfit.DataError, match=match):
        read(_text(text, name="lab.csv"))


@pytest.mark.parametrize(
    ("header", "match"),
    [
        ("Tc [blorp]", r"column 'Tc \[blorp\]': pint does not understand the unit 'blorp'"),
        ("Tc [T]", r"column 'Tc \[T\]': The unit 'T' has the wrong dimension for column 'tc'"),
        ("Tc [degC]", r"offset unit"),
    ],
)
def test_unit_errors_are_unit_errors_naming_the_column(header, match):
    with pytest.raises(tcfit.UnitError, match=match):
        read(_text(f"metal,{header},Bc,n\nAl,1.175,0.0103,1.81e29\n", name="lab.csv"))


def test_three_bad_rows_are_all_reported():
    text = (
        HEADER
        + "Al,1.175,10.3,1.81e23\n"
        + "Sn,3.72,-30.5,1.48e23\n"
        + "In,x,28,1.15e23\n"
        + "Pb,7.196,80.3,0\n"
        + "Zn,0.85,5.3,1.31e23\n"
    )
    with pytest.raises(tcfit.DataError, match=r"3 problems in lab.csv") as info:
        read(_text(text, name="lab.csv"))
    assert [(p.row, p.column) for p in info.value.problems] == [
        (3, "Bc [mT]"),
        (4, "Tc [K]"),
        (5, "n (cm^-3)"),
    ]


def test_problems_are_collected_up_to_the_message_limit():
    body = "".join(f"M{k},1.0,-1,1e23\n" for k in range(60))
    with pytest.raises(tcfit.DataError, match=r"60 problems") as info:
        read(_text(HEADER + body))
    assert len(info.value.problems) == 60
    assert "... and 10 more." in str(info.value)


def test_skip_invalid_drops_and_records_every_bad_row():
    text = HEADER + "Al,1.175,10.3,1.81e23\nSn,3.72,-30.5,1.48e23\nIn,x,28,1.15e23\n"
    df = read(_text(text), skip_invalid=True)
    assert df.material.tolist() == ["Al"]
    assert [(d["row"], d["material"]) for d in df.attrs["dropped"]] == [(3, "Sn"), (4, "In")]
    assert "must be positive" in df.attrs["dropped"][0]["reason"]
    assert "'x' is not a number" in df.attrs["dropped"][1]["reason"]


def test_skip_invalid_keeps_extra_columns_aligned():
    text = (
        "metal,Tc,Bc,n,tag\nAl,1.175,0.0103,1.81e29,a\nSn,-1,0.03,1.48e29,b\nPb,7.2,0.08,1.3e29,c\n"
    )
    df = read(_text(text), skip_invalid=True)
    assert df.tag.tolist() == ["a", "c"]


def test_skip_invalid_with_nothing_left_is_an_error():
    with pytest.raises(tcfit.DataError, match=r"No usable rows remain"):
        read(_text(HEADER + "Al,-1,10.3,1.81e23\n"), skip_invalid=True)


def test_skip_invalid_does_not_hide_file_level_problems():
    with pytest.raises(tcfit.UnitError, match=r"does not understand"):
        read(_text("metal,Tc [zz],Bc,n\nAl,1,0.01,1e29\n"), skip_invalid=True)


def test_require_controls_which_values_must_be_present():
    text = "metal,Tc,Bc\nAl,1.175,0.0103\nPa,1.4,\n"
    df = read(_text(text), require=("tc",))
    assert df.material.tolist() == ["Al", "Pa"]
    assert np.isnan(df.bc[1])
    with pytest.raises(tcfit.InputError, match=r"The `require` parameter must name quantity"):
        read(_text(text), require=("tc", "colour"))


# -------------------------------------------------------------------------------- row numbers


def test_csv_rows_count_comment_and_blank_lines_and_quoted_newlines():
    text = (
        "# lab notebook export\n"  # line 1
        "metal,Tc,Bc,n,note\n"  # line 2: the header
        "\n"  # line 3
        'Al,1.175,0.0103,1.81e29,"two\nlines"\n'  # lines 4-5
        "Sn,3.72,-0.03,1.48e29,\n"  # line 6
    )
    with pytest.raises(tcfit.DataError, match=r"row 6, column 'Bc'"):
        read(_text(text))
    df = read(_text(text), skip_invalid=True)
    assert df.note[0] == "two\nlines"
    assert df.attrs["comment_rows"] == [1]


def test_xlsx_rows_are_spreadsheet_rows(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["exported by the cryostat"])  # row 1
    sheet.append([])  # row 2
    sheet.append(["metal", "Tc [K]", "Bc [mT]", "n (cm^-3)"])  # row 3
    sheet.append(["Al", 1.175, 10.3, 1.81e23])  # row 4
    sheet.append(["Sn", 3.72, "n/a?", 1.48e23])  # row 5
    path = tmp_path / "book.xlsx"
    book.save(path)
    with pytest.raises(tcfit.DataError) as info:
        read(path)
    # Row 1 is taken as the header (one cell), so this file fails for its header...
    assert "The required column 'tc' is missing" in str(info.value)
    sheet.delete_rows(1, 2)
    sheet.insert_rows(1, 2)
    book.save(path)
    with pytest.raises(tcfit.DataError, match=r"row 5, column 'Bc \[mT\]': 'n/a\?' is not"):
        read(path)


def test_json_rows_are_record_index_plus_two():
    records = [
        {"metal": "Al", "Tc": 1.175, "Bc": 0.0103, "n": 1.81e29},
        {"metal": "Sn", "Tc": 3.72, "Bc": 0.03, "n": 1.48e29},
        {"metal": "Pb", "Tc": 7.2, "Bc": None, "n": 1.3e29},
    ]
    with pytest.raises(tcfit.DataError, match=r"t.json, row 4, column 'Bc': No value"):
        read(_text(json.dumps(records), name="t.json"))


def test_dataframe_rows_are_position_plus_two():
    frame = pd.DataFrame(
        {"metal": ["Al", "Sn"], "Tc": [1.175, -3.72], "Bc": [0.01, 0.03], "n": [1.8e29, 1.5e29]}
    )
    with pytest.raises(tcfit.DataError, match=r"^row 3, column 'Tc'") as info:
        resolve(frame)
    assert info.value.problems[0].file is None


# -------------------------------------------------------------------------------- wrong content


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("t.xlsx", b"metal,Tc\nAl,1\n", r"extension '.xlsx' says an Excel .xlsx workbook, but"),
        ("t.parquet", b"metal,Tc\nAl,1\n", r"extension '.parquet' says a Parquet file, but its"),
        ("t.csv", b"PK\x03\x04rest of a zip", r"content looks like an Excel .xlsx workbook"),
        ("t.csv", b"PAR1\x00\x00", r"content looks like a Parquet file"),
        ("t.json", b"metal,Tc\nAl,1\n", r"The file is not valid JSON: .* \(line 1, column 1\)"),
        ("t.json", b'{"a": 1}', r"JSON must be a list of records"),
        ("t.json", b"[1, 2]", r"not every entry of the list is an object"),
        ("t.json", b"[]", r"The JSON list holds no records"),
        ("t.json", b'{"metal": ["Al"], "tc": [1, 2]}', r"JSON columns have different lengths"),
        ("t.xls", b"\xd0\xcf\x11\xe0old", r"Old binary Excel \(.xls\) workbooks are not supported"),
        ("t.xlsx", b"PK\x03\x04broken zip", r"not a readable .xlsx workbook"),
        ("t.parquet", b"PAR1broken", r"not a readable Parquet file"),
        ("t.txt", b"metal,Tc\x00\n", r"contains NUL bytes"),
    ],
)
def test_content_that_is_not_what_the_extension_says(name, content, match, tmp_path):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(tcfit.DataError, match=match) as info:
        read(path)
    assert info.value.file == str(path)


def test_unknown_paths_and_types():
    with pytest.raises(tcfit.DataError, match=r"There is no file 'no/such.csv' and no built-in"):
        resolve("no/such.csv")
    with pytest.raises(tcfit.DataError, match=r"This is a directory"):
        resolve(Path(__file__).parent)
    with pytest.raises(tcfit.InputError, match=r"data must be a built-in dataset name, a path"):
        resolve(42)
    with pytest.raises(tcfit.DataError, match=r"already in SI units; units= applies to files"):
        resolve("table1", units={"bc": "G"})


# -------------------------------------------------------------------------------- warnings


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("metal,Tc,Bc,n\nAl,1.175,103,1.81e29\n", "Bc looks like gauss or mT."),
        ("metal,Tc,Bc,n\nAl,1.175,103,1.81e23\n", "Bc looks like gauss or mT, n like cm^-3."),
        ("metal,Tc,Bc,n\nAl,1175,0.0103,1.81e29\n", "Tc looks like mK."),
        ("metal,Tc,Bc,n\nAl,1.175,0.0103,1.81\n", "n looks like a mantissa of 1e28 or 1e29 m^-3."),
    ],
)
def test_implausible_implied_i_warns_with_the_likely_unit_mistake(text, hint):
    with pytest.warns(tcfit.TcfitWarning, match=r"outside \[0.001, 10000\]") as record:
        df = read(_text(text))
    (warning,) = record
    assert f"Likely unit mistake: {hint}" in str(warning.message)
    assert "Al (row 2)" in str(warning.message)
    assert warning.filename == __file__  # stacklevel points at the caller
    assert df.attrs["warnings"] == [str(warning.message)]


def test_n_in_cm3_alone_shifts_i_by_100_only_and_does_not_warn():
    # A documented limit of the check: i = 3.3 becomes 331, inside [1e-3, 1e4].
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = read(_text("metal,Tc,Bc,n\nAl,1.175,0.0103,1.81e23\n"))
    assert tcfit.implied_i(df.tc[0], df.bc[0], df.n[0]) == pytest.approx(331, rel=0.01)


def test_plausible_tables_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read(io.StringIO(LAB.to_csv(index=False)))
        resolve("table1")


@pytest.mark.parametrize(
    ("log10_i", "magnitudes", "hint"),
    [
        (8.0, {}, "Bc looks like gauss or mT"),
        (6.5, {}, "Bc looks like gauss or mT"),
        (2.8, {}, "n looks like cm^-3"),
        (-5.5, {}, "Tc looks like mK"),
        (10.0, {}, "n looks like a mantissa of 1e28 or 1e29 m^-3"),  # fewest changes
        (10.0, {"n": 1.8e23}, "Bc looks like gauss or mT, n like cm^-3"),
        (10.0, {"n": 1.8e29}, "Bc looks like gauss or mT"),  # n is SI: Bc is +6 to +8
        (14.0, {"n": 1.8e29}, "check the units of Tc, Bc and n"),
        (8.5, {"n": 1.8e29, "bc": 103.0}, "Bc looks like gauss or mT"),
        (0.5, {"tc": 1175.0, "bc": 103.0}, "Bc looks like gauss or mT, Tc like mK"),
        (40.0, {}, "check the units of Tc, Bc and n"),
    ],
)
def test_unit_hint(log10_i, magnitudes, hint):
    assert unit_hint(log10_i, **magnitudes) == hint


# -------------------------------------------------------------------------------- built-ins


def test_resolve_a_built_in_name_matches_load():
    df = resolve("table1")
    loaded = tcfit.datasets.load("table1")
    for column in ("material", "tc", "bc", "n", "i", "tc_printed", "note"):
        assert df[column].tolist() == loaded[column].tolist()
    assert df.n_derived.sum() == 0
    assert df.attrs["sha256"] == loaded.attrs["sha256"]
    assert df.attrs["units_as_given"] == loaded.attrs["units_as_given"]


def test_resolve_is_idempotent():
    once = read(io.StringIO(LAB.to_csv(index=False)))
    twice = resolve(once)
    pd.testing.assert_frame_equal(once, twice)
    assert twice.attrs["units_as_given"] == once.attrs["units_as_given"]
    assert twice.attrs["sha256"] == once.attrs["sha256"]


def test_top_level_read_is_the_loader():
    assert tcfit.read is tcfit.datasets.read
    assert "read" in tcfit.__all__
    assert tcfit.datasets.canonical_schema is canonical_schema


def test_canonical_schema_rejects_what_the_reader_rejects():
    import pandera.errors

    frame = pd.DataFrame(
        {
            "material": ["Al", "Al"],
            "tc": [1.0, -1.0],
            "bc": [0.01, 0.01],
            "n": [1e29, 1e29],
            "n_derived": [False, False],
        }
    )
    with pytest.raises(pandera.errors.SchemaErrors):
        _schema.validate(frame)


# -------------------------------------------------------------------------------- fuzzing


def _read_text_or_data_error(text: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", tcfit.TcfitWarning)
            df = _read.read(_text(text))
    except tcfit.DataError:
        return
    canonical_schema().validate(df)
    assert len(df) >= 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_gives_a_frame_or_a_data_error(text):
    _read_text_or_data_error(text)


_CSVISH = st.text(alphabet=list('AlSnPb0123456789.,;\t\n\r-+eE"# xinfa[]()GmTcK/^'), max_size=200)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_CSVISH)
def test_csv_like_text_gives_a_frame_or_a_data_error(text):
    _read_text_or_data_error(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                [
                    "Al",
                    "Sn",
                    "1.5",
                    "-2",
                    "0",
                    "1e29",
                    "",
                    "x",
                    "inf",
                    "nan",
                    "1,5",
                    "3",
                    "1e-3",
                    '"q"',
                ]
            ),
            min_size=0,
            max_size=6,
        ),
        max_size=6,
    )
)
def test_tables_under_a_valid_header_give_a_frame_or_a_data_error(rows):
    text = "metal,Tc [mK],Bc [G],n (cm^-3),valence\n" + "\n".join(",".join(r) for r in rows)
    _read_text_or_data_error(text)


@pytest.mark.parametrize(
    "module",
    [_read, _aliases, _schema, _sanity, _cells, _raw, _registry, _provenance, formats, _digest],
)
def test_doctests(module):
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0
