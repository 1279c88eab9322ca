"""Cold starts: ``nox -s bench`` or ``python benchmarks/bench_cold_start.py``.

Each measurement runs in a fresh interpreter (``subprocess``), median of ``--repeats``:

- ``tcfit --help`` and ``tcfit --version`` (target: well under 0.5 s);
- ``tcfit fit table1`` end to end (the command a new user types first);
- the stages of that command in one fresh interpreter: **imports** (``import tcfit`` and the
  CLI), **read** (``tcfit.read("table1")``: pandas, pint's registry, the schema), **fit**
  (``tcfit.fit`` of the frame read: the model, the policy, the posterior) and **output** (the
  per-material table rendered by rich and written to CSV).

``--check`` exits 1 when ``--help`` or ``--version`` takes 0.5 s or more.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Upper bounds in seconds (medians).
TARGETS: dict[str, float] = {"help": 0.5, "version": 0.5}

_STAGES = r"""
import json, sys, time
t0 = time.perf_counter()
import tcfit
from tcfit.cli import app  # noqa: F401
t1 = time.perf_counter()
df = tcfit.read("table1")
t2 = time.perf_counter()
result = tcfit.fit(df)
t3 = time.perf_counter()
import io
from rich.console import Console
from tcfit.cli import _fit
from tcfit.streaming import write_result
Console(file=io.StringIO(), width=120).print(
    _fit._rows_table(result.table, result.summary, "table1", result.policy, len(result.table))
)
write_result(result, sys.argv[1])
t4 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "read": t2 - t1, "fit": t3 - t2, "output": t4 - t3}))
"""


def _tcfit() -> list[str]:
    return [sys.executable, "-c", "from tcfit.cli import main; main()"]


def _wall(command: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(repeats: int = 5) -> dict[str, float]:
    """Median seconds of every cold start and stage, by name."""
    out = {
        "help": _wall([*_tcfit(), "--help"], repeats),
        "version": _wall([*_tcfit(), "--version"], repeats),
        "fit_table1": _wall([*_tcfit(), "fit", "table1"], repeats),
    }
    stages: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        target = str(Path(folder) / "out.csv")
        for _ in range(repeats):
            done = subprocess.run(
                [sys.executable, "-c", _STAGES, target], check=True, capture_output=True, text=True
            )
            for name, seconds in json.loads(done.stdout.splitlines()[-1]).items():
                stages.setdefault(name, []).append(seconds)
    out |= {f"fit_table1_{name}": statistics.median(v) for name, v in stages.items()}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the timings as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    timings = run(args.repeats)
    missed = [name for name, limit in TARGETS.items() if timings[name] >= limit]
    if args.json:
        print(json.dumps({"seconds": timings, "targets": TARGETS, "missed": missed}, indent=2))
    else:
        for name, seconds in timings.items():
            target = f"(target < {TARGETS[name]:.1f} s)" if name in TARGETS else ""
            flag = "  MISSED" if name in missed else ""
            print(f"{name:28s} {seconds:8.3f} s   {target}{flag}")
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
