r"""The paper's what-ifs: Eq. (5) solved for whichever of Tc, Bc, n or i is unknown.

.. math:: T_c = C \, \frac{B_c}{n^{1/6} \sqrt{i}}

:func:`predict` takes three of the four quantities and returns the fourth — Tc for any i
("if i = 1, Tc = 2.06 K"; Nb at i = 1/100), or the Bc or n a target Tc needs, or the i a
measured material implies — with its uncertainty propagated to first order by ``uncertainties``
when an input carries one. A built-in material by name supplies Bc and n from a dataset
(Table-1 by default); its measured Tc and the paper's i are not used as inputs.

Each quantity may be given as

* a bare number, in SI (K, T, m⁻³; i a pure number);
* text with a unit, read exactly as a table header is read by :func:`tcfit.read` (``"99 G"``,
  ``"9.9 mT"``, ``"1.812e29 m^-3"``, ``"1.812e23 cm⁻³"``, ``"1.2 K"``): gauss and oersted are
  μ0·H, 1 G ≙ 1e-4 T; optionally with an uncertainty, ``"99 ± 2 G"`` or ``"99+/-2 G"``;
* a pint Quantity from any registry (:mod:`tcfit.model` converts it);
* an ``uncertainties`` ufloat, or a ``(value, error)`` pair of any of the above;
* for i also a fraction: ``0.25``, ``"1/4"``, ``"1/100"`` or :class:`fractions.Fraction`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from . import model
from ._numeric import checked, is_uncertain
from ._validate import check_option
from .errors import DataError, InputError, UnitError

__all__ = ["QUANTITIES", "SI_UNITS", "Prediction", "predict"]

Quantity = Literal["tc", "bc", "n", "i"]
#: The quantities of Eq. (5), in the order :func:`predict` reports them.
QUANTITIES: tuple[str, ...] = ("tc", "bc", "n", "i")
#: The SI unit each is returned in.
SI_UNITS: dict[str, str] = {"tc": "K", "bc": "T", "n": "m^-3", "i": ""}
_KINDS = {"tc": "temperature", "bc": "field", "n": "density", "i": "number"}
_NAMES = {"tc": "Tc", "bc": "Bc", "n": "n", "i": "i"}

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_TEXT = re.compile(
    rf"^\s*(?P<value>{_NUMBER})\s*(?:(?:±|\+/-|\+-)\s*(?P<error>{_NUMBER}))?\s*(?P<unit>.*?)\s*$"
)


@dataclass(frozen=True)
class Prediction:
    """What Eq. (5) gives for the unknown quantity, and what it was computed from.

    Attributes
    ----------
    quantity : {"tc", "bc", "n", "i"}
        The quantity solved for.
    value : float or ufloat
        Its value in SI (:data:`SI_UNITS`); a ufloat when an input carried an uncertainty.
    inputs : dict of str to float or ufloat
        The three other quantities in SI, as used.
    sources : dict of str to str
        Where each input came from: ``"given"`` or the dataset's name.
    material : str or None
        The built-in material, if one was named.
    prefactor : float
        :math:`C` in K m^{1/2} T⁻¹.
    """

    quantity: str
    value: Any
    inputs: Mapping[str, Any]
    sources: Mapping[str, str] = field(default_factory=dict)
    material: str | None = None
    prefactor: float = model.PREFACTOR

    @property
    def unit(self) -> str:
        """The SI unit of :attr:`value` (``""`` for i)."""
        return SI_UNITS[self.quantity]

    @property
    def nominal_value(self) -> float:
        """The value without its uncertainty."""
        return float(getattr(self.value, "nominal_value", self.value))

    @property
    def std_dev(self) -> float:
        """The propagated 1σ (0.0 when no input carried an uncertainty)."""
        return float(getattr(self.value, "std_dev", 0.0))

    def __str__(self) -> str:
        from .formatting import pdg_text

        text = pdg_text(self.nominal_value, self.std_dev)
        return f"{_NAMES[self.quantity]} = {text} {self.unit}".rstrip()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: quantity, value, std_dev, unit, inputs (value and std_dev), provenance."""
        return {
            "quantity": self.quantity,
            "value": self.nominal_value,
            "std_dev": self.std_dev,
            "unit": self.unit,
            "inputs": {
                q: {
                    "value": float(getattr(v, "nominal_value", v)),
                    "std_dev": float(getattr(v, "std_dev", 0.0)),
                    "unit": SI_UNITS[q],
                    "source": self.sources.get(q, "given"),
                }
                for q, v in self.inputs.items()
            },
            "material": self.material,
            "prefactor": self.prefactor,
            "equation": "Jiang, Eq. (5): Tc = C·Bc/(n^(1/6)·√i)",
        }


def predict(
    material: str | None = None,
    *,
    tc: Any = None,
    bc: Any = None,
    n: Any = None,
    i: Any = None,
    solve_for: Quantity | None = None,
    prefactor: float = model.PREFACTOR,
    dataset: str = "table1",
) -> Prediction:
    r"""Solve Eq. (5) for the one unknown of Tc, Bc, n and i.

    Parameters
    ----------
    material : str, optional
        A material of ``dataset`` (e.g. ``"Al"``), which supplies Bc and n (with their errors
        if the dataset has them) unless they are given.
    tc, bc, n, i : number, str, pint.Quantity, ufloat or (value, error), optional
        Three of the four (module docstring for the forms): Tc in K, Bc in T, n in m⁻³, i a
        pure number (fractions such as ``"1/4"`` accepted).
    solve_for : {"tc", "bc", "n", "i"}, optional
        The unknown; needed only when the material supplies what you want solved for, e.g.
        ``predict("Nb", tc=20, i=1, solve_for="bc")``. Default: the one not given.
    prefactor : float, default=PREFACTOR
        :math:`C` in K m^{1/2} T⁻¹; :data:`tcfit.PAPER_PREFACTOR` reproduces the paper's 1.56e7.
    dataset : str, default="table1"
        The built-in dataset ``material`` is looked up in.

    Returns
    -------
    Prediction
        ``value`` (a float, or a ufloat with the propagated uncertainty) in SI, the inputs used
        and where they came from; ``str(prediction)`` reads ``Tc = 2.055 K``.

    Raises
    ------
    InputError
        If not exactly one quantity is unknown, a value is not positive, text cannot be read,
        or the material is not in the dataset.
    UnitError
        If a unit is unknown or has the wrong dimension (naming the argument).

    References
    ----------
    Jiang, Eq. (5) and the examples after it (Al at i = 1: 2.06 K).

    Examples
    --------
    >>> print(predict("Al", i=1))  # Table-1's Al (99 G, 1.812e29 m⁻³), CODATA prefactor
    Tc = 2.055 K
    >>> from tcfit import PAPER_PREFACTOR
    >>> print(predict("Al", i=1, prefactor=PAPER_PREFACTOR))
    Tc = 2.053 K
    >>> print(predict(bc="99 ± 2 G", n="1.812e29 m^-3", i="1/4"))
    Tc = 4.11 ± 0.08 K
    >>> print(predict(tc=1.19, n=1.812e29, i=3, solve_for="bc"))
    Bc = 0.009928 T
    """
    if solve_for is not None:
        check_option("solve_for", solve_for, QUANTITIES)
    c = float(checked("prefactor", prefactor, "prefactor"))
    values = {q: _parse(q, v) for q, v in (("tc", tc), ("bc", bc), ("n", n), ("i", i))}
    sources = {q: "given" for q, v in values.items() if v is not None}
    if solve_for is not None and values[solve_for] is not None:
        raise InputError(
            f"`{solve_for}` is both given and asked for (solve_for={solve_for!r}); leave one out.",
            argument="solve_for",
        )
    name = None
    if material is not None:
        name, row = _material(material, dataset)
        for q in ("bc", "n"):
            if values[q] is None and q != solve_for:
                values[q], sources[q] = row[q], dataset
    unknown = _unknown(values, solve_for)
    known = {q: v for q, v in values.items() if q != unknown and v is not None}
    value = _solve(unknown, known, c)
    return Prediction(unknown, value, known, sources, name, c)


def _unknown(values: Mapping[str, Any], solve_for: str | None) -> str:
    missing = [q for q in QUANTITIES if values[q] is None]
    if solve_for is not None and missing == [solve_for]:
        return solve_for
    if solve_for is None and len(missing) == 1:
        return missing[0]
    given = [q for q in QUANTITIES if values[q] is not None]
    raise InputError(
        "Eq. (5) links Tc, Bc, n and i: give exactly three of them (a material supplies Bc and "
        f"n) and get the fourth; got {', '.join(given) or 'none'}"
        + (f" and solve_for={solve_for!r}." if solve_for else "."),
        argument="solve_for" if solve_for else (missing[0] if missing else "i"),
    )


def _solve(unknown: str, known: Mapping[str, Any], c: float) -> Any:
    if unknown == "tc":
        return model.tc(known["bc"], known["n"], known["i"], prefactor=c)
    if unknown == "bc":
        return model.bc(known["tc"], known["n"], known["i"], prefactor=c)
    if unknown == "n":
        return model.electron_density(known["tc"], known["bc"], known["i"], prefactor=c)
    return model.implied_i(known["tc"], known["bc"], known["n"], prefactor=c)


def _parse(name: str, value: Any) -> Any:
    """One input in SI: a float or a ufloat (None stays None)."""
    if value is None:
        return None
    if isinstance(value, tuple) and len(value) == 2:
        nominal, error = (_parse_one(name, v, allow_zero=k == 1) for k, v in enumerate(value))
        return _ufloat(_nominal(name, nominal), _nominal(f"{name} error", error))
    return _parse_one(name, value)


def _parse_one(name: str, value: Any, *, allow_zero: bool = False) -> Any:
    if isinstance(value, Fraction):
        value = float(value)
    if isinstance(value, str):
        value = _from_text(name, value)
    if allow_zero and not is_uncertain(value) and _is_zero(value):
        return 0.0
    return checked(name, value, _KINDS[name])


def _is_zero(value: Any) -> bool:
    try:
        return float(getattr(value, "magnitude", value)) == 0.0
    except (TypeError, ValueError):
        return False


def _nominal(name: str, value: Any) -> float:
    if is_uncertain(value) or not isinstance(value, float | int):
        raise InputError(
            f"The `{name}` must be a plain number or text in a (value, error) pair; got {value!r}.",
            argument=name.split()[0],
        )
    return float(value)


def _ufloat(nominal: float, error: float) -> Any:
    """A ufloat, or the plain number for a zero error (uncertainties warns about those)."""
    if error == 0.0:
        return nominal
    from uncertainties import ufloat

    return ufloat(nominal, error)


def _from_text(name: str, text: str) -> Any:
    """``"99 G"``, ``"99 ± 2 G"``, ``"1/4"`` → a float or ufloat in SI."""
    if name == "i" and "/" in text:
        try:
            return float(Fraction(text.strip()))
        except (ValueError, ZeroDivisionError) as err:
            raise InputError(
                f"The `i` argument must be a number or a fraction like '1/4'; got {text!r}.",
                argument="i",
            ) from err
    match = _TEXT.match(text)
    if match is None:
        raise InputError(
            f"The `{name}` argument must be a number with an optional uncertainty and unit, "
            f"like '99 G', '99 ± 2 G' or '1.812e29 m^-3'; got {text!r}.",
            argument=name,
        )
    value, error, unit = match["value"], match["error"], match["unit"]
    nominal, sigma = float(value), None if error is None else float(error)
    if unit:
        nominal, sigma = _to_si(name, unit, nominal, sigma)
    return nominal if sigma is None else _ufloat(nominal, sigma)


def _to_si(name: str, unit: str, value: float, error: float | None) -> tuple[float, float | None]:
    """Convert with the file reader's unit rules (tcfit.read on a one-row table)."""
    import pandas as pd

    from tcfit.datasets import read

    if name == "i":
        raise UnitError(f"The `i` argument is a pure number; got the unit {unit!r}.")
    if not (math.isfinite(value) and value > 0):
        raise InputError(
            f"The `{name}` argument must be finite and greater than zero; got {value!r}.",
            argument=name,
        )
    table = {"material": ["x"], name: [value]}
    if error is not None:
        table[f"{name}_err"] = [error]
    try:
        df = read(pd.DataFrame(table), units={name: unit}, require=(name,))
    except UnitError as err:
        raise UnitError(f"The `{name}` argument: {err.problems[0].message}") from err
    except DataError as err:
        raise InputError(f"The `{name}` argument: {err}", argument=name) from err
    converted = None if error is None else float(df[f"{name}_err"].to_numpy(dtype=float)[0])
    return float(df[name].to_numpy(dtype=float)[0]), converted


def _material(material: str, dataset: str) -> tuple[str, dict[str, Any]]:
    """The dataset's row of ``material`` (exact name first, then ignoring case)."""
    from tcfit.datasets import read

    df = read(dataset)
    names = df["material"].astype(str)
    hit = names[names == material]
    if hit.empty:
        hit = names[names.str.lower() == str(material).strip().lower()]
    if hit.empty:
        raise InputError(
            f"The material {material!r} is not in the dataset {dataset!r}; it has "
            f"{', '.join(names)}. Give bc and n instead.",
            argument="material",
        )
    row = df.loc[hit.index[0]]
    out: dict[str, Any] = {}
    for q in ("bc", "n"):
        error = row.get(f"{q}_err")
        have_error = error is not None and math.isfinite(float(error))
        out[q] = _ufloat(float(row[q]), float(error)) if have_error else float(row[q])
    return str(hit.iloc[0]), out
