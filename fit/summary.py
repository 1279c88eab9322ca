"""Typed summaries of a fit: the headline numbers every layer reads (not a loose dict).

:class:`FitSummary` is the source of truth; :meth:`FitSummary.to_dict` is its JSON form (the
``summary`` of ``tcfit fit --json`` and of ``summary.json``). For convenience it is also a
read-only mapping over that form, so ``summary["rms_residual"]`` keeps working.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._json import json_dict

if TYPE_CHECKING:
    import pandas as pd

    from .models import Model
    from .options import FitOptions
    from .policies import Policy

__all__ = ["FitSummary", "ReferenceSummary"]


@dataclass(frozen=True)
class ReferenceSummary:
    """How a reference model (no free parameter) does on the rows that have its inputs.

    Attributes
    ----------
    n : int
        Rows with every input of the reference model.
    rms_residual : float or None
        RMS of (tc_reference − tc)/tc over those rows (None when there are none).
    rms_residual_predicted : float or None
        For a reference that predicts the parameter without Tc (BCS's i_BCS): RMS residual of
        the model's Tc at that prediction rounded under the policy — zero free parameters.
    rms_residual_fitted : float or None
        RMS residual of the fitted (assigned) i over the same rows, for comparison.
    """

    n: int
    rms_residual: float | None
    rms_residual_predicted: float | None = None
    rms_residual_fitted: float | None = None


def _mean(values: pd.Series) -> float:
    finite = values.dropna().to_numpy(dtype=float)
    return float(finite.mean()) if finite.size else float("nan")


@dataclass(frozen=True)
class FitSummary(Mapping[str, Any]):
    """The headline numbers of a :class:`~tcfit.FitResult`.

    Attributes
    ----------
    n_materials : int
    rms_residual, max_abs_residual : float
        Of the relative residuals (tc_model − tc)/tc at the assigned i.
    within_1pct, within_5pct, within_10pct : int
        Materials with |residual| ≤ 1, 5, 10 %.
    chi_square : float
        Σ z² (never None: default uncertainties always apply).
    dof : int
        The number of materials: the prefactor is fixed and the discrete per-material choices of
        i are *not* subtracted.
    reduced_chi_square : float
    mean_p_stable : float
        Mean of ``p_stable`` over the materials inside the grid (NaN if none).
    mean_posterior_assigned : float
        Mean of ``posterior_assigned`` over the materials inside the grid (NaN if none).
    posterior_method : str
        "marginal", "empirical Bayes" or why it was not computed.
    n_outside_grid : int
        Materials whose implied i lies beyond the policy's smallest or largest value.
    uncertainties : {"measured", "default", "mixed"}
    model, policy : str
        Names of the model and the policy.
    policy_values : list of float
    seed : int
    rel_err : dict of str to float
        The default relative uncertainties in force.
    prefactor : float
        K m^{1/2} T⁻¹.
    n_reference, n_agrees : int or None
        With a reference ``i`` column in the data: rows that have one, and how many agree.
    references : dict of str to ReferenceSummary
        Per reference model (e.g. ``"bcs"``); in :meth:`to_dict` as ``n_<name>`` and
        ``rms_residual_<name>``.
    """

    n_materials: int
    rms_residual: float
    max_abs_residual: float
    within_1pct: int
    within_5pct: int
    within_10pct: int
    chi_square: float
    dof: int
    reduced_chi_square: float
    mean_p_stable: float
    mean_posterior_assigned: float
    posterior_method: str
    n_outside_grid: int
    uncertainties: str
    model: str
    policy: str
    policy_values: list[float]
    seed: int
    rel_err: dict[str, float]
    prefactor: float
    n_reference: int | None = None
    n_agrees: int | None = None
    references: dict[str, ReferenceSummary] = field(default_factory=dict)

    @classmethod
    def from_table(
        cls,
        table: pd.DataFrame,
        policy: Policy,
        options: FitOptions,
        *,
        model: Model,
        reference: tuple[int, int],
        comparisons: dict[str, ReferenceSummary],
    ) -> FitSummary:
        """Summarise a fit table (the columns of :class:`~tcfit.FitResult.table`)."""
        res = table["residual"].to_numpy(dtype=float)
        abs_res = np.abs(res)
        chi_square = float(np.sum(table["chi2_assigned"]))
        n = len(table)
        has_reference = "i_reference" in table.columns
        return cls(
            n_materials=n,
            rms_residual=float(np.sqrt(np.mean(res**2))),
            max_abs_residual=float(abs_res.max()),
            within_1pct=int(np.sum(abs_res <= 0.01)),
            within_5pct=int(np.sum(abs_res <= 0.05)),
            within_10pct=int(np.sum(abs_res <= 0.10)),
            chi_square=chi_square,
            dof=n,
            reduced_chi_square=chi_square / n,
            mean_p_stable=_mean(table["p_stable"]),
            mean_posterior_assigned=_mean(table["posterior_assigned"]),
            posterior_method=str(table.attrs.get("posterior_method", "")),
            n_outside_grid=int(table["outside_grid"].sum()),
            uncertainties=str(table.attrs.get("uncertainties", "default")),
            model=model.name,
            policy=policy.name,
            policy_values=[float(v) for v in policy.values],
            seed=options.seed,
            rel_err=dict(options.rel_err),
            prefactor=float(options.prefactor),
            n_reference=reference[0] if has_reference else None,
            n_agrees=reference[1] if has_reference else None,
            references=dict(comparisons),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: every field, references flattened to ``n_<name>``/``rms_residual_<name>``;
        ``n_reference``/``n_agrees`` only when the data carry a reference i."""
        out: dict[str, Any] = {
            k: getattr(self, k)
            for k in self.__dataclass_fields__
            if k not in ("references", "n_reference", "n_agrees")
        }
        if self.n_reference is not None:
            out["n_reference"] = self.n_reference
            out["n_agrees"] = self.n_agrees
        for name, ref in self.references.items():
            out[f"n_{name}"] = ref.n
            out[f"rms_residual_{name}"] = ref.rms_residual
            if ref.rms_residual_predicted is not None:
                out[f"rms_residual_predicted_{name}"] = ref.rms_residual_predicted
                out[f"rms_residual_fitted_{name}"] = ref.rms_residual_fitted
        return json_dict(out)

    # Read-only mapping over to_dict(), for summary["key"] and JSON-minded users.
    def __getitem__(self, key: str) -> Any:
        return self.to_dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())
