"""The ``tcfit_regression`` pytest plugin, exercised in throwaway projects with ``pytester``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import tcfit
from tcfit.regression import read_baseline

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module", autouse=True)
def _warm_up() -> None:
    """Import everything a fit of a CSV file needs, once, before any in-process pytester run.

    pytester's in-process runs forget the modules they import; a library that registers
    something global on import (pandera's DataFrame accessor) would then register it twice and
    warn. The lifecycle test below runs pytest in a subprocess, exactly as a user would.
    """
    import tempfile

    import pytest_regressions.data_regression  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "warm.csv"
        tcfit.datasets.load("table1")[["material", "tc", "bc", "n", "i"]].to_csv(path, index=False)
        tcfit.check(path, against_reference=True, policy="paper")


USER_TEST = """
from pathlib import Path

HERE = Path(__file__).parent


def test_assignments(tcfit_regression):
    tcfit_regression.check(HERE / "measurements.csv", policy="integer")
"""


@pytest.fixture
def measurements(pytester):
    """Table-1 as a user's own CSV file in SI units (material, tc, bc, n)."""
    table = tcfit.datasets.load("table1")[["material", "tc", "bc", "n"]]
    path = pytester.path / "measurements.csv"
    table.to_csv(path, index=False)
    return path


def _scale_bc(path: Path, material: str, factor: float) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    col = header.index("bc")
    for k, line in enumerate(lines):
        cells = line.split(",")
        if cells[0] == material:
            cells[col] = repr(float(cells[col]) * factor)
            lines[k] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_baseline_is_created_then_checked_then_fails_then_regenerated(pytester, measurements):
    pytester.makepyfile(test_user=USER_TEST)
    baseline = pytester.path / "test_user" / "test_assignments.yml"

    # 1. First run: no baseline yet -> written beside the test file; the test fails, as in
    #    pytest-regressions.
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*File not found in data directory, created:*"])
    assert baseline.is_file()
    assert read_baseline(baseline)["materials"]["Pb"]["i_assigned"] == 6
    created = baseline.read_bytes()

    # 2. Unchanged data: passes, baseline untouched.
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    assert baseline.read_bytes() == created

    # 3. Pb's Bc +10 % (implied i × 1.21, 5.97 -> 7.22): fails naming Pb and its fields only.
    _scale_bc(measurements, "Pb", 1.10)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*tcfit regression: the assignments moved.*",
            f"*checked against the baseline {baseline},*differences in 1 material (Pb)*",
            "*Pb: the assigned i changed from 6 to 7.*",
            "*Pb: the implied i moved from *",
            "*pytest --force-regen*",
        ]
    )
    other = {"Al", "Sn", "Nb", "Ta", "Zn"}
    assert not any(f"  - {m}:" in result.stdout.str() for m in other)
    assert baseline.read_bytes() == created

    # 4. --force-regen rewrites the baseline (that run fails once, as pytest-regressions does) ...
    result = pytester.runpytest_subprocess("--force-regen")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Files differ and --force-regen set, regenerating file at:*"])
    assert read_baseline(baseline)["materials"]["Pb"]["i_assigned"] == 7

    # 5. ... and the next run passes.
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_regen_all_writes_and_passes(pytester, measurements):
    pytester.makepyfile(test_user=USER_TEST)
    pytester.runpytest("--regen-all").assert_outcomes(passed=1)
    pytester.runpytest().assert_outcomes(passed=1)


def test_basename_and_policy_and_tolerance(pytester, measurements):
    pytester.makepyfile(
        test_user="""
        from pathlib import Path

        DATA = Path(__file__).parent / "measurements.csv"


        def test_two_policies(tcfit_regression):
            integer = tcfit_regression.check(DATA, basename="integer")
            paper = tcfit_regression.check(DATA, policy="paper", basename="paper")
            assert integer.summary["policy"] == "integer"
            assert paper.summary["policy"] == "paper"


        def test_tol_sigma(tcfit_regression):
            tcfit_regression.check(DATA, basename="sigma", tol_sigma=1.0)
        """
    )
    pytester.runpytest("--regen-all").assert_outcomes(passed=2)
    assert sorted(p.name for p in (pytester.path / "test_user").iterdir()) == [
        "integer.yml",
        "paper.yml",
        "sigma.yml",
    ]
    # A 1 % larger Bc of Al moves its implied i by 2 %, i.e. 0.18 σ (σ_i/i ≈ 10.9 % with the
    # default uncertainties) and keeps i = 3: within tol_sigma=1, beyond rtol=1e-6.
    _scale_bc(measurements, "Al", 1.01)
    result = pytester.runpytest("-rf")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*FAILED test_user.py::test_two_policies*"])


def test_an_unreadable_baseline_fails_and_can_be_regenerated(pytester, measurements):
    pytester.makepyfile(test_user=USER_TEST)
    (pytester.path / "test_user").mkdir()
    (pytester.path / "test_user" / "test_assignments.yml").write_text("not: a baseline\n")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*The baseline *test_user/test_assignments.yml cannot be used:*not a tcfit baseline*"]
    )
    pytester.runpytest("--force-regen").assert_outcomes(failed=1)
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_run_that_does_not_use_the_plugin_is_unaffected(pytester):
    pytester.makepyfile(test_plain="def test_one():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest("-W", "error")
    result.assert_outcomes(passed=1)
    fixtures = pytester.runpytest("--fixtures")
    fixtures.stdout.fnmatch_lines(["tcfit_regression*"])


def test_plugin_is_registered_through_the_pytest11_entry_point():
    from importlib.metadata import entry_points

    (entry,) = [e for e in entry_points(group="pytest11") if e.name == "tcfit"]
    assert entry.value == "tcfit.pytest_plugin"


def test_loading_the_plugin_imports_nothing_heavy():
    """pytest imports the plugin in every run; pandas & co. must wait for the fixture."""
    code = (
        "import sys, tcfit.pytest_plugin; "
        "heavy = ('pandas', 'pint', 'lmfit', 'matplotlib', 'weasyprint', 'seaborn', "
        "'pytest_regressions.data_regression', 'tcfit.fitting', 'tcfit.regression', 'yaml'); "
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Regression-testing your assignments", 1)[1].split("\n## ", 1)[0]
    (code,) = [
        b for b in re.findall(r"```python\n(.*?)```", section, flags=re.S) if "def test_" in b
    ]
    return code


def test_the_readme_example_test_file_works(pytester):
    """The complete example of the README, run as a user would: first run creates, then passes."""
    code = _readme_example()
    assert "tcfit_regression" in code
    pytester.makepyfile(test_readme_example=code)
    # The example reads my_measurements.csv beside the test file: Table-1 in SI stands in for it.
    tcfit.datasets.load("table1")[["material", "tc", "bc", "n", "i"]].to_csv(
        pytester.path / "my_measurements.csv", index=False
    )
    first = pytester.runpytest()
    assert first.ret == pytest.ExitCode.TESTS_FAILED  # baselines written on the first run
    first.stdout.fnmatch_lines(["*File not found in data directory, created:*"])
    counts = first.parseoutcomes()
    assert counts["failed"] == 2  # the two tests that write their baselines
    pytester.runpytest().assert_outcomes(passed=counts["failed"] + counts["passed"])
