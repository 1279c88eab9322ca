"""Argument checks shared by the pure equation modules (:mod:`tcfit.model`, :mod:`tcfit.bcs`).

Every physics function accepts scalars, numpy arrays or pandas Series and refuses zero, negative,
NaN or infinite input with an :class:`~tcfit.InputError` naming the argument, so no NaN ever
leaves an equation module; a result for all-scalar input is a Python float.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import InputError

__all__ = ["checked", "scalar_out"]


def checked(name: str, value: Any) -> Any:
    """Return ``value`` unchanged after checking that every element is finite and positive.

    Parameters
    ----------
    name : str
        The argument's name, used in the message.
    value : float or array_like
        What was passed.

    Returns
    -------
    float or array_like
        ``value`` (a plain Python float for a 0-d input without a dtype).

    Raises
    ------
    InputError
        Naming ``name``, the first offending value and its position.
    """
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | (arr <= 0.0)
    if np.any(bad):
        flat = np.flatnonzero(bad.ravel())
        first = float(arr.ravel()[flat[0]])
        where = "" if arr.ndim == 0 else f" at position {int(flat[0])} ({flat.size} bad in all)"
        raise InputError(
            f"The `{name}` argument must be finite and greater than zero; got {first!r}{where}.",
            argument=name,
        )
    if arr.ndim == 0 and not hasattr(value, "dtype"):
        return float(arr)
    return value


def scalar_out(result: Any, *inputs: Any) -> Any:
    """Return a Python float when every input was a plain scalar, else ``result`` unchanged."""
    if all(np.ndim(x) == 0 and not hasattr(x, "index") for x in inputs):
        return float(result)
    return result
