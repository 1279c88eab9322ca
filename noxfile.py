"""Automation: `nox -s tests`, `nox -s lint`, `nox -s typecheck`, `nox -s bench`."""

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
    """Speed targets: run every ``benchmarks/bench_*.py`` with ``--check`` (exit 1 on a miss)."""
    from pathlib import Path

    session.install(".")
    for script in sorted(Path("benchmarks").glob("bench_*.py")):
        session.run("python", str(script), "--check", *session.posargs)
