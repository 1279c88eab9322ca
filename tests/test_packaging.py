"""Packaging: the folder-to-package mapping, no stray top-level imports, README and CI in step."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bash_blocks(markdown: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)\n```", markdown, flags=re.S)


def test_readme_has_the_two_commands():
    blocks = _bash_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    main_job, test_command = blocks[0], blocks[1]
    assert main_job.startswith("python3 -m venv")
    assert "pip install ." in main_job
    assert main_job.split("&&")[-1].strip().startswith("tcfit ")
    assert 'pip install ".[test]"' in test_command
    assert test_command.endswith("pytest")


def test_ci_runs_exactly_the_readme_test_command():
    test_command = _bash_blocks((ROOT / "README.md").read_text(encoding="utf-8"))[1]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


@pytest.mark.parametrize("name", ["fit", "datasets", "reports"])
def test_no_top_level_module_outside_the_source_tree(name, tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", f"import {name}"], cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode != 0
    assert "ModuleNotFoundError" in out.stderr


@pytest.mark.parametrize("name", ["fit", "datasets", "reports"])
def test_source_folders_refuse_to_be_imported_by_their_folder_name(name):
    """Even from the repository root (where Python puts the folders on the path)."""
    out = subprocess.run(
        [sys.executable, "-c", f"import {name}"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode != 0
    assert "import it as 'tcfit" in out.stderr or "import 'tcfit'" in out.stderr


def test_subpackages_and_data_are_installed():
    import tcfit.datasets
    import tcfit.reports

    assert tcfit.datasets.__name__ == "tcfit.datasets"
    assert tcfit.reports.__name__ == "tcfit.reports"
    assert len(tcfit.datasets.load("table1")) == 21
