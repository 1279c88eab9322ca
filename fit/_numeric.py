"""Argument handling shared by the pure equation modules (:mod:`tcfit.model`, :mod:`tcfit.bcs`).

Every physics function accepts

* scalars, numpy arrays, pandas Series and plain Python sequences (lists and tuples become
  ndarrays); a bare number is in SI, as documented for each argument;
* pint Quantities from any ``pint.UnitRegistry`` (tcfit's own or yours), converted to the
  argument's SI unit; a critical field written in gauss or oersted — Gaussian-CGS units in pint,
  which do not convert to tesla — is read as :math:`\\mu_0 H` (1 G ≙ 1 Oe ≙ 1e-4 T) and a field
  strength in A/m is multiplied by μ0, the rule :mod:`tcfit.datasets` applies to files; a wrong
  dimension raises :class:`~tcfit.UnitError` naming the argument;
* ``uncertainties`` ufloats and ``unumpy`` arrays (object arrays of ufloats), which flow through
  the arithmetic so that the result is a ufloat (or an array of them) whose uncertainty
  ``uncertainties`` propagated to first order, correlations included;

and refuses zero, negative, NaN or infinite input (for ufloats: the nominal value; a NaN or
infinite standard deviation too) with an :class:`~tcfit.InputError` naming the argument, so no
NaN ever leaves an equation module. A result for all-scalar input is a Python float (a ufloat
when an input was one).

Neither pint nor uncertainties is imported here: a value can only be a pint Quantity or a ufloat
if the caller imported that package already, so the checks look in :data:`sys.modules`, and
``import tcfit`` stays light.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from .errors import InputError, UnitError

__all__ = ["SI_UNITS", "checked", "is_uncertain", "scalar_out", "sqrt"]

#: The SI unit of each kind of argument, in pint syntax (``None``: a pure number).
SI_UNITS: dict[str, str | None] = {
    "temperature": "kelvin",
    "field": "tesla",
    "density": "meter ** -3",
    "number": None,
    "prefactor": "kelvin * meter ** 0.5 / tesla",
    "molar_heat": "joule / mole / kelvin ** 2",
    "volume_heat": "joule / meter ** 3 / kelvin ** 2",
    "mass_density": "kilogram / meter ** 3",
    "molar_mass": "kilogram / mole",
}

#: The dimension of pint's Gaussian-CGS gauss and oersted.
_GAUSSIAN_FIELD = "[mass] ** 0.5 / [length] ** 0.5 / [time]"


def _ufloat_type() -> type | None:
    module = sys.modules.get("uncertainties.core")
    ufloat: type | None = None if module is None else module.AffineScalarFunc
    return ufloat


def is_uncertain(value: Any) -> bool:
    """True for a ufloat or an object array holding at least one ufloat."""
    ufloat = _ufloat_type()
    if ufloat is None:
        return False
    if isinstance(value, ufloat):
        return True
    if isinstance(value, np.ndarray) and value.dtype == object:
        return any(isinstance(v, ufloat) for v in value.ravel())
    return False


def _si_magnitude(name: str, value: Any, kind: str) -> Any:
    """The magnitude of the pint Quantity ``value`` in the SI unit of ``kind``."""
    import pint

    target = SI_UNITS[kind]
    try:
        if kind == "field" and value.check(_GAUSSIAN_FIELD):
            return value.to("gauss").magnitude * 1e-4  # μ0·H: 1 G ≙ 1 Oe ≙ 1e-4 T
        if kind == "field" and value.check("[current] / [length]"):
            from scipy.constants import mu_0

            return value.to("ampere / meter").magnitude * mu_0
        return value.to(target or "dimensionless").magnitude
    except pint.errors.DimensionalityError as err:
        hint = "; a field may be given in T, G, Oe or A/m" if kind == "field" else ""
        raise UnitError(
            f"The `{name}` argument is in {format(value.units, '~')!r} "
            f"({value.dimensionality}), which does not convert to "
            f"{target or 'a pure number'!r}{hint}."
        ) from err


def _check_uncertain(name: str, value: Any) -> Any:
    """Check a ufloat or an array of them by its nominal values and standard deviations."""
    from uncertainties import unumpy

    nominal = np.asarray(unumpy.nominal_values(value), dtype=float)
    spread = np.asarray(unumpy.std_devs(value), dtype=float)
    _refuse_bad(name, nominal, ~np.isfinite(nominal) | (nominal <= 0.0))
    _refuse_bad(name, spread, ~np.isfinite(spread), what="a finite standard deviation")
    return value


def _refuse_bad(name: str, arr: np.ndarray, bad: np.ndarray, what: str = "") -> None:
    if not np.any(bad):
        return
    flat = np.flatnonzero(bad.ravel())
    first = float(arr.ravel()[flat[0]])
    where = "" if arr.ndim == 0 else f" at position {int(flat[0])} ({flat.size} bad in all)"
    rule = f"have {what}" if what else "be finite and greater than zero"
    raise InputError(f"The `{name}` argument must {rule}; got {first!r}{where}.", argument=name)


def checked(name: str, value: Any, kind: str = "number") -> Any:
    """Return ``value`` in SI after checking that every element is finite and positive.

    Parameters
    ----------
    name : str
        The argument's name, used in the messages.
    value : float, array_like, pandas.Series, pint.Quantity, ufloat or unumpy array
        What was passed (module docstring).
    kind : str, default="number"
        A key of :data:`SI_UNITS`: what a Quantity must convert to.

    Returns
    -------
    float, ndarray, Series, ufloat or object ndarray
        ``value`` in SI: a plain Python float for a 0-d input without a dtype, an ndarray for a
        list or tuple, a Series or array unchanged, a ufloat or unumpy array as it is.

    Raises
    ------
    InputError
        Naming ``name``, the first offending value and its position.
    UnitError
        If a Quantity has the wrong dimension for ``kind``.
    """
    pint = sys.modules.get("pint")
    if pint is not None and isinstance(value, pint.Quantity | pint.Measurement):
        value = _si_magnitude(name, value, kind)
    if isinstance(value, list | tuple):
        value = np.asarray(value)
    if is_uncertain(value):
        return _check_uncertain(name, value)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as err:
        raise InputError(
            f"The `{name}` argument must be a number, an array of numbers, a pint Quantity or "
            f"a ufloat; got {type(value).__name__} {value!r}.",
            argument=name,
        ) from err
    _refuse_bad(name, arr, ~np.isfinite(arr) | (arr <= 0.0))
    if arr.ndim == 0 and not hasattr(value, "dtype"):
        return float(arr)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return arr
    return value


def sqrt(value: Any) -> Any:
    """``np.sqrt`` for numbers and arrays, ``value ** 0.5`` for ufloats (numpy has no sqrt
    for object arrays)."""
    return value**0.5 if is_uncertain(value) else np.sqrt(value)


def scalar_out(result: Any, *inputs: Any) -> Any:
    """A Python float when every (checked) input was a scalar, a ufloat for an uncertain scalar
    result, else ``result`` unchanged."""
    if isinstance(result, np.ndarray) and result.ndim == 0 and result.dtype == object:
        result = result.item()
    if is_uncertain(result):
        return result
    if all(np.ndim(x) == 0 and not hasattr(x, "index") for x in inputs):
        return float(result)
    return result
