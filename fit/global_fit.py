r"""Global fits of Eq. (5) with lmfit, in log space, with each material's i held fixed.

Three questions, three fits of the same data (``GlobalFit.parts``):

``"prefactor"``
    :math:`\ln T_c = \ln A + \ln B_c - \tfrac16 \ln n - \tfrac12 \ln i`, A free. Do the data
    prefer the CODATA value :math:`C ≈ 1.5617\times10^7` K m^{1/2} T⁻¹?
``"exponents"``
    :math:`\ln T_c = \ln A + \beta \ln B_c - \alpha \ln n - \tfrac12 \ln i`, α and β free (and A
    unless ``free=()``). Are α = 1/6 and β = 1 inside the 95 % intervals?
``"common_i"``
    :math:`\ln T_c = \ln C + \ln B_c - \tfrac16 \ln n - \tfrac12 \ln i_{\rm common}`: one i for
    every material, prefactor fixed — the baseline with a single parameter.

**Uncertainties: effective variance.** Errors in all three measured quantities enter the fit,
combined to first order for the log model:

.. math:: \sigma_k^2 = (\sigma_T/T)^2 + (\beta\,\sigma_B/B)^2 + (\alpha\,\sigma_n/n)^2 .

Because σ depends on α and β, the exponents fit is iterated (Orear's effective-variance method):
fit with σ at the current α, β, recompute σ, refit, until α and β change by less than 1e-10.

**Mode and covariance scaling.** The fit always runs with the uncertainties as given
(``scale_covar=False``). When every material has measured uncertainties they are taken as
absolute (mode ``"absolute"``): standard errors come straight from them and intervals use the
normal quantile 1.96. Otherwise (default or mixed uncertainties, mode ``"scaled"``) the
covariance is multiplied by ``max(1, χ²/dof)`` (the Particle Data Group practice): inflated when
the scatter exceeds the assumed errors (intervals then use Student's t with dof degrees of
freedom), never *narrowed* when χ²/dof < 1 — a small χ² here comes from choosing each i to
shrink its own residual, not from precise data. :attr:`GlobalFitPart.covariance_scale` says
which factor was used.

**No goodness-of-fit p-value where i was chosen per material.** The χ² of the ``prefactor`` and
``exponents`` parts has dof that ignore the per-material choice of i, so no p-value is given for
them when the i were chosen from the data (``i="assigned"`` or ``"reference"``; ``p_value`` is
None); with explicit i given from outside, and in ``common_i``, the p-value stays.

**Parameters reported.** The fits run on ``ln_prefactor`` and ``ln_i_common`` (lmfit names);
they are reported as ``prefactor`` and ``i_common`` with value :math:`e^{v}`, standard error
:math:`e^{v}\sigma_v` (first order) and the interval :math:`e^{v \pm q\sigma_v}` (asymmetric).
In the exponents fit the prefactor has units K T^{-β} m^{-3α} and is strongly correlated with α
(ln n ≈ 67), so its interval is wide; α and β are the quantities to read there.

**Model selection.** AIC and BIC count every material's assigned i as one parameter in the
``prefactor`` and ``exponents`` parts (a free discrete choice per material is not free), so
:math:`k = k_{\rm continuous} + m`; in ``common_i``, :math:`k = 1`. Absolute mode:
AIC = χ² + 2k, BIC = χ² + k ln N. Scaled mode (σ known only up to a factor, as lmfit):
AIC = N ln(χ²/N) + 2k, BIC = N ln(χ²/N) + k ln N.

**Caveat.** With ``i="assigned"`` (the default), each i was chosen as the value nearest to the
material's implied i *computed with the CODATA prefactor*, so the prefactor and exponents fits are
conditional on that choice and tend to return values close to the ones used to assign; the
quantization test (:func:`tcfit.quantization_test`) measures how much agreement such a choice buys
by itself. ``i="reference"`` uses the data's own ``i`` column (the paper's values for Table-1).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ._display import Display, Displayable
from ._json import json_dict, table_records
from ._validate import check_option
from .errors import DataError, FitError, InputError
from .fitting import FitResult, as_result, provenance
from .models import sigma_log_target

if TYPE_CHECKING:
    import lmfit
    import pandas as pd

    from .models import Model

__all__ = ["GlobalFit", "GlobalFitPart", "ParamEstimate", "fit_global"]

_PARTS: tuple[str, ...] = ("prefactor", "exponents", "common_i")
_I_SOURCES: tuple[str, ...] = ("assigned", "reference")
_FREE: tuple[str, ...] = ("prefactor",)
_MAX_ITERATIONS = 50
_TOLERANCE = 1e-10


@dataclass(frozen=True)
class ParamEstimate:
    """One fitted parameter.

    Attributes
    ----------
    value : float
        Best-fit value (for ``prefactor`` in K m^{1/2} T⁻¹ in the prefactor fit, in
        K T^{-β} m^{-3α} in the exponents fit; α, β and i dimensionless).
    std_err : float
        1σ standard error (first order for the log-fitted ``prefactor`` and ``i_common``).
    ci95_low, ci95_high : float
        95 % interval (normal quantile, or Student's t when the covariance was inflated).
    reference : float or None
        The value Eq. (5) asserts (CODATA prefactor in the prefactor fit, α = 1/6, β = 1), if
        any. None for the exponents fit's prefactor, whose units depend on α and β.
    reference_inside : bool or None
        Whether ``reference`` lies inside the 95 % interval.
    """

    value: float
    std_err: float
    ci95_low: float
    ci95_high: float
    reference: float | None = None
    reference_inside: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary of the fields."""
        return json_dict(
            {
                "value": self.value,
                "std_err": self.std_err,
                "ci95_low": self.ci95_low,
                "ci95_high": self.ci95_high,
                "reference": self.reference,
                "reference_inside": self.reference_inside,
            }
        )


@dataclass(frozen=True, eq=False)
class GlobalFitPart:
    """One global fit: its parameters, goodness of fit and the lmfit result.

    Attributes
    ----------
    name : str
        ``"prefactor"``, ``"exponents"`` or ``"common_i"``.
    description : str
        The model in one line.
    params : dict of str to ParamEstimate
        ``prefactor``; ``alpha``, ``beta`` and ``prefactor`` (exponents); ``i_common``.
    chi_square : float
        Σ ((ln Tc − model)/σ)² with the effective-variance σ.
    dof : int
        Materials minus fitted continuous parameters.
    reduced_chi_square : float
    p_value : float or None
        P(χ²_dof ≥ chi_square); None where each material's i was chosen from the data (``i``
        assigned or the data's reference column: the dof ignore that choice).
    covariance_scale : float
        The factor the covariance was multiplied by: ``max(1, χ²/dof)`` in scaled mode, 1 in
        absolute mode.
    aic, bic : float
        Information criteria counting the assigned i values (module docstring).
    mode : {"absolute", "scaled"}
        Whether the uncertainties were taken as absolute (``scale_covar=False``).
    n_parameters : int
        k used in AIC/BIC (continuous parameters plus one per assigned i where applicable).
    n_fitted : int
        Continuous parameters varied by lmfit.
    n_data : int
        Materials fitted.
    iterations : int
        Effective-variance iterations (1 when σ does not depend on the parameters).
    model_result : lmfit.model.ModelResult
        The full lmfit result of the last iteration.
    """

    name: str
    description: str
    params: dict[str, ParamEstimate]
    chi_square: float
    dof: int
    reduced_chi_square: float
    p_value: float | None
    aic: float
    bic: float
    mode: str
    n_parameters: int
    n_fitted: int
    n_data: int
    iterations: int
    model_result: lmfit.model.ModelResult
    covariance_scale: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (everything except ``model_result``)."""
        return json_dict(
            {
                "name": self.name,
                "description": self.description,
                "params": {k: v.to_dict() for k, v in self.params.items()},
                "chi_square": self.chi_square,
                "dof": self.dof,
                "reduced_chi_square": self.reduced_chi_square,
                "p_value": self.p_value,
                "covariance_scale": self.covariance_scale,
                "aic": self.aic,
                "bic": self.bic,
                "mode": self.mode,
                "n_parameters": self.n_parameters,
                "n_fitted": self.n_fitted,
                "n_data": self.n_data,
                "iterations": self.iterations,
            }
        )


@dataclass(frozen=True, eq=False)
class GlobalFit(Displayable):
    """The three global fits of Eq. (5) and a per-material table.

    Attributes
    ----------
    parts : dict of str to GlobalFitPart
        Keys ``"prefactor"``, ``"exponents"``, ``"common_i"``.
    table : pandas.DataFrame
        One row per material: ``material``, ``i`` (the fixed value used), ``ln_residual``
        (ln(model/Tc) with the fitted prefactor), ``chi2`` (at ``i``), ``i_runner_up`` (the
        allowed value other than ``i`` with the smallest χ², at the fitted prefactor),
        ``chi2_runner_up`` and ``delta_chi2`` (``chi2_runner_up − chi2``: how decisively the
        used i wins; negative when another allowed value fits better, possible with
        ``i="reference"``).
    i_source : {"assigned", "reference", "explicit"}
        Where the fixed i values came from.
    mode : {"absolute", "scaled"}
    policy : str
        The policy of the underlying :class:`~tcfit.FitResult` (runner-up candidates).
    result : FitResult
        The per-material fit the global fits started from.
    """

    parts: dict[str, GlobalFitPart]
    table: pd.DataFrame
    i_source: str
    mode: str
    policy: str
    result: FitResult

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{name}: " + ", ".join(f"{p}={e.value:.4g}" for p, e in part.params.items())
            for name, part in self.parts.items()
        )
        return f"GlobalFit(i {self.i_source}, mode {self.mode}; {parts})"

    def _display(self) -> Display:
        from .formatting import pdg_text

        rows = [
            (f"{name}: {p}", pdg_text(e.value, e.std_err) + f"  [95 %: {e.ci95_low:.4g}, "
             f"{e.ci95_high:.4g}]")
            for name, part in self.parts.items()
            for p, e in part.params.items()
        ]  # fmt: skip
        warning = (
            "conditional on the assigned i — each i was chosen to make Eq. (5) fit its own "
            "material; read tcfit.profile instead"
        )
        return Display(
            f"tcfit global fits (i {self.i_source}, mode {self.mode})",
            rows,
            [warning] if self.i_source != "explicit" else [],
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"i_source", "mode", "policy", "parts": {...}, "table": [...],
        "provenance": {...}}``."""

        return {
            "i_source": self.i_source,
            "mode": self.mode,
            "policy": self.policy,
            "parts": {k: v.to_dict() for k, v in self.parts.items()},
            "table": table_records(self.table),
            "provenance": provenance(self.result.data),
        }


def _log_linear_function(model: Model) -> Any:
    """ln T = ln A + Σ_free sign·e·ln q + a_p ln p as a function lmfit can inspect.

    Independent variables ``ln_<q>`` for every input and ``ln_<parameter>``; parameters
    ``ln_prefactor`` and the model's exponent names (Eq. 5: ``alpha`` for n with sign −1,
    ``beta`` for Bc). Starting values are the model's own coefficients.
    """
    import inspect

    names = dict(model.exponent_names)
    a_p = model.log_coefficients[model.parameter]
    ln_p = f"ln_{model.parameter}"

    def func(**kw: Any) -> np.ndarray:
        out = kw["ln_prefactor"] + a_p * kw[ln_p]
        for name, (q, sign) in names.items():
            out = out + sign * kw[name] * kw[f"ln_{q}"]
        return np.asarray(out)

    reference = {name: sign * model.log_coefficients[q] for name, (q, sign) in names.items()}
    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter(f"ln_{q}", keyword) for q in model.inputs]
    params.append(inspect.Parameter(ln_p, keyword))
    params.append(inspect.Parameter("ln_prefactor", keyword, default=16.5))
    params += [inspect.Parameter(n, keyword, default=v) for n, v in reference.items()]
    func.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    func.__name__ = f"ln_{model.target}_{model.name}"
    return func


def _common_function(model: Model) -> Any:
    """ln T = ln C + Σ a_q ln q + a_p ln p_common: one parameter for every material."""
    import inspect

    a = model.log_coefficients
    ln_common = f"ln_{model.parameter}_common"

    def func(**kw: Any) -> np.ndarray:
        out = kw["ln_prefactor"] + a[model.parameter] * kw[ln_common]
        for q in model.inputs:
            out = out + a[q] * kw[f"ln_{q}"]
        return np.asarray(out)

    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter(f"ln_{q}", keyword) for q in model.inputs]
    params.append(inspect.Parameter("ln_prefactor", keyword, default=16.5))
    params.append(inspect.Parameter(ln_common, keyword, default=1.0))
    func.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    func.__name__ = f"ln_{model.target}_{model.name}_common"
    return func


def fit_global(
    data_or_result: Any,
    *,
    i: str | Sequence[float] | np.ndarray | None = None,
    free: Sequence[str] = ("prefactor",),
) -> GlobalFit:
    r"""Fit Eq. (5) globally: the prefactor, the exponents of Bc and n, and one common i.

    Parameters
    ----------
    data_or_result : FitResult, str, path-like or pandas.DataFrame
        A finished :func:`tcfit.fit` result, or data (then ``tcfit.fit(data)`` is run with its
        defaults first). Tc in K, Bc in T, n in m⁻³; uncertainties as used by that fit.
    i : {"assigned", "reference"} or array_like of shape (m,), optional
        The fixed i of every material: the policy's assignment (default, also for ``None``),
        the data's own ``i`` column (``"reference"``, e.g. the paper's Table-1 values), or
        explicit values in table order.
    free : sequence of {"prefactor"}, default=("prefactor",)
        Parameters that float in the ``exponents`` fit besides α and β. With ``free=()`` the
        prefactor is fixed at the CODATA value (the fit's ``prefactor``) and only α, β float.
        The ``prefactor`` and ``common_i`` parts are always fitted as described in the module
        docstring.

    Returns
    -------
    GlobalFit
        ``parts["prefactor"]``, ``parts["exponents"]``, ``parts["common_i"]`` and the
        per-material table.

    Raises
    ------
    InputError
        For an unknown ``i`` string or ``free`` entry, or an explicit ``i`` of the wrong length or
        with non-positive values.
    DataError
        If ``i="reference"`` but the data carry no ``i`` for some material.
    FitError
        If there are too few materials for a fit (dof < 1) or lmfit cannot estimate errors.

    References
    ----------
    Jiang, Eq. (5). J. Orear, Am. J. Phys. 50, 912 (1982) (effective variance).

    Examples
    --------
    >>> g = fit_global("table1")
    >>> sorted(g.parts)
    ['common_i', 'exponents', 'prefactor']
    >>> g.parts["exponents"].params["beta"].reference
    1.0
    """
    result = as_result(data_or_result)
    for entry in free:
        check_option("free", entry, _FREE)
    model = result.model
    i_used, i_source = _fixed_i(result, i)
    data = _log_data(result, i_used)
    y = data.pop(f"ln_{model.target}")
    sigma = _sigma_function(model, _relative_errors(result))
    mode = "absolute" if result.summary.uncertainties == "measured" else "scaled"
    c_value = float(result.options.prefactor)
    ln_c = float(np.log(c_value))
    reference = {
        n: sign * model.log_coefficients[q] for n, (q, sign) in model.exponent_names.items()
    }
    fixed = {name: (value, False) for name, value in reference.items()}
    free_exponents = {name: (value, True) for name, value in reference.items()}
    m = y.size
    ln_p = model.parameter
    parts: dict[str, GlobalFitPart] = {}
    parts["prefactor"] = _run(
        "prefactor",
        f"{model.description}; the prefactor free, {ln_p} fixed per material",
        _log_linear_function(model),
        {"ln_prefactor": (ln_c, True), **fixed},
        y,
        data,
        sigma,
        mode,
        model=model,
        n_assigned=m,
        references={"prefactor": c_value},
        chosen=i_source != "explicit",
    )
    vary_a = "prefactor" in free
    parts["exponents"] = _run(
        "exponents",
        f"{model.description}; the exponents {', '.join(reference)}"
        + (" and the prefactor" if vary_a else "")
        + f" free, {ln_p} fixed per material",
        _log_linear_function(model),
        {"ln_prefactor": (ln_c, vary_a), **free_exponents},
        y,
        data,
        sigma,
        mode,
        model=model,
        n_assigned=m,
        # No reference for A here: its units (K T^-β m^3α) differ from C's unless α, β are 1/6, 1.
        references=reference,
        chosen=i_source != "explicit",
    )
    inputs = {k: v for k, v in data.items() if k != f"ln_{ln_p}"}
    parts["common_i"] = _run(
        "common_i",
        f"{model.description}; one {ln_p} for all materials, the prefactor fixed",
        _common_function(model),
        {"ln_prefactor": (ln_c, False), f"ln_{ln_p}_common": (_median(data, ln_p), True)},
        y,
        inputs,
        sigma,
        mode,
        model=model,
        n_assigned=0,
        references={},
    )
    per_material = _per_material_table(result, i_used, parts["prefactor"], y, data, sigma)
    return GlobalFit(
        parts=parts,
        table=per_material,
        i_source=i_source,
        mode=mode,
        policy=result.policy.name,
        result=result,
    )


def _sigma_function(model: Model, rel: dict[str, np.ndarray]) -> Any:
    """σ of ln T (effective variance) as a function of trial values of the free exponents."""

    def sigma(exponents: dict[str, float]) -> np.ndarray:
        coefficients = dict(model.log_coefficients)
        for exponent, value in exponents.items():
            q, sign = model.exponent_names[exponent]
            coefficients[q] = sign * value
        return sigma_log_target(model, rel, coefficients=coefficients)

    return sigma


def _median(data: dict[str, np.ndarray], parameter: str) -> float:
    return float(np.median(data[f"ln_{parameter}"]))


def _log_data(result: FitResult, i_used: np.ndarray) -> dict[str, np.ndarray]:
    """ln of the target, of every input and of the fixed parameter, keyed ``ln_<name>``."""
    model = result.model
    table = result.table
    out = {f"ln_{q}": np.log(table[q].to_numpy(float)) for q in model.requires}
    out[f"ln_{model.parameter}"] = np.log(i_used)
    return out


def _relative_errors(result: FitResult) -> dict[str, np.ndarray]:
    table = result.table
    return {
        q: table[f"{q}_err"].to_numpy(float) / table[q].to_numpy(float)
        for q in result.model.requires
    }


def _fixed_i(result: FitResult, i: Any) -> tuple[np.ndarray, str]:
    table = result.table
    m = len(table)
    if i is None or isinstance(i, str):
        source = "assigned" if i is None else check_option("i", i, _I_SOURCES)
        if source == "assigned":
            return table["i_assigned"].to_numpy(float), source
        if "i_reference" not in table.columns:
            raise DataError(
                "The data carry no `i` column, so `i='reference'` has nothing to use; pass "
                "i='assigned' or explicit values."
            )
        ref = table["i_reference"].to_numpy(float)
        missing = table.loc[~np.isfinite(ref), "material"].tolist()
        if missing:
            raise DataError(f"No reference i for {', '.join(map(repr, missing))}.")
        return ref, source
    try:
        values = np.asarray(i, dtype=float)
    except (TypeError, ValueError) as err:
        raise InputError(
            f"The `i` parameter must be 'assigned', 'reference' or {m} numbers; not {i!r}.",
            argument="i",
        ) from err
    if values.shape != (m,) or not np.all(np.isfinite(values) & (values > 0)):
        raise InputError(
            f"The `i` parameter must hold {m} positive, finite numbers (one per material, in "
            f"table order); got shape {values.shape}.",
            argument="i",
        )
    return values, "explicit"


def _run(
    name: str,
    description: str,
    func: Any,
    params_spec: dict[str, tuple[float, bool]],
    y: np.ndarray,
    data: dict[str, np.ndarray],
    sigma: Any,
    mode: str,
    *,
    model: Model,
    n_assigned: int,
    references: dict[str, float],
    chosen: bool = True,
) -> GlobalFitPart:
    import lmfit

    independent = list(data)
    lm_model = lmfit.Model(func, independent_vars=independent)
    params = lm_model.make_params()
    for pname, (value, vary) in params_spec.items():
        params[pname].set(value=value, vary=vary)
    n_fitted = sum(vary for _, vary in params_spec.values())
    n_data = y.size
    dof = n_data - n_fitted
    if dof < 1:
        raise FitError(
            f"The {name!r} global fit has {n_fitted} free parameter(s) and needs at least "
            f"{n_fitted + 1} materials; got {n_data}."
        )
    model_result, weights, iterations = _iterate(
        name,
        lm_model,
        params,
        y,
        data,
        sigma,
        exponents=[e for e in model.exponent_names if e in params],
    )
    chi_square = float(np.sum(((y - model_result.best_fit) * weights) ** 2))
    factor = max(1.0, chi_square / dof) if mode == "scaled" else 1.0
    estimates = _estimates(model_result, references, dof, factor)
    part = _part(
        name,
        description,
        estimates,
        chi_square,
        dof,
        mode,
        n_fitted + n_assigned,
        n_fitted,
        y.size,
        iterations,
        model_result,
    )
    if n_assigned and chosen:  # the dof ignore the per-material choice of i: no p-value
        part = dataclasses.replace(part, p_value=None)
    return dataclasses.replace(part, covariance_scale=factor)


def _iterate(
    name: str,
    lm_model: Any,
    params: Any,
    y: np.ndarray,
    data: dict[str, np.ndarray],
    sigma: Any,
    *,
    exponents: list[str],
) -> tuple[Any, np.ndarray, int]:
    """Orear's effective-variance iteration: σ depends on the free exponents; refit until they
    stop moving (by less than ``_TOLERANCE``)."""
    current = {e: float(params[e].value) for e in exponents}
    iterations = 0
    while True:
        iterations += 1
        weights = 1.0 / sigma(current)
        model_result = lm_model.fit(y, params, weights=weights, scale_covar=False, **data)
        if not model_result.success or not model_result.errorbars:
            raise FitError(
                f"The {name!r} global fit did not converge or could not estimate "
                f"uncertainties: {model_result.message}"
            )
        new = {e: float(model_result.params[e].value) for e in exponents}
        converged = all(abs(new[e] - current[e]) < _TOLERANCE for e in exponents)
        current = new
        params = model_result.params
        if converged:
            return model_result, weights, iterations
        if iterations >= _MAX_ITERATIONS:
            values = ", ".join(f"{e} = {v!r}" for e, v in current.items())
            raise FitError(
                f"The {name!r} global fit's effective-variance iteration did not settle within "
                f"{_MAX_ITERATIONS} rounds ({values})."
            )


def _estimates(
    model_result: Any, references: dict[str, float], dof: int, factor: float
) -> dict[str, ParamEstimate]:
    """Public estimates of the varied parameters (log-fitted ones reported as exp, asymmetric),
    with the covariance multiplied by ``factor``."""
    from scipy import stats

    quantile = float(stats.t.ppf(0.975, dof) if factor > 1.0 else stats.norm.ppf(0.975))
    estimates: dict[str, ParamEstimate] = {}
    for pname, par in model_result.params.items():
        if not par.vary:
            continue
        std = float(par.stderr) * float(np.sqrt(factor))
        value = float(par.value)
        if pname.startswith("ln_"):
            public = pname[3:]
            est_value, est_err = float(np.exp(value)), float(np.exp(value) * std)
            low, high = float(np.exp(value - quantile * std)), float(np.exp(value + quantile * std))
        else:
            public = pname
            est_value, est_err = value, std
            low, high = value - quantile * std, value + quantile * std
        ref = references.get(public)
        estimates[public] = ParamEstimate(
            value=est_value,
            std_err=est_err,
            ci95_low=low,
            ci95_high=high,
            reference=ref,
            reference_inside=None if ref is None else bool(low <= ref <= high),
        )
    return estimates


def _part(
    name: str,
    description: str,
    estimates: dict[str, ParamEstimate],
    chi_square: float,
    dof: int,
    mode: str,
    k: int,
    n_fitted: int,
    n_data: int,
    iterations: int,
    model_result: Any,
) -> GlobalFitPart:
    from scipy import stats

    if mode == "absolute":
        base = chi_square
    else:
        base = n_data * float(np.log(max(chi_square, np.finfo(float).tiny) / n_data))
    return GlobalFitPart(
        name=name,
        description=description,
        params=estimates,
        chi_square=chi_square,
        dof=dof,
        reduced_chi_square=chi_square / dof,
        p_value=float(stats.chi2.sf(chi_square, dof)),
        aic=base + 2.0 * k,
        bic=base + k * float(np.log(n_data)),
        mode=mode,
        n_parameters=k,
        n_fitted=n_fitted,
        n_data=n_data,
        iterations=iterations,
        model_result=model_result,
    )


def _per_material_table(
    result: FitResult,
    i_used: np.ndarray,
    part: GlobalFitPart,
    y: np.ndarray,
    data: dict[str, np.ndarray],
    sigma: Any,
) -> pd.DataFrame:
    """χ² of every material at its i and at the best other allowed value (fitted prefactor)."""
    import pandas as pd

    model = result.model
    a = model.log_coefficients
    ln_a = float(part.model_result.params["ln_prefactor"].value)
    s = sigma({})
    base = ln_a - y  # ln(model/Tc) − a_p ln p
    for q in model.inputs:
        base = base + a[q] * data[f"ln_{q}"]
    a_p = a[model.parameter]
    ln_residual = base + a_p * np.log(i_used)
    chi2 = (ln_residual / s) ** 2
    values = result.policy.values
    best, runner_chi2 = _runner_up(base, a_p, values, np.broadcast_to(s, base.shape), i_used)
    has_runner = np.isfinite(runner_chi2)
    return pd.DataFrame(
        {
            "material": result.table["material"].to_numpy(),
            "i": i_used,
            "ln_residual": ln_residual,
            "chi2": chi2,
            "i_runner_up": np.where(has_runner, values[best], np.nan),
            "chi2_runner_up": np.where(has_runner, runner_chi2, np.nan),
            "delta_chi2": np.where(has_runner, runner_chi2 - chi2, np.nan),
        }
    )


_CHUNK_CELLS = 2_000_000  # materials × allowed values per chunk of the runner-up search


def _runner_up(
    base: np.ndarray, a_p: float, values: np.ndarray, s: np.ndarray, i_used: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Index and χ² of each material's best allowed value other than its own, in chunks of
    materials so that memory stays bounded whatever the grid (≤ ``_CHUNK_CELLS`` cells)."""
    best = np.empty(base.size, dtype=np.intp)
    runner_chi2 = np.empty(base.size)
    rows = max(1, _CHUNK_CELLS // max(values.size, 1))
    log_values = np.log(values)[None, :]
    for start in range(0, base.size, rows):
        part = slice(start, start + rows)
        grid = (base[part, None] + a_p * log_values) / s[part, None]  # materials × grid
        chi2_grid = grid**2
        chi2_grid[np.isclose(values[None, :], i_used[part, None], rtol=1e-9, atol=0.0)] = np.inf
        best[part] = np.argmin(chi2_grid, axis=1)
        runner_chi2[part] = chi2_grid[np.arange(chi2_grid.shape[0]), best[part]]
    return best, runner_chi2
