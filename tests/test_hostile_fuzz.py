"""Fuzzing the reader: raw bytes and near-valid tables through tcfit.read and tcfit.fit.

The properties, for every input:

* :func:`tcfit.read` returns a canonical frame or raises :class:`tcfit.DataError` (a
  :class:`tcfit.UnitError` is one), never another exception, and warns only with
  :class:`tcfit.TcfitWarning`;
* a frame's numbers are finite, and :func:`tcfit.fit` keeps every row with its name intact and
  finite results;
* for a correctly quoted table, every data row survives with its name as written (less ASCII
  blanks at the ends), or the whole table is refused.

The budget is the Hypothesis profile (tests/conftest.py): about 200 examples per property in CI,
20 000 with ``nox -s fuzz`` (``TCFIT_HYPOTHESIS_PROFILE=fuzz``).
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from typing import Any

import numpy as np
from hypothesis import event, given, settings
from hypothesis import strategies as st

import tcfit
from tcfit.datasets import canonical_schema

ASCII_BLANKS = " \t\r\n\f\v"
FINITE_FIT_COLUMNS = ("i_implied", "i_implied_err", "tc_model", "residual", "z", "chi2_assigned")


class _Named(io.BytesIO):
    """A byte buffer with a file name, so that its extension chooses the format."""

    def __init__(self, blob: bytes, name: str) -> None:
        super().__init__(blob)
        self.name = name


def _read(blob: bytes, name: str) -> Any:
    """The frame of ``blob`` read as file ``name``, or None for a DataError."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            df = tcfit.read(_Named(blob, name))
        except tcfit.DataError as err:
            problems = err.problems
            df = None
        else:
            problems = ()
    assert df is not None or problems, "a DataError lists at least one problem"
    assert all(issubclass(w.category, tcfit.TcfitWarning) for w in caught), [
        f"{w.category.__name__}: {w.message}" for w in caught
    ]
    event("a valid frame" if df is not None else "a DataError")  # --hypothesis-show-statistics
    if df is not None:
        _check_frame(df)
    return df


def _check_frame(df: Any) -> None:
    canonical_schema().validate(df)
    assert len(df) >= 1
    for column in ("tc", "bc", "n"):
        assert np.isfinite(df[column].to_numpy(dtype=float)).all()
    assert not np.isinf(df.select_dtypes("number").to_numpy(dtype=float)).any()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tcfit.TcfitWarning)
        result = tcfit.fit(df)
    assert list(result.table["material"]) == list(df["material"])
    for column in FINITE_FIT_COLUMNS:
        assert np.isfinite(result.table[column].to_numpy(dtype=float)).all(), column


# -------------------------------------------------------------------------------- raw bytes

HEADERS = [
    b"material,Tc [K],Bc [mT],n [1e29 m^-3]\n",
    b"metal\tTc\tHc (G)\tn (cm^-3)\n",
    b"",
]


@settings(deadline=None)
@given(
    st.sampled_from(HEADERS),
    st.binary(max_size=400),
    st.sampled_from(["t.csv", "t.tsv", "t.json", "t.txt", "t"]),
)
def test_raw_bytes_give_a_frame_or_a_data_error(header, body, name):
    _read(header + body, name)


VALID_BLOB = b"material,Tc [K],Bc [mT],n [1e29 m^-3]\nAl,1.175,10.3,1.81\nSn,3.72,30.5,1.48\n"


@settings(deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, len(VALID_BLOB)), st.binary(max_size=3)), max_size=3),
    st.sampled_from(["t.csv", "t.tsv", "t.txt", "t"]),
)
def test_a_valid_table_with_bytes_replaced_gives_a_frame_or_a_data_error(edits, name):
    blob = VALID_BLOB
    for position, replacement in edits:
        blob = blob[:position] + replacement + blob[position + 1 :]
    _read(blob, name)


_JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["Al", "Sn", "1.175", "0.0103", "1.81e29", "1e300", "nan", "inf"])
)
_JSON_VALUES = st.recursive(
    _JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_KEYS = st.sampled_from(["material", "tc", "bc", "n", "Tc [mK]", "Bc [G]", "tc_err", "x"])


_RECORD_BASE = [
    {"material": "Al", "tc": 1.175, "bc": 0.0103, "n": 1.81e29},
    {"material": "Sn", "tc": 3.72, "bc": 0.0305, "n": 1.48e29},
    {"material": "Pb", "tc": 7.196, "bc": 0.0803, "n": 1.32e29},
]


@st.composite
def near_valid_records(draw: Any) -> list[dict[str, Any]]:
    records = [dict(r) for r in _RECORD_BASE[: draw(st.integers(1, 3))]]
    for record in records:
        if draw(st.booleans()):
            record[draw(_KEYS)] = draw(_JSON_VALUES)
    return records


@settings(deadline=None)
@given(
    near_valid_records()
    | st.lists(st.dictionaries(_KEYS, _JSON_VALUES, max_size=6), max_size=5)
    | st.dictionaries(_KEYS, st.lists(_JSON_VALUES, max_size=4), max_size=6)
    | _JSON_VALUES
)
def test_json_values_give_a_frame_or_a_data_error(value):
    _read(json.dumps(value).encode(), "t.json")


# -------------------------------------------------------------------------------- near-valid

BASE = [
    ("Al", "1.175", "10.3", "1.81"),
    ("Sn", "3.72", "30.5", "1.48"),
    ("Pb", "7.196", "80.3", "1.32"),
    ("Nb", "9.25", "199", "2.78"),
]
HOSTILE_NAMES = st.one_of(
    st.text(min_size=1, max_size=12),
    st.sampled_from(
        [
            '"#3 sample"',
            "#3 sample",
            "[bold red]Pb[/]",
            "\x1b[31mPb\x1b[0m",
            "=1+1",
            "+cmd",
            "@SUM(1)",
            "\u202eAl",
            "Al\u00a0",
            "Ale\u0301",
            'Al"x',
            "Al,Sn",
            "Al;Sn",
            "Al\tSn",
            "Al\nSn",
            "\ufeffAl",
            "🧲",
            "  Al  ",
        ]
    ),
)
HOSTILE_NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=1e-330, max_value=1e-300).map(repr),
    st.floats(min_value=1e290, max_value=1e308).map(repr),
    st.sampled_from(
        [
            "1,5",
            "1.000,5",
            "1 000",
            "1e999",
            "-0",
            "0",
            "NaN",
            "Infinity",
            "10.3 mT",
            "1.175(2)",
            "\uff11.5",
            "1_000",
            "0x10",
            "",
            '"',
            "true",
            "1" * 400,
        ]
    ),
)
HOSTILE_UNITS = st.sampled_from(
    ["K", "mK", "10**10**10 K", "0 K", "inf K", "1e-400 K", "T", "blorp", "%", "10^29 K", "(K)^2"]
)


@st.composite
def near_valid_rows(draw: Any) -> list[list[str]]:
    chosen = draw(st.lists(st.sampled_from(BASE), min_size=1, max_size=4, unique=True))
    rows = [list(row) for row in chosen]
    for row in rows:
        if draw(st.integers(0, 2)) == 0:
            row[0] = draw(HOSTILE_NAMES)
        if draw(st.integers(0, 2)) == 0:
            row[draw(st.integers(1, 3))] = draw(HOSTILE_NUMBERS)
    return rows


def _expected_names(text: str, rows: list[list[str]]) -> list[str] | None:
    """The names a correct reader keeps, or None when the table cannot be valid as written."""
    names = []
    for line, row in zip(text.split("\n")[1:], rows, strict=False):
        if line.startswith("#"):
            continue  # an unquoted line starting with '#' is a comment, by the rules
        names.append(row[0].strip(ASCII_BLANKS))
    return names


@settings(deadline=None)
@given(near_valid_rows(), st.just("K") | HOSTILE_UNITS, st.sampled_from([",", ";", "\t"]))
def test_quoted_tables_keep_every_row_and_its_name_or_fail(rows, unit, delimiter):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["material", f"Tc [{unit}]", "Bc [mT]", "n [1e29 m^-3]"])
    writer.writerows(rows)
    text = out.getvalue()
    df = _read(text.encode("utf-8"), "t.tsv" if delimiter == "\t" else "t.csv")
    if df is not None and not any("\n" in r[0] or "\r" in r[0] for r in rows):
        assert list(df["material"]) == _expected_names(text, rows)


@settings(deadline=None)
@given(
    near_valid_rows(),
    st.lists(
        st.sampled_from(['"', ",", ";", "\t", "\n", "\r", "#", "\x00", "\ufeff", "é"]), max_size=4
    ),
    st.randoms(use_true_random=False),
)
def test_naively_joined_tables_with_inserted_characters_give_a_frame_or_a_data_error(
    rows, inserts, random
):
    lines = ["material,Tc [K],Bc [mT],n [1e29 m^-3]"] + [",".join(row) for row in rows]
    text = "\n".join(lines) + "\n"
    for char in inserts:
        position = random.randrange(len(text) + 1)
        text = text[:position] + char + text[position:]
    df = _read(text.encode("utf-8"), "t.csv")
    if df is not None:  # quotes are the only characters CSV parsing removes
        for name in df["material"]:
            assert name.replace('"', "") in text.replace('"', "")


def _ambiguous(text: str, blob: bytes, encoding: str) -> bool:
    """The byte sequences no detector can tell apart, documented in tcfit.datasets._decode."""
    if encoding in ("utf-8", "utf-16") or text.isascii():
        return False
    try:
        blob.decode("utf-8")
        return True  # legacy bytes that happen to be valid UTF-8 are read as UTF-8
    except UnicodeDecodeError:
        pass
    if encoding == "latin-1" and any("\x80" <= c <= "\x9f" for c in text):
        return True  # Latin-1's C1 controls share their bytes with Windows-1252's € „ … ‰
    return encoding == "shift_jis" and any("\uff61" <= c <= "\uff9f" for c in text)


@settings(deadline=None)
@given(near_valid_rows(), st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1", "shift_jis"]))
def test_tables_in_other_encodings_decode_exactly_or_fail(rows, encoding):
    text = "material,Tc [K],Bc [mT],n [1e29 m^-3]\n" + "".join(",".join(row) + "\n" for row in rows)
    try:
        blob = text.encode(encoding)
    except UnicodeEncodeError:
        return
    if _ambiguous(text, blob, encoding):
        return
    df = _read(blob, "t.csv")
    if df is not None:  # whatever was detected, the names are those written: no mojibake
        for name in df["material"]:
            assert name in text
