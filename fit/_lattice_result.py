"""The :class:`LatticeTest` result, the evidence wording, and the computation behind it (private).

The public entry points are :func:`tcfit.lattice.lattice_test` and
:func:`tcfit.lattice.lattice_test_arrays`, which validate their arguments and call
:func:`run_lattice_test` here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from . import _lattice_model as lm
from ._lattice_simulate import (
    ENVELOPES,
    bootstrap_p_values,
    headline_counts,
    lattice_spacing,
    rayleigh,
)
from .errors import InputError
from .policies import TIE_TOLERANCE

if TYPE_CHECKING:
    import pandas as pd

FloatArray = lm.FloatArray

#: Points of the evidence-against-error-scale scan (log-spaced over the s prior).
SCAN_POINTS: int = 57
#: Tolerances of the headline counts ("within 5 % / 10 %").
COUNT_TOLERANCES: tuple[float, ...] = (0.05, 0.10)

#: Kass–Raftery band edges on ln BF, with the label of the band *above* each edge.
EVIDENCE_THRESHOLDS: tuple[tuple[float, str], ...] = (
    (-math.inf, "very strong against"),
    (-5.0, "strong against"),
    (-3.0, "positive against"),
    (-1.1, "none"),
    (0.0, "barely worth mentioning"),
    (1.1, "positive"),
    (3.0, "strong"),
    (5.0, "very strong"),
)


def evidence_label(ln_bf: float) -> str:
    """The Kass–Raftery wording for a log Bayes factor (lattice against continuous).

    Parameters
    ----------
    ln_bf : float
        Natural log of the Bayes factor.

    Returns
    -------
    str
        ``"very strong against"`` (ln BF < −5), ``"strong against"`` (−5 … −3), ``"positive
        against"`` (−3 … −1.1), ``"none"`` (−1.1 … 0), ``"barely worth mentioning"`` (0 … 1.1),
        ``"positive"`` (1.1 … 3), ``"strong"`` (3 … 5), ``"very strong"`` (≥ 5). A value on an
        edge takes the band above it.

    Raises
    ------
    InputError
        If ``ln_bf`` is not a number (NaN included).

    References
    ----------
    Kass, R. E. and Raftery, A. E. (1995). Bayes factors. *J. Amer. Statist. Assoc.* 90,
    773–795, §3.2 (their bands on 2 ln BF: 0–2, 2–6, 6–10, > 10).

    Examples
    --------
    >>> evidence_label(1.59), evidence_label(-20.1), evidence_label(0.0)
    ('positive', 'very strong against', 'barely worth mentioning')
    """
    try:
        value = float(ln_bf)
    except (TypeError, ValueError) as err:
        raise InputError(
            f"The `ln_bf` parameter must be a number; not {ln_bf!r}.", argument="ln_bf"
        ) from err
    if math.isnan(value):
        raise InputError("The `ln_bf` parameter must be a number; not nan.", argument="ln_bf")
    label = EVIDENCE_THRESHOLDS[0][1]
    for edge, name in EVIDENCE_THRESHOLDS:  # eight fixed bands
        if value >= edge:
            label = name
    return label


def _plain(value: Any) -> Any:
    """Plain JSON types: NaN/inf → None, numpy → Python, DataFrames → records."""
    import pandas as pd

    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, pd.DataFrame):
        return [_plain(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series | np.ndarray | list | tuple):
        return [_plain(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True, eq=False)
class LatticeTest:
    """Lattice (allowed values of i) against continuous i: evidence, calibration, LOO, posteriors.

    Attributes
    ----------
    ln_bayes_factor : float
        ln Z_lattice − ln Z_continuous with s marginalised (or fixed, if asked).
    ln_bayes_factor_fixed : float
        The same at the fixed scale (s = 1, the stated errors, unless another was fixed).
    verdict : str
        :func:`evidence_label` of ``ln_bayes_factor``.
    p_value : float
        Calibrated p of ``ln_bayes_factor``: the larger of ``p_values``.
    p_values : dict
        Envelope name (``"normal"``, ``"kde"``) → (1 + #{T* ≥ T}) / (1 + n_sim).
    elpd_diff, elpd_diff_se : float
        Σ_j [elpd_lattice − elpd_continuous] and √m · sd of the per-material differences.
    elpd : pandas.DataFrame
        Per material: ``material, elpd_lattice, elpd_continuous, elpd_diff`` (ln p(x_j | x_−j)
        of x = ln i; the densities of ln Tc differ by ln 2 in both models, so not in the diff).
    error_scale : float
        Posterior mode of s under the lattice model, or the fixed s.
    marginal : bool
        Whether s was marginalised.
    sigma_eff : float
        ``error_scale`` × median σ(ln i).
    evidence : pandas.DataFrame
        The scan over s: ``error_scale, sigma_eff, ln_bayes_factor, verdict,
        posterior_lattice, posterior_continuous`` (the posteriors of s are densities per unit
        ln s under the log-uniform prior).
    flip_scale : float
        The s nearest (in log) to the reference scale (1, or the fixed s) at which ln BF(s)
        changes sign; NaN if it keeps its sign over the prior range.
    crossings : pandas.DataFrame
        Every s where ln BF(s) crosses a Kass–Raftery edge: ``threshold, error_scale,
        sigma_eff``.
    posterior : pandas.DataFrame
        P(i_j = v | data), materials (index) × allowed values (columns).
    posterior_assigned, p_stable : pandas.Series
        Per material (input order): the posterior and the stability of the log-nearest value
        (p_stable is NaN outside the grid).
    counts : pandas.DataFrame
        ``tolerance, observed, guaranteed, expected_continuous``: rows within 5 % / 10 %, those
        the grid guarantees whatever i, and the count expected under the fitted normal envelope.
    rayleigh_z, rayleigh_p : float
        Weighted Rayleigh test of the phases of i (NaN unless the grid is {d, 2d, …}).
    priors : dict
        The priors, stated.
    n_sim, seed, n_materials : int
    grid : ndarray
        The allowed values.
    """

    ln_bayes_factor: float
    ln_bayes_factor_fixed: float
    verdict: str
    p_value: float
    p_values: dict[str, float]
    elpd_diff: float
    elpd_diff_se: float
    elpd: pd.DataFrame
    error_scale: float
    marginal: bool
    sigma_eff: float
    evidence: pd.DataFrame
    flip_scale: float
    crossings: pd.DataFrame
    posterior: pd.DataFrame
    posterior_assigned: pd.Series
    p_stable: pd.Series
    counts: pd.DataFrame
    rayleigh_z: float
    rayleigh_p: float
    priors: dict[str, Any]
    n_sim: int
    seed: int
    n_materials: int
    grid: FloatArray

    def __repr__(self) -> str:
        return (
            f"LatticeTest(ln_bayes_factor={self.ln_bayes_factor:.3g} ({self.verdict}), "
            f"p_value={self.p_value:.3g}, elpd_diff={self.elpd_diff:.3g} ± "
            f"{self.elpd_diff_se:.2g}, error_scale={self.error_scale:.3g}, n_sim={self.n_sim})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (NaN → None; tables as lists of records).

        Returns
        -------
        dict
            Every attribute; ``posterior`` as ``{"values": [...], "materials": [...],
            "probability": [[...], ...]}`` and the two Series as lists in input order.
        """
        out: dict[str, Any] = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name not in ("posterior", "posterior_assigned", "p_stable")
        }
        out["materials"] = self.posterior.index.tolist()
        out["posterior"] = {
            "values": self.posterior.columns.tolist(),
            "materials": self.posterior.index.tolist(),
            "probability": self.posterior.to_numpy(),
        }
        out["posterior_assigned"] = self.posterior_assigned.to_numpy()
        out["p_stable"] = self.p_stable.to_numpy()
        result: dict[str, Any] = _plain(out)
        return result


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
    analysis = lm.analyse(x[None], sigma, quad)
    ln_bf = float(analysis.log_z_lattice[0] - analysis.log_z_continuous[0])
    ln_bf_fixed = ln_bf if fixed_scale is not None else _ln_bf_at(x, sigma, base, 0.0)

    s_lo, s_hi = lm.scale_prior_range(sigma)
    scan = np.linspace(np.log(s_lo), np.log(s_hi), SCAN_POINTS)
    z_lat, z_con = (
        z[0] for z in lm.log_evidence_by_scale(x[None], sigma, lm.with_scales(base, scan))
    )
    scan_bf = z_lat - z_con
    scale = fixed_scale if fixed_scale is not None else _scale_mode(x, sigma, base, scan, z_lat)
    crossings = _crossings(x, sigma, base, scan, scan_bf)
    zero = [t for c, t in crossings if c == 0.0]
    flip = math.exp(min(zero, key=lambda t: abs(t - math.log(reference)))) if zero else math.nan

    rng = np.random.default_rng(seed)
    p_values = bootstrap_p_values(
        x[None], sigma, quad, np.array([ln_bf]), scale=reference, n_sim=n_sim, rng=rng
    )
    spacing = lattice_spacing(grid)
    ray_z, ray_p = (
        rayleigh(x[None], sigma, spacing, reference) if spacing is not None else ([math.nan],) * 2
    )
    med = float(np.median(sigma))
    counts = [headline_counts(x[None], sigma, log_grid, tol, reference) for tol in COUNT_TOLERANCES]

    mid = 0.5 * (log_grid[:-1] + log_grid[1:])
    assigned = np.searchsorted(mid, x - TIE_TOLERANCE, side="left")
    posterior = analysis.posterior[0]
    diff = analysis.elpd_lattice[0] - analysis.elpd_continuous[0]
    index = pd.Index(names, name="material")
    return LatticeTest(
        ln_bayes_factor=ln_bf,
        ln_bayes_factor_fixed=ln_bf_fixed,
        verdict=evidence_label(ln_bf),
        p_value=max(float(p[0]) for p in p_values.values()),
        p_values={name: float(p_values[name][0]) for name in ENVELOPES},
        elpd_diff=float(diff.sum()),
        elpd_diff_se=float(math.sqrt(diff.size) * np.std(diff, ddof=1)),
        elpd=pd.DataFrame(
            {
                "material": names,
                "elpd_lattice": analysis.elpd_lattice[0],
                "elpd_continuous": analysis.elpd_continuous[0],
                "elpd_diff": diff,
            }
        ),
        error_scale=float(scale),
        marginal=fixed_scale is None,
        sigma_eff=float(scale) * med,
        evidence=pd.DataFrame(
            {
                "error_scale": np.exp(scan),
                "sigma_eff": np.exp(scan) * med,
                "ln_bayes_factor": scan_bf,
                "verdict": [evidence_label(v) for v in scan_bf],
                "posterior_lattice": _density(z_lat, scan),
                "posterior_continuous": _density(z_con, scan),
            }
        ),
        flip_scale=flip,
        crossings=pd.DataFrame(
            {
                "threshold": [c for c, _ in crossings],
                "error_scale": [math.exp(t) for _, t in crossings],
                "sigma_eff": [math.exp(t) * med for _, t in crossings],
            }
        ),
        posterior=pd.DataFrame(posterior, index=index, columns=pd.Index(grid, name="i")),
        posterior_assigned=pd.Series(
            posterior[np.arange(x.size), assigned], index=index, name="posterior_assigned"
        ),
        p_stable=pd.Series(stable, index=index, name="p_stable"),
        counts=pd.DataFrame(
            {
                "tolerance": COUNT_TOLERANCES,
                "observed": [int(c[0][0]) for c in counts],
                "guaranteed": [int(c[1][0]) for c in counts],
                "expected_continuous": [float(c[2][0]) for c in counts],
            }
        ),
        rayleigh_z=float(ray_z[0]),
        rayleigh_p=float(ray_p[0]),
        priors=_priors(quad, sigma, fixed_scale),
        n_sim=n_sim,
        seed=seed,
        n_materials=int(x.size),
        grid=grid,
    )
