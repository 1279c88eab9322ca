"""The benchmark scripts compute what they claim: the numpy floor is the fit's arithmetic.

Nothing here is timed (speed lives in ``benchmarks/``, ``nox -s bench``); these tests check that
the floor of ``bench_scale.py`` computes the same columns as ``tcfit.fit`` and that its bare-numpy
posterior (written independently of tcfit's) agrees with tcfit's, and that the scripts run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import tcfit
from tcfit.options import FitOptions

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_scale
        import synthetic

        yield bench_scale, synthetic
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_numpy_floor_computes_the_fit_columns(bench):
    bench_scale, synthetic = bench
    frame = synthetic.synthetic(3000, seed=4)
    opts = FitOptions()
    grid = opts.get_policy().values
    tc, bc, n = (frame[q].to_numpy(dtype=float) for q in ("tc", "bc", "n"))
    x, s, idx, out = bench_scale.numpy_floor(tc, bc, n, grid, opts.prefactor, dict(opts.rel_err))
    table = tcfit.fit(frame).table
    np.testing.assert_allclose(np.exp(x), table["i_implied"], rtol=1e-12)
    np.testing.assert_allclose(s, table["i_implied_err"] / table["i_implied"], rtol=1e-12)
    np.testing.assert_array_equal(grid[idx], table["i_assigned"])
    np.testing.assert_allclose(out["tc_model_assigned"], table["tc_model"], rtol=1e-12)
    np.testing.assert_allclose(out["residual_assigned"], table["residual"], rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(out["chi2_assigned"], table["chi2_assigned"], rtol=1e-9)
    inside = np.isfinite(table["p_stable"].to_numpy())
    np.testing.assert_allclose(out["p_stable"][inside], table["p_stable"][inside], rtol=1e-12)


def test_bare_numpy_posterior_agrees_with_tcfit(bench):
    """Two independent implementations of the empirical-Bayes posterior give the same
    probabilities (fitted on the same 5000 materials: tcfit subsamples only above 20 000)."""
    bench_scale, synthetic = bench
    frame = synthetic.synthetic(5000, seed=5)
    opts = FitOptions()
    grid = opts.get_policy().values
    tc, bc, n = (frame[q].to_numpy(dtype=float) for q in ("tc", "bc", "n"))
    x, s, idx, _ = bench_scale.numpy_floor(tc, bc, n, grid, opts.prefactor, dict(opts.rel_err))
    floor = bench_scale.numpy_posterior(x, s, grid, idx, sample=20_000)
    result = tcfit.fit(frame)
    assert result.table.attrs["posterior_method"] == "empirical Bayes"
    fitted = result.table["posterior_assigned"].to_numpy()
    inside = np.isfinite(fitted)
    assert np.max(np.abs(floor[inside] - fitted[inside])) < 1e-6  # measured: 3.5e-15


def test_bench_scale_runs_and_writes_its_table(bench, capsys):
    bench_scale, _ = bench
    status = bench_scale.main(
        ["--rows", "3000", "--streamed-rows", "0", "--report-rows", "0", "--lmfit-sample", "3",
         "--repeats", "1"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0
    assert "vs the numpy floor of the same arithmetic" in out
    assert "## What the ratios mean" in out
