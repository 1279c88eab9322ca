r"""Fit-able models, each wrapping a pure equation of :mod:`tcfit.model` (as lmfit's models do).

A **model** predicts a material's Tc from its measured inputs and one free per-material
parameter, and is log-linear in them:

.. math:: \ln T_c = \ln C + \sum_q a_q \ln q + a_i \ln i .

Eq. (5) is ``log_coefficients = {"bc": 1, "n": -1/6, "i": -1/2}``. Everything the fitters need —
the implied parameter, its uncertainty, the effective variance of ln Tc, residuals, the free
exponents of the global fit, baselines and reports — follows from these coefficients
(:mod:`tcfit.models._loglinear`), so they live in one place: the model object. A *reference
model* (no free parameter, e.g. BCS weak coupling) predicts Tc for comparison only.

Adding a model is one object and one registry line::

    from tcfit.models import LogLinearModel, register_model
    register_model(LogLinearModel(name="eq5_n4", log_coefficients={"bc": 1, "n": -1/4, "i": -1/2}))
    tcfit.fit("table1", model="eq5_n4")

The registries: :data:`MODELS` (name → :class:`Model`), :data:`REFERENCE_MODELS` (name →
:class:`ReferenceModel`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from tcfit._validate import check_option
from tcfit.errors import InputError

from ._loglinear import (
    LogLinearModel,
    log_ratio,
    parameter_sensitivities,
    sigma_log_parameter,
    sigma_log_target,
)
from .bcs import BCSWeakCoupling
from .eq5 import EQ5, Eq5

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "EQ5",
    "MODELS",
    "REFERENCE_MODELS",
    "BCSWeakCoupling",
    "Eq5",
    "LogLinearModel",
    "Model",
    "ReferenceModel",
    "get_model",
    "log_ratio",
    "parameter_sensitivities",
    "register_model",
    "register_reference_model",
    "sigma_log_parameter",
    "sigma_log_target",
]


@runtime_checkable
class Model(Protocol):
    """What a fitter needs of a model (see :class:`LogLinearModel` for the reference version).

    Attributes
    ----------
    name : str
        Registry key, written into baselines (``"eq5"``).
    description : str
        The model in one line, e.g. ``"Tc = C·Bc/(n^(1/6)·√i) (Jiang, Eq. 5)"``.
    target : str
        The measured quantity it predicts (``"tc"``).
    inputs : tuple of str
        The other measured quantities it reads (``("bc", "n")``), canonical column names.
    parameter : str
        The free per-material parameter (``"i"``); a data column of that name is a reference.
    log_coefficients : mapping of str to float
        :math:`a_q` for every input and for the parameter.
    prefactor : float
        The default :math:`C` (SI).
    exponent_names : mapping of str to tuple of (str, float)
        Public name of each free exponent in the global fit → (input, sign): Eq. (5)'s
        ``{"alpha": ("n", -1.0), "beta": ("bc", 1.0)}``.
    """

    name: str
    description: str
    target: str
    inputs: tuple[str, ...]
    parameter: str
    log_coefficients: Mapping[str, float]
    prefactor: float
    exponent_names: Mapping[str, tuple[str, float]]

    @property
    def requires(self) -> tuple[str, ...]:
        """The canonical columns every row must have: ``(target, *inputs)``."""

    def implied(self, values: Mapping[str, np.ndarray], *, prefactor: float) -> np.ndarray:
        """The parameter that makes the model exact for each row."""

    def predict(
        self, values: Mapping[str, np.ndarray], parameter: np.ndarray, *, prefactor: float
    ) -> np.ndarray:
        """The target predicted at the given parameter values."""


@runtime_checkable
class ReferenceModel(Protocol):
    """A model with no free parameter, compared with the measured Tc (e.g. BCS weak coupling).

    Attributes
    ----------
    name : str
        Column suffix and registry key: the fit table gains ``tc_<name>`` and
        ``residual_<name>`` (and :meth:`columns`' extras).
    title : str
        For people: ``"BCS weak coupling"``.
    requires : tuple of str
        Canonical columns it needs; rows lacking one get NaN (nothing is filled in).
    predicts : str or None
        The column of :meth:`columns` that predicts the fitted model's parameter *without using
        Tc* (BCS: ``"i_bcs"``), or None. The fit then rounds it under its policy and adds the Tc
        the model predicts from it with no free parameter (``i_predicted_<name>``,
        ``tc_predicted_<name>``, ``residual_predicted_<name>``): an out-of-sample test.
    """

    name: str
    title: str
    requires: tuple[str, ...]
    predicts: str | None

    def columns(self, table: pd.DataFrame) -> pd.DataFrame:
        """``tc_<name>``, ``residual_<name>`` and any extra columns, NaN where inputs lack."""


MODELS: dict[str, Model] = {EQ5.name: cast("Model", EQ5)}
REFERENCE_MODELS: dict[str, ReferenceModel] = {"bcs": cast("ReferenceModel", BCSWeakCoupling())}


def _check_model(model: Any) -> Model:
    if not isinstance(model, Model):
        raise InputError(
            f"The `model` parameter must be a model name or a tcfit.models.Model; not {model!r}.",
            argument="model",
        )
    return model


def register_model(model: Model) -> Model:
    """Make ``model`` available by its name (``tcfit.fit(data, model=name)``, ``--model``).

    Parameters
    ----------
    model : Model
        For instance a :class:`LogLinearModel`.

    Returns
    -------
    Model
        ``model``, so this can decorate or be chained.

    Raises
    ------
    InputError
        If ``model`` does not satisfy the :class:`Model` protocol.
    """
    MODELS[_check_model(model).name] = model
    return model


def register_reference_model(model: ReferenceModel) -> ReferenceModel:
    """Add a reference model: every later fit whose data have its inputs gains its columns."""
    if not isinstance(model, ReferenceModel):
        raise InputError(
            f"A reference model must satisfy tcfit.models.ReferenceModel; not {model!r}.",
            argument="model",
        )
    REFERENCE_MODELS[model.name] = model
    return model


def get_model(model: str | Model) -> Model:
    """The registered model of that name, or ``model`` itself if it already is one.

    Raises
    ------
    InputError
        ``The `model` parameter must be one of 'eq5'; not 'eq6'.``

    Examples
    --------
    >>> get_model("eq5").log_coefficients["n"]
    -0.16666666666666666
    """
    if isinstance(model, str):
        return MODELS[check_option("model", model, tuple(MODELS))]
    return _check_model(model)
