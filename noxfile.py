"""Automation: `nox -s tests`, `lint`, `typecheck`, `bench`, `fuzz`, `browser` (Chromium) and
`notebook` (executes docs/notebooks/tour.ipynb)."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.default_venv_backend = "venv"


@nox.session
def tests(session: nox.Session) -> None:
    """Install tcfit with its test extra and run the test suite."""
    session.install(".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def browser(session: nox.Session) -> None:
    """The report in headless Chromium (Debian's `chromium`; in CI a missing one fails)."""
    session.install(".[test]")
    session.run("pytest", "-m", "browser", "tests/browser", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting check."""
    session.install("ruff>=0.5")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy, strict on the package."""
    session.install(".", "mypy>=1.10", "pandas-stubs", "types-PyYAML")
    session.run("mypy", "fit", "datasets", "reports")


@nox.session
def bench(session: nox.Session) -> None:
    """Speed targets: run every ``benchmarks/bench_*.py`` with ``--check`` (exit 1 on a miss).

    ``bench_scale.py`` prints the issue-13 table of ratios (1e6 rows against the numpy floor and
    the per-row lmfit loop, 1e7 rows streamed from Parquet with peak memory, the report on 1e4
    rows, cold starts); with its 1e7-row stream and the report it takes about 10 minutes on two
    cores (``python benchmarks/bench_scale.py --streamed-rows 0 --report-rows 0`` for a quick
    run, ``--write`` to rewrite ``benchmarks/results.md``).
    """
    from pathlib import Path

    session.install(".[test]")  # bench_report counts PDF pages with pypdf
    for script in sorted(Path("benchmarks").glob("bench_*.py")):
        session.run("python", str(script), "--check", *session.posargs)


@nox.session
def plugin(session: nox.Session) -> None:
    """The README's example test file in a fresh project where only `pip install tcfit` was done.

    Exercises the ``tcfit_regression`` pytest plugin as a user meets it: the first run writes the
    baselines (and fails, as pytest-regressions does), the second passes, an edited Bc fails
    naming the material, ``--force-regen`` rewrites, and the run after passes.
    """
    import re
    import shutil
    import tempfile
    from pathlib import Path

    readme = Path("README.md").read_text(encoding="utf-8")
    section = readme.split("## Regression-testing your assignments", 1)[1].split("\n## ", 1)[0]
    code = next(
        b for b in re.findall(r"```python\n(.*?)```", section, flags=re.S) if "def test_" in b
    )
    session.install(".")
    # Outside the repository, so that pytest does not pick up tcfit's own configuration.
    project = Path(tempfile.mkdtemp(prefix="tcfit-plugin-project-"))
    (project / "tests").mkdir()
    (project / "tests" / "test_assignments.py").write_text(code, encoding="utf-8")
    data = project / "tests" / "my_measurements.csv"
    rows = ["Al,1.19,9.9,1.812", "Sn,3.72,30.3,1.482", "Pb,7.20,80.4,1.322", "Nb,9.26,195,2.776"]
    data.write_text("material,Tc [K],Bc [mT],n [1e29 m^-3]\n" + "\n".join(rows) + "\n")
    with session.chdir(project):
        session.run("pytest", "-q", success_codes=[1])  # baselines written
        session.run("pytest", "-q")
        data.write_text(data.read_text().replace("Pb,7.20,80.4", "Pb,7.20,88.4"))
        session.run("pytest", "-q", success_codes=[1])  # Pb moved
        session.run("pytest", "-q", "--force-regen", success_codes=[1])
        session.run("pytest", "-q")
    shutil.rmtree(project)


@nox.session
def calibration(session: nox.Session) -> None:
    """Size and power of the lattice tests by simulation; writes ``docs/calibration.md``.

    About 10–15 minutes with two worker processes (``--workers``); ``--quick`` for a trial run.
    """
    session.install(".")
    session.run("python", "validation/calibration.py", *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """The reader's fuzz properties with a large budget: Hypothesis profile ``fuzz``.

    20 000 examples per property of tests/test_hostile_fuzz.py (CI runs the ``ci`` profile, about
    200), then the hostile-input corpus; about half an hour on two cores.
    """
    session.install(".[test]")
    session.run(
        "pytest",
        "-q",
        "tests/test_hostile_fuzz.py",
        "tests/test_hostile.py",
        "--hypothesis-show-statistics",
        *session.posargs,
        env={"TCFIT_HYPOTHESIS_PROFILE": "fuzz"},
    )


@nox.session
def notebook(session: nox.Session) -> None:
    """Execute docs/notebooks/tour.ipynb (jupyter nbconvert --execute --to html) and check it.

    The HTML must hold the rich display of the fit, the lattice test, the profile and the
    check, and at least two figures drawn by ``tcfit.plot`` (docs/notebooks/check_tour.py).
    """
    import tempfile

    session.install(".", "nbconvert>=7", "ipykernel>=6", "nbformat>=5")
    out = tempfile.mkdtemp(prefix="tcfit-notebook-")
    session.run(
        "jupyter",
        "nbconvert",
        "--execute",
        "--to",
        "html",
        "--ExecutePreprocessor.timeout=900",
        "--output-dir",
        out,
        "docs/notebooks/tour.ipynb",
    )
    session.run("python", "docs/notebooks/check_tour.py", f"{out}/tour.html")
