"""The hostile-input corpus: every case of tests/data/hostile/manifest.yaml through the reader,
the fitter and ``tcfit validate --json``, with the outcome the manifest states.

A case is a valid frame whose material names are kept byte for byte and whose numbers are finite
(and so is everything :func:`tcfit.fit` computes from it), or a :class:`tcfit.DataError` (a
:class:`tcfit.UnitError` where a unit is at fault) whose message matches the manifest and names
the file, and the row and column where the manifest gives them. Any other exception fails the
test with its traceback: that is the bug the corpus is there to catch.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

import tcfit
from tcfit.cli import app

HERE = Path(__file__).parent / "data" / "hostile"
CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "manifest.yaml").read_text(encoding="utf-8"))[
    "cases"
]
_spec = importlib.util.spec_from_file_location("make_corpus", HERE / "make_corpus.py")
assert _spec is not None
assert _spec.loader is not None
make_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_corpus)

runner = CliRunner()

#: Fit outputs that are finite for every row (p_stable and posterior_assigned are NaN outside the
#: grid and the runner-up columns without a runner-up, as documented).
FIT_COLUMNS = (
    "tc",
    "bc",
    "n",
    "tc_err",
    "bc_err",
    "n_err",
    "i_implied",
    "i_implied_err",
    "i_assigned",
    "tc_model",
    "residual",
    "z",
    "chi2_assigned",
)


def _case_id(case: dict[str, Any]) -> str:
    extra = ",".join(f"{k}={v}" for k, v in sorted(case.get("read", {}).items()))
    return f"{case['class']}:{case['file']}" + (f"[{extra}]" if extra else "")


IDS = [_case_id(c) for c in CASES]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated cases (make_corpus.build), written once per session."""
    out = tmp_path_factory.mktemp("hostile-corpus")
    make_corpus.build(out)
    return out


@pytest.fixture
def opened() -> Any:
    """Objects a case keeps open while it is read (a listening socket), closed afterwards."""
    kept: list[Any] = []
    yield kept
    for thing in kept:
        thing.close()


def _prepare(case: dict[str, Any], corpus: Path, tmp_path: Path, opened: list[Any]) -> str:
    """The path to read for ``case`` (a filesystem object is made under ``tmp_path``)."""
    if case.get("root_skip") and hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip(case["root_skip"])
    if "path" in case:
        given = str(case["path"])
        return given if given.startswith("/") else str(tmp_path / given)
    if "make" in case:
        path = tmp_path / case["file"]
        target = HERE / case["target"] if "target" in case else None
        keep = make_corpus.make_special(case["make"], path, target=target)
        if keep is not None:
            opened.append(keep)
        return str(path)
    root = corpus if case.get("generated") else HERE
    return str(root / case["file"])


def _expected_materials(case: dict[str, Any]) -> list[str]:
    if "materials_from" in case:
        return list(getattr(make_corpus, case["materials_from"]))
    return list(case["materials"])


def _check_error(case: dict[str, Any], err: tcfit.DataError, path: str) -> None:
    expected = tcfit.UnitError if case["expect"] == "UnitError" else tcfit.DataError
    assert type(err) is expected, f"{type(err).__name__}: {err}"
    assert re.search(case["match"], str(err)), str(err)
    assert err.file == path
    assert path in str(err)
    if "row" in case:
        assert any(p.row == case["row"] for p in err.problems), str(err)
    if "column" in case:
        assert any(p.column == case["column"] for p in err.problems), str(err)
    for problem in err.problems:
        assert problem.file == path


def _check_frame(case: dict[str, Any], df: Any) -> None:
    assert list(df["material"]) == _expected_materials(case)
    for column in ("tc", "bc", "n"):
        assert np.isfinite(df[column].to_numpy(dtype=float)).all(), column
    numbers = df.select_dtypes("number").to_numpy(dtype=float)
    assert not np.isinf(numbers).any()


def _check_fit(case: dict[str, Any], df: Any) -> None:
    result = tcfit.fit(df)
    assert list(result.table["material"]) == _expected_materials(case)
    for column in FIT_COLUMNS:
        values = result.table[column].to_numpy(dtype=float)
        assert np.isfinite(values).all(), (column, values)
    summary = result.summary
    for name in ("rms_residual", "max_abs_residual", "chi_square", "reduced_chi_square"):
        assert math.isfinite(getattr(summary, name)), name


def _read(path: str, options: dict[str, Any]) -> Any:
    """The frame, or the DataError; any other exception propagates (and fails the test)."""
    try:
        return tcfit.read(path, **options)
    except tcfit.DataError as err:
        return err


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_case_reads_as_the_manifest_says(case, corpus, tmp_path, opened):
    path = _prepare(case, corpus, tmp_path, opened)
    start = time.monotonic()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        outcome = _read(path, case.get("read", {}))
        if isinstance(outcome, tcfit.DataError):
            assert case["expect"] != "valid", f"expected a valid frame, got: {outcome}"
            _check_error(case, outcome, path)
        else:
            assert case["expect"] == "valid", f"expected a {case['expect']}, read {len(outcome)}"
            _check_frame(case, outcome)
            _check_fit(case, outcome)
    assert time.monotonic() - start < case.get("seconds", 60)
    # Only tcfit's own warnings (an implausible implied i), never numpy's overflow warnings.
    assert all(issubclass(w.category, tcfit.TcfitWarning) for w in caught), [
        str(w.message) for w in caught
    ]


def _cli_params() -> list[Any]:
    params = []
    for case, case_id in zip(CASES, IDS, strict=True):
        marks = []
        if case.get("cli_skip"):
            marks.append(pytest.mark.skip(reason=case["cli_skip"]))
        if case.get("cli_xfail"):
            marks.append(pytest.mark.xfail(strict=True, reason=case["cli_xfail"]))
        params.append(pytest.param(case, id=case_id, marks=marks))
    return params


@pytest.mark.parametrize("case", _cli_params())
def test_every_case_through_validate_json(case, corpus, tmp_path, opened):
    path = _prepare(case, corpus, tmp_path, opened)
    args = ["validate", path, "--json", *case.get("cli", [])]
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    valid = case["expect"] == "valid"
    assert result.exit_code == (0 if valid else 2), result.output
    payload = json.loads(result.stdout)
    assert payload["valid"] is valid
    if valid:
        assert [row["material"] for row in payload["rows"]] == _expected_materials(case)
    else:
        assert payload["errors"]
        assert result.stderr.startswith("Error: ")


TERMINAL_CASES = [c for c in CASES if c["class"] in ("terminal", "formula")]
# What must not reach a terminal from data: C0/C1 controls (ESC starts every ANSI sequence) and
# the Unicode bidirectional overrides and isolates that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _terminal_params() -> list[Any]:
    params = []
    for case in TERMINAL_CASES:
        marks = []
        if case.get("cli_text_xfail"):
            marks.append(pytest.mark.xfail(strict=True, reason=case["cli_text_xfail"]))
        params.append(pytest.param(case, id=_case_id(case), marks=marks))
    return params


@pytest.mark.parametrize("case", _terminal_params())
def test_validate_shows_hostile_names_inert(case, corpus, tmp_path, opened):
    """``tcfit validate FILE`` (a table for a person) neither crashes on names nor passes their
    markup, escapes or direction overrides on to the terminal."""
    path = _prepare(case, corpus, tmp_path, opened)
    result = runner.invoke(app, ["validate", path])
    assert result.exception is None, repr(result.exception)
    assert result.exit_code == 0, result.output
    assert not _UNSAFE.search(result.stdout), repr(result.stdout)
    if case["file"] == "terminal/rich_markup_names.csv":
        assert "[bold red]Pb[/]" in result.stdout


@pytest.mark.parametrize("case", [c for c in CASES if c.get("determinism")], ids=_case_id)
def test_validate_is_the_same_in_every_environment(case):
    """Time zone, locale and hash seed change nothing in what ``tcfit validate --json`` says."""
    path = str(HERE / case["file"])
    environments = [
        {"TZ": "UTC", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "0"},
        {"TZ": "Pacific/Chatham", "LC_ALL": "tr_TR.UTF-8", "PYTHONHASHSEED": "4242"},
        {"TZ": "America/St_Johns", "LANG": "de_DE.ISO-8859-1", "PYTHONHASHSEED": "random"},
    ]
    outputs = []
    for extra in environments:
        env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LANG", "TZ")}
        env.update(extra)
        run = subprocess.run(
            [sys.executable, "-m", "tcfit", "validate", path, "--json"],
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    rows = json.loads(outputs[0])["rows"]
    assert [row["material"] for row in rows] == _expected_materials(case)


def test_the_corpus_is_broad(corpus):
    """At least 60 cases in at least 15 classes, every file present or generated."""
    classes = {c["class"] for c in CASES}
    assert len(CASES) >= 60, len(CASES)
    assert len(classes) >= 15, sorted(classes)
    for case in CASES:
        if case.get("generated"):
            assert (corpus / case["file"]).is_file(), case["file"]
        elif "make" not in case and "path" not in case:
            assert (HERE / case["file"]).is_file(), case["file"]


def test_no_checked_in_blob_is_large():
    """Binary and large cases are generated by make_corpus.py, not committed."""
    for path in HERE.rglob("*"):
        if path.is_file():
            assert path.stat().st_size < 50_000, path
