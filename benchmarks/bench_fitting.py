"""Timing of the fitters' hot paths: ``nox -s bench`` or ``python benchmarks/bench_fitting.py``.

Measures, as the best of several repeats (``time.perf_counter``):

- ``tcfit.fit("table1")`` — the whole fit (closed-form probabilities, no Monte Carlo);
- ``p_stable`` and the posterior of the assigned values alone for 21 materials (no data loading);
- ``tcfit.quantization_test(result, n_null=10000)``;
- ``tcfit.fit_global(result)`` (three lmfit fits).

Speed targets are checked here, not in unit tests (timed tests are flaky). Pass ``--check`` to
exit with status 1 when a target is missed; the targets are generous upper bounds for a small
laptop-class machine (2 cores), meant to catch an accidental Python loop over draws or rows.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import Any

#: Upper bounds in seconds (best of the repeats).
TARGETS: dict[str, float] = {
    "fit_table1": 0.5,
    "probabilities_21": 0.05,
    "quantization_test_10000_nulls": 0.2,
    "fit_global_table1": 1.0,
}


def _best(func: Callable[[], Any], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def run(repeats: int = 5) -> dict[str, float]:
    """Time every benchmark; returns seconds (best of ``repeats``) by name."""
    import numpy as np

    import tcfit
    from tcfit.fitting import posterior_of
    from tcfit.lattice import stability

    result = tcfit.fit("table1")  # warm-up: imports, dataset cache
    table = result.table
    x = np.log(table["i_implied"].to_numpy())
    sigma = (table["i_implied_err"] / table["i_implied"]).to_numpy()
    idx = np.searchsorted(result.policy.values, table["i_assigned"].to_numpy())

    def probabilities() -> None:
        stability(x, sigma, result.policy.values)
        posterior_of(x, sigma, result.policy, idx)

    return {
        "fit_table1": _best(lambda: tcfit.fit("table1"), repeats),
        "probabilities_21": _best(probabilities, repeats),
        "quantization_test_10000_nulls": _best(
            lambda: tcfit.quantization_test(result, n_null=10000), repeats
        ),
        "fit_global_table1": _best(lambda: tcfit.fit_global(result), repeats),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the timings as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    timings = run(args.repeats)
    missed = [name for name, seconds in timings.items() if seconds > TARGETS[name]]
    if args.json:
        print(json.dumps({"seconds": timings, "targets": TARGETS, "missed": missed}, indent=2))
    else:
        for name, seconds in timings.items():
            flag = "  MISSED" if name in missed else ""
            target = f"(target < {TARGETS[name] * 1e3:.0f} ms)"
            print(f"{name:32s} {seconds * 1e3:9.2f} ms   {target}{flag}")
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
