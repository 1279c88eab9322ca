"""The computation behind :func:`tcfit.lattice.lattice_test` (private).

Takes validated arrays, runs the quadrature (``tcfit.lattice._model``), the posteriors and LOO
(``tcfit.lattice._posterior``), the scan of the evidence against the error scale, and the
parametric bootstrap (``tcfit.lattice._simulate``), and assembles a :class:`LatticeTest`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from tcfit.policies import TIE_TOLERANCE

from . import _model as lm
from ._posterior import analyse
from ._result import EVIDENCE_THRESHOLDS, LatticeTest, evidence_label
from ._simulate import (
    ENVELOPES,
    bootstrap_p_values,
    headline_counts,
    lattice_spacing,
    rayleigh,
)

if TYPE_CHECKING:
    import pandas as pd

FloatArray = lm.FloatArray

#: Points of the evidence-against-error-scale scan (log-spaced over the s prior).
SCAN_POINTS: int = 57
#: Tolerances of the headline counts ("within 5 % / 10 %").
COUNT_TOLERANCES: tuple[float, ...] = (0.05, 0.10)


def _ln_bf_at(x: FloatArray, sigma: FloatArray, quad: lm.Quadrature, log_s: float) -> float:
    """ln BF at one fixed error scale e^log_s."""
    z_lat, z_con = lm.log_evidence_by_scale(x[None], sigma, lm.with_scales(quad, np.array([log_s])))
    return float(z_lat[0, 0] - z_con[0, 0])


def _scale_mode(
    x: FloatArray, sigma: FloatArray, quad: lm.Quadrature, scan: FloatArray, z_lat: FloatArray
) -> float:
    """Mode of s under the lattice model: the best scan node, refined by a bounded search."""
    best = int(np.argmax(z_lat))
    lo, hi = scan[max(best - 1, 0)], scan[min(best + 1, scan.size - 1)]

    def neg_log_z(log_s: float) -> float:
        z_lat_s, _ = lm.log_evidence_by_scale(
            x[None], sigma, lm.with_scales(quad, np.array([log_s]))
        )
        return -float(z_lat_s[0, 0])

    found = minimize_scalar(neg_log_z, bounds=(lo, hi), method="bounded", options={"xatol": 1e-4})
    log_mode = float(found.x) if -found.fun >= z_lat[best] else float(scan[best])
    return math.exp(log_mode)


def _crossings(
    x: FloatArray, sigma: FloatArray, quad: lm.Quadrature, scan: FloatArray, ln_bf: FloatArray
) -> list[tuple[float, float]]:
    """(threshold, ln s) of every crossing of a Kass–Raftery edge by ln BF(s), root-polished."""
    found: list[tuple[float, float]] = []
    for threshold, _ in EVIDENCE_THRESHOLDS[1:]:  # the seven finite edges
        above = ln_bf >= threshold
        for i in np.flatnonzero(above[:-1] != above[1:]):  # the (few) sign changes
            root = brentq(
                lambda t, c=threshold: _ln_bf_at(x, sigma, quad, t) - c,
                scan[i],
                scan[i + 1],
                xtol=1e-6,
            )
            found.append((threshold, float(root)))
    return found


def _density(log_z: FloatArray, log_s: FloatArray) -> FloatArray:
    """Posterior density per unit ln s under a uniform prior in ln s (trapezoid-normalised)."""
    w = np.exp(log_z - log_z.max())
    out: FloatArray = w / np.trapezoid(w, log_s)
    return out


def _priors(quad: lm.Quadrature, sigma: FloatArray, fixed_scale: float | None) -> dict[str, Any]:
    low, high = quad.mu_range
    s_lo, s_hi = lm.scale_prior_range(sigma)
    scale: dict[str, Any] = (
        {"distribution": "fixed", "value": fixed_scale}
        if fixed_scale is not None
        else {
            "distribution": "log-uniform",
            "low": s_lo,
            "high": s_hi,
            "sigma_eff_low": lm.SIGMA_EFF_RANGE[0],
            "sigma_eff_high": lm.SIGMA_EFF_RANGE[1],
        }
    )
    return {
        "envelope": "normal N(mu, tau^2) on ln i, shared by the lattice and continuous models",
        "cells": "log-midpoints of the allowed values; envelope mass beyond the grid goes to "
        "the end values",
        "mu": {"distribution": "uniform", "low": low, "high": high, "unit": "ln i"},
        "tau": {"distribution": "log-uniform", "low": lm.TAU_RANGE[0], "high": lm.TAU_RANGE[1]},
        "error_scale": scale,
        "quadrature": {
            "rule": "trapezoid (mu in closed form for the continuous model)",
            "step_mu": lm.STEP_MU,
            "step_log_tau": lm.STEP_LOG_TAU,
            "step_log_s": lm.STEP_LOG_S,
        },
    }


def _scale_scan(
    x: FloatArray, sigma: FloatArray, base: lm.Quadrature, reference: float
) -> tuple[pd.DataFrame, pd.DataFrame, float, FloatArray, float]:
    """Evidence against the error scale over the s prior's range.

    Returns the scan table, the crossings of the Kass–Raftery edges, the flip scale (the zero
    crossing nearest to ``reference`` in log), the ln s nodes, and the lattice model's mode of s.
    """
    import pandas as pd

    s_lo, s_hi = lm.scale_prior_range(sigma)
    scan = np.linspace(np.log(s_lo), np.log(s_hi), SCAN_POINTS)
    z_lat, z_con = (
        z[0] for z in lm.log_evidence_by_scale(x[None], sigma, lm.with_scales(base, scan))
    )
    ln_bf = z_lat - z_con
    med = float(np.median(sigma))
    crossings = _crossings(x, sigma, base, scan, ln_bf)
    zero = [t for c, t in crossings if c == 0.0]
    flip = math.exp(min(zero, key=lambda t: abs(t - math.log(reference)))) if zero else math.nan
    evidence = pd.DataFrame(
        {
            "error_scale": np.exp(scan),
            "sigma_eff": np.exp(scan) * med,
            "ln_bayes_factor": ln_bf,
            "verdict": [evidence_label(v) for v in ln_bf],
            "posterior_lattice": _density(z_lat, scan),
            "posterior_continuous": _density(z_con, scan),
        }
    )
    table = pd.DataFrame(
        {
            "threshold": [c for c, _ in crossings],
            "error_scale": [math.exp(t) for _, t in crossings],
            "sigma_eff": [math.exp(t) * med for _, t in crossings],
        }
    )
    mode = _scale_mode(x, sigma, base, scan, z_lat)
    return evidence, table, flip, scan, mode


def _companions(
    x: FloatArray, sigma: FloatArray, grid: FloatArray, reference: float
) -> tuple[float, float, pd.DataFrame]:
    """The Rayleigh test (NaN unless the grid is {d, 2d, …}) and the headline counts."""
    import pandas as pd

    spacing = lattice_spacing(grid)
    if spacing is None:
        ray_z, ray_p = math.nan, math.nan
    else:
        z, p = rayleigh(x[None], sigma, spacing, reference)
        ray_z, ray_p = float(z[0]), float(p[0])
    counts = [
        headline_counts(x[None], sigma, np.log(grid), tol, reference) for tol in COUNT_TOLERANCES
    ]
    table = pd.DataFrame(
        {
            "tolerance": COUNT_TOLERANCES,
            "observed": [int(c[0][0]) for c in counts],
            "guaranteed": [int(c[1][0]) for c in counts],
            "expected_continuous": [float(c[2][0]) for c in counts],
        }
    )
    return ray_z, ray_p, table


def run_lattice_test(
    names: list[str],
    x: FloatArray,
    sigma: FloatArray,
    grid: FloatArray,
    *,
    fixed_scale: float | None,
    n_sim: int,
    seed: int,
    stable: FloatArray,
) -> LatticeTest:
    """Compute a :class:`LatticeTest` from validated arrays (see :func:`tcfit.lattice_test`)."""
    import pandas as pd

    log_grid = np.log(grid)
    base = lm.make_quadrature(log_grid, lm.scale_nodes(sigma))
    quad = base if fixed_scale is None else lm.with_scales(base, np.array([np.log(fixed_scale)]))
    reference = 1.0 if fixed_scale is None else fixed_scale
    result = analyse(x[None], sigma, quad)
    ln_bf = float(result.log_z_lattice[0] - result.log_z_continuous[0])
    evidence, crossings, flip, _, mode = _scale_scan(x, sigma, base, reference)
    scale = mode if fixed_scale is None else fixed_scale
    p_values = bootstrap_p_values(
        x[None],
        sigma,
        quad,
        np.array([ln_bf]),
        scale=reference,
        n_sim=n_sim,
        rng=np.random.default_rng(seed),
    )
    ray_z, ray_p, counts = _companions(x, sigma, grid, reference)
    assigned = np.searchsorted(0.5 * (log_grid[:-1] + log_grid[1:]), x - TIE_TOLERANCE)
    posterior = result.posterior[0]
    diff = result.elpd_lattice[0] - result.elpd_continuous[0]
    index = pd.Index(names, name="material")
    return LatticeTest(
        ln_bayes_factor=ln_bf,
        ln_bayes_factor_fixed=ln_bf if fixed_scale is not None else _ln_bf_at(x, sigma, base, 0.0),
        verdict=evidence_label(ln_bf),
        p_value=max(float(p[0]) for p in p_values.values()),
        p_values={name: float(p_values[name][0]) for name in ENVELOPES},
        elpd_diff=float(diff.sum()),
        elpd_diff_se=float(math.sqrt(diff.size) * np.std(diff, ddof=1)),
        elpd=pd.DataFrame(
            {
                "material": names,
                "elpd_lattice": result.elpd_lattice[0],
                "elpd_continuous": result.elpd_continuous[0],
                "elpd_diff": diff,
            }
        ),
        error_scale=float(scale),
        marginal=fixed_scale is None,
        sigma_eff=float(scale) * float(np.median(sigma)),
        evidence=evidence,
        flip_scale=flip,
        crossings=crossings,
        posterior=pd.DataFrame(posterior, index=index, columns=pd.Index(grid, name="i")),
        posterior_assigned=pd.Series(
            np.where(np.isfinite(stable), posterior[np.arange(x.size), assigned], np.nan),
            index=index,
            name="posterior_assigned",
        ),
        p_stable=pd.Series(stable, index=index, name="p_stable"),
        counts=counts,
        rayleigh_z=ray_z,
        rayleigh_p=ray_p,
        priors=_priors(quad, sigma, fixed_scale),
        n_sim=n_sim,
        seed=seed,
        n_materials=int(x.size),
        grid=grid,
    )
