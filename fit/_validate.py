"""Argument validation: one home, one message format (scikit-learn's ``_param_validation`` habit).

Every public function and every options object of tcfit checks its arguments with these helpers,
so a user meets one way of being told what is wrong::

    The `n_sim` parameter must be an integer of at least 1; not 0.
    The `policy` parameter must be one of 'integer', 'paper', 'half' or 'rational'; not 'intger'.

Each helper returns the value normalised (``int``, ``float``, ``dict``) and raises
:class:`tcfit.InputError` naming the parameter. Small and frozen, like attrs' validators; nothing
here imports numpy at module level.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import InputError

__all__ = [
    "check_count",
    "check_mapping",
    "check_number",
    "check_option",
    "check_positive",
    "choices_text",
]


def choices_text(allowed: Sequence[str]) -> str:
    """``'a'``, ``'a' or 'b'``, ``'a', 'b' or 'c'``: the allowed strings as a message lists them."""
    quoted = [repr(a) for a in allowed]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def check_option(parameter: str, value: Any, allowed: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``allowed``; otherwise raise with a message naming them.

    Parameters
    ----------
    parameter : str
        The parameter's name as the user wrote it, e.g. ``"policy"``.
    value : object
        What the user passed.
    allowed : sequence of str
        The accepted strings.

    Returns
    -------
    str
        ``value`` unchanged.

    Raises
    ------
    InputError
        ``The `policy` parameter must be one of 'integer', 'paper', 'half' or 'rational';
        not 'intger'.``

    Examples
    --------
    >>> check_option("policy", "half", ("integer", "half"))
    'half'
    """
    if isinstance(value, str) and value in allowed:
        return value
    raise InputError(
        f"The `{parameter}` parameter must be one of {choices_text(allowed)}; not {value!r}.",
        argument=parameter,
    )


def check_count(parameter: str, value: Any, minimum: int, *, maximum: int | None = None) -> int:
    """An integer (not a bool, not a float) of at least ``minimum`` (and at most ``maximum``).

    Raises
    ------
    InputError
        ``The `n_sim` parameter must be an integer of at least 1; not 0.``

    Examples
    --------
    >>> check_count("seed", 3, 0)
    3
    """
    import numbers

    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    ok = ok and int(value) >= minimum
    if not ok:
        raise InputError(
            f"The `{parameter}` parameter must be an integer of at least {minimum}; not {value!r}.",
            argument=parameter,
        )
    if maximum is not None and int(value) > maximum:
        raise InputError(
            f"The `{parameter}` parameter must be an integer of at most {maximum}; not {value!r}.",
            argument=parameter,
        )
    return int(value)


def check_number(
    parameter: str, value: Any, *, minimum: float = -math.inf, strict: bool = False
) -> float:
    """A finite real number (not a bool) at least ``minimum`` (above it with ``strict``).

    Raises
    ------
    InputError
        ``The `rtol` parameter must be a finite number ≥ 0; not -1e-06.``

    Examples
    --------
    >>> check_number("rtol", 1e-6, minimum=0.0)
    1e-06
    """
    import numbers

    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    number = float(value) if ok else math.nan
    ok = ok and math.isfinite(number) and (number > minimum if strict else number >= minimum)
    if not ok:
        if minimum == -math.inf:
            bound = ""
        else:
            bound = f" {'>' if strict else '≥'} {minimum:g}"
        raise InputError(
            f"The `{parameter}` parameter must be a finite number{bound}; not {value!r}.",
            argument=parameter,
        )
    return number


def check_positive(parameter: str, value: Any) -> float:
    """A finite number greater than zero.

    Raises
    ------
    InputError
        ``The `prefactor` parameter must be a positive number; not -1.0.``
    """
    import numbers

    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not (ok and math.isfinite(float(value)) and float(value) > 0):
        raise InputError(
            f"The `{parameter}` parameter must be a positive number; not {value!r}.",
            argument=parameter,
        )
    return float(value)


def check_mapping(
    parameter: str, value: Any, *, keys: Sequence[str], example: str
) -> dict[str, Any]:
    """A mapping whose keys are among ``keys`` (values are checked by the caller).

    Raises
    ------
    InputError
        ``The `rel_err` parameter must be a mapping like {'tc': 0.02}; not [0.1].`` or, for a
        bad key, the :func:`check_option` message.
    """
    if not isinstance(value, Mapping):
        raise InputError(
            f"The `{parameter}` parameter must be a mapping like {example}; not {value!r}.",
            argument=parameter,
        )
    for key in value:
        check_option(parameter, key, keys)
    return dict(value)
