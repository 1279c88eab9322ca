r"""Infer each material's i with its uncertainty, assign it under a policy, and score the result.

For every material Eq. (5) is solved for the degree of freedom it would need,

.. math:: i_{\rm implied} = \left(\frac{C B_c}{n^{1/6} T_c}\right)^2,

with a first-order (linear) uncertainty from the measurement errors,

.. math:: \frac{\sigma_i}{i} = \sqrt{\left(\frac{2\sigma_B}{B_c}\right)^2
          + \left(\frac{\sigma_n}{3n}\right)^2 + \left(\frac{2\sigma_T}{T_c}\right)^2}.

A :mod:`policy <tcfit.policies>` then assigns the allowed value nearest in log space (ties to the
smaller value), which minimises :math:`|\ln(T_{c,\rm model}/T_c)|` and, because the per-material
σ does not depend on i, also χ². The model Tc, the relative residual and z follow:

.. math:: z = \frac{\ln(T_{c,\rm model}/T_c)}{\sigma_{\ln T}}, \qquad
          \sigma_{\ln T}^2 = \left(\frac{\sigma_T}{T_c}\right)^2 + \left(\frac{\sigma_B}{B_c}
          \right)^2 + \left(\frac{\sigma_n}{6n}\right)^2

(the effective variance of :math:`\ln T_c = \ln C + \ln B_c - \tfrac16 \ln n - \tfrac12 \ln i`).

**Correlated Tc and Bc.** Where the table has a ``tc_bc_corr`` column (ρ between the errors of
Tc and Bc, as :func:`tcfit.fit_series` gives for a Bc(T) series fitted for both), both variances
are computed from the full covariance of the logs, :math:`g^T\Sigma g`, so
:math:`\sigma_{\ln i}^2` gains :math:`2 s_T s_B \rho\, r_T r_B = -8\rho\, r_T r_B` and
:math:`\sigma_{\ln T}^2` gains :math:`-2\rho\, r_T r_B` (s the sensitivities −2 and 2 that follow
from the model's log coefficients, r the relative 1σ). Rows with an empty ρ count as
uncorrelated.

**How sure is an assignment?** Two numbers, named for what they are (:mod:`tcfit.lattice`):

- ``p_stable`` — the probability that a re-measurement with the same errors keeps the assigned
  value: :math:`\Phi((\ln b_{\rm hi} - \ln i)/\sigma) - \Phi((\ln b_{\rm lo} - \ln i)/\sigma)`
  with b the geometric cell boundaries of the policy's grid, exact (no Monte Carlo). It is a
  *stability*, not the probability of being right (its calibration error is 0.08–0.10 at the
  default errors, ``docs/calibration.md``). NaN outside the grid.
- ``posterior_assigned`` — the posterior probability that the assigned value is the material's
  i under the hierarchical lattice model (a normal envelope of ln i shared by the materials,
  marginalised over the envelope and the error scale; empirical Bayes above
  :data:`tcfit.lattice.FULL_POSTERIOR_MAX` materials). This is what "how sure" means; it is
  calibrated when the lattice model holds (``docs/calibration.md``). NaN outside the grid.

**Default uncertainties.** Where a row has no measured ``tc_err``/``bc_err``/``n_err``, tcfit uses
:data:`tcfit.options.DEFAULT_REL_ERR` (2 %, 5 %, 5 %; reasoned in :mod:`tcfit.options`) and says so
(``summary["uncertainties"]`` is ``"default"`` or ``"mixed"``, and the per-row column
``uncertainties``). Override them with ``rel_err={"tc": ..., "bc": ..., "n": ...}``.

**Models.** The exponents above are Eq. (5)'s; every formula here is computed from the model's
``log_coefficients`` (:mod:`tcfit.models`), so ``fit(data, model=...)`` runs any registered
log-linear model the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np

from ._display import Display, Displayable
from ._frames import frame_of
from ._json import jsonable, table_records
from .errors import DataError, FitError, InputError, Problem
from .lattice import assigned_posterior, stability
from .models import (
    REFERENCE_MODELS,
    log_ratio,
    parameter_sensitivities,
    sigma_log_parameter,
    sigma_log_target,
)
from .options import DEFAULT_REL_ERR, FitOptions, FitOverrides
from .summary import FitSummary, ReferenceSummary

if TYPE_CHECKING:
    import pandas as pd

    from .models import Model
    from .policies import Policy

__all__ = [
    "DEFAULT_REL_ERR",
    "FitResult",
    "as_result",
    "fit",
    "provenance",
    "read_data",
    "table_units",
    "with_units",
]


@dataclass(frozen=True, eq=False)
class FitResult(Displayable):
    """Per-material inference and assignment of i, with a summary.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per material, in input order. Columns: ``material``; ``tc`` (K), ``bc`` (T),
        ``n`` (m⁻³); ``tc_err``, ``bc_err``, ``n_err`` (absolute 1σ actually used, SI);
        ``uncertainties`` ("measured", "default" or "mixed" for that row); ``i_implied`` and
        ``i_implied_err`` (1σ, first order; with the Tc–Bc correlation when the data carry
        ``tc_bc_corr``, which is then repeated as a column); ``i_assigned``; ``tc_model`` (K,
        the model at ``i_assigned``); ``residual`` ((tc_model − tc)/tc); ``z``
        (ln(tc_model/tc)/σ_lnTc);
        ``chi2_assigned`` (z²); ``i_runner_up``, ``residual_runner_up``, ``chi2_runner_up``
        (the second-nearest allowed value; NaN for a one-value policy); ``p_stable`` and
        ``posterior_assigned`` (module docstring; NaN outside the grid); ``outside_grid`` (bool:
        the implied i lies below the smallest or above the largest allowed value, so the end
        value was assigned). When the data carry ``i``:
        ``i_reference``, ``agrees`` (nullable bool; NA where no reference) and
        ``residual_reference``. For every reference model whose inputs the data carry (BCS: γ,
        density, molar mass): its columns, e.g. ``gamma_ratio``, ``tc_bcs`` (K),
        ``residual_bcs`` and ``i_bcs`` (NaN for rows lacking an input).
    summary : FitSummary
        The headline numbers (typed; ``summary["rms_residual"]`` also works, and
        ``summary.to_dict()`` is the JSON form).
    policy : Policy
        The assignment policy used.
    data : pandas.DataFrame
        The resolved input table with its provenance in ``data.attrs``.
    options : FitOptions
        Every option the fit ran with (restorable from a baseline).
    model : Model
        The model fitted (Eq. 5 unless another was asked for).
    """

    table: pd.DataFrame
    summary: FitSummary
    policy: Policy
    data: pd.DataFrame
    options: FitOptions
    model: Model

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"FitResult({s.n_materials} materials, policy={s.policy!r}, "
            f"rms_residual={s.rms_residual:.4g}, model={s.model!r})"
        )

    def _display(self) -> Display:
        from .formatting import format_percent, i_text

        s = self.summary
        name = self.data.attrs.get("name", "data")
        rows = [
            ("model", self.model.description),
            ("policy", self.policy.describe()),
            ("materials", str(s.n_materials)),
            ("RMS residual", format_percent(s.rms_residual, 2, sign=False)),
            ("within 5 % / 10 %", f"{s.within_5pct} / {s.within_10pct} of {s.n_materials}"),
            ("mean posterior of the assigned i", _fmt_probability(s.mean_posterior_assigned)),
            ("uncertainties", s.uncertainties),
        ]
        if s.n_reference is not None:
            rows.append(("agrees with the data's own i", f"{s.n_agrees} of {s.n_reference}"))
        for ref_name, ref in s.references.items():
            rms = (
                "—" if ref.rms_residual is None else format_percent(ref.rms_residual, 1, sign=False)
            )
            rows.append((f"RMS residual, {ref_name}", rms))
        warnings = [
            f"{r.material}: implied i {i_text(r.i_implied)} lies outside the allowed values"
            for r in self.table.itertuples()
            if r.outside_grid
        ]
        return Display(f"tcfit fit of {name}", rows, warnings)

    def plot(self, kind: str = "parity", **kwargs: Any) -> Any:
        """Draw one of this fit's figures, with :mod:`tcfit.plot` (the report's figure and look).

        Parameters
        ----------
        kind : {"parity", "residuals", "implied_i", "predictor"}, default="parity"
        **kwargs
            ``ax=`` (a matplotlib Axes) or, for the figures with several panels, ``fig=``,
            and the drawing function's own options.

        Returns
        -------
        matplotlib.axes.Axes or matplotlib.figure.Figure
            What it drew on (a new pyplot figure unless ``ax``/``fig`` was given).
        """
        from tcfit.plot import draw

        return draw(self, kind, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary.

        Returns
        -------
        dict
            ``{"summary": {...}, "table": [one record per material], "provenance": {...},
            "options": {...}}``. NaN and missing values become ``None``; numpy scalars become
            Python numbers. ``provenance`` holds the input table's ``attrs`` (name, file, sha256,
            units, source, dropped rows, ...) plus ``tcfit_version``.
        """
        return {
            "summary": self.summary.to_dict(),
            "table": table_records(self.table),
            "provenance": provenance(self.data),
            "options": jsonable(self.options.to_dict()),
        }


def _fmt_probability(value: float) -> str:
    return "—" if value != value else f"{value:.2f}"


def provenance(df: pd.DataFrame) -> dict[str, Any]:
    """The provenance of a resolved table (its ``attrs``), JSON-ready, plus the tcfit version."""
    from tcfit import __version__

    out = {str(k): jsonable(v) for k, v in df.attrs.items()}
    out["tcfit_version"] = __version__
    return out


def read_data(data: Any, options: FitOptions) -> pd.DataFrame:
    """Read ``data`` with the reading options of ``options`` and the model's required columns.

    Raises
    ------
    DataError
        If the data cannot be read or rows lack a required value (unless ``skip_invalid``).
    """
    from tcfit.datasets import read

    return read(data, require=options.get_model().requires, **options.read_options())


def as_result(
    data: Any, options: FitOptions | None = None, /, **overrides: Unpack[FitOverrides]
) -> FitResult:
    """``data`` itself if it is a :class:`FitResult`, else ``fit(data, options, **overrides)``.

    Raises
    ------
    InputError
        If options are given together with a finished FitResult that was fitted differently.
    """
    if not isinstance(data, FitResult):
        return fit(data, options, **overrides)
    wanted = FitOptions.coerce(options, overrides) if (options or overrides) else data.options
    if wanted != data.options:
        given = [k for k, v in overrides.items() if v is not None] or ["options"]
        raise InputError(
            f"{', '.join(given)} cannot be given with a finished FitResult that was fitted with "
            "other options; pass the data instead, or fit it with the options you want.",
            argument=given[0],
        )
    return data


def fit(
    data: Any, options: FitOptions | None = None, /, **overrides: Unpack[FitOverrides]
) -> FitResult:
    r"""Infer, assign and score the degree of freedom i of every material (Eq. 5).

    Parameters
    ----------
    data : str, path-like, file-like or pandas.DataFrame
        A built-in dataset name (``"table1"``, ``"elements"``), a file, or a table; read by
        :func:`tcfit.datasets.read` into SI (Tc in K, Bc in T, n in m⁻³). Optional columns
        used: ``tc_err``, ``bc_err``, ``n_err`` (absolute 1σ), ``i`` (a reference assignment,
        e.g. the paper's), ``gamma``, ``density``, ``molar_mass`` (for the BCS comparison).
    options : FitOptions, optional
        All options in one object (see :class:`~tcfit.FitOptions`); default ``FitOptions()``.
    **overrides
        Any :class:`~tcfit.FitOptions` field by name, applied on top of ``options``:
        ``model``, ``policy`` (name, Policy, list or text such as ``"1,2,3,1/2"``), ``i_max``,
        ``seed``, ``rel_err`` (default relative uncertainties, e.g. ``{"bc": 0.1}``),
        ``prefactor`` (K m^{1/2} T⁻¹), ``skip_invalid``, ``units`` and ``sheet``.

    Returns
    -------
    FitResult
        The per-material table and the summary (see :class:`FitResult`).

    Raises
    ------
    DataError
        If the data cannot be read, lack a required value, or carry a negative uncertainty.
    InputError
        For an invalid or unknown option.

    References
    ----------
    Jiang, Eq. (5) and Table-1.

    Examples
    --------
    >>> result = fit("table1")
    >>> result.summary.n_materials, result.summary.n_agrees
    (21, 19)
    """
    opts = FitOptions.coerce(options, overrides)
    if _is_dask(data):
        from .streaming import fit_dask

        return fit_dask(data, opts)
    model, pol = opts.get_model(), opts.get_policy()
    df = read_data(data, opts)
    if len(df) == 0:
        raise DataError("The table has no rows to fit.", file=df.attrs.get("file"))
    table, log_implied, sigma_ln_i, idx = material_columns(df, model, pol, opts)
    posterior, method = posterior_of(log_implied, sigma_ln_i, pol, idx)
    reference = complete_table(df, table, posterior, method, model, pol, opts)
    summary = summarise(table, pol, opts, model, reference)
    return FitResult(table=table, summary=summary, policy=pol, data=df, options=opts, model=model)


def _is_dask(data: Any) -> bool:
    """A dask DataFrame, recognised without importing dask."""
    return type(data).__module__.startswith("dask") and hasattr(data, "map_partitions")


def complete_table(
    df: pd.DataFrame,
    table: pd.DataFrame,
    posterior: np.ndarray,
    method: str,
    model: Model,
    pol: Policy,
    opts: FitOptions,
) -> tuple[int, int]:
    """Add the posterior, the reference columns and the units to a table of
    :func:`material_columns` (in place); returns (rows with a reference i, agreeing rows).

    Raises
    ------
    FitError
        If an output that must be finite is not.
    """
    table["posterior_assigned"] = posterior
    table.attrs["posterior_method"] = method
    _check_finite(table, df)
    reference = _reference_columns(df, table, model)
    _reference_models(df, table, model, pol, opts)
    table.attrs["units"] = table_units(table, model)
    return reference


def summarise(
    table: pd.DataFrame, pol: Policy, opts: FitOptions, model: Model, reference: tuple[int, int]
) -> FitSummary:
    """The :class:`FitSummary` of a complete fit table (or of the columns it reads: residual,
    chi2_assigned, p_stable, posterior_assigned, outside_grid, i_reference and the reference
    models' residual columns, with the ``posterior_method`` and ``uncertainties`` attrs)."""
    comparisons = _reference_summaries(table)
    return FitSummary.from_table(
        table, pol, opts, model=model, reference=reference, comparisons=comparisons
    )


#: The columns :func:`summarise` reads (plus every ``residual_*`` column of a reference model).
SUMMARY_COLUMNS = (
    "residual",
    "chi2_assigned",
    "p_stable",
    "posterior_assigned",
    "outside_grid",
    "i_reference",
)


def posterior_of(
    log_implied: np.ndarray, sigma_ln_i: np.ndarray, pol: Policy, idx: np.ndarray
) -> tuple[np.ndarray, str]:
    """``posterior_assigned`` of every material and the method: a dataset-level computation,
    made from the whole table's ln i, σ(ln i) and assigned indices (in any row order)."""
    return _posterior(log_implied, sigma_ln_i, pol, idx)


def material_columns(
    df: pd.DataFrame, model: Model, pol: Policy, opts: FitOptions
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """The per-material columns of a fit except the posterior, row by row independent.

    Returns
    -------
    table : pandas.DataFrame
        Every column of :attr:`FitResult.table` up to ``p_stable``.
    log_implied, sigma_ln_i : ndarray
        ln i_implied and σ(ln i) of every row (what the posterior needs).
    idx : ndarray of int
        The assigned value's index in the policy's grid.
    """

    quantities = model.requires
    values = {q: df[q].to_numpy(dtype=float) for q in quantities}
    sigma, measured = _uncertainties(df, values, opts.rel_err, quantities)
    rel = {q: sigma[q] / values[q] for q in quantities}  # relative 1σ
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        implied = model.implied(values, prefactor=opts.prefactor)
    _check_finite(frame_of({"material": df["material"], "i_implied": implied}), df)
    log_implied = np.log(implied)
    corr = _correlation(df, model)
    if corr is None:
        implied_err = implied * sigma_log_parameter(model, rel)
        sigma_ln_t = sigma_log_target(model, rel)
    else:
        sigma_ln_i, sigma_ln_t = _correlated_sigmas(model, rel, corr)
        implied_err = implied * sigma_ln_i
    idx, runner_idx = pol.assign_log(log_implied)
    assigned = pol.values[idx]
    runner = pol.values[runner_idx] if runner_idx is not None else np.full(len(df), np.nan)

    def scores(used: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        ln_ratio = log_ratio(model, log_implied, np.log(used))  # ln(tc_model / tc)
        z = ln_ratio / sigma_ln_t
        return values[model.target] * np.exp(ln_ratio), np.expm1(ln_ratio), z

    tc_model, residual, z = scores(assigned)
    _, residual_runner, z_runner = scores(runner)
    columns: dict[str, Any] = {"material": df["material"].astype(str)}
    columns |= {q: values[q] for q in quantities}
    columns |= {f"{q}_err": sigma[q] for q in quantities}
    if corr is not None:
        columns[f"{model.target}_bc_corr"] = corr
    columns |= {
        "uncertainties": _row_uncertainty_labels(measured),
        "i_implied": implied,
        "i_implied_err": implied_err,
        "i_assigned": assigned,
        "tc_model": tc_model,
        "residual": residual,
        "z": z,
        "chi2_assigned": z**2,
        "i_runner_up": runner,
        "residual_runner_up": residual_runner,
        "chi2_runner_up": z_runner**2,
        "outside_grid": (implied < pol.values[0]) | (implied > pol.values[-1]),
    }
    sigma_ln_i = implied_err / implied
    columns["p_stable"] = stability(log_implied, sigma_ln_i, pol.values)
    table = frame_of(columns)
    table.attrs["uncertainties"] = _overall_uncertainty_label(measured)
    return table, log_implied, sigma_ln_i, idx


#: Outputs that must be finite for every row (the others are NaN only by documented design).
_FINITE = ("i_implied", "i_implied_err", "tc_model", "residual", "z", "chi2_assigned")


def _check_finite(table: pd.DataFrame, df: pd.DataFrame) -> None:
    """Refuse to pass on a NaN or inf (extreme inputs that overflow in Eq. (5))."""
    columns = [c for c in _FINITE if c in table.columns]
    values = table[columns].to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values <= 0) * np.isin(columns, ["i_implied"])
    if not bad.any():
        return
    problems = [
        Problem(
            f"{table.at[k, 'material']!r}: Eq. (5) overflows for these inputs ("
            + ", ".join(c for c, b in zip(columns, bad[k], strict=True) if b)
            + " not finite); check the values and their units.",
            file=df.attrs.get("file"),
        )
        for k in np.flatnonzero(bad.any(axis=1))
    ]
    raise FitError(str(DataError(problems)))


#: SI units of the result columns that are not measured quantities ("1": dimensionless).
RESULT_UNITS: dict[str, str] = {"tc_model": "K", "tc_bcs": "K", "tc_predicted_bcs": "K"}


def table_units(table: pd.DataFrame, model: Model) -> dict[str, str]:
    """The SI unit of every numeric column of a fit table (``"1"`` for dimensionless ones)."""
    from tcfit.datasets import SI_UNITS

    out: dict[str, str] = {}
    for column in table.columns:
        base = str(column)[: -len("_err")] if str(column).endswith("_err") else str(column)
        if str(column) in RESULT_UNITS:
            out[str(column)] = RESULT_UNITS[str(column)]
        elif base in model.requires and base in SI_UNITS:
            out[str(column)] = SI_UNITS[base]
        elif table[column].dtype.kind in "fi":
            out[str(column)] = "1"
    return out


def with_units(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of a result table with pint-pandas unit dtypes (``pip install tcfit[pint]``).

    Parameters
    ----------
    table : pandas.DataFrame
        A table whose ``attrs["units"]`` maps columns to SI units (every tcfit result table).

    Returns
    -------
    pandas.DataFrame
        The columns with a unit as ``pint[unit]`` dtypes (dimensionless ones too), the others
        unchanged.

    Raises
    ------
    InputError
        If the table carries no units or pint-pandas is not installed.
    """
    units = table.attrs.get("units")
    if not isinstance(units, dict):
        raise InputError("This table carries no attrs['units'].", argument="table")
    try:
        import pint_pandas
    except ImportError as err:
        raise InputError(
            "with_units needs pint-pandas: pip install 'tcfit[pint]'.", argument="table"
        ) from err
    out = table.copy()
    for column, unit in units.items():
        if column in out.columns:
            dtype = "pint[dimensionless]" if unit == "1" else f"pint[{unit}]"
            out[column] = pint_pandas.PintArray(out[column].to_numpy(dtype=float), dtype=dtype)
    return out


def _posterior(
    log_implied: np.ndarray, sigma_ln_i: np.ndarray, pol: Policy, idx: np.ndarray
) -> tuple[np.ndarray, str]:
    """Posterior of the assigned value (NaN outside the grid), or NaN where it cannot be had."""
    inside = (log_implied >= np.log(pol.values[0])) & (log_implied <= np.log(pol.values[-1]))
    if pol.values.size < 2 or log_implied.size < 3:
        return np.full(
            log_implied.size, np.nan
        ), "not computed (fewer than 3 materials or 2 values)"
    # The hierarchical posterior sums over every material; assigned_posterior works in a
    # canonical order, so the same table in another row order gives the same bits.
    posterior, method = assigned_posterior(log_implied, sigma_ln_i, pol.values, idx)
    return np.where(inside, posterior, np.nan), method


def _reference_columns(df: pd.DataFrame, table: pd.DataFrame, model: Model) -> tuple[int, int]:
    """Add the data's own parameter (``i_reference``, ``agrees``, ``residual_reference``)."""
    import pandas as pd

    if model.parameter not in df.columns:
        return (0, 0)
    i_ref = pd.to_numeric(df[model.parameter], errors="coerce").to_numpy(dtype=float)
    has_ref = np.isfinite(i_ref) & (i_ref > 0)
    assigned = table["i_assigned"].to_numpy(dtype=float)
    safe_ref = np.where(has_ref, i_ref, 1.0)
    same = np.isclose(assigned, safe_ref, rtol=1e-9, atol=0.0)
    table["i_reference"] = np.where(has_ref, i_ref, np.nan)
    agrees = pd.array(same, dtype="boolean")
    agrees[~has_ref] = pd.NA
    table["agrees"] = agrees
    ln_ratio = log_ratio(model, np.log(table["i_implied"].to_numpy(float)), np.log(safe_ref))
    table["residual_reference"] = np.where(has_ref, np.expm1(ln_ratio), np.nan)
    return int(has_ref.sum()), int(np.sum(has_ref & same))


def _reference_models(
    df: pd.DataFrame, table: pd.DataFrame, model: Model, pol: Policy, opts: FitOptions
) -> None:
    """Add the columns of every reference model whose inputs the data carry."""
    for name, reference in REFERENCE_MODELS.items():
        if not all(c in df.columns for c in reference.requires):
            continue
        extra = reference.columns(df.reset_index(drop=True))
        for column in extra.columns:
            table[column] = extra[column].to_numpy(dtype=float)
        if reference.predicts is not None:
            _predicted(table, name, reference.predicts, model, pol, opts)


def _reference_summaries(table: pd.DataFrame) -> dict[str, ReferenceSummary]:
    """The summary of every reference model whose columns the table has."""
    out: dict[str, ReferenceSummary] = {}
    for name, reference in REFERENCE_MODELS.items():
        if f"residual_{name}" not in table.columns:
            continue
        predicted = None
        if reference.predicts is not None:
            predicted = _rms(table[f"residual_predicted_{name}"])
        out[name] = ReferenceSummary(
            n=int(table[f"residual_{name}"].notna().sum()),
            rms_residual=_rms(table[f"residual_{name}"]),
            rms_residual_predicted=predicted,
            rms_residual_fitted=_rms(table.loc[table[f"residual_{name}"].notna(), "residual"]),
        )
    return out


def _rms(values: pd.Series) -> float | None:
    finite = values.dropna().to_numpy(dtype=float)
    return float(np.sqrt(np.mean(finite**2))) if finite.size else None


def _predicted(
    table: pd.DataFrame, name: str, column: str, model: Model, pol: Policy, opts: FitOptions
) -> None:
    """Round an independent prediction of the parameter under the policy; predict Tc from it."""
    raw = table[column].to_numpy(dtype=float)
    have = np.isfinite(raw) & (raw > 0)
    rounded = np.full(raw.size, np.nan)
    tc_pred = np.full(raw.size, np.nan)
    if have.any():
        idx, _ = pol.assign_log(np.log(raw[have]))
        rounded[have] = pol.values[idx]
        values = {q: table[q].to_numpy(dtype=float)[have] for q in model.requires}
        tc_pred[have] = model.predict(values, rounded[have], prefactor=opts.prefactor)
    table[f"i_predicted_{name}"] = rounded
    table[f"tc_predicted_{name}"] = tc_pred
    table[f"residual_predicted_{name}"] = tc_pred / table[model.target].to_numpy(float) - 1.0


def _uncertainties(
    df: pd.DataFrame,
    values: dict[str, np.ndarray],
    rel: Mapping[str, float],
    quantities: tuple[str, ...],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Absolute 1σ per quantity (measured where given, default relative otherwise)."""
    import pandas as pd

    sigma: dict[str, np.ndarray] = {}
    measured: dict[str, np.ndarray] = {}
    problems: list[Problem] = []
    materials = df["material"].array  # read only for the rows a message names
    for q in quantities:
        column = f"{q}_err"
        if column in df.columns:
            err = pd.to_numeric(df[column], errors="coerce").to_numpy(dtype=float)
        else:
            err = np.full(len(df), np.nan)
        bad = np.isfinite(err) & (err < 0) | np.isinf(err)
        problems += [
            Problem(
                f"The uncertainty of {str(materials[pos])!r} must be zero or positive; got "
                f"{err[pos]!r}.",
                file=df.attrs.get("file"),
                column=column,
            )
            for pos in np.flatnonzero(bad)
        ]
        have = np.isfinite(err)
        measured[q] = have
        sigma[q] = np.where(have, err, rel[q] * values[q])
    if problems:
        raise DataError(problems)
    total = np.sqrt(sum((sigma[q] / values[q]) ** 2 for q in quantities))
    problems = [
        Problem(
            f"All uncertainties of {str(materials[pos])!r} are zero; χ² and z need at least one.",
            file=df.attrs.get("file"),
        )
        for pos in np.flatnonzero(total <= 0)
    ]
    if problems:
        raise DataError(problems)
    return sigma, measured


def _correlation(df: pd.DataFrame, model: Model) -> np.ndarray | None:
    """The ``tc_bc_corr`` column (ρ between the target's and Bc's errors), NaN read as 0."""
    import pandas as pd

    column = f"{model.target}_bc_corr"
    if column not in df.columns or "bc" not in model.inputs:
        return None
    rho = pd.to_numeric(df[column], errors="coerce").to_numpy(dtype=float)
    materials = df["material"].array  # read only for the rows a message names
    problems = [
        Problem(
            f"The correlation of {str(materials[pos])!r} must lie in [-1, 1]; got {rho[pos]!r}.",
            file=df.attrs.get("file"),
            column=column,
        )
        for pos in np.flatnonzero(np.abs(rho) > 1.0)
    ]
    if problems:
        raise DataError(problems)
    return np.where(np.isfinite(rho), rho, 0.0)


def _correlated_sigmas(
    model: Model, rel: Mapping[str, np.ndarray], corr: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""1σ of ln p and of ln T from the full covariance of the logs: :math:`\sqrt{g^T \Sigma g}`.

    :math:`\Sigma` holds :math:`r_x^2` on its diagonal and :math:`\rho r_T r_B` for the pair
    (target, Bc); g is the sensitivity of ln p (:func:`parameter_sensitivities`) or of
    :math:`\ln(T_{\rm model}/T)` (−1 for the target, :math:`a_q` for each input). For Eq. (5)
    :math:`\sigma_{\ln i}^2` gains :math:`2 (-2)(2) \rho r_T r_B`.
    """
    names = (model.target, *model.inputs)
    r = np.stack([np.asarray(rel[q], dtype=float) for q in names], axis=-1)
    cov = np.zeros((r.shape[0], len(names), len(names)))
    diagonal = np.arange(len(names))
    cov[:, diagonal, diagonal] = r**2
    b = names.index("bc")
    cov[:, 0, b] = cov[:, b, 0] = corr * r[:, 0] * r[:, b]
    sens = parameter_sensitivities(model)
    g_p = np.array([sens[q] for q in names])
    g_t = np.array([-1.0, *(model.log_coefficients[q] for q in model.inputs)])
    var_p = np.einsum("i,mij,j->m", g_p, cov, g_p)
    var_t = np.einsum("i,mij,j->m", g_t, cov, g_t)
    return np.sqrt(np.clip(var_p, 0.0, None)), np.sqrt(np.clip(var_t, 0.0, None))


def _row_uncertainty_labels(measured: dict[str, np.ndarray]) -> np.ndarray:
    stacked = np.vstack(list(measured.values()))
    code = np.where(stacked.all(axis=0), 2, np.where(stacked.any(axis=0), 1, 0))
    return np.array(["default", "mixed", "measured"], dtype=object)[code]


def _overall_uncertainty_label(measured: dict[str, np.ndarray]) -> str:
    stacked = np.vstack(list(measured.values()))
    if stacked.all():
        return "measured"
    if not stacked.any():
        return "default"
    return "mixed"
