"""Assignment policies: which values of the paper's degree of freedom i a fit may choose from.

Eq. (5) has one free number per material, the "electronic degree of freedom" i. The paper uses
i ∈ {1, 2, 3, 5, 6, 7, 12, 16} for Table-1 and mentions 1/4 and 1/100 in the text. A *policy*
fixes the set of allowed values before any data is looked at:

========== ================================================================================
name       allowed values
========== ================================================================================
integer    1, 2, …, ``i_max`` (default 20)
paper      1, 2, 3, 5, 6, 7, 12, 16 — only the values Table-1 uses
half       multiples of 1/2: 1/2, 1, 3/2, …, ``i_max``
rational   every p/q with q ≤ 4 and p/q ≤ ``i_max`` (1/4, 1/3, 1/2, 2/3, …), plus the paper's 1/100
explicit   any list of positive, finite numbers
========== ================================================================================

**Assignment rule.** A material gets the allowed value nearest to its implied i *in log space*,
i.e. the value that minimises :math:`|\\ln(T_{c,\\rm model}/T_c)| = \\tfrac12 |\\ln i_{\\rm implied}
- \\ln i|`. With uncertainties the per-material χ² is :math:`(\\ln(T_{c,\\rm model}/T_c)/σ)^2`
with a σ that does not depend on i, so minimising χ² picks the same value.

**Tie rule.** When the implied i lies exactly at the geometric mean √(a·b) of two neighbouring
allowed values a < b (log-distances equal to within :data:`TIE_TOLERANCE`, i.e. a relative
1e-12 in i), the *smaller* value a wins (the larger predicted Tc). The rule is arbitrary but fixed,
so every run assigns the same way. Note that the arithmetic midpoint (a + b)/2 is *not* a tie:
it lies above √(a·b) and goes to b.

Values outside the grid get the nearest end value (an implied i of 40 is assigned 20 under the
default integer policy); the residual then shows how far off that is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from ._validate import check_count, check_option
from .errors import InputError
from .formatting import i_text

__all__ = [
    "POLICY_NAMES",
    "TIE_TOLERANCE",
    "Policy",
    "PolicyName",
    "check_option",
    "explicit",
    "get_policy",
    "half",
    "integer",
    "paper",
    "parse_policy",
    "rational",
]

PolicyName = Literal["integer", "paper", "half", "rational"]

#: The named policies, in the order the error message lists them.
POLICY_NAMES: tuple[str, ...] = ("integer", "paper", "half", "rational")

#: Two log-distances closer than this count as a tie (a relative difference of 1e-12 in i).
TIE_TOLERANCE: float = 1e-12

#: The i values Table-1 of the paper uses.
_PAPER_VALUES: tuple[int, ...] = (1, 2, 3, 5, 6, 7, 12, 16)


@dataclass(frozen=True, eq=False)
class Policy:
    """A set of allowed values of i and the rule that assigns one of them to a material.

    Attributes
    ----------
    name : str
        ``"integer"``, ``"paper"``, ``"half"``, ``"rational"`` or ``"explicit"``.
    values : ndarray of shape (k,)
        The allowed values, positive, finite, unique and sorted ascending (read-only).

    Notes
    -----
    See the module docstring for the assignment and tie rules.
    """

    name: str
    values: np.ndarray

    def __post_init__(self) -> None:
        values = np.asarray(self.values, dtype=float).ravel()
        if values.size == 0 or not np.all(np.isfinite(values)) or np.any(values <= 0):
            raise InputError(
                "The allowed values of i must be a non-empty list of positive, finite numbers; "
                f"got {self.values!r}.",
                argument="policy",
            )
        values = np.unique(values)  # sorted ascending
        values.flags.writeable = False
        object.__setattr__(self, "values", values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Policy):
            return NotImplemented
        return self.name == other.name and np.array_equal(self.values, other.values)

    def __hash__(self) -> int:
        return hash((self.name, self.values.tobytes()))

    def __repr__(self) -> str:
        return f"Policy(name={self.name!r}, values=[{self._values_text(limit=8)}])"

    def _values_text(self, limit: int = 12) -> str:
        texts = [i_text(float(v)) for v in self.values]
        if len(texts) > limit:
            texts = [*texts[: limit // 2], "…", *texts[-(limit // 2) :]]
        return ", ".join(texts)

    def describe(self) -> str:
        """One line naming the policy and its allowed values.

        Returns
        -------
        str
            E.g. ``"integer: i ∈ {1, 2, 3, 4, 5, 6, …, 15, 16, 17, 18, 19, 20} (20 values)"``.

        Examples
        --------
        >>> paper().describe()
        'paper: i ∈ {1, 2, 3, 5, 6, 7, 12, 16} (8 values)'
        """
        return f"{self.name}: i ∈ {{{self._values_text()}}} ({self.values.size} values)"

    def assign_log(self, log_i: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Indices of the nearest and second-nearest allowed value of every ``ln i``.

        The one assignment entry point: fitting, the quantization test and the global fits all
        assign through it, so a policy with a rule of its own is one subclass overriding this.

        Parameters
        ----------
        log_i : ndarray of any shape
            Natural logarithms of implied i values (finite).

        Returns
        -------
        index : ndarray of intp, same shape
            Position in :attr:`values` of the log-nearest allowed value (ties to the smaller).
        runner_up : ndarray of intp, same shape, or None
            Position of the second-nearest (a grid neighbour); None for a one-value policy.

        Examples
        --------
        >>> integer(3).assign_log(np.log([1.2, 2.6]))
        (array([0, 2]), array([1, 1]))
        """
        log_values = np.log(self.values)
        k = log_values.size
        if k == 1:
            return np.zeros(np.shape(log_i), dtype=np.intp), None
        midpoints = 0.5 * (log_values[:-1] + log_values[1:])
        # Everything within TIE_TOLERANCE above a midpoint still counts as "below": ties go down.
        idx = np.searchsorted(midpoints, log_i - TIE_TOLERANCE, side="left")
        lower = np.clip(idx - 1, 0, k - 1)
        upper = np.clip(idx + 1, 0, k - 1)
        d_lower = np.abs(log_i - log_values[lower])
        d_upper = np.abs(log_values[upper] - log_i)
        take_lower = (idx > 0) & ((idx == k - 1) | (d_lower <= d_upper + TIE_TOLERANCE))
        runner = np.where(take_lower, lower, upper)
        return idx, runner

    def assign(self, i: Any) -> tuple[np.ndarray, np.ndarray]:
        """Assign each implied i its nearest allowed value (in log space) and the runner-up.

        Vectorised over any shape: the allowed values are searched with :func:`numpy.searchsorted`
        on the log-space midpoints between neighbours, so memory stays proportional to ``i``.

        Parameters
        ----------
        i : float or array_like of any shape
            Implied values of i (dimensionless, positive).

        Returns
        -------
        assigned : ndarray, same shape as ``i``
            The allowed value that minimises :math:`|\\ln i - \\ln v|` (ties to the smaller).
        runner_up : ndarray, same shape as ``i``
            The second-nearest allowed value in log space (always a grid neighbour of
            ``assigned``); NaN when the policy has a single value.

        Raises
        ------
        InputError
            If any ``i`` is zero, negative, NaN or infinite.

        Examples
        --------
        >>> integer().assign([2.4, 2.5, 6 ** 0.5])
        (array([2., 3., 2.]), array([3., 2., 3.]))
        """
        arr = np.asarray(i, dtype=float)
        if not np.all(np.isfinite(arr) & (arr > 0)):
            raise InputError(
                "Implied values of i must be positive and finite to be assigned.", argument="i"
            )
        idx, runner = self.assign_log(np.log(arr))
        assigned = self.values[idx]
        if runner is None:
            return assigned, np.full(arr.shape, np.nan)
        return assigned, self.values[runner]


def integer(i_max: int = 20) -> Policy:
    """The integers 1, 2, …, ``i_max``.

    Parameters
    ----------
    i_max : int, default=20
        The largest allowed value (at least 1).

    Returns
    -------
    Policy

    Raises
    ------
    InputError
        If ``i_max`` is not an integer ≥ 1.

    Examples
    --------
    >>> integer(4).values
    array([1., 2., 3., 4.])
    """
    _check_i_max(i_max, minimum=1)
    return Policy("integer", np.arange(1, int(i_max) + 1, dtype=float))


def paper() -> Policy:
    """Only the values the paper's Table-1 uses: 1, 2, 3, 5, 6, 7, 12, 16.

    Returns
    -------
    Policy

    References
    ----------
    Jiang, Table-1 (column "Degrees of freedom i").
    """
    return Policy("paper", np.array(_PAPER_VALUES, dtype=float))


def half(i_max: int = 20) -> Policy:
    """Multiples of 1/2 from 1/2 to ``i_max``.

    Parameters
    ----------
    i_max : int, default=20
        The largest allowed value.

    Returns
    -------
    Policy

    Raises
    ------
    InputError
        If ``i_max`` is not an integer ≥ 1.

    Examples
    --------
    >>> half(2).values
    array([0.5, 1. , 1.5, 2. ])
    """
    _check_i_max(i_max, minimum=1)
    return Policy("half", np.arange(1, 2 * int(i_max) + 1, dtype=float) / 2.0)


def rational(i_max: int = 20) -> Policy:
    """Every fraction p/q with q ≤ 4 and 0 < p/q ≤ ``i_max``, plus the paper's 1/100.

    The smallest fraction is 1/4 (the paper's "If i = 1/4" for Nb); 1/100 is added because the
    paper's text uses it for an Nb "super-atom".

    Parameters
    ----------
    i_max : int, default=20
        The largest allowed value.

    Returns
    -------
    Policy

    Raises
    ------
    InputError
        If ``i_max`` is not an integer ≥ 1.

    References
    ----------
    Jiang, Table-1 notes (Nb: i = 1/4, i = 1/100) and the text after Table-1.

    Examples
    --------
    >>> [str(Fraction(v).limit_denominator(100)) for v in rational(1).values]
    ['1/100', '1/4', '1/3', '1/2', '2/3', '3/4', '1']
    """
    _check_i_max(i_max, minimum=1)
    fractions = {Fraction(1, 100)}
    for q in range(1, 5):
        fractions.update(Fraction(p, q) for p in range(1, q * int(i_max) + 1))
    return Policy("rational", np.array(sorted(float(f) for f in fractions)))


def explicit(values: Iterable[float]) -> Policy:
    """Any list of positive, finite numbers (duplicates are merged, order does not matter).

    Parameters
    ----------
    values : iterable of float
        The allowed values of i.

    Returns
    -------
    Policy
        Named ``"explicit"``.

    Raises
    ------
    InputError
        If the list is empty or holds a non-positive, NaN or infinite value.

    Examples
    --------
    >>> explicit([3, 1, 3]).values
    array([1., 3.])
    """
    try:
        arr = np.array([float(v) for v in values], dtype=float)
    except (TypeError, ValueError) as err:
        raise InputError(
            f"The allowed values of i must be numbers; got {values!r}.", argument="policy"
        ) from err
    return Policy("explicit", arr)


def _check_i_max(i_max: Any, *, minimum: int) -> None:
    check_count("i_max", i_max, minimum, maximum=10_000)


def parse_policy(text: str) -> str | list[float]:
    """A policy name, or the text of a list of values such as ``"1,2,3,1/2"``.

    The one parser of policy text (every CLI command's ``--policy`` goes through it).

    Parameters
    ----------
    text : str
        A name (returned unchanged, checked later by :func:`get_policy`) or comma-separated
        numbers and fractions.

    Returns
    -------
    str or list of float

    Raises
    ------
    InputError
        If the text has digits but is not a list of numbers or fractions.

    Examples
    --------
    >>> parse_policy("1,2,3,1/2")
    [1.0, 2.0, 3.0, 0.5]
    >>> parse_policy("paper")
    'paper'
    """
    if not any(ch.isdigit() for ch in text):
        return text.strip()
    try:
        return [float(Fraction(part.strip())) for part in text.split(",") if part.strip()]
    except (ValueError, ZeroDivisionError) as err:
        raise InputError(
            "The `policy` list must be comma-separated numbers or fractions like '1,2,3,1/2'; "
            f"not {text!r}.",
            argument="policy",
        ) from err


def get_policy(policy: PolicyName | str | Policy | Iterable[float], *, i_max: int = 20) -> Policy:
    """Turn what a user passed as ``policy`` into a :class:`Policy`.

    Parameters
    ----------
    policy : {"integer", "paper", "half", "rational"}, Policy or iterable of float
        A policy name, a ready :class:`Policy`, or an explicit list of allowed values.
    i_max : int, default=20
        Largest value for ``"integer"``, ``"half"`` and ``"rational"`` (ignored otherwise).

    Returns
    -------
    Policy

    Raises
    ------
    InputError
        For an unknown name (the message lists the known ones) or a bad explicit list.

    Examples
    --------
    >>> get_policy("paper").values
    array([ 1.,  2.,  3.,  5.,  6.,  7., 12., 16.])
    >>> get_policy([0.5, 2]).name
    'explicit'
    """
    if isinstance(policy, Policy):
        return policy
    if isinstance(policy, str):
        name = check_option("policy", policy, POLICY_NAMES)
        if name == "paper":
            return paper()
        return {"integer": integer, "half": half, "rational": rational}[name](i_max)
    if isinstance(policy, Iterable):
        return explicit(policy)
    raise InputError(
        "The `policy` parameter must be a policy name, a Policy or a list of allowed values; "
        f"not {policy!r}.",
        argument="policy",
    )
