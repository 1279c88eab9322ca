"""Eq. (5) of the paper as a fit-able model: the only place its exponents live.

.. math:: T_c = C \\, B_c \\, n^{-1/6} \\, i^{-1/2}, \\qquad
          \\ln T_c = \\ln C + \\ln B_c - \\tfrac16 \\ln n - \\tfrac12 \\ln i .

:meth:`Eq5.implied` and :meth:`Eq5.predict` call the pure functions :func:`tcfit.model.implied_i`
and :func:`tcfit.model.tc`; everything else (uncertainties, residuals, global exponents) follows
from :attr:`Eq5.log_coefficients` through :mod:`tcfit.models._loglinear`.

References
----------
Jiang, Eq. (5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tcfit import model as equations
from tcfit.model import PREFACTOR

from ._loglinear import LogLinearModel

__all__ = ["EQ5", "Eq5"]


@dataclass(frozen=True, kw_only=True)
class Eq5(LogLinearModel):
    """Tc = C·Bc/(n^{1/6}·√i): inputs Bc (T) and n (m⁻³), target Tc (K), parameter i.

    Examples
    --------
    >>> EQ5.log_coefficients
    {'bc': 1.0, 'n': -0.16666666666666666, 'i': -0.5}
    >>> EQ5.reference_exponents()
    {'alpha': 0.16666666666666666, 'beta': 1.0}
    """

    name: str = "eq5"
    log_coefficients: Mapping[str, float] = None  # type: ignore[assignment]
    description: str = "Tc = C·Bc/(n^(1/6)·√i) (Jiang, Eq. 5)"
    prefactor: float = PREFACTOR

    def __post_init__(self) -> None:
        object.__setattr__(self, "log_coefficients", {"bc": 1.0, "n": -1.0 / 6.0, "i": -0.5})
        object.__setattr__(self, "exponent_names", {"alpha": ("n", -1.0), "beta": ("bc", 1.0)})
        super().__post_init__()

    def implied(self, values: Mapping[str, np.ndarray], *, prefactor: float) -> np.ndarray:
        """:func:`tcfit.model.implied_i` of every row."""
        return np.asarray(
            equations.implied_i(values["tc"], values["bc"], values["n"], prefactor=prefactor)
        )

    def predict(
        self, values: Mapping[str, np.ndarray], parameter: np.ndarray, *, prefactor: float
    ) -> np.ndarray:
        """:func:`tcfit.model.tc` of every row at the given i."""
        return np.asarray(equations.tc(values["bc"], values["n"], parameter, prefactor=prefactor))


#: The registered instance.
EQ5 = Eq5()
