"""The reader pipeline's seams: formats, provenance, marked frames, frame hashes, the registry."""

from __future__ import annotations

import ast
import dataclasses
import io
import json
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tcfit
from tcfit import datasets
from tcfit.datasets import Provenance, formats, provenance
from tcfit.datasets import _read as read_module
from tcfit.datasets.formats import RawTable, SourceInfo

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"

LAB = pd.DataFrame(
    {
        "metal": ["Al", "Sn", "Pb"],
        "Tc [K]": [1.175, 3.72, 7.196],
        "Bc [mT]": [10.3, 30.55, 80.3],
        "n (cm^-3)": [1.81e23, 1.48e23, 1.32e23],
    }
)


def _public_attrs(df: pd.DataFrame) -> dict:
    return {k: v for k, v in df.attrs.items() if k != "tcfit_schema"}


# -------------------------------------------------------------------------------- formats


class _ToyFormat:
    """``TOY1`` then one ``material;tc;bc;n`` record per line, in SI."""

    name = "toy"
    description = "a toy table"
    extensions = frozenset({".toy"})
    binary = True

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"TOY1")

    def parse(self, blob: bytes, *, source: SourceInfo, sheet: str | int | None) -> RawTable:
        lines = blob.decode("ascii").splitlines()[1:]
        records = [(k + 2, line.split(";")) for k, line in enumerate(lines)]
        raw = RawTable.from_records(["material", "tc", "bc", "n"], records, source=source)
        return raw.with_info(toy_lines=len(lines))


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> _ToyFormat:
    fmt = _ToyFormat()
    monkeypatch.setattr(formats, "FORMATS", (fmt, *formats.FORMATS))
    return fmt


def test_every_registered_format_follows_the_protocol():
    assert [f.name for f in formats.FORMATS][-1] == "text"  # text sniffs anything: last
    for fmt in formats.FORMATS:
        assert isinstance(fmt, formats.Format)
        assert all(ext.startswith(".") and ext == ext.lower() for ext in fmt.extensions)


def test_a_toy_format_registered_in_a_test_runs_end_to_end(toy, tmp_path):
    path = tmp_path / "lab.toy"
    path.write_bytes(b"TOY1\nAl;1.175;0.0103;1.81e29\nSn;3.72;-0.03;1.48e29\n")
    with pytest.raises(tcfit.DataError, match=r"lab.toy, row 3, column 'bc': bc of 'Sn' must"):
        tcfit.read(path)
    df = tcfit.read(path, skip_invalid=True)
    assert df.material.tolist() == ["Al"]
    assert df.attrs["format"] == "toy"
    assert df.attrs["toy_lines"] == 2
    assert df.attrs["dropped"][0]["row"] == 3
    datasets.canonical_schema().validate(df)
    # Sniffed without an extension; refused when the extension says otherwise.
    assert tcfit.read(io.BytesIO(b"TOY1\nAl;1.175;0.0103;1.81e29\n")).attrs["format"] == "toy"
    wrong = tmp_path / "lab.csv"
    wrong.write_bytes(path.read_bytes())
    with pytest.raises(tcfit.DataError, match=r"extension '.csv' says a text table .* a toy"):
        tcfit.read(wrong)


def test_pick_trusts_the_extension_between_text_formats_only():
    assert formats.pick(b"[1]", ".csv").name == "text"
    assert formats.pick(b"metal,Tc\n", ".json").name == "json"
    assert formats.pick(b"PAR1...", "").name == "parquet"
    with pytest.raises(tcfit.DataError, match=r"extension '.xlsx' says an Excel .xlsx workbook"):
        formats.pick(b"metal,Tc\n", ".xlsx", label="t.xlsx")


# -------------------------------------------------------------------------------- provenance


def _inputs(tmp_path: Path) -> dict[str, object]:
    csv = tmp_path / "lab.csv"
    csv.write_text("# run 3\n" + LAB.to_csv(index=False), encoding="utf-8")
    valence = tmp_path / "valence.csv"
    valence.write_text(
        "element,Tc,Bc [G],valence\nAl,1.175,103,3\nPb,7.196,803,4\nSn,-1,300,4\n",
        encoding="utf-8",
    )
    xlsx = tmp_path / "lab.xlsx"
    LAB.to_excel(xlsx, index=False)
    frame = LAB.copy()
    frame.attrs.update({"name": "mine", "citation": "lab book p. 3", "source": "S"})
    return {
        "csv": csv,
        "xlsx": xlsx,
        "valence": valence,
        "frame": frame,
        "table1": "table1",
        "elements": "elements",
        "elements_all": "elements_all",
    }


@pytest.mark.parametrize(
    "key", ["csv", "xlsx", "valence", "frame", "table1", "elements", "elements_all"]
)
def test_provenance_is_the_source_of_truth_of_attrs(key, tmp_path):
    df = tcfit.read(_inputs(tmp_path)[key], skip_invalid=True)
    prov = provenance(df)
    assert isinstance(prov, Provenance)
    assert prov.to_attrs() == _public_attrs(df)
    assert list(prov.to_attrs()) == list(_public_attrs(df))  # same key order
    assert Provenance.from_attrs(prov.to_attrs()) == prov
    assert df.attrs["tcfit_schema"] == datasets.SCHEMA_VERSION


def test_provenance_fields_are_typed_and_frozen(tmp_path):
    df = tcfit.read(_inputs(tmp_path)["valence"], skip_invalid=True)
    prov = provenance(df)
    assert prov.format == "csv"
    assert prov.info["delimiter"] == ","
    assert prov.require == ("tc", "bc", "n")
    (dropped,) = prov.dropped
    assert (dropped.row, dropped.material) == (4, "Sn")
    assert [r.material for r in prov.derived["n"].rows] == ["Al", "Pb"]
    assert prov.units_from["n"] == "derived"
    with pytest.raises(dataclasses.FrozenInstanceError):
        prov.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        prov.units["bc"] = "G"  # type: ignore[index]
    attrs = prov.to_attrs()
    attrs["units"]["bc"] = "G"  # a fresh copy each time
    assert prov.to_attrs()["units"]["bc"] == "T"


def test_provenance_of_any_frame_takes_defaults():
    loaded = datasets.load("table1")
    prov = provenance(loaded)
    assert (prov.name, prov.file, prov.units["tc_printed"]) == ("table1", "table1.csv", "K")
    bare = provenance(pd.DataFrame({"a": [1]}))
    assert (bare.name, bare.file, bare.format, bare.warnings) == (
        "DataFrame",
        None,
        "dataframe",
        None,
    )


def test_load_is_unmarked_and_keeps_its_attrs():
    assert "tcfit_schema" not in datasets.load("elements").attrs
    assert "tcfit_schema" not in datasets.load("table1").attrs


# -------------------------------------------------------------------------------- marked frames


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    original = read_module.canonicalise

    def counting(raw, **kwargs):
        calls.append(raw)
        return original(raw, **kwargs)

    monkeypatch.setattr(read_module, "canonicalise", counting)
    return calls


@pytest.mark.parametrize(
    "key", ["csv", "xlsx", "valence", "frame", "table1", "elements", "elements_all"]
)
def test_reading_a_read_frame_again_changes_nothing(key, tmp_path, spy):
    once = tcfit.read(_inputs(tmp_path)[key], skip_invalid=True)
    spy.clear()
    twice = tcfit.read(once)
    assert spy == []  # validated, not canonicalised again
    pd.testing.assert_frame_equal(twice, once)
    assert twice.attrs == once.attrs
    assert list(twice.attrs) == list(once.attrs)
    assert twice is not once
    twice.loc[0, "tc"] = 99.0
    assert once.loc[0, "tc"] != 99.0  # a copy


_CELLS = st.sampled_from(["Al", "Sn", "1.5", "-2", "0", "1e29", "", "x", "3", "1e-3", "7"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CELLS, min_size=0, max_size=6), max_size=6), st.booleans())
def test_read_of_read_is_read_as_a_property(rows, skip_invalid):
    text = "metal,Tc [mK],Bc [G],n (cm^-3),valence,tag\n" + "\n".join(",".join(r) for r in rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tcfit.TcfitWarning)
        try:
            once = tcfit.read(io.StringIO(text), skip_invalid=skip_invalid)
        except tcfit.DataError:
            return
        twice = tcfit.read(once, skip_invalid=skip_invalid)
    pd.testing.assert_frame_equal(twice, once)
    assert twice.attrs == once.attrs


def test_fit_of_a_read_frame_is_not_canonicalised_again(spy):
    df = tcfit.read("table1")
    spy.clear()
    result = tcfit.fit(df)
    assert spy == []
    assert result.data.attrs["units_from"] == df.attrs["units_from"]


def test_a_changed_marked_frame_is_read_again_with_the_usual_errors(spy):
    df = tcfit.read(io.StringIO(LAB.to_csv(index=False)))
    broken = df.copy()
    broken.loc[1, "bc"] = -1.0
    spy.clear()
    with pytest.raises(tcfit.DataError, match=r"^row 3, column 'bc': bc of 'Sn' must be positive"):
        tcfit.read(broken)
    assert len(spy) == 1
    moved = df[["material", "bc", "tc", "n", "n_derived"]]  # tc after bc
    pd.testing.assert_frame_equal(tcfit.read(moved)[df.columns], df[df.columns])
    assert list(tcfit.read(moved).columns) == list(df.columns)


def test_a_marked_frame_is_validated_for_the_require_asked(spy):
    df = tcfit.read(io.StringIO("metal,Tc\nAl,1.175\n"), require=("tc",))
    with pytest.raises(tcfit.DataError, match=r"The required column 'bc' is missing"):
        tcfit.read(df)
    assert tcfit.read(df, require=()).attrs["require"] == []


def test_a_filtered_marked_frame_gets_a_default_index(spy):
    df = tcfit.read(io.StringIO(LAB.to_csv(index=False)))
    spy.clear()
    part = tcfit.read(df[df.tc > 2])
    assert spy == []
    assert part.index.equals(pd.RangeIndex(2))
    assert part.material.tolist() == ["Sn", "Pb"]


# -------------------------------------------------------------------------------- frame hashes


def test_a_dataframe_is_hashed_from_its_values_not_its_text(monkeypatch):
    def no_csv(*args, **kwargs):
        raise AssertionError("to_csv called")

    monkeypatch.setattr(pd.DataFrame, "to_csv", no_csv)
    first = tcfit.read(LAB)
    again = tcfit.read(LAB.copy())
    assert first.attrs["sha256"] == again.attrs["sha256"]
    assert len(first.attrs["sha256"]) == 64
    changed = LAB.copy()
    changed.loc[0, "Tc [K]"] = 1.176
    assert tcfit.read(changed).attrs["sha256"] != first.attrs["sha256"]
    renamed = LAB.rename(columns={"metal": "element"})
    assert tcfit.read(renamed).attrs["sha256"] != first.attrs["sha256"]


def test_a_dataframe_that_names_its_sha256_keeps_it():
    other = datasets.load("table1").copy()
    other["bc"] = other["bc"] * 1.25
    assert tcfit.read(other).attrs["sha256"] == datasets.load("table1").attrs["sha256"]


# -------------------------------------------------------------------------------- registry


def test_names_are_the_yaml_sidecars():
    assert datasets.names() == sorted(p.stem for p in (DATASETS / "data").glob("*.yaml"))


def test_the_registry_imports_neither_the_reader_nor_the_elements_builder():
    code = (
        "import sys, tcfit.datasets._registry as r; r.load('elements'); "
        "print([m for m in ('tcfit.datasets._read', 'tcfit.datasets._elements') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _module_name(path: Path) -> tuple[str, str]:
    """(module, package) of a file under datasets/, dotted from the package root ("" = root)."""
    parts = list(path.relative_to(DATASETS).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


def _datasets_imports() -> dict[str, set[str]]:
    """Module -> the datasets modules it imports anywhere in its code (functions included)."""
    graph: dict[str, set[str]] = {}
    for path in DATASETS.rglob("*.py"):
        module, package = _module_name(path)
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - node.level + 1]
                if node.module:
                    edges.add(".".join([*base, node.module]))
                else:
                    edges.update(".".join([*base, a.name]) for a in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "tcfit.datasets."
            ):
                edges.add(node.module.removeprefix("tcfit.datasets."))
        graph[module] = edges
    return graph


def test_the_datasets_package_has_no_import_cycle():
    graph = _datasets_imports()
    assert "formats.text" in graph["formats"]
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        if state.get(node) == 1:
            raise AssertionError(f"import cycle: {' -> '.join([*path, node])}")
        if state.get(node) == 2:
            return
        state[node] = 1
        for target in sorted(graph[node] & set(graph)):
            visit(target, [*path, node])
        state[node] = 2

    for module in sorted(graph):
        visit(module, [])
    assert "_read" not in graph["_registry"]
    assert "_elements" not in graph["_registry"]


def test_no_private_datasets_module_is_imported_from_outside_datasets():
    offenders = []
    for folder in ("fit", "reports"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "tcfit.datasets._"
                ):
                    offenders.append(f"{path.relative_to(ROOT)}: {node.module}")
    assert offenders == []


# -------------------------------------------------------------------------------- schema


def test_the_schema_is_the_single_home_of_the_columns():
    from tcfit.datasets import _aliases, _schema, _units

    assert datasets.CANONICAL_ORDER == tuple(c.name for c in _schema.COLUMNS)
    assert _aliases.CANONICAL_ORDER is _schema.CANONICAL_ORDER
    errors = {f"{v}_err" for v in _schema.UNCERTAINTY_OF.values()}
    assert set(_aliases.ALIASES) | errors == set(datasets.CANONICAL_ORDER)
    assert _units.SI_UNITS is _schema.SI_UNITS
    for column in datasets.QUANTITY_COLUMNS:
        assert column in _units.SI_UNITS or column in _units.DIMENSIONLESS
    schema = datasets.canonical_schema()
    assert set(schema.columns) == set(datasets.CANONICAL_ORDER)


def test_implied_i_bounds_are_exported_and_used():
    assert datasets.IMPLIED_I_PLAUSIBLE == (1e-3, 1e4)
    with pytest.warns(tcfit.TcfitWarning, match=r"outside \[0.001, 10000\]"):
        tcfit.read(io.StringIO("metal,Tc,Bc,n\nAl,1.175,103,1.81e29\n"))


# -------------------------------------------------------------------------------- API, layout


def test_datasets_all_is_sorted_complete_and_resolves():
    before = {
        "baseline_names",
        "baseline_path",
        "canonical_schema",
        "load",
        "metadata",
        "names",
        "read",
        "resolve",
        "table1_alternatives",
        "table1_printed",
        "table1_worked_example",
    }
    assert before <= set(datasets.__all__)
    key = [(0 if n.isupper() else 1 if n[:1].isupper() else 2, n) for n in datasets.__all__]
    assert key == sorted(set(key))
    for name in datasets.__all__:
        assert getattr(datasets, name) is not None
    assert datasets.resolve is datasets.read is tcfit.read


def test_import_tcfit_datasets_is_light():
    code = (
        "import sys, tcfit.datasets; "
        "print(','.join(m for m in ('scipy', 'pandas', 'numpy', 'pint', 'pandera') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_datasets_package_is_installed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    for init in DATASETS.rglob("__init__.py"):
        parts = init.parent.relative_to(DATASETS).parts
        assert ".".join(("tcfit", "datasets", *parts)) in listed


@pytest.mark.parametrize("path", sorted(DATASETS.rglob("*.py")), ids=lambda p: p.name)
def test_modules_and_functions_stay_small(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 400
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0]
            documented = isinstance(first, ast.Expr) and isinstance(
                getattr(first, "value", None), ast.Constant
            )
            start = first.end_lineno + 1 if documented else first.lineno
            assert node.end_lineno - start + 1 <= 80, node.name


def test_json_of_a_read_frame_is_unchanged_by_the_mark():
    df = tcfit.read("table1")
    payload = json.loads(json.dumps(provenance(df).to_attrs()))
    assert "tcfit_schema" not in payload
    assert payload["units_from"]["bc"] == "default (SI)"
    np.testing.assert_array_equal(df.bc.to_numpy(), datasets.load("table1").bc.to_numpy())
