"""The quantization test: uniform p under the null, p near 0 on the grid, hand-checked RMS."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import tcfit
from tcfit import model
from tcfit.quantization import QuantizationTest


def _table_from_implied(implied, rng):
    """A canonical table whose implied i (CODATA prefactor) are exactly `implied`."""
    m = len(implied)
    bc = np.exp(rng.uniform(np.log(1e-3), np.log(0.2), m))
    n = np.exp(rng.uniform(np.log(0.9e29), np.log(6.5e29), m))
    return pd.DataFrame(
        {"material": [f"M{k}" for k in range(m)], "tc": model.tc(bc, n, implied), "bc": bc, "n": n}
    )


def test_p_is_uniform_on_data_drawn_from_the_null():
    rng = np.random.default_rng(2024)
    p_values = []
    for _ in range(300):
        implied = np.exp(rng.uniform(np.log(1.0), np.log(17.0), 21))
        result = tcfit.fit(_table_from_implied(implied, rng))
        p_values.append(tcfit.quantization_test(result, n_null=2000, seed=1).p_value)
    p_values = np.array(p_values)
    assert stats.kstest(p_values, "uniform").pvalue > 0.01
    se = math.sqrt(0.25 / len(p_values))
    for level in (0.05, 0.5, 0.95):
        assert abs(np.mean(p_values <= level) - level) < 3.5 * se, level


def test_p_is_near_zero_on_the_grid(rng):
    implied = rng.integers(1, 17, 21).astype(float)
    implied[:2] = [1.0, 16.0]
    q = tcfit.quantization_test(tcfit.fit(_table_from_implied(implied, rng)))
    assert q.rms_observed == pytest.approx(0.0, abs=1e-12)
    assert q.p_value == 0.0
    # With 1 % scatter around the grid it is still far below the null.
    noisy = implied * np.exp(0.02 * rng.standard_normal(21))
    q_noisy = tcfit.quantization_test(tcfit.fit(_table_from_implied(noisy, rng)))
    assert q_noisy.p_value < 0.01


def test_statistics_by_hand(rng):
    implied = np.array([1.2, 2.5, 7.9])
    result = tcfit.fit(_table_from_implied(implied, rng))
    q = tcfit.quantization_test(result, n_null=500, seed=9)
    # Observed: assignments 1, 3, 8 → residuals √(i/a) − 1.
    res = np.sqrt(implied / np.array([1, 3, 8])) - 1
    assert q.rms_observed == pytest.approx(math.sqrt(np.mean(res**2)), rel=1e-10)
    # The null, rebuilt with the same generator call.
    draws = np.random.default_rng(9).uniform(math.log(1.2), math.log(7.9), size=(500, 3))
    # Log-nearest integer (not arithmetic rounding): compare both neighbours in log space.
    lo, hi = np.floor(np.exp(draws)), np.ceil(np.exp(draws))
    lo = np.maximum(lo, 1)
    assigned = np.where(np.abs(draws - np.log(lo)) <= np.abs(np.log(hi) - draws), lo, hi)
    null = np.sqrt(np.mean((np.sqrt(np.exp(draws) / assigned) - 1) ** 2, axis=1))
    np.testing.assert_allclose(q.null_rms, null, rtol=1e-12)
    assert q.p_value == pytest.approx(np.mean(null <= q.rms_observed))
    assert q.null_median == pytest.approx(np.median(null))
    assert (q.null_low, q.null_high) == pytest.approx(tuple(np.quantile(null, [0.05, 0.95])))
    assert (q.i_low, q.i_high) == pytest.approx((1.2, 7.9))


def test_same_seed_same_numbers_and_json():
    result = tcfit.fit("table1")
    a = tcfit.quantization_test(result, seed=3)
    b = tcfit.quantization_test(result, seed=3)
    assert isinstance(a, QuantizationTest)
    np.testing.assert_array_equal(a.null_rms, b.null_rms)
    assert a.to_dict() == b.to_dict()
    assert tcfit.quantization_test(result, seed=4).to_dict() != a.to_dict()
    payload = json.loads(json.dumps(a.to_dict(), allow_nan=False))
    assert "null_rms" not in payload
    assert len(a.to_dict(include_null=True)["null_rms"]) == 10000
    assert payload["policy"] == "integer"
    assert payload["n_materials"] == 21
    with pytest.raises(ValueError, match="read-only"):
        a.null_rms[0] = 1.0


def test_policy_of_the_fit_is_used():
    q = tcfit.quantization_test(tcfit.fit("table1", policy="half"), n_null=100)
    assert q.policy == "half"


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (("table1",), {}, r"The `result` parameter must be a FitResult"),
        ((None,), {}, r"The `result` parameter must be a FitResult"),
    ],
)
def test_bad_result(args, kwargs, match):
    with pytest.raises(tcfit.InputError, match=match):
        tcfit.quantization_test(*args, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_null": 0}, r"The `n_null` parameter must be an integer of at least 1; not 0"),
        ({"seed": -3}, r"The `seed` parameter must be an integer of at least 0"),
    ],
)
def test_bad_counts(kwargs, match):
    with pytest.raises(tcfit.InputError, match=match):
        tcfit.quantization_test(tcfit.fit("table1"), **kwargs)


def test_doctests():
    import doctest

    from tcfit import quantization

    assert doctest.testmod(quantization, optionflags=doctest.ELLIPSIS).failed == 0
