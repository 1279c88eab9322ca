"""Assignment policies: allowed values, the log-nearest rule, the tie rule, and option checking."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import tcfit
from tcfit import policies
from tcfit.policies import Policy, check_option, get_policy


def _rational_by_hand(i_max: int) -> list[float]:
    # Written out for i_max = 2: q = 1: 1, 2; q = 2: 1/2, 3/2 (1, 2 again); q = 3: 1/3, 2/3,
    # 4/3, 5/3; q = 4: 1/4, 3/4, 5/4, 7/4; plus 1/100.
    assert i_max == 2
    return sorted(
        [1 / 100, 1 / 4, 1 / 3, 1 / 2, 2 / 3, 3 / 4, 1, 5 / 4, 4 / 3, 3 / 2, 5 / 3, 7 / 4, 2]
    )


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (policies.integer(), list(range(1, 21))),
        (policies.integer(3), [1, 2, 3]),
        (policies.paper(), [1, 2, 3, 5, 6, 7, 12, 16]),
        (policies.half(2), [0.5, 1, 1.5, 2]),
        (policies.rational(2), _rational_by_hand(2)),
        (policies.explicit([7, 0.25, 7, 2]), [0.25, 2, 7]),
    ],
)
def test_allowed_values(policy, expected):
    np.testing.assert_allclose(policy.values, expected, rtol=1e-15)


def test_default_i_max_is_20():
    for name in ("integer", "half", "rational"):
        assert get_policy(name).values.max() == 20
    assert len(get_policy("half").values) == 40
    # q ≤ 4 fractions up to 20: 20 + 20 (halves) + 40 (thirds) + 40 (quarters) + 1/100.
    assert len(get_policy("rational").values) == 121
    assert Fraction(get_policy("rational").values[1]).limit_denominator(10) == Fraction(1, 4)


def test_top_level_exports():
    assert tcfit.policies is policies
    assert tcfit.Policy is Policy


@pytest.mark.parametrize(
    ("implied", "assigned", "runner_up"),
    [
        (3.0, 3, 4),  # on the grid: the neighbour nearer in log space is the larger one
        (2.4, 2, 3),  # below √6 ≈ 2.449
        (2.5, 3, 2),  # the arithmetic midpoint of 2 and 3 lies above √6: goes to 3
        (6**0.5, 2, 3),  # exactly the geometric midpoint of 2 and 3: tie, goes to the smaller
        (6**0.5 * (1 + 1e-13), 2, 3),  # within the tie tolerance: still the smaller
        (6**0.5 * (1 + 1e-9), 3, 2),  # beyond the tolerance: the larger
        (0.01, 1, 2),  # below the grid: the end value
        (400.0, 20, 19),  # above the grid: the end value
        (1.0, 1, 2),
    ],
)
def test_assignment_is_log_nearest_with_ties_to_the_smaller(implied, assigned, runner_up):
    got, runner = policies.integer().assign(np.array([implied]))
    assert got[0] == assigned
    assert runner[0] == runner_up


def test_assign_keeps_shape_and_works_on_the_paper_grid():
    implied = np.array([[11.0, 13.9], [14.0, 100.0]])
    got, runner = policies.paper().assign(implied)
    # √(12·16) = 13.856: 13.9 goes to 16, 11 to 12 (√(7·12) = 9.17), 14 to 16. Runner-up of
    # 11: ln(16/11) = 0.375 < ln(11/7) = 0.452, so 16, not 7.
    np.testing.assert_array_equal(got, [[12, 16], [16, 16]])
    np.testing.assert_array_equal(runner, [[16, 12], [12, 12]])


def test_single_value_policy_has_no_runner_up():
    got, runner = policies.explicit([3]).assign([0.5, 9.0])
    np.testing.assert_array_equal(got, [3, 3])
    assert np.isnan(runner).all()


def test_assign_rejects_bad_implied_values():
    with pytest.raises(tcfit.InputError, match="positive and finite"):
        policies.integer().assign([1.0, -2.0])


def test_check_option_message_reads_like_seaborn():
    with pytest.raises(
        tcfit.InputError,
        match=r"^The `policy` parameter must be one of 'integer', 'paper', 'half' or "
        r"'rational'; not 'intger'\.$",
    ):
        get_policy("intger")
    assert check_option("mode", "a", ["a"]) == "a"
    with pytest.raises(ValueError, match=r"must be one of 'a'; not 'b'"):
        check_option("mode", "b", ["a"])


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ([], "non-empty list of positive"),
        ([1, -2], "non-empty list of positive"),
        ([1, float("nan")], "non-empty list of positive"),
        ([1, float("inf")], "non-empty list of positive"),
        (["a"], "must be numbers"),
        (3.5, "a policy name, a Policy or a list"),
    ],
)
def test_bad_explicit_policies(bad, match):
    with pytest.raises(tcfit.InputError, match=match):
        get_policy(bad)


@pytest.mark.parametrize("i_max", [0, -1, 2.5, True, "20"])
def test_bad_i_max(i_max):
    with pytest.raises(tcfit.InputError, match="`i_max` parameter must be an integer"):
        policies.integer(i_max)


def test_policy_is_frozen_hashable_and_compares_by_value():
    a, b = policies.integer(5), get_policy([5, 4, 3, 2, 1])
    assert a != b  # different names
    assert a == policies.integer(5)
    assert hash(a) == hash(policies.integer(5))
    assert get_policy(a) is a
    with pytest.raises(ValueError, match="read-only"):
        a.values[0] = 7.0
    with pytest.raises(AttributeError):
        a.name = "other"  # type: ignore[misc]


def test_describe_lists_the_values():
    assert policies.paper().describe() == "paper: i ∈ {1, 2, 3, 5, 6, 7, 12, 16} (8 values)"
    assert "1/100, 1/4, 1/3" in policies.rational().describe()
    assert "(121 values)" in policies.rational().describe()
    assert repr(policies.half(1)) == "Policy(name='half', values=[1/2, 1])"


def test_doctests():
    import doctest

    assert doctest.testmod(policies, optionflags=doctest.ELLIPSIS).failed == 0
