"""The :class:`LatticeTest` result and the evidence wording (private; see :mod:`tcfit.lattice`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tcfit._display import Display, Displayable
from tcfit._json import json_dict
from tcfit.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from ._model import FloatArray

#: Kass–Raftery band edges on ln BF, with the label of the band *above* each edge.
EVIDENCE_THRESHOLDS: tuple[tuple[float, str], ...] = (
    (-math.inf, "very strong against"),
    (-5.0, "strong against"),
    (-3.0, "positive against"),
    (-1.1, "none"),
    (0.0, "barely worth mentioning"),
    (1.1, "positive"),
    (3.0, "strong"),
    (5.0, "very strong"),
)


def evidence_label(ln_bf: float) -> str:
    """The Kass–Raftery wording for a log Bayes factor (lattice against continuous).

    Parameters
    ----------
    ln_bf : float
        Natural log of the Bayes factor.

    Returns
    -------
    str
        ``"very strong against"`` (ln BF < −5), ``"strong against"`` (−5 … −3), ``"positive
        against"`` (−3 … −1.1), ``"none"`` (−1.1 … 0), ``"barely worth mentioning"`` (0 … 1.1),
        ``"positive"`` (1.1 … 3), ``"strong"`` (3 … 5), ``"very strong"`` (≥ 5). A value on an
        edge takes the band above it.

    Raises
    ------
    InputError
        If ``ln_bf`` is not a number (NaN included).

    References
    ----------
    Kass, R. E. and Raftery, A. E. (1995). Bayes factors. *J. Amer. Statist. Assoc.* 90,
    773–795, §3.2 (their bands on 2 ln BF: 0–2, 2–6, 6–10, > 10).

    Examples
    --------
    >>> evidence_label(1.59), evidence_label(-20.1), evidence_label(0.0)
    ('positive', 'very strong against', 'barely worth mentioning')
    """
    try:
        value = float(ln_bf)
    except (TypeError, ValueError) as err:
        raise InputError(
            f"The `ln_bf` parameter must be a number; not {ln_bf!r}.", argument="ln_bf"
        ) from err
    if math.isnan(value):
        raise InputError("The `ln_bf` parameter must be a number; not nan.", argument="ln_bf")
    label = EVIDENCE_THRESHOLDS[0][1]
    for edge, name in EVIDENCE_THRESHOLDS:  # eight fixed bands
        if value >= edge:
            label = name
    return label


@dataclass(frozen=True, eq=False)
class LatticeTest(Displayable):
    """Lattice (allowed values of i) against continuous i: evidence, calibration, LOO, posteriors.

    Attributes
    ----------
    ln_bayes_factor : float
        ln Z_lattice − ln Z_continuous with s marginalised (or fixed, if asked).
    ln_bayes_factor_fixed : float
        The same at the fixed scale (s = 1, the stated errors, unless another was fixed).
    verdict : str
        :func:`evidence_label` of ``ln_bayes_factor``.
    p_value : float
        Calibrated p of ``ln_bayes_factor``: the larger of ``p_values``.
    p_values : dict
        Envelope name (``"normal"``, ``"kde"``) → (1 + #{T* ≥ T}) / (1 + n_sim).
    elpd_diff, elpd_diff_se : float
        Σ_j [elpd_lattice − elpd_continuous] and √m · sd of the per-material differences.
    elpd : pandas.DataFrame
        Per material: ``material, elpd_lattice, elpd_continuous, elpd_diff`` (ln p(x_j | x_−j)
        of x = ln i; the densities of ln Tc differ by ln 2 in both models, so not in the diff).
    error_scale : float
        Posterior mode of s under the lattice model, or the fixed s.
    marginal : bool
        Whether s was marginalised.
    sigma_eff : float
        ``error_scale`` × median σ(ln i).
    evidence : pandas.DataFrame
        The scan over s: ``error_scale, sigma_eff, ln_bayes_factor, verdict,
        posterior_lattice, posterior_continuous`` (the posteriors of s are densities per unit
        ln s under the log-uniform prior).
    flip_scale : float
        The s nearest (in log) to the reference scale (1, or the fixed s) at which ln BF(s)
        changes sign; NaN if it keeps its sign over the prior range.
    crossings : pandas.DataFrame
        Every s where ln BF(s) crosses a Kass–Raftery edge: ``threshold, error_scale,
        sigma_eff``.
    posterior : pandas.DataFrame
        P(i_j = v | data), materials (index) × allowed values (columns).
    posterior_assigned, p_stable : pandas.Series
        Per material (input order): the posterior and the stability of the log-nearest value.
        Both are NaN where the implied i lies outside the grid: the end value is assigned there
        whatever the data, and the full ``posterior`` row still shows what the lattice model
        would say.
    counts : pandas.DataFrame
        ``tolerance, observed, guaranteed, expected_continuous``: rows within 5 % / 10 %, those
        the grid guarantees whatever i, and the count expected under the fitted normal envelope.
    rayleigh_z, rayleigh_p : float
        Weighted Rayleigh test of the phases of i (NaN unless the grid is {d, 2d, …}).
    priors : dict
        The priors, stated.
    n_sim, seed, n_materials : int
    grid : ndarray
        The allowed values.
    """

    ln_bayes_factor: float
    ln_bayes_factor_fixed: float
    verdict: str
    p_value: float
    p_values: dict[str, float]
    elpd_diff: float
    elpd_diff_se: float
    elpd: pd.DataFrame
    error_scale: float
    marginal: bool
    sigma_eff: float
    evidence: pd.DataFrame
    flip_scale: float
    crossings: pd.DataFrame
    posterior: pd.DataFrame
    posterior_assigned: pd.Series
    p_stable: pd.Series
    counts: pd.DataFrame
    rayleigh_z: float
    rayleigh_p: float
    priors: dict[str, Any]
    n_sim: int
    seed: int
    n_materials: int
    grid: FloatArray

    def _display(self) -> Display:
        scale = "marginalised" if self.marginal else f"fixed at {self.error_scale:g}"
        rows = [
            ("ln Bayes factor (lattice / continuous)", f"{self.ln_bayes_factor:+.2f} ({scale})"),
            ("ln BF at the stated errors", f"{self.ln_bayes_factor_fixed:+.2f}"),
            ("calibrated p", f"{self.p_value:.3g} (" + ", ".join(
                f"{k} {v:.3g}" for k, v in self.p_values.items()) + f"; {self.n_sim} nulls each)"),
            ("leave-one-out ΔELPD", f"{self.elpd_diff:+.2f} ± {self.elpd_diff_se:.2f} nats"),
            ("most probable error scale", f"{self.error_scale:.2f} (σ ≈ {self.sigma_eff:.3f})"),
            ("ln BF changes sign at", f"{self.flip_scale:.2f} × the stated errors"),
            ("Rayleigh companion p", f"{self.rayleigh_p:.3g}"),
            ("materials", str(self.n_materials)),
        ]  # fmt: skip
        return Display("tcfit lattice test", rows, verdict=f"Evidence: {self.verdict}")

    def __repr__(self) -> str:
        return (
            f"LatticeTest(ln_bayes_factor={self.ln_bayes_factor:.3g} ({self.verdict}), "
            f"p_value={self.p_value:.3g}, elpd_diff={self.elpd_diff:.3g} ± "
            f"{self.elpd_diff_se:.2g}, error_scale={self.error_scale:.3g}, n_sim={self.n_sim})"
        )

    def plot(self, kind: str = "evidence", **kwargs: Any) -> Any:
        """Draw the evidence against the error scale, with :mod:`tcfit.plot` (the report's look).

        Parameters
        ----------
        kind : {"evidence"}, default="evidence"
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
        """JSON-ready dictionary (NaN → None; tables as lists of records).

        Returns
        -------
        dict
            Every attribute; ``posterior`` as ``{"values": [...], "materials": [...],
            "probability": [[...], ...]}`` and the two Series as lists in input order.
        """
        out: dict[str, Any] = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name not in ("posterior", "posterior_assigned", "p_stable")
        }
        out["materials"] = self.posterior.index.tolist()
        out["posterior"] = {
            "values": self.posterior.columns.tolist(),
            "materials": self.posterior.index.tolist(),
            "probability": self.posterior.to_numpy(),
        }
        out["posterior_assigned"] = self.posterior_assigned.to_numpy()
        out["p_stable"] = self.p_stable.to_numpy()
        result: dict[str, Any] = json_dict(out)
        return result
