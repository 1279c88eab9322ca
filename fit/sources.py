"""Sensitivity to the data source: fit two tables of the same materials and compare, per material.

The paper's Table-1 and an independent reference (the ``elements`` dataset) list different Tc,
Bc and n for the same metals. If the assignment of i changes with the source, the assignment says
more about the table than about the metal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Unpack

import numpy as np

from .errors import DataError
from .fitting import FitResult, as_result
from .models import parameter_sensitivities
from .options import FitOptions, FitOverrides

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["compare_sources"]

_PER_SOURCE: tuple[str, ...] = (
    "tc",
    "bc",
    "n",
    "i_implied",
    "i_implied_err",
    "i_assigned",
    "residual",
    "p_stable",
    "posterior_assigned",
)


def compare_sources(
    a: Any, b: Any, options: FitOptions | None = None, /, **overrides: Unpack[FitOverrides]
) -> pd.DataFrame:
    """Fit two datasets under one policy and tabulate, per shared material, how i changes.

    Parameters
    ----------
    a, b : FitResult, str, path-like or pandas.DataFrame
        Two sources (e.g. ``"table1"`` and ``"elements"``). Data are fitted with
        :func:`tcfit.fit` under ``options`` — by default those of the FitResult given for the
        other source, if any, else ``FitOptions()``; a FitResult is used as it is.
    options : FitOptions, optional
        The options of both fits (default ``FitOptions()``).
    **overrides
        Any :class:`~tcfit.FitOptions` field (``policy``, ``seed``, ...).

    Returns
    -------
    pandas.DataFrame
        One row per material present in both (in the order of ``a``), matched by the
        ``material`` string. Columns ``material``, ``i_implied_a``, ``i_assigned_a``,
        ``i_implied_b``, ``i_assigned_b``, ``changed`` (bool: the assignments differ),
        ``implied_ratio`` (i_implied_b / i_implied_a), ``dln_i`` (its logarithm) and its parts
        ``dln_i_tc``, ``dln_i_bc``, ``dln_i_n`` (∂ln i/∂ln q · Δln q, which add up to ``dln_i``
        exactly when both prefactors are equal: Eq. (5)'s i ∝ Bc²/(n^{1/3} Tc²)), and ``tc``,
        ``bc``, ``n`` (SI), ``i_implied_err``, ``residual``, ``p_stable``, ``posterior_assigned``
        with suffixes ``_a`` and ``_b``.
        ``df.attrs`` holds ``a`` and ``b`` (dataset names), ``only_a`` and ``only_b`` (materials
        in one source only) and ``n_changed``.

    Raises
    ------
    DataError
        If the two sources share no material.

    References
    ----------
    Jiang, Table-1, against independent reference data.

    Examples
    --------
    >>> df = compare_sources("table1", "table1")
    >>> int(df["changed"].sum())
    0
    """
    import pandas as pd

    if options is None and not overrides:  # data given beside a result: fit it the same way
        given = next((x for x in (a, b) if isinstance(x, FitResult)), None)
        options = None if given is None else given.options
    fit_a = a if isinstance(a, FitResult) else as_result(a, options, **overrides)
    fit_b = b if isinstance(b, FitResult) else as_result(b, options, **overrides)
    ta = fit_a.table[["material", *_PER_SOURCE]]
    tb = fit_b.table[["material", *_PER_SOURCE]]
    names_a = fit_a.data.attrs.get("name", "a")
    names_b = fit_b.data.attrs.get("name", "b")
    merged = ta.merge(tb, on="material", how="inner", suffixes=("_a", "_b"), sort=False)
    if merged.empty:
        raise DataError(
            f"The sources {names_a!r} and {names_b!r} share no material name; nothing to compare."
        )
    merged["changed"] = ~np.isclose(
        merged["i_assigned_a"].to_numpy(float), merged["i_assigned_b"].to_numpy(float), rtol=1e-9
    )
    merged["implied_ratio"] = merged["i_implied_b"] / merged["i_implied_a"]
    # Δ ln i = Σ_q (∂ln i/∂ln q)·Δ ln q, exact for a log-linear model: the change of the implied
    # i split into what the Tc, Bc and n of the two sources contribute.
    parts = []
    for q, sensitivity in parameter_sensitivities(fit_a.model).items():
        column = f"dln_i_{q}"
        merged[column] = sensitivity * np.log(merged[f"{q}_b"] / merged[f"{q}_a"])
        parts.append(column)
    merged["dln_i"] = np.log(merged["implied_ratio"])
    first = [
        "material",
        "i_implied_a",
        "i_assigned_a",
        "i_implied_b",
        "i_assigned_b",
        "changed",
        "implied_ratio",
        "dln_i",
        *parts,
    ]
    rest = [f"{c}_{s}" for c in _PER_SOURCE if c not in ("i_implied", "i_assigned") for s in "ab"]
    out = pd.DataFrame(merged[first + rest]).reset_index(drop=True)
    set_a, set_b = set(ta["material"]), set(tb["material"])
    out.attrs = {
        "a": names_a,
        "b": names_b,
        "policy_a": fit_a.policy.name,
        "policy_b": fit_b.policy.name,
        "only_a": [m for m in ta["material"] if m not in set_b],
        "only_b": [m for m in tb["material"] if m not in set_a],
        "n_changed": int(out["changed"].sum()),
    }
    return out
