"""Global fits: recovery of known prefactor and exponents from seeded synthetic data, statistics by
hand (weighted least squares, AIC/BIC), the modes, and the errors."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import tcfit
from tcfit.global_fit import GlobalFit

R_TC, R_BC, R_N = 0.01, 0.03, 0.04  # relative 1σ of the synthetic measurements


def _synthetic(rng, m, *, prefactor, alpha=1 / 6, beta=1.0, i=None, noise=True):
    """Materials generated from Tc = A·Bc^β·n^(−α)/√i, then measured with log-normal noise.

    Returns the table (with absolute tc_err, bc_err, n_err) and the true i values.
    """
    bc = np.exp(rng.uniform(np.log(1e-3), np.log(0.2), m))
    n = np.exp(rng.uniform(np.log(0.9e29), np.log(6.5e29), m))
    i_true = rng.integers(1, 17, m).astype(float) if i is None else np.full(m, float(i))
    tc = prefactor * bc**beta * n ** (-alpha) / np.sqrt(i_true)
    if noise:
        tc = tc * np.exp(R_TC * rng.standard_normal(m))
        bc = bc * np.exp(R_BC * rng.standard_normal(m))
        n = n * np.exp(R_N * rng.standard_normal(m))
    df = pd.DataFrame(
        {
            "material": [f"S{k}" for k in range(m)],
            "tc": tc,
            "bc": bc,
            "n": n,
            "tc_err": R_TC * tc,
            "bc_err": R_BC * bc,
            "n_err": R_N * n,
        }
    )
    return df, i_true


def _inside(estimate, truth):
    return estimate.ci95_low <= truth <= estimate.ci95_high


def test_prefactor_recovered_within_its_interval(rng):
    df, i_true = _synthetic(rng, 40, prefactor=1.40e7)
    g = tcfit.fit_global(tcfit.fit(df), i=i_true)
    part = g.parts["prefactor"]
    est = part.params["prefactor"]
    assert part.mode == "absolute"
    assert _inside(est, 1.40e7)
    # 10 % below CODATA with σ_lnA ≈ 0.05/√40: CODATA must lie outside.
    assert est.reference == pytest.approx(tcfit.PREFACTOR)
    assert est.reference_inside is False
    assert part.p_value > 0.001


def test_exponents_recovered_within_their_intervals(rng):
    df, i_true = _synthetic(rng, 60, prefactor=3.0e8, alpha=0.25, beta=0.9)
    g = tcfit.fit_global(tcfit.fit(df), i=i_true)
    part = g.parts["exponents"]
    assert _inside(part.params["alpha"], 0.25)
    assert _inside(part.params["beta"], 0.9)
    assert _inside(part.params["prefactor"], 3.0e8)
    assert part.params["alpha"].reference_inside is False  # 1/6 is far from 0.25
    assert part.params["beta"].reference == 1.0
    assert part.iterations > 1  # σ depends on α, β here: the effective variance was iterated


def test_common_i_recovered_within_its_interval(rng):
    df, _ = _synthetic(rng, 30, prefactor=tcfit.PREFACTOR, i=4)
    part = tcfit.fit_global(tcfit.fit(df)).parts["common_i"]
    assert _inside(part.params["i_common"], 4.0)
    assert part.n_parameters == 1
    assert 0.5 < part.reduced_chi_square < 1.6


def test_interval_coverage_over_replicates():
    """Over 120 seeded replicates the 95 % intervals contain the truth about 95 % of the time."""
    rng = np.random.default_rng(7)
    hits = {"prefactor": 0, "alpha": 0, "beta": 0}
    reps = 120
    for _ in range(reps):
        df, i_true = _synthetic(rng, 25, prefactor=2.0e7, alpha=0.2, beta=1.1)
        g = tcfit.fit_global(tcfit.fit(df), i=i_true)
        params = g.parts["exponents"].params
        hits["prefactor"] += _inside(params["prefactor"], 2.0e7)
        hits["alpha"] += _inside(params["alpha"], 0.2)
        hits["beta"] += _inside(params["beta"], 1.1)
    se = math.sqrt(0.95 * 0.05 / reps)
    for name, count in hits.items():
        assert abs(count / reps - 0.95) < 3.5 * se, (name, count)


def test_exponents_match_weighted_least_squares_by_hand(rng):
    df, i_true = _synthetic(rng, 25, prefactor=2.0e7, alpha=0.2, beta=1.1)
    part = tcfit.fit_global(tcfit.fit(df), i=i_true).parts["exponents"]
    alpha, beta = part.params["alpha"].value, part.params["beta"].value
    # Effective variance at the fitted exponents, then ordinary WLS with numpy.
    sigma = np.sqrt(R_TC**2 + (beta * R_BC) ** 2 + (alpha * R_N) ** 2) * np.ones(len(df))
    design = np.column_stack([np.ones(len(df)), np.log(df["bc"]), -np.log(df["n"])])
    y = np.log(df["tc"]) + 0.5 * np.log(i_true)
    w = 1 / sigma
    coef, *_ = np.linalg.lstsq(design * w[:, None], y * w, rcond=None)
    cov = np.linalg.inv((design * w[:, None] ** 2).T @ design)
    assert coef[1] == pytest.approx(beta, abs=1e-6)
    assert coef[2] == pytest.approx(alpha, abs=1e-6)
    assert part.params["beta"].std_err == pytest.approx(math.sqrt(cov[1, 1]), rel=1e-4)
    assert part.params["alpha"].std_err == pytest.approx(math.sqrt(cov[2, 2]), rel=1e-4)
    resid = (y - design @ coef) * w
    assert part.chi_square == pytest.approx(float(resid @ resid), rel=1e-6)
    assert part.dof == len(df) - 3
    assert part.p_value == pytest.approx(stats.chi2.sf(part.chi_square, part.dof), rel=1e-9)
    # 95 % interval in absolute mode: value ± 1.959964·σ.
    est = part.params["beta"]
    assert est.ci95_high - est.value == pytest.approx(1.959964 * est.std_err, rel=1e-6)


def test_aic_bic_count_each_assigned_i(rng):
    df, i_true = _synthetic(rng, 20, prefactor=tcfit.PREFACTOR)
    g = tcfit.fit_global(tcfit.fit(df), i=i_true)
    pre, exps, common = g.parts["prefactor"], g.parts["exponents"], g.parts["common_i"]
    assert (pre.n_parameters, exps.n_parameters, common.n_parameters) == (21, 23, 1)
    # Absolute mode: AIC = χ² + 2k, BIC = χ² + k ln N.
    assert pre.aic == pytest.approx(pre.chi_square + 2 * 21)
    assert pre.bic == pytest.approx(pre.chi_square + 21 * math.log(20))
    assert common.aic == pytest.approx(common.chi_square + 2)


def test_scaled_mode_never_narrows_the_covariance():
    """Default uncertainties: the covariance is scaled by max(1, χ²/dof), so a χ²/dof below 1
    (table1: about 0.39, because each i was chosen to shrink its own residual) leaves the
    intervals of the assumed errors as they are, with the normal quantile."""
    g = tcfit.fit_global("table1")
    part = g.parts["prefactor"]
    assert g.mode == part.mode == "scaled"
    assert part.reduced_chi_square < 1
    assert part.covariance_scale == 1.0
    mr = part.model_result
    assert mr.scale_covar is False
    # Closed form with σ = 0.109 per material (2/5/5 % defaults): σ(ln A) = σ_lnT/√21.
    sigma_ln_t = math.sqrt(0.02**2 + 0.05**2 + (0.05 / 6) ** 2)
    ln_sigma = sigma_ln_t / math.sqrt(21)
    est = part.params["prefactor"]
    z = stats.norm.ppf(0.975)
    assert est.ci95_high == pytest.approx(math.exp(mr.params["ln_prefactor"].value + z * ln_sigma))
    assert est.std_err == pytest.approx(est.value * ln_sigma)
    # The audit's absolute-σ interval: [1.5183e7, 1.5908e7].
    assert (est.ci95_low, est.ci95_high) == pytest.approx((1.5183e7, 1.5908e7), rel=1e-4)
    assert part.p_value is None  # dof ignore the per-material choice of i
    # One common i: χ²/dof ≈ 38 inflates the covariance by that factor, with Student's t.
    common = g.parts["common_i"]
    assert common.covariance_scale == pytest.approx(common.reduced_chi_square)
    assert common.p_value is not None
    # Scaled AIC: N ln(χ²/N) + 2k with k = 1 + 21 assigned values.
    assert part.aic == pytest.approx(21 * math.log(part.chi_square / 21) + 2 * 22)


def test_table1_per_material_table_and_json():
    g = tcfit.fit_global("table1")
    assert isinstance(g, GlobalFit)
    assert list(g.table.columns) == [
        "material",
        "i",
        "ln_residual",
        "chi2",
        "i_runner_up",
        "chi2_runner_up",
        "delta_chi2",
    ]
    assert len(g.table) == 21
    assert (g.table["i_runner_up"] != g.table["i"]).all()
    payload = json.loads(json.dumps(g.to_dict(), allow_nan=False))
    assert set(payload["parts"]) == {"prefactor", "exponents", "common_i"}
    assert set(payload["parts"]["exponents"]["params"]) == {"prefactor", "alpha", "beta"}
    assert payload["parts"]["common_i"]["params"]["i_common"]["value"] > 1


def test_reference_and_explicit_i():
    ref = tcfit.fit_global("table1", i="reference")
    assert ref.i_source == "reference"
    np.testing.assert_array_equal(ref.table["i"], tcfit.datasets.load("table1")["i"])
    explicit = tcfit.fit_global("table1", i=np.full(21, 3.0))
    assert explicit.i_source == "explicit"
    assert (explicit.table["i"] == 3).all()


def test_free_without_prefactor_fixes_it():
    part = tcfit.fit_global("table1", free=()).parts["exponents"]
    assert set(part.params) == {"alpha", "beta"}
    assert part.n_fitted == 2
    assert part.model_result.params["ln_prefactor"].value == pytest.approx(
        math.log(tcfit.PREFACTOR)
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"i": "paper"}, tcfit.InputError, r"The `i` parameter must be one of 'assigned' or "),
        ({"i": [1.0, 2.0]}, tcfit.InputError, r"must hold 21 positive, finite numbers"),
        ({"i": ["x"] * 21}, tcfit.InputError, r"must be 'assigned', 'reference' or 21 numbers"),
        ({"free": ("alpha",)}, tcfit.InputError, r"The `free` parameter must be one of"),
    ],
)
def test_bad_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        tcfit.fit_global("table1", **kwargs)


def test_reference_without_i_column_is_a_data_error(rng):
    df, _ = _synthetic(rng, 5, prefactor=tcfit.PREFACTOR)
    with pytest.raises(tcfit.DataError, match=r"no `i` column"):
        tcfit.fit_global(df, i="reference")


def test_too_few_materials_is_a_fit_error(rng):
    df, _ = _synthetic(rng, 1, prefactor=tcfit.PREFACTOR)
    with pytest.raises(tcfit.FitError, match=r"needs at least 2 materials; got 1"):
        tcfit.fit_global(df)


def test_doctests():
    import doctest

    from tcfit import global_fit

    assert doctest.testmod(global_fit, optionflags=doctest.ELLIPSIS).failed == 0
