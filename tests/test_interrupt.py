"""A run killed at any moment (kill -9) leaves the previous output or the new one, never a
truncated or mixed file: every file is written to a temporary beside it and renamed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

import tcfit

DELAYS = (0.05, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.2, 2.6, 3.2)


def _run_and_kill(args, delay, cwd):
    process = subprocess.Popen(
        [sys.executable, "-m", "tcfit", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize("delay", DELAYS)
def test_check_update_killed_at_any_moment_leaves_a_whole_baseline(tmp_path, delay):
    data = tmp_path / "data.csv"
    frame = tcfit.datasets.load("table1")[["material", "tc", "bc", "n"]]
    frame.to_csv(data, index=False)
    baseline = tmp_path / "baseline.yml"
    tcfit.write_baseline(str(data), baseline)
    old = baseline.read_bytes()
    frame.loc[frame["material"] == "Pb", "bc"] *= 1.2  # the rewrite will differ
    frame.to_csv(data, index=False)
    _run_and_kill(["check", str(data), "--baseline", str(baseline), "--update"], delay, tmp_path)
    now = baseline.read_bytes()
    new = tcfit.Baseline.from_result(tcfit.fit(str(data))).dumps().encode("utf-8")
    assert now in (old, new), f"a mixed or truncated baseline after a kill at {delay} s"
    # A kill between the temporary file and the rename may leave a hidden ".baseline.yml.*.tmp"
    # beside it, never a damaged baseline.yml.


def _snapshot(folder):
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _report_args(out, title):
    return ["--quiet", "report", "table1", "-o", str(out), "--title", title, "--no-timestamp"]


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory):
    """The whole old report (title A), the whole new one (title B) and how long one run takes."""
    base = tmp_path_factory.mktemp("reports")
    started = time.perf_counter()
    for title in ("A", "B"):
        subprocess.run(
            [sys.executable, "-m", "tcfit", *_report_args(base / title, title)],
            cwd=base,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    duration = (time.perf_counter() - started) / 2
    return base / "A", _snapshot(base / "A"), _snapshot(base / "B"), duration


#: Moments of the kill as fractions of one run: imports, analyses, figures, HTML, PDF, the swap.
FRACTIONS = (0.05, 0.2, 0.4, 0.6, 0.75, 0.85, 0.92, 0.97, 1.0, 1.1)


@pytest.mark.parametrize("fraction", FRACTIONS)
def test_report_killed_at_any_moment_leaves_the_old_report_or_the_new(
    tmp_path, two_reports, fraction
):
    import shutil

    source, old, new, duration = two_reports
    out = tmp_path / "report"
    shutil.copytree(source, out)
    assert _snapshot(out) == old
    _run_and_kill([*_report_args(out, "B"), "--overwrite"], fraction * duration, tmp_path)
    now = _snapshot(out)
    assert now in (old, new), (
        f"a mixed or truncated report after a kill at {fraction:.0%} of a run: "
        + ", ".join(k for k in sorted(set(now) | set(old)) if now.get(k) not in (old.get(k),))
    )
