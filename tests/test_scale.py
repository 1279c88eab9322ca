"""Scale (issue 13): columnar reading, bounded memory, streaming and Dask give the same numbers.

Every equivalence here is exact (``assert_frame_equal(check_exact=True)``, equal digests): a
table read or fitted in one piece, in chunks or by Dask partitions is the same table.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import tcfit
from tcfit.datasets import _cells
from tcfit.datasets._digest import frame_sha256
from tcfit.lattice import cell_probabilities, stability


def synthetic(rows: int, seed: int = 0) -> pd.DataFrame:
    """``rows`` materials obeying Eq. (5) at integer i with 3 % scatter in Tc (SI columns)."""
    rng = np.random.default_rng(seed)
    bc = 10 ** rng.uniform(-3, 0, rows)
    n = 10 ** rng.uniform(28, 29.5, rows)
    i = rng.integers(1, 20, rows)
    tc = 1.56e7 * bc / (n ** (1 / 6) * np.sqrt(i)) * np.exp(rng.normal(0, 0.03, rows))
    names = "M" + pd.Series(np.arange(rows)).astype(str).str.zfill(7)
    return pd.DataFrame({"material": names.to_numpy(object), "tc": tc, "bc": bc, "n": n})


CELLS = [
    ["Al", "Nb3Sn"],
    ["Al ", " Sn", "\tPb\r"],
    ["Al", ""],
    ["Al", "\x1c"],
    ["Al", None],
    [None, None],
    ["x\x00 y", "z"],
    ["Al", np.nan],
    ["Al", 3.0, 4.5],
    ["Al\u00a0", "\u200dSn"],
    ["a\nb", "c\rd", "e"],
    ["\ud800", "ok"],
]


@pytest.mark.parametrize("cells", CELLS)
def test_text_column_vectorised_equals_cell_by_cell(cells: list[object]) -> None:
    series = pd.Series(cells, dtype=object)
    expected = [_cells._as_text(v) for v in cells]
    assert text_list(_cells.text_column(series)) == expected


@pytest.mark.parametrize("cells", CELLS)
@pytest.mark.parametrize("pattern", [r"[\n\r]", "[\ud800-\udfff]"])
def test_text_matches_equals_cell_by_cell(cells: list[object], pattern: str) -> None:
    import re

    series = pd.Series(cells, dtype=object)
    expected = [isinstance(v, str) and re.search(pattern, v) is not None for v in cells]
    assert _cells.text_matches(series, pattern).tolist() == expected


def text_list(series: pd.Series) -> list[object]:
    return [None if v is None else v for v in series.tolist()]


TRICKY_NAMES = [
    " Al",  # leading blank: stripped
    "Pb\t",
    "Nb\u3000",  # ideographic space: whitespace to str.isspace, kept (only ASCII is stripped)
    "Sn\u00a0",
    "\u2003",  # a cell of Unicode whitespace only: no name
    "",
    "In\nTl",  # spans lines
    "V\r",
    "Ta\x1c",
    "Zr\u200b",  # zero-width space: not whitespace, kept
    "Nb₃Sn",
]


@pytest.mark.parametrize("name", TRICKY_NAMES)
@pytest.mark.parametrize("skip_invalid", [False, True])
def test_arrow_text_reads_as_object_text(name: str, skip_invalid: bool) -> None:
    """Arrow strings take the vectorised path (Arrow's regex kernels); object text the pandas
    one. Both give the same table and the same problems for names that need care."""
    base = synthetic(4)
    results = []
    for dtype in ("str", object):
        frame = base.assign(material=pd.Series([name, "A", "B", "C"], dtype=dtype))
        try:
            got = tcfit.read(frame, skip_invalid=skip_invalid)
            results.append(("ok", got["material"].tolist(), got.attrs.get("dropped")))
        except tcfit.DataError as err:
            results.append(("error", [(p.row, p.column, p.message) for p in err.problems], None))
    assert results[0] == results[1]


def test_arrow_trims_exactly_what_python_calls_whitespace() -> None:
    """text_column's Arrow fast path relies on utf8_trim_whitespace stripping every character
    str.isspace() accepts (and no other): were a pyarrow release to differ, this fails."""
    import sys

    import pyarrow as pa
    import pyarrow.compute as pc

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    trimmed = pc.utf8_trim_whitespace(
        pa.array(["a" + c for c in spaces] + [c + "a" for c in spaces])
    )
    assert set(trimmed.to_pylist()) == {"a"}
    others = [chr(c) for c in range(0x3001) if not chr(c).isspace() and chr(c).isprintable()]
    kept = pc.utf8_trim_whitespace(pa.array(["a" + c for c in others])).to_pylist()
    assert kept == ["a" + c for c in others]


def test_frame_of_shares_writable_columns_and_copies_read_only_ones() -> None:
    import doctest

    from tcfit import _frames

    assert doctest.testmod(_frames).failed == 0
    source = pd.DataFrame({"a": [1.0, 2.0]})
    made = np.array([3.0, 4.0])
    names = pd.Series(["x", "y"], dtype="str")
    frame = _frames.frame_of(
        {"a": source["a"].to_numpy(), "b": made, "c": source["a"], "d": names, "e": names.array}
    )
    assert np.shares_memory(frame["b"].to_numpy(), made)
    frame.loc[0, "a"] = 9.0  # a read-only input was copied: settable, the source untouched
    frame.loc[1, "c"] = 8.0
    frame.loc[0, "d"] = "changed"
    frame.loc[1, "e"] = "changed"
    assert source["a"].tolist() == [1.0, 2.0]
    assert names.tolist() == ["x", "y"]
    assert frame["a"].tolist() == [9.0, 2.0]
    assert len(frame._mgr.blocks) == 5  # one block per column, nothing consolidated
    with pytest.raises(ValueError, match="different lengths"):
        _frames.frame_of({"a": np.zeros(2), "b": np.zeros(3)})


def test_a_wide_table_reads_into_a_frame_that_takes_new_columns_quietly() -> None:
    """150 extra columns: the canonical frame is consolidated, so adding a column to it (as a
    user may) does not raise pandas' PerformanceWarning about a fragmented frame."""
    import warnings

    frame = synthetic(30)
    frame = pd.concat(
        [frame, pd.DataFrame({f"x{k}": np.arange(30.0) + k for k in range(150)})], axis=1
    )
    result = tcfit.fit(frame)
    assert result.data["x149"].tolist() == list(np.arange(30.0) + 149)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result.data["added"] = 1.0
        result.table["added"] = 1.0


def test_reading_a_clean_frame_calls_no_python_per_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """The columnar path: a frame of clean text and numbers never reaches a per-cell helper."""

    def per_cell(*args: object) -> None:
        raise AssertionError("a per-cell Python function ran on a clean column")

    for name in ("_as_text", "_other", "present"):
        monkeypatch.setattr(_cells, name, per_cell)
    df = tcfit.read(synthetic(2000))
    assert len(df) == 2000
    assert df["material"].iloc[-1] == "M0001999"


def _digest_by_hand(headers: list[str], columns: list[tuple[str, list[object]]]) -> str:
    """The documented digest format (datasets/_digest.py) written out cell by cell, for a
    table of one block."""
    import hashlib
    import json
    import struct

    block = hashlib.sha256()

    def section(data: bytes) -> None:
        block.update(struct.pack("<q", len(data)) + data)

    for tag, cells in columns:
        if tag == "float64":
            values = [float("nan") if v is None else float(v) + 0.0 for v in cells]
            section(b"".join(struct.pack("<d", v) for v in values))
        else:  # utf8
            texts = [None if v is None else str(v).encode() for v in cells]
            section(b"".join(struct.pack("<q", -1 if t is None else len(t)) for t in texts))
            section(b"".join(t for t in texts if t is not None))
    rows = len(columns[0][1])
    digest = hashlib.sha256(json.dumps(headers).encode())
    digest.update(json.dumps([tag for tag, _ in columns]).encode())
    digest.update(struct.pack("<q", rows) + block.digest())
    return digest.hexdigest()


def test_frame_digest_comes_from_column_bytes_and_is_stable() -> None:
    """The digest of an in-memory frame: headers plus each column's bytes (not a CSV)."""
    frame = pd.DataFrame(
        {"material": ["Al", "Pb", None, "Nb₃Sn"], "tc": [1.175, -0.0, np.nan, 18.0]}
    )
    expected = _digest_by_hand(
        ["material", "tc"],
        [("utf8", ["Al", "Pb", None, "Nb₃Sn"]), ("float64", [1.175, 0.0, None, 18.0])],
    )
    assert frame_sha256(frame) == expected
    assert tcfit.read(frame.iloc[[0, 3]], require=["tc"]).attrs["sha256"] == frame_sha256(
        frame.iloc[[0, 3]]
    )
    # Equal values give equal digests whatever their storage: object text, nullable floats,
    # a slice of a larger Arrow column (an offset into its buffers), a copy.
    same = pd.DataFrame(
        {
            "material": pd.Series(["Al", "Pb", None, "Nb₃Sn"], dtype=object),
            "tc": pd.array([1.175, 0.0, None, 18.0], dtype="Float64"),
        }
    )
    assert frame_sha256(same) == expected
    longer = pd.concat([frame.iloc[:1], frame]).reset_index(drop=True)
    assert frame_sha256(longer.iloc[1:]) == expected
    # Any change of a value, a header or the order changes it.
    assert frame_sha256(frame.assign(tc=[1.175, 0.0, np.nan, 18.000001])) != expected
    assert frame_sha256(frame.rename(columns={"tc": "Tc"})) != expected
    assert frame_sha256(frame.iloc[::-1]) != expected
    # Mixed objects are hashed as their text.
    mixed = pd.DataFrame({"x": pd.Series(["a", 3, None], dtype=object)})
    assert frame_sha256(mixed) == _digest_by_hand(["x"], [("utf8", ["a", "3", None])])


@pytest.mark.parametrize("cuts", [[], [3], [5, 12, 13, 30], [7, 14, 21], [1, 2, 3, 4, 40]])
def test_frame_digest_of_parts_joins_into_the_whole(monkeypatch: pytest.MonkeyPatch, cuts) -> None:
    """Parts cut anywhere (a Dask partition) give segments that combine into the whole digest."""
    from tcfit.datasets import _digest

    monkeypatch.setattr(_digest, "BLOCK_ROWS", 7)
    frame = synthetic(45)
    frame.loc[3, "material"] = None
    frame["flag"] = np.arange(45) % 2 == 0
    frame["count"] = np.arange(45)
    bounds = [0, *cuts, 45]
    parts = [
        s
        for a, b in itertools.pairwise(bounds)
        for s in _digest.segments(frame.iloc[a:b], offset=a)
    ]
    whole = _digest.combine(
        [str(c) for c in frame.columns], _digest.column_tags(frame), len(frame), parts
    )
    assert whole == frame_sha256(frame)
    # and blocks matter: another block size is another digest, the same for every split
    monkeypatch.setattr(_digest, "BLOCK_ROWS", 8)
    assert frame_sha256(frame) != whole


def test_stability_is_the_assigned_cell_of_cell_probabilities_exactly() -> None:
    rng = np.random.default_rng(5)
    x = rng.uniform(-1.0, 4.0, 5000)
    sigma = rng.uniform(0.01, 0.5, 5000)
    grid = np.arange(1.0, 21.0)
    probs = cell_probabilities(x, sigma, grid)
    mid = 0.5 * (np.log(grid)[:-1] + np.log(grid)[1:])
    idx = np.searchsorted(mid, x - 1e-12, side="left")
    inside = (x >= 0.0) & (x <= np.log(20.0))
    expected = np.where(inside, probs[np.arange(x.size), idx], np.nan)
    np.testing.assert_array_equal(stability(x, sigma, grid), expected)


# --- out of core: chunked == in-memory, exactly --------------------------------------------------


@pytest.fixture(scope="module")
def big_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("stream")
    df = synthetic(3000, seed=3)
    df.loc[5, "material"] = "Nb3Sn"
    paths = {"parquet": folder / "t.parquet", "csv": folder / "t.csv"}
    df.to_parquet(paths["parquet"], index=False)
    df.rename(columns={"bc": "Bc [mT]"}).assign(**{"Bc [mT]": df["bc"] * 1e3}).to_csv(
        paths["csv"], index=False
    )
    parts = folder / "parts"
    parts.mkdir()
    for k, start in enumerate(range(0, 3000, 1000)):
        df.iloc[start : start + 1000].to_parquet(parts / f"part-{k}.parquet", index=False)
    return {"frame": df, "folder": folder, "parts": parts, **paths}


@pytest.mark.parametrize("kind", ["parquet", "csv"])
@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".json"])
def test_streamed_fit_equals_in_memory_fit(
    big_files: dict[str, object], kind: str, suffix: str
) -> None:
    import json

    from tcfit.streaming import fit_stream

    source = big_files[kind]
    expected = tcfit.fit(source)
    out = big_files["folder"] / f"out-{kind}{suffix}"  # type: ignore[operator]
    streamed = fit_stream(source, out, chunk_rows=257, worst=5)
    assert streamed.chunks >= 10
    assert streamed.summary.to_dict() == expected.summary.to_dict()
    assert streamed.provenance == tcfit.fitting.provenance(expected.data)
    order = np.argsort(-np.abs(expected.table["residual"].to_numpy()), kind="stable")[:5]
    worst = expected.table.iloc[order].reset_index(drop=True)
    pd.testing.assert_frame_equal(streamed.worst, worst, check_exact=True)
    if suffix == ".parquet":
        got = pd.read_parquet(out)
        pd.testing.assert_frame_equal(got, expected.table, check_exact=True, check_dtype=False)
    elif suffix == ".json":
        assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
            json.dumps(expected.to_dict())
        )
    else:
        from tcfit._io import write_table_csv

        write_table_csv(expected.table, out.with_name("whole.csv"))
        assert out.read_bytes() == out.with_name("whole.csv").read_bytes()


def test_streamed_directory_equals_the_whole_table(big_files: dict[str, object]) -> None:
    from tcfit.streaming import fit_stream

    streamed = fit_stream(big_files["parts"], chunk_rows=400)
    expected = tcfit.fit(big_files["parquet"])
    assert streamed.summary.to_dict() == expected.summary.to_dict()


def test_streamed_errors_name_every_row_of_every_chunk(tmp_path: pytest.TempPathFactory) -> None:
    from tcfit.streaming import fit_stream

    df = synthetic(1000)
    df["tc"] = df["tc"].astype(object)
    df.loc[[3, 600], "tc"] = "x"
    df.loc[950, "material"] = df.loc[10, "material"]  # a repeat two chunks later
    path = tmp_path / "bad.csv"  # type: ignore[operator]
    df.to_csv(path, index=False)
    with pytest.raises(tcfit.DataError) as whole:
        tcfit.read(path)
    with pytest.raises(tcfit.DataError) as chunked:
        fit_stream(path, chunk_rows=100)
    rows = sorted((p.row, p.column, p.message) for p in whole.value.problems)
    assert sorted((p.row, p.column, p.message) for p in chunked.value.problems[:2]) == rows[:2]
    repeat = [p for p in chunked.value.problems if "already appears" in p.message]
    assert [(p.row, p.message) for p in repeat] == [
        (p.row, p.message) for p in whole.value.problems if "already appears" in p.message
    ]
    assert [p.row for p in whole.value.problems] == [5, 602, 952]


def test_streamed_skip_invalid_drops_the_same_rows(tmp_path: pytest.TempPathFactory) -> None:
    from tcfit.streaming import fit_stream

    df = synthetic(1000)
    df.loc[950, "material"] = df.loc[10, "material"]
    df.loc[300, "bc"] = -1.0
    path = tmp_path / "skip.parquet"  # type: ignore[operator]
    df.to_parquet(path, index=False)
    expected = tcfit.fit(path, skip_invalid=True)
    streamed = fit_stream(path, tmp_path / "o.parquet", chunk_rows=128, skip_invalid=True)  # type: ignore[operator]
    assert streamed.summary.to_dict() == expected.summary.to_dict()
    assert [d["row"] for d in streamed.provenance["dropped"]] == [302, 952]
    got = pd.read_parquet(tmp_path / "o.parquet")  # type: ignore[operator]
    pd.testing.assert_frame_equal(got, expected.table, check_exact=True, check_dtype=False)


def test_stream_refuses_a_table_beyond_the_limit_before_reading(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tcfit.datasets import _sources
    from tcfit.streaming import fit_stream

    path = tmp_path / "t.parquet"  # type: ignore[operator]
    synthetic(50).to_parquet(path, index=False)
    monkeypatch.setattr(_sources, "MAX_STREAM_ROWS", 49)
    with pytest.raises(tcfit.DataError, match="50 rows; tcfit streams at most 49"):
        fit_stream(path)


# --- Dask: partitions == pandas, exactly ---------------------------------------------------------


def assert_same_fit(got: tcfit.FitResult, expected: tcfit.FitResult) -> None:
    pd.testing.assert_frame_equal(got.table, expected.table, check_exact=True)
    pd.testing.assert_frame_equal(got.data, expected.data, check_exact=True)
    assert got.summary.to_dict() == expected.summary.to_dict()
    assert got.data.attrs == expected.data.attrs


@pytest.mark.parametrize("rows", [None, 100_000])
def test_dask_dataframe_fit_equals_pandas(rows: int | None) -> None:
    dd = pytest.importorskip("dask.dataframe")
    import dask

    if rows is None:  # Table 1 as a plain frame (its SI columns, the paper's i, the sources)
        frame = tcfit.read("table1")
        frame.attrs.clear()
    else:
        frame = synthetic(rows, seed=11)
    expected = tcfit.fit(frame)
    with dask.config.set(scheduler="threads"):
        got = tcfit.fit(dd.from_pandas(frame, npartitions=7))
    assert_same_fit(got, expected)


def test_dask_errors_name_rows_of_the_whole_table() -> None:
    dd = pytest.importorskip("dask.dataframe")
    frame = synthetic(300)
    frame.loc[250, "bc"] = -1.0
    frame.loc[280, "material"] = frame.loc[3, "material"]
    with pytest.raises(tcfit.DataError) as whole:
        tcfit.fit(frame)
    with pytest.raises(tcfit.DataError) as parts:
        tcfit.fit(dd.from_pandas(frame, npartitions=4))
    assert [(p.row, p.message) for p in parts.value.problems] == [
        (p.row, p.message) for p in whole.value.problems
    ]


# --- the command line on long tables --------------------------------------------------------------


def _cli(*args: str) -> object:
    from typer.testing import CliRunner

    from tcfit.cli import app

    return CliRunner().invoke(app, list(args))


def test_cli_prints_the_worst_materials_of_a_long_table(big_files: dict[str, object]) -> None:
    from tcfit.cli._fit import LONG_TABLE, WORST

    expected = tcfit.fit(big_files["parquet"]).table
    worst = expected.iloc[np.argsort(-np.abs(expected["residual"].to_numpy()), kind="stable")]
    result = _cli("fit", str(big_files["parquet"]))
    assert result.exit_code == 0, result.output
    shown = [m for m in expected["material"] if f"│ {m} " in result.output]
    assert len(expected) > LONG_TABLE
    assert sorted(shown) == sorted(worst["material"].iloc[:WORST])
    assert "the 10 worst of 3,000" in result.output
    every = _cli("fit", str(big_files["parquet"]), "--all")
    assert sum(f"│ {m} " in every.output for m in expected["material"]) == len(expected)


def test_cli_short_table_prints_every_material() -> None:
    result = _cli("fit", "table1")
    assert result.exit_code == 0
    assert "worst" not in result.output
    assert all(m in result.output for m in tcfit.read("table1")["material"])


@pytest.mark.parametrize("suffix", [".parquet", ".json", ".csv"])
@pytest.mark.parametrize("chunked", [False, True])
def test_cli_output_by_extension_equals_the_api(
    big_files: dict[str, object], tmp_path: pytest.TempPathFactory, suffix: str, chunked: bool
) -> None:
    import json

    expected = tcfit.fit(big_files["csv"])
    out = tmp_path / f"out{suffix}"  # type: ignore[operator]
    args = ["fit", str(big_files["csv"]), "-o", str(out)]
    result = _cli(*args, *(["--chunk-rows", "400"] if chunked else []))
    assert result.exit_code == 0, result.output
    if suffix == ".parquet":
        got = pd.read_parquet(out)
        pd.testing.assert_frame_equal(got, expected.table, check_exact=True, check_dtype=False)
    elif suffix == ".json":
        assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
            json.dumps(expected.to_dict())
        )
    else:
        got = pd.read_csv(out)
        assert got["material"].tolist() == expected.table["material"].tolist()
        np.testing.assert_array_equal(got["residual"], expected.table["residual"])
    if chunked:
        assert "Fitted in 8 chunks" in result.output


def test_cli_refuses_whole_table_analyses_when_streaming(big_files: dict[str, object]) -> None:
    result = _cli("fit", str(big_files["parts"]), "--lattice")
    assert result.exit_code == 2
    assert "--lattice need the whole table in memory" in result.output


def test_cli_streams_a_directory_with_json(big_files: dict[str, object]) -> None:
    import json

    result = _cli("fit", str(big_files["parts"]), "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    expected = tcfit.fit(big_files["parquet"])
    assert payload["summary"] == json.loads(json.dumps(expected.summary.to_dict()))
    assert len(payload["worst"]) == 10


def test_streamed_csv_with_comments_quotes_and_blank_lines(
    tmp_path: pytest.TempPathFactory,
) -> None:
    """Blocks are cut on whole lines outside quotes; comment and blank lines keep row numbers."""
    from tcfit.streaming import fit_stream

    frame = synthetic(400)
    lines = ["# a comment before the header", "material,Tc [K],Bc [T],n [m^-3]"]
    for k, row in enumerate(frame.itertuples()):
        name = f'"{row.material}, batch {k % 3}"' if k % 7 == 0 else row.material
        lines.append(f"{name},{row.tc!r},{row.bc!r},{row.n!r}")
        if k % 50 == 0:
            lines += ["", "# a comment between records"]
    path = tmp_path / "commented.csv"  # type: ignore[operator]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = tcfit.fit(path)
    streamed = fit_stream(path, tmp_path / "o.parquet", chunk_rows=40)  # type: ignore[operator]
    assert streamed.summary.to_dict() == expected.summary.to_dict()
    assert streamed.provenance["sha256"] == expected.data.attrs["sha256"]
    got = pd.read_parquet(tmp_path / "o.parquet")  # type: ignore[operator]
    pd.testing.assert_frame_equal(got, expected.table, check_exact=True, check_dtype=False)

    bad = path.read_text(encoding="utf-8").replace("M0000300", '"M0000300\nM0000300b"')
    path.write_text(bad.replace(",1", ",x", 1), encoding="utf-8")
    with pytest.raises(tcfit.DataError) as whole:
        tcfit.read(path)
    with pytest.raises(tcfit.DataError) as chunked:
        fit_stream(path, chunk_rows=40)
    assert [(p.row, p.message) for p in chunked.value.problems] == [
        (p.row, p.message) for p in whole.value.problems
    ]


def test_a_table_beyond_max_rows_is_refused_before_reading_and_points_to_chunks() -> None:
    from tcfit.datasets._raw import check_shape

    with pytest.raises(tcfit.DataError, match=r"1,000,001 rows.*MAX_ROWS.*--chunk-rows"):
        check_shape(1_000_001, 4, "big.parquet")


def _series_table(materials: int) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows = []
    for k in range(materials):
        b0, tc = rng.uniform(0.01, 0.1), rng.uniform(1.0, 9.0)
        for t in np.linspace(0.1, 0.9, 8) * tc:
            rows.append((f"m{k}", t, b0 * (1 - (t / tc) ** 2) * (1 + 0.01 * rng.normal()), 1.3e29))
    return pd.DataFrame(rows, columns=["material", "T [K]", "Bc [T]", "n [m^-3]"])


def test_a_long_format_series_is_refused_in_chunks_and_partitions(tmp_path) -> None:
    # A chunk or a partition would cut a material's Bc(T) series and fit part of it.
    path = tmp_path / "series.csv"
    _series_table(40).to_csv(path, index=False)
    assert len(tcfit.fit(str(path)).table) == 40  # in memory: one row per material
    with pytest.raises(tcfit.DataError, match=r"long-format Bc\(T\) table .*'T \[K\]'"):
        tcfit.fit_stream(str(path), tmp_path / "out.parquet", chunk_rows=50)
    dd = pytest.importorskip("dask.dataframe")
    frame = dd.from_pandas(_series_table(40), npartitions=3)
    with pytest.raises(tcfit.DataError, match=r"long-format Bc\(T\) table"):
        tcfit.fit(frame)


def test_streaming_passes_the_valences_on(tmp_path) -> None:
    # FitOptions.valences reaches the chunked reader: n derived from formulas as in memory.
    frame = pd.DataFrame(
        {
            "material": ["Nb3Sn", "V3Si", "Nb3Ge"],
            "tc": [18.0, 17.0, 23.0],
            "bc": [0.52, 0.61, 0.40],
            "density [g/cm^3]": [8.9, 5.7, 8.2],
        }
    )
    path = tmp_path / "compounds.csv"
    frame.to_csv(path, index=False)
    valences = {"Nb": 5, "Sn": 4, "V": 5, "Si": 4, "Ge": 4}
    whole = tcfit.fit(str(path), valences=valences).table
    out = tmp_path / "out.parquet"
    tcfit.fit_stream(str(path), out, chunk_rows=2, valences=valences)
    streamed = pd.read_parquet(out)
    np.testing.assert_array_equal(streamed["n"].to_numpy(), whole["n"].to_numpy())
