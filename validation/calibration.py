"""Measure the size and power of every lattice test tcfit reports; write ``docs/calibration.md``.

``nox -s calibration`` or ``python validation/calibration.py [--quick]``. Seeded: the same
arguments give the same numbers (the runtime line aside).

Datasets of m = 13, 21, 50 materials with σ(ln i) = 0.03, 0.06, 0.109 (stated = true errors)
are drawn under smooth, continuous envelopes of the true ln i (nulls) and under integers
(alternatives); x = true ln i + N(0, σ²). Envelopes, from table1 (``tcfit.fit("table1")``):

N0  log-uniform over table1's implied range (the retired test's own null)
N1  normal fitted to table1's ln i (mean, sd)
N2  kernel density of table1's ln i (Silverman bandwidth)
N3  65 % N(ln 3, 0.12²) + 35 % log-uniform [4, 17]: a smooth cluster *on* an integer
N4  the same cluster centred on 3.5, between two integers
ALT integer i resampled from table1's assigned values
LAT integer i from the lattice model itself (N1 integrated over the integer cells)

Each dataset is analysed on the integer grid 1…20 as ``tcfit.lattice.lattice_test`` does.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import scipy

import tcfit
from tcfit.lattice import _model as lm
from tcfit.lattice import _posterior as lp
from tcfit.lattice import _simulate as sim
from tcfit.lattice import stability

SIZES = (13, 21, 50)
SIGMAS = (0.03, 0.06, 0.109)
SCENARIOS = ("N0", "N1", "N2", "N3", "N4", "ALT", "LAT")
NULLS = ("N0", "N1", "N2", "N3", "N4")
LN3 = float(np.log(3.0))
ALPHA = 0.05
#: Null datasets per envelope in the calibration's double bootstrap. With (1 + n_sim)·α an
#: integer the Monte Carlo test has level exactly α whatever n_sim (p ≤ 0.05 ⟺ no null statistic
#: ≥ the observed one for 19, at most one for 39); power grows with n_sim, see the check table.
BOOT_MARGINAL = 19
BOOT_FIXED = 39
GRID = np.arange(1.0, 21.0)
LOG_GRID = np.log(GRID)
ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def _table1() -> dict[str, Any]:
    fit = tcfit.fit("table1")
    x = np.log(fit.table["i_implied"].to_numpy())
    return {"x": x, "assigned": np.log(fit.table["i_assigned"].to_numpy())}


def draw_true(scenario: str, n: int, m: int, ref: dict[str, Any], rng: np.random.Generator):
    """True ln i of n datasets of m materials; also the true cell index (−1 when smooth)."""
    x = ref["x"]
    shape = (n, m)
    if scenario == "N0":
        t = rng.uniform(x.min(), x.max(), shape)
    elif scenario == "N1":
        t = rng.normal(x.mean(), x.std(ddof=1), shape)
    elif scenario == "N2":
        h = sim.silverman_bandwidth(x[None])[0]
        t = rng.choice(x, shape) + h * rng.standard_normal(shape)
    elif scenario in ("N3", "N4"):
        centre = np.log(3.0 if scenario == "N3" else 3.5)
        cluster = rng.random(shape) < 0.65
        t = np.where(
            cluster,
            rng.normal(centre, 0.12, shape),
            rng.uniform(np.log(4.0), np.log(17.0), shape),
        )
    elif scenario == "ALT":
        t = rng.choice(ref["assigned"], shape)
    else:  # LAT: the model's own prior predictive at table1's envelope
        latent = rng.normal(x.mean(), x.std(ddof=1), shape)
        t = LOG_GRID[np.searchsorted((LOG_GRID[1:] + LOG_GRID[:-1]) / 2, latent)]
    cell = np.searchsorted((LOG_GRID[1:] + LOG_GRID[:-1]) / 2, t)
    return t, np.where(scenario in ("ALT", "LAT"), cell, -1)


def retired_rms_p(X: np.ndarray, rng: np.random.Generator, n_null: int = 1000) -> np.ndarray:
    """The superseded test: RMS residual against log-uniform draws over the observed range."""
    mid = (LOG_GRID[1:] + LOG_GRID[:-1]) / 2

    def rms(v: np.ndarray) -> np.ndarray:
        res = np.expm1(0.5 * (v - LOG_GRID[np.searchsorted(mid, v)]))
        return np.sqrt(np.mean(res**2, axis=-1))

    lo, hi = X.min(axis=1), X.max(axis=1)
    out = np.empty(X.shape[0])
    step = max(1, 2_000_000 // (n_null * X.shape[1]))
    for s in range(0, X.shape[0], step):  # chunks of datasets
        u = rng.random((min(step, X.shape[0] - s), n_null, X.shape[1]))
        null = lo[s : s + step, None, None] + u * (hi - lo)[s : s + step, None, None]
        out[s : s + step] = np.mean(rms(null) <= rms(X[s : s + step])[:, None], axis=1)
    return out


def ece(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over equal-width bins of the stated probability."""
    which = np.clip((confidence * bins).astype(int), 0, bins - 1)
    n = np.bincount(which, minlength=bins)
    conf = np.bincount(which, confidence, minlength=bins)
    acc = np.bincount(which, correct.astype(float), minlength=bins)
    used = n > 0
    return float(np.sum(np.abs(conf[used] - acc[used])) / confidence.size)


def run_cell(m, sigma, scenario, ref, args, rng) -> dict[str, Any]:
    """Every statistic for one (m, σ, scenario) cell."""
    sig = np.full(m, sigma)
    quad = lm.make_quadrature(LOG_GRID, lm.scale_nodes(sig))
    quad1 = lm.with_scales(quad, np.array([0.0]))
    true, cell = draw_true(scenario, args.reps, m, ref, rng)
    X = true + sigma * rng.standard_normal(true.shape)
    row: dict[str, Any] = {"m": m, "sigma": sigma, "scenario": scenario}
    bf = lm.log_bayes_factor(X, sig, quad)
    bf1 = lm.log_bayes_factor(X, sig, quad1)
    row.update(
        bf_gt0=np.mean(bf > 0),
        bf_gt_ln3=np.mean(bf > LN3),
        bf1_gt0=np.mean(bf1 > 0),
        bf1_gt_ln3=np.mean(bf1 > LN3),
        median_bf=float(np.median(bf)),
        median_bf1=float(np.median(bf1)),
    )
    # Calibrated p by the full parametric double bootstrap on the first boot_reps datasets.
    k = args.boot_reps if m <= 21 else (2 * args.boot_reps) // 3  # the 50-row tables cost most
    p = sim.bootstrap_p_values(X[:k], sig, quad, bf[:k], scale=1.0, n_sim=BOOT_MARGINAL, rng=rng)
    row["p_marginal"] = np.mean(np.maximum(p["normal"], p["kde"]) <= ALPHA)
    p1 = sim.bootstrap_p_values(X[:k], sig, quad1, bf1[:k], scale=1.0, n_sim=BOOT_FIXED, rng=rng)
    row["p_fixed"] = np.mean(np.maximum(p1["normal"], p1["kde"]) <= ALPHA)
    _, ray_p = sim.rayleigh(X, sig, 1.0)
    row["rayleigh"] = np.mean(ray_p <= ALPHA)
    row["retired_rms"] = np.mean(retired_rms_p(X, rng) <= ALPHA)
    for tol in (0.05, 0.10):
        obs, guaranteed, expected = sim.headline_counts(X, sig, LOG_GRID, tol)
        row[f"within_{tol:.2f}"] = obs.mean()
        row[f"guaranteed_{tol:.2f}"] = guaranteed.mean()
        row[f"expected_{tol:.2f}"] = expected.mean()
    if scenario in ("ALT", "LAT"):
        nearest = np.searchsorted((LOG_GRID[1:] + LOG_GRID[:-1]) / 2, X)
        correct = (nearest == cell).ravel()
        stable = stability(X.ravel(), sigma, GRID)
        inside = np.isfinite(stable)
        probs = {"p_stable": (stable[inside], correct[inside])}
        for name, q in (("posterior", quad), ("posterior_fixed", quad1)):
            post = lp.analyse(X, sig, q).posterior
            conf = np.take_along_axis(post, nearest[..., None], axis=2)[..., 0].ravel()
            probs[name] = (conf, correct)
        row["share_correct"] = correct.mean()
        for name, (conf, ok) in probs.items():
            row[f"ece_{name}"] = ece(conf, ok)
            row[f"gap_{name}"] = float(conf.mean() - ok.mean())
            row[f"bins_{name}"] = reliability(conf, ok)
    return row


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> list[list[float]]:
    """Per bin of stated probability: [mean stated, share right, count] (empty bins left out)."""
    which = np.clip((confidence * bins).astype(int), 0, bins - 1)
    n = np.bincount(which, minlength=bins)
    conf = np.bincount(which, confidence, minlength=bins)
    acc = np.bincount(which, correct.astype(float), minlength=bins)
    return [[conf[b] / n[b], acc[b] / n[b], float(n[b])] for b in range(bins) if n[b]]


def run_anchor(m, sigma, scenario, ref, args, rng) -> dict[str, Any]:
    """The marginal-s calibrated p with 19 and with 99 null datasets per envelope, same data."""
    sig = np.full(m, sigma)
    quad = lm.make_quadrature(LOG_GRID, lm.scale_nodes(sig))
    true, _ = draw_true(scenario, args.anchor_reps, m, ref, rng)
    X = true + sigma * rng.standard_normal(true.shape)
    bf = lm.log_bayes_factor(X, sig, quad)
    row: dict[str, Any] = {"m": m, "sigma": sigma, "scenario": scenario}
    for n_sim in (BOOT_MARGINAL, 99):
        p = sim.bootstrap_p_values(X, sig, quad, bf, scale=1.0, n_sim=n_sim, rng=rng)
        row[f"n{n_sim}"] = float(np.mean(np.maximum(p["normal"], p["kde"]) <= ALPHA))
        row[f"n{n_sim}_normal"] = float(np.mean(p["normal"] <= ALPHA))
        row[f"n{n_sim}_kde"] = float(np.mean(p["kde"] <= ALPHA))
    return row


TESTS: tuple[tuple[str, str], ...] = (
    (
        "p_marginal",
        "Calibrated p of ln BF with s marginalised (the default `lattice_test`): full double "
        "bootstrap, 19 null datasets per envelope, reject when max(p_normal, p_kde) ≤ 0.05",
    ),
    (
        "p_fixed",
        "Calibrated p of ln BF with s fixed at the stated errors (`error_scale=1.0`): full "
        "double bootstrap, 39 null datasets per envelope, reject when max(p_normal, p_kde) ≤ 0.05",
    ),
    ("bf_gt0", "Decision ln BF > 0 (s marginalised)"),
    ("bf_gt_ln3", "Decision ln BF > ln 3 (s marginalised)"),
    ("bf1_gt0", "Decision ln BF > 0 (s fixed at the stated errors)"),
    ("bf1_gt_ln3", "Decision ln BF > ln 3 (s fixed at the stated errors)"),
    ("rayleigh", "Weighted Rayleigh test of the phases of i, p ≤ 0.05"),
    ("retired_rms", "Retired log-uniform RMS test (`quantization_test`, superseded), p ≤ 0.05"),
)

HOW_TO_READ = """\
**How to read this.** Each test table gives the share of simulated datasets in which the test
declares "integer i" at the 5 % level. Under N0–N4 the true i are continuous (not quantized), so
the share is the test's **size** (false-positive rate; a valid test stays near or below 0.05).
Under ALT and LAT the true i are integers, so the share is its **power**. N3, a smooth cluster that
happens to sit *on* an integer, is a known blind spot of every test here: on ~20 materials it
cannot be told apart from quantization. The Monte Carlo standard error of a share p is
√(p(1 − p)/n): ±0.013 at p = 0.05 for n = 300, ±0.020 for n = 120, ±0.024 for n = 80. The ln BF
thresholds are not tests at a fixed level; their rows show how often a Bayes factor that large
arises without quantization. The calibration tables say whether a stated probability of being
right (stability or posterior) is the share of assignments that are right."""


def _fmt(v: Any) -> str:
    if isinstance(v, float | np.floating):
        return f"{v:.3f}" if abs(v) < 100 else f"{v:.0f}"
    return str(v)


def _table(rows: list[dict[str, Any]], key: str, scenarios=SCENARIOS) -> list[str]:
    lines = [
        "| m | σ(ln i) | " + " | ".join(scenarios) + " |",
        "|---:|---:|" + "---:|" * len(scenarios),
    ]
    by = {(r["m"], r["sigma"], r["scenario"]): r for r in rows}
    for m in SIZES:
        for s in SIGMAS:
            vals = [
                _fmt(by[(m, s, sc)].get(key, "")) if (m, s, sc) in by else "" for sc in scenarios
            ]
            lines.append(f"| {m} | {s} | " + " | ".join(vals) + " |")
    return lines


def _environment() -> list[str]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = "unknown"
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            ln.split(":", 1)[1].strip()
            for ln in cpuinfo.read_text().splitlines()
            if ln.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return [
        f"- Machine: {cpu}, {os.cpu_count()} cores, load average {load:.1f} at the start "
        f"(shared with other work); {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"tcfit {tcfit.__version__} (commit {commit})",
    ]


def _setup_section(meta: dict[str, Any]) -> list[str]:
    """Title, how to read, and the set-up: machine, versions, seed, sizes, priors, thresholds."""
    return [
        "# Calibration of the lattice tests",
        "",
        "Generated by `validation/calibration.py` (`nox -s calibration`); do not edit by hand.",
        "",
        HOW_TO_READ,
        "",
        "## Set-up",
        "",
        *meta["env"],
        f"- Seed {meta['seed']}; {meta['reps']} datasets per cell ({meta['boot_reps']} of them "
        f"through the double bootstrap, {(2 * meta['boot_reps']) // 3} for m = 50; "
        f"{meta['anchor_reps']} per row of the null-count check); "
        f"runtime {meta['seconds'] / 60:.1f} min with {meta['workers']} worker process(es).",
        "- Scenarios (true ln i; x = true + N(0, σ²), stated σ = true σ), all fitted to "
        '`tcfit.fit("table1")`: N0 log-uniform over table1\'s implied range; N1 normal fitted to '
        "table1's ln i; N2 its Silverman kernel density; N3 65 % N(ln 3, 0.12²) + 35 % "
        "log-uniform [4, 17] (cluster *on* an integer); N4 the same centred on 3.5 (between "
        "integers); ALT integers resampled from table1's assignments; LAT integers from the "
        "lattice model at N1 (the model itself). Grid: the integers 1…20.",
        "- Model priors (both models): μ ~ U(0, ln 30); ln τ ~ U(ln 0.05, ln 2); s marginalised "
        "with ln s ~ U so that s·σ spans 0.02–0.3, or fixed at 1. Null envelopes of the "
        "calibrated p: `normal` (mean and deconvolved variance of x) and `kde` (variance-corrected "
        "smoothed bootstrap of x, Silverman bandwidth, not deconvolved); p = (1 + #{T* ≥ T}) / "
        "(1 + n_sim) per envelope, headline = the larger.",
        "- Rayleigh: Z = Σ w cos(2πi) / √(½ Σ w²), w = exp(−2π²(iσ)²), one-sided normal p.",
        "- Retired test: RMS residual against 1000 log-uniform draws over the observed range.",
        "- Evidence wording (Kass–Raftery on ln BF): < −5 very strong against, −5…−3 strong "
        "against, −3…−1.1 positive against, −1.1…0 none, 0…1.1 barely worth mentioning, 1.1…3 "
        "positive, 3…5 strong, ≥ 5 very strong.",
        "",
    ]


def _check_sections(rows: list[dict[str, Any]], anchors: list[dict[str, Any]]) -> list[str]:
    """Medians, the null-count check, assignment calibration and the headline counts."""
    return [
        "## Median ln BF (s marginalised / s fixed)",
        "",
        *_table(
            [{**r, "both": f"{r['median_bf']:.2f} / {r['median_bf1']:.2f}"} for r in rows], "both"
        ),
        "",
        "## Number of null datasets: 19 against 99 per envelope",
        "",
        "The tables use 19 (marginal s) and 39 (fixed s) null datasets per envelope to keep the "
        "double bootstrap affordable; `lattice_test` uses 199 by default. A Monte Carlo test has "
        "its level at any such number; its power grows with it. Same data, both numbers (s "
        "marginalised; per-envelope rejection rates in brackets, normal / kde):",
        "",
        "| m | σ(ln i) | scenario | 19 null datasets | 99 null datasets |",
        "|---:|---:|:---|---:|---:|",
        *[
            f"| {a['m']} | {a['sigma']} | {a['scenario']} | {a['n19']:.3f} ({a['n19_normal']:.3f}"
            f" / {a['n19_kde']:.3f}) | {a['n99']:.3f} ({a['n99_normal']:.3f} / "
            f"{a['n99_kde']:.3f}) |"
            for a in anchors
        ],
        "",
        "## Assignment probabilities: calibration under true integers",
        "",
        "Share of log-nearest assignments that are right, and for each stated probability its "
        "expected calibration error (ECE, 10 equal bins) and in brackets its mean minus the share "
        "right (> 0 over-confident, < 0 under-confident): the stability `p_stable` (outside-grid "
        "rows excluded), the posterior `posterior_assigned` with s marginalised (the default) and "
        "with s fixed at the stated errors (`error_scale=1.0`).",
        "",
        "| m | σ(ln i) | scenario | share correct | p_stable | posterior (s marginal) "
        "| posterior (s fixed) |",
        "|---:|---:|:---|---:|---:|---:|---:|",
        *[
            f"| {r['m']} | {r['sigma']} | {r['scenario']} | {r['share_correct']:.3f} | "
            + " | ".join(
                f"{r['ece_' + k]:.3f} ({r['gap_' + k]:+.3f})"
                for k in ("p_stable", "posterior", "posterior_fixed")
            )
            + " |"
            for r in rows
            if "share_correct" in r
        ],
        "",
        "Reliability at m = 21, σ(ln i) = 0.109 (tcfit's default errors): mean stated probability "
        "→ share right (count) per bin.",
        "",
        "| scenario | probability | reliability |",
        "|:---|:---|:---|",
        *[
            f"| {r['scenario']} | {k} | "
            + ", ".join(f"{c:.2f} → {a:.2f} ({n:.0f})" for c, a, n in r["bins_" + k])
            + " |"
            for r in rows
            if "share_correct" in r and r["m"] == 21 and r["sigma"] == 0.109
            for k in ("p_stable", "posterior", "posterior_fixed")
        ],
        "",
        "## Headline counts: what the grid guarantees",
        "",
        "Mean number of rows within 5 % / 10 % of the measured Tc after assignment, the number "
        "the integer grid guarantees whatever their i (worst case in [k, k+1] is "
        "(1 + 1/k)^¼ − 1), and the number expected under the normal envelope fitted to the data.",
        "",
        "| m | σ(ln i) | scenario | within 5 % | guaranteed 5 % | expected 5 % "
        "| within 10 % | guaranteed 10 % | expected 10 % |",
        "|---:|---:|:---|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {r['m']} | {r['sigma']} | {r['scenario']} | {r['within_0.05']:.1f} | "
            f"{r['guaranteed_0.05']:.1f} | {r['expected_0.05']:.1f} | {r['within_0.10']:.1f} | "
            f"{r['guaranteed_0.10']:.1f} | {r['expected_0.10']:.1f} |"
            for r in rows
            if r["sigma"] == 0.109
        ],
        "",
    ]


def write_report(results: dict[str, Any]) -> str:
    """The Markdown of ``docs/calibration.md`` from the raw results (see ``--from-json``)."""
    rows, anchors = results["rows"], results["anchors"]
    out = _setup_section(results["meta"])
    for key, title in TESTS:
        out += [f"## {title}", "", *_table(rows, key), ""]
    out += _check_sections(rows, anchors)
    return "\n".join(out)


def _job(job: tuple[str, int, float, str, int, argparse.Namespace]) -> dict[str, Any]:
    """One cell (or one check row), seeded by its position in the plan."""
    kind, m, sigma, scenario, index, args = job
    rng = np.random.default_rng([args.seed, index])
    run = run_cell if kind == "cell" else run_anchor
    return {"kind": kind, "index": index, **run(m, sigma, scenario, _table1(), args, rng)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=300, help="datasets per cell")
    parser.add_argument(
        "--boot-reps", type=int, default=120, help="datasets per cell through the double bootstrap"
    )
    parser.add_argument("--anchor-reps", type=int, default=100, help="datasets per check row")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--workers", type=int, default=2, help="processes (one per core)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to try the script")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "calibration.md")
    parser.add_argument(
        "--from-json", type=Path, help="rewrite the Markdown from saved raw results, no simulation"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        args.output.write_text(write_report(json.loads(args.from_json.read_text())), "utf-8")
        return 0
    if args.quick:
        args.reps, args.boot_reps, args.anchor_reps = 40, 10, 10
    env = _environment()
    start = time.perf_counter()
    cells = [(m, s, sc) for m in SIZES for s in SIGMAS for sc in SCENARIOS]
    jobs = [("cell", m, s, sc, i, args) for i, (m, s, sc) in enumerate(cells)]
    jobs += [("anchor", 21, 0.109, sc, 1000 + j, args) for j, sc in enumerate(("N1", "ALT"))]
    jobs.sort(key=lambda j: -j[1])  # the largest tables first, for balance
    results = []
    if args.workers > 1:
        import multiprocessing as mp

        # One BLAS thread per process: threads competing for the same cores slow down tenfold.
        os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = "1"
        with mp.get_context("spawn").Pool(args.workers) as pool:
            for res in pool.imap_unordered(_job, jobs):
                results.append(res)
                _progress(start, res)
    else:
        for job in jobs:
            results.append(_job(job))
            _progress(start, results[-1])
    results.sort(key=lambda r: r["index"])
    rows = [r for r in results if r["kind"] == "cell"]
    anchors = [r for r in results if r["kind"] == "anchor"]
    meta = {
        "env": env,
        "seconds": time.perf_counter() - start,
        **{k: getattr(args, k) for k in ("seed", "reps", "boot_reps", "anchor_reps", "workers")},
    }
    results = _plain({"meta": meta, "rows": rows, "anchors": anchors})
    args.output.parent.mkdir(parents=True, exist_ok=True)
    raw = args.output.with_suffix(".json")
    raw.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    # The same numbers ship with tcfit, so that a verdict quotes the measured size and power.
    packaged = Path(__file__).resolve().parents[1] / "fit" / "lattice" / "calibration.json"
    packaged.write_text(raw.read_text(encoding="utf-8"), encoding="utf-8")
    args.output.write_text(write_report(results), encoding="utf-8")
    print(f"wrote {args.output} and {raw}", file=sys.stderr)
    return 0


def _plain(value: Any) -> Any:
    """JSON types (numpy scalars → Python)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value.item() if isinstance(value, np.generic) else value


def _progress(start: float, res: dict[str, Any]) -> None:
    print(
        f"[{time.perf_counter() - start:7.1f} s] {res['kind']} m={res['m']} σ={res['sigma']} "
        f"{res['scenario']}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    sys.exit(main())
