"""Scale: one table of ratios measured in the same run (``nox -s bench``; issue 13, item 7).

``python benchmarks/bench_scale.py [--rows 1e6] [--streamed-rows 1e7] [--write]``

=============================  ==================================================  ==========
row                            what                                                target
=============================  ==================================================  ==========
fit vs numpy floor             ``tcfit.fit`` of a 1e6-row DataFrame (read,         ≤ 3×
                               validate, fit, posterior, summary) against the
                               same per-material arithmetic in bare numpy
lmfit loop vs fit              one ``lmfit.Model.fit`` per row (what a user        ≥ 1000×
                               would write), timed on ``--lmfit-sample`` rows
                               and scaled to the table
streamed 1e7 rows, peak RSS    ``tcfit fit BIG.parquet -o out.parquet`` in a       ≤ 2 GiB
                               child process (streamed in chunks)
report on 1e4 rows             ``tcfit report`` of 1e4 synthetic rows (HTML        —
                               only), or "not measured" if it fails or takes
                               more than ``--report-timeout`` seconds
cold starts                    ``tcfit --help``, ``--version``                     < 0.5 s
=============================  ==================================================  ==========

The numpy floor computes, from float arrays Tc, Bc, n, exactly the per-material columns of a fit:
implied i and its σ, the log-nearest allowed value and the runner-up, model Tc, residuals, z, χ²
and ``p_stable``; "floor + posterior" adds :func:`tcfit.lattice.assigned_posterior` (the
dataset-level empirical-Bayes inference, also numpy). ``--write`` writes ``benchmarks/results.md``
with the machine and versions. With ``--streamed-rows 1e7`` the streamed row takes a few minutes
on two cores (the Parquet file is written first, about 0.5 GB in /tmp); ``--streamed-rows 0``
skips it. ``--check`` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import synthetic, write_parquet

GIB = 2**30


def _best(func: Callable[[], Any], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def numpy_floor(
    tc: Any, bc: Any, n: Any, grid: Any, prefactor: float, rel: dict[str, float]
) -> Any:
    """The per-material columns of a fit of Eq. (5) in bare numpy (default uncertainties)."""
    import numpy as np
    from scipy.special import ndtr

    r_t, r_b, r_n = (rel[q] * v / v for q, v in (("tc", tc), ("bc", bc), ("n", n)))
    implied = (prefactor * bc / (n ** (1 / 6) * tc)) ** 2
    x = np.log(implied)
    s_i = np.sqrt((2 * r_b) ** 2 + (r_n / 3) ** 2 + (2 * r_t) ** 2)
    s_t = np.sqrt(r_t**2 + r_b**2 + (r_n / 6) ** 2)
    log_grid = np.log(grid)
    mid = 0.5 * (log_grid[:-1] + log_grid[1:])
    idx = np.searchsorted(mid, x - 1e-12)
    runner = np.where(x > log_grid[idx], np.minimum(idx + 1, grid.size - 1), np.maximum(idx - 1, 0))
    out = {}
    for name, k in (("assigned", idx), ("runner", runner)):
        ln_ratio = 0.5 * (x - log_grid[k])
        out[f"tc_model_{name}"] = tc * np.exp(ln_ratio)
        out[f"residual_{name}"] = np.expm1(ln_ratio)
        out[f"chi2_{name}"] = (ln_ratio / s_t) ** 2
    bounds = np.concatenate([[-np.inf], mid, [np.inf]])
    lo, hi = (bounds[idx] - x) / s_i, (bounds[idx + 1] - x) / s_i
    out["p_stable"] = np.where(lo > 0, ndtr(-lo) - ndtr(-hi), ndtr(hi) - ndtr(lo))
    return x, s_i, idx, out


def fit_vs_floor(rows: int, repeats: int) -> dict[str, float]:
    import numpy as np

    import tcfit
    from tcfit.lattice import assigned_posterior
    from tcfit.options import FitOptions

    frame = synthetic(rows)
    opts = FitOptions()
    grid = opts.get_policy().values
    tc, bc, n = (frame[q].to_numpy(dtype=float) for q in ("tc", "bc", "n"))
    tcfit.fit(frame.head(1000))  # warm-up: imports, pint registry

    def floor_and_posterior() -> None:
        x, s, idx, _ = numpy_floor(tc, bc, n, grid, opts.prefactor, dict(opts.rel_err))
        order = np.lexsort((s, x))
        assigned_posterior(x[order], s[order], grid, idx[order])

    return {
        "fit": _best(lambda: tcfit.fit(frame), repeats),
        "floor": _best(
            lambda: numpy_floor(tc, bc, n, grid, opts.prefactor, dict(opts.rel_err)), repeats
        ),
        "floor_posterior": _best(floor_and_posterior, repeats),
    }


def lmfit_loop(sample: int) -> float:
    """Seconds per row of the per-row loop a user would write with lmfit."""
    import lmfit
    import numpy as np

    def eq5(bc: float, n: float, i: float) -> float:
        return 1.56e7 * bc / (n ** (1 / 6) * np.sqrt(i))

    model = lmfit.Model(eq5, independent_vars=["bc", "n"])
    frame = synthetic(sample, seed=1)
    start = time.perf_counter()
    for row in frame.itertuples():
        params = model.make_params(i=dict(value=5.0, min=0.01, max=1e4))
        model.fit(np.array([row.tc]), params, bc=row.bc, n=row.n, weights=1 / (0.02 * row.tc))
    return (time.perf_counter() - start) / sample


_PEAK = (
    "import atexit, os\n"
    "def _peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM'):\n"
    "            open(os.environ['TCFIT_BENCH_PEAK'], 'w').write(line.split()[1])\n"
    "atexit.register(_peak)\n"
    "from tcfit.cli import main\n"
    "main()\n"
)


def _child_peak(command: list[str], timeout: float | None = None) -> tuple[float, float, int]:
    """(seconds, peak RSS in bytes, exit status) of ``tcfit *command`` in a child process.

    The peak is the child's own high-water mark (``VmHWM`` of ``/proc/self/status`` at exit):
    ``ru_maxrss`` would count the parent's pages shared at fork.
    """
    with tempfile.NamedTemporaryFile(suffix=".peak") as peak_file:
        env = {**os.environ, "TCFIT_BENCH_PEAK": peak_file.name}
        start = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, "-c", _PEAK, *command],
                env=env,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return time.perf_counter() - start, 0.0, -1
        seconds = time.perf_counter() - start
        text = Path(peak_file.name).read_text() or "0"
    if done.returncode:
        sys.stderr.write(done.stderr.decode("utf-8", "replace")[-2000:])
    return seconds, float(text) * 1024.0, done.returncode


def _tcfit(*args: str) -> list[str]:
    return [sys.executable, "-c", "from tcfit.cli import main; main()", *args]


def streamed(rows: int, folder: Path) -> dict[str, float]:
    source = write_parquet(folder / "big.parquet", rows)
    seconds, peak, status = _child_peak(["fit", str(source), "-o", str(folder / "out.parquet")])
    if status != 0:
        raise RuntimeError(f"tcfit fit of {rows} streamed rows failed (exit {status})")
    return {"seconds": seconds, "peak_rss": peak, "file_bytes": source.stat().st_size}


def report(rows: int, folder: Path, timeout: float) -> float | None:
    source = folder / "report.parquet"
    synthetic(rows, seed=2).to_parquet(source, index=False)
    seconds, _, status = _child_peak(
        ["report", str(source), "-o", str(folder / "report"), "--format", "html"], timeout
    )
    return seconds if status == 0 else None


def cold(repeats: int) -> dict[str, float]:
    out = {}
    for flag in ("--help", "--version"):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(_tcfit(flag), check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        out[flag] = statistics.median(times)
    return out


def machine() -> dict[str, str]:
    import importlib.metadata as md

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            int(line.split()[1]) * 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem = 0
    versions = {}
    for name in (
        "tcfit",
        "numpy",
        "scipy",
        "pandas",
        "pyarrow",
        "pandera",
        "pint",
        "lmfit",
        "dask",
    ):
        try:
            versions[name] = md.version(name)
        except md.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "machine": f"{cpu}, {os.cpu_count()} cores, {mem / GIB:.1f} GiB RAM, {platform.system()}",
        "python": platform.python_version(),
        **versions,
    }


def rows_table(m: dict[str, Any], args: argparse.Namespace) -> list[tuple[str, str, str, bool]]:
    """(row, measured, target, met) for every line of the results table."""
    f = m["fit"]
    ratio = f["fit"] / f["floor"]
    lmfit_ratio = m["lmfit_per_row"] * args.rows / f["fit"]
    out = [
        (
            f"`tcfit.fit` on {args.rows:.0e} rows vs numpy floor",
            f"{f['fit']:.2f} s vs {f['floor']:.3f} s = **{ratio:.1f}×** "
            f"(vs floor + posterior {f['floor_posterior']:.2f} s: "
            f"{f['fit'] / f['floor_posterior']:.1f}×)",
            "≤ 3×",
            ratio <= 3,
        ),
        (
            f"per-row lmfit loop vs `tcfit.fit` ({args.rows:.0e} rows)",
            f"{m['lmfit_per_row'] * 1e3:.2f} ms/row × {args.rows:.0e} = "
            f"{m['lmfit_per_row'] * args.rows:.0f} s: **{lmfit_ratio:,.0f}× slower**",
            "≥ 1000×",
            lmfit_ratio >= 1000,
        ),
    ]
    s = m.get("streamed")
    if s is None:
        out.append(
            (
                "streamed from Parquet by the CLI",
                "not measured (--streamed-rows 0)",
                "≤ 2 GiB",
                True,
            )
        )
    else:
        out.append(
            (
                f"{args.streamed_rows:.0e} rows streamed from Parquet "
                "(`tcfit fit BIG.parquet -o out.parquet`)",
                f"{s['seconds']:.0f} s, peak RSS **{s['peak_rss'] / GIB:.2f} GiB**",
                "≤ 2 GiB",
                s["peak_rss"] <= 2 * GIB,
            )
        )
    r = m.get("report")
    out.append(
        (
            "`tcfit report` on 1e4 rows (HTML)",
            "not measured (failed or timed out)" if r is None else f"{r:.0f} s",
            "—",
            True,
        )
    )
    for flag, seconds in m["cold"].items():
        out.append((f"`tcfit {flag}` cold start", f"{seconds:.2f} s", "< 0.5 s", seconds < 0.5))
    return out


def markdown(rows: list[tuple[str, str, str, bool]], info: dict[str, str]) -> str:
    lines = [
        "# tcfit scale benchmarks",
        "",
        "Written by `python benchmarks/bench_scale.py --write` (run by `nox -s bench`); every row",
        "measured in the same run on the machine below. Synthetic tables:",
        "`benchmarks/synthetic.py`.",
        "",
        "| benchmark | measured | target | met |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {a} | {b} | {c} | {'yes' if ok else '**no**'} |" for a, b, c, ok in rows]
    lines += ["", "| | |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in info.items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=lambda v: int(float(v)), default=1_000_000)
    parser.add_argument("--streamed-rows", type=lambda v: int(float(v)), default=10_000_000)
    parser.add_argument("--report-rows", type=lambda v: int(float(v)), default=10_000)
    parser.add_argument("--report-timeout", type=float, default=300.0)
    parser.add_argument("--lmfit-sample", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="write benchmarks/results.md")
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    measured: dict[str, Any] = {"fit": fit_vs_floor(args.rows, args.repeats)}
    measured["lmfit_per_row"] = lmfit_loop(args.lmfit_sample)
    with tempfile.TemporaryDirectory(prefix="tcfit-bench-") as tmp:
        if args.streamed_rows:
            measured["streamed"] = streamed(args.streamed_rows, Path(tmp))
        if args.report_rows:
            measured["report"] = report(args.report_rows, Path(tmp), args.report_timeout)
    measured["cold"] = cold(5)
    table = rows_table(measured, args)
    info = machine()
    if args.json:
        print(json.dumps({"measured": measured, "machine": info}, indent=2, default=str))
    else:
        print(markdown(table, info))
    if args.write:
        Path(__file__).with_name("results.md").write_text(markdown(table, info), encoding="utf-8")
    return 1 if (args.check and not all(ok for *_, ok in table)) else 0


if __name__ == "__main__":
    sys.exit(main())
