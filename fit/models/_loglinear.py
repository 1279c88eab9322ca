r"""The log-linear model and everything that follows from its coefficients.

For :math:`\ln T = \ln C + \sum_q a_q \ln q + a_p \ln p` (T the target, q the inputs, p the free
parameter):

* implied parameter: :math:`\ln p = (\ln T - \ln C - \sum_q a_q \ln q) / a_p`;
* its sensitivity to each measured quantity: :math:`\partial \ln p/\partial \ln T = 1/a_p`,
  :math:`\partial \ln p/\partial \ln q = -a_q/a_p` (Eq. 5: −2, 2, −1/3 for Tc, Bc, n);
* first-order 1σ of :math:`\ln p`: :math:`\sqrt{\sum_x (\partial\ln p/\partial\ln x)^2 r_x^2}`
  with :math:`r_x` the relative 1σ of quantity x;
* effective variance of :math:`\ln T`: :math:`r_T^2 + \sum_q a_q^2 r_q^2`;
* log residual at an assigned value: :math:`\ln(T_{\rm model}/T) = a_p(\ln p_{\rm used} -
  \ln p_{\rm implied})`.

The functions take any object satisfying :class:`tcfit.models.Model`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tcfit.errors import InputError
from tcfit.model import PREFACTOR

if TYPE_CHECKING:
    from . import Model

__all__ = [
    "LogLinearModel",
    "log_ratio",
    "parameter_sensitivities",
    "sigma_log_parameter",
    "sigma_log_target",
]


@dataclass(frozen=True, kw_only=True)
class LogLinearModel:
    r"""A model :math:`\ln T = \ln C + \sum_q a_q \ln q + a_p \ln p`, computed generically.

    Parameters
    ----------
    name : str
        Registry key.
    log_coefficients : mapping of str to float
        :math:`a_q` of each input (canonical column names, e.g. ``"bc"``, ``"n"``) and
        :math:`a_p` of the parameter; :math:`a_p` must not be zero.
    description : str, optional
        One line for people; default a formula built from the coefficients.
    target : str, default="tc"
    parameter : str, default="i"
    prefactor : float, default=PREFACTOR
        :math:`C` in SI units (K m^{1/2} T⁻¹ for Eq. 5).
    exponent_names : mapping of str to (str, float), optional
        Public names of the free exponents of the global fit; default ``exponent_<q>`` with
        sign +1 for every input.

    Examples
    --------
    >>> m = LogLinearModel(name="toy", log_coefficients={"bc": 1.0, "n": -0.25, "i": -0.5})
    >>> m.requires
    ('tc', 'bc', 'n')
    """

    name: str
    log_coefficients: Mapping[str, float]
    description: str = ""
    target: str = "tc"
    parameter: str = "i"
    prefactor: float = PREFACTOR
    exponent_names: Mapping[str, tuple[str, float]] = field(default_factory=dict)
    inputs: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        coefficients = {str(k): float(v) for k, v in self.log_coefficients.items()}
        if self.parameter not in coefficients or coefficients[self.parameter] == 0.0:
            raise InputError(
                f"A model needs a non-zero log coefficient for its parameter {self.parameter!r}; "
                f"got {dict(self.log_coefficients)!r}.",
                argument="log_coefficients",
            )
        if not all(math.isfinite(v) for v in coefficients.values()):
            raise InputError(
                "Log coefficients must be finite numbers.", argument="log_coefficients"
            )
        inputs = tuple(k for k in coefficients if k != self.parameter)
        object.__setattr__(self, "log_coefficients", coefficients)
        object.__setattr__(self, "inputs", inputs)
        if not self.exponent_names:
            names = {f"exponent_{q}": (q, 1.0) for q in inputs}
            object.__setattr__(self, "exponent_names", names)
        if not self.description:
            terms = " + ".join(f"{coefficients[q]:g}·ln {q}" for q in inputs)
            text = f"ln {self.target} = ln C + {terms} + {coefficients[self.parameter]:g}·ln "
            object.__setattr__(self, "description", text + self.parameter)

    @property
    def requires(self) -> tuple[str, ...]:
        """``(target, *inputs)``: the columns every row must have."""
        return (self.target, *self.inputs)

    def implied(self, values: Mapping[str, np.ndarray], *, prefactor: float) -> np.ndarray:
        """The parameter that makes the model exact, row by row (values in SI, positive)."""
        a = self.log_coefficients
        log_rest = np.log(values[self.target]) - math.log(prefactor)
        for q in self.inputs:
            log_rest = log_rest - a[q] * np.log(values[q])
        return np.asarray(np.exp(log_rest / a[self.parameter]))

    def predict(
        self, values: Mapping[str, np.ndarray], parameter: np.ndarray, *, prefactor: float
    ) -> np.ndarray:
        """The target at the given parameter values (SI)."""
        a = self.log_coefficients
        log_t = math.log(prefactor) + a[self.parameter] * np.log(parameter)
        for q in self.inputs:
            log_t = log_t + a[q] * np.log(values[q])
        return np.asarray(np.exp(log_t))

    def reference_exponents(self) -> dict[str, float]:
        """The value each public exponent has in this model (Eq. 5: α = 1/6, β = 1)."""
        return {
            name: sign * self.log_coefficients[q] for name, (q, sign) in self.exponent_names.items()
        }


def parameter_sensitivities(model: Model) -> dict[str, float]:
    """∂ln p/∂ln x for the target and every input, in the order inputs, then target."""
    a = model.log_coefficients
    a_p = a[model.parameter]
    out = {q: -a[q] / a_p for q in model.inputs}
    out[model.target] = 1.0 / a_p
    return out


def sigma_log_parameter(model: Model, rel: Mapping[str, Any]) -> np.ndarray:
    """First-order 1σ of ln p from the relative 1σ ``rel[x]`` of each measured quantity."""
    total: Any = 0.0
    for q, s in parameter_sensitivities(model).items():
        total = total + (s * np.asarray(rel[q])) ** 2
    return np.asarray(np.sqrt(total))


def sigma_log_target(
    model: Model, rel: Mapping[str, Any], *, coefficients: Mapping[str, float] | None = None
) -> np.ndarray:
    """Effective-variance 1σ of ln T: sqrt(r_T² + Σ_q (a_q r_q)²).

    ``coefficients`` replaces the model's :math:`a_q` (trial values in a global fit).
    """
    a = model.log_coefficients if coefficients is None else coefficients
    total: Any = np.asarray(rel[model.target]) ** 2
    for q in model.inputs:
        total = total + (a[q] * np.asarray(rel[q])) ** 2
    return np.asarray(np.sqrt(total))


def log_ratio(model: Model, log_implied: Any, log_used: Any) -> np.ndarray:
    """ln(T_model/T) when the parameter is ``exp(log_used)`` instead of the implied value."""
    a_p = model.log_coefficients[model.parameter]
    return np.asarray(a_p * (np.asarray(log_used) - np.asarray(log_implied)))
