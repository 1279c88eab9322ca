r"""SUPERSEDED: the log-uniform RMS quantization test, kept for comparison only.

**Do not draw conclusions from it.** Its null (implied i log-uniform over the observed range) is
not a neutral smooth envelope, and its behaviour was measured (``docs/calibration.md``, 300
simulated datasets per cell): under smooth, non-quantized envelopes of i its rejection rate at
α = 0.05 runs from 0.00 (a cluster at i = 2–4, like the real data) to 0.28 (a log-normal
envelope, 50 materials) — 0.00–0.083 at 21 materials — and with tcfit's default errors it detects
exact integers only 34–47 % of the time at 21 materials. Use :func:`tcfit.lattice_test`, whose
calibrated p and Bayes factor have measured size and power, instead.

How much agreement does one free discrete i per material buy by itself?

Eq. (5) with a free i per material fits any table to within the spacing of the allowed values:
a material's residual is :math:`\sqrt{i_{\rm implied}/i_{\rm assigned}} - 1`, bounded by half the
log-spacing of the grid. The quantization test asks whether the observed agreement is better
than that bound alone would give.

**Null hypothesis.** Each material's implied i is replaced by a value drawn log-uniformly over the
observed range :math:`[\min i_{\rm implied}, \max i_{\rm implied}]` (so the data carry no
information about the allowed values), then reassigned under the *same* policy. The RMS relative
residual of every null table is computed. All ``n_null`` tables are drawn and assigned at once as
an ``(n_null, materials)`` array; there is no Python loop over null draws.

**p-value.** :math:`p = P(\mathrm{RMS}_{\rm null} \le \mathrm{RMS}_{\rm obs})`, estimated as the
share of null tables whose RMS is at most the observed one. A small p means the implied i values
cluster near allowed values more than chance would make them; a p around 0.5 means the agreement
is what the free i buys anyway. With ``n_null`` draws the resolution is ``1/n_null``: p = 0 means
p < 1/n_null. Measurement errors are not part of the null: it isolates the quantization.

**Post-hoc policies.** The null assumes the allowed values were fixed before the data were seen.
For a set chosen *from* the data — such as ``paper``, the values Table-1 happens to use — the
observed table is favoured by construction and p is biased low; read it with that in mind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._display import Display, Displayable
from ._json import json_dict
from ._validate import check_count
from .errors import InputError
from .fitting import FitResult
from .models import log_ratio

__all__ = ["MAX_NULL", "QuantizationTest", "quantization_test"]

#: Largest number of null tables (a bound checked before any allocation).
MAX_NULL = 10_000_000
_CHUNK_CELLS = 2_000_000  # null draws × materials per chunk (memory stays bounded)


@dataclass(frozen=True, eq=False)
class QuantizationTest(Displayable):
    """The observed RMS residual against its distribution under the quantization null.

    Attributes
    ----------
    rms_observed : float
        RMS of the relative residuals (tc_model − tc)/tc of the fit.
    null_rms : ndarray of shape (n_null,)
        RMS of every null table (read-only).
    null_median, null_low, null_high : float
        Median and 5 %, 95 % quantiles of ``null_rms``.
    p_value : float
        Share of null tables with RMS ≤ ``rms_observed``.
    n_null : int
    seed : int
    policy : str
        Name of the policy used for assignment (the fit's).
    i_low, i_high : float
        The log-uniform range of the null (min and max observed implied i).
    n_materials : int
    """

    rms_observed: float
    null_rms: np.ndarray
    null_median: float
    null_low: float
    null_high: float
    p_value: float
    n_null: int
    seed: int
    policy: str
    i_low: float
    i_high: float
    n_materials: int

    def __repr__(self) -> str:
        return (
            f"QuantizationTest(rms_observed={self.rms_observed:.4g}, null_median="
            f"{self.null_median:.4g}, p_value={self.p_value:.4g}, n_null={self.n_null})"
        )

    def _display(self) -> Display:
        rows = [
            ("observed RMS", f"{self.rms_observed:.2%}"),
            (
                "null median (5–95 %)",
                f"{self.null_median:.2%} ({self.null_low:.2%}–{self.null_high:.2%})",
            ),
            ("p", f"{self.p_value:.4g} ({self.n_null} null tables)"),
        ]
        warning = "superseded: not a valid test (size up to 0.28); use tcfit.lattice_test"
        return Display("tcfit quantization test (retired)", rows, [warning])

    def to_dict(self, *, include_null: bool = False) -> dict[str, Any]:
        """JSON-ready dictionary.

        Parameters
        ----------
        include_null : bool, default=False
            Add the full ``null_rms`` array as a list under ``"null_rms"``. Left out by default
            (10 000 numbers); the summary statistics are always included.

        Returns
        -------
        dict
            ``rms_observed, null_median, null_low, null_high, p_value, n_null, seed, policy,
            i_low, i_high, n_materials`` (and ``null_rms`` if asked).
        """
        out: dict[str, Any] = {
            "rms_observed": self.rms_observed,
            "null_median": self.null_median,
            "null_low": self.null_low,
            "null_high": self.null_high,
            "p_value": self.p_value,
            "n_null": self.n_null,
            "seed": self.seed,
            "policy": self.policy,
            "i_low": self.i_low,
            "i_high": self.i_high,
            "n_materials": self.n_materials,
        }
        if include_null:
            out["null_rms"] = self.null_rms
        return json_dict(out)


def quantization_test(result: FitResult, *, n_null: int = 10000, seed: int = 0) -> QuantizationTest:
    r"""Compare the fit's RMS residual with what a free discrete i gives on structureless data.

    Parameters
    ----------
    result : FitResult
        A finished :func:`tcfit.fit` result (its implied i, residuals and policy are used).
    n_null : int, default=10000
        Number of null tables (at least 1).
    seed : int, default=0
        Seed of :func:`numpy.random.default_rng`; same result + seed → identical numbers.

    Returns
    -------
    QuantizationTest

    Raises
    ------
    InputError
        If ``result`` is not a FitResult, or ``n_null``/``seed`` are not valid integers.

    Notes
    -----
    For every null table :math:`k` and material :math:`j`,
    :math:`\ln i_{kj} \sim U(\ln i_{\min}, \ln i_{\max})`, :math:`a_{kj}` is its assignment under
    the policy, and :math:`\mathrm{RMS}_k = \sqrt{\tfrac1m \sum_j (\sqrt{i_{kj}/a_{kj}} - 1)^2}`.
    The residual does not depend on the prefactor, so none is needed.

    References
    ----------
    Jiang, Eq. (5) and Table-1 (the free per-metal i under test).

    Examples
    --------
    >>> from tcfit import fit
    >>> q = quantization_test(fit("table1"), n_null=2000)
    >>> 0.0 <= q.p_value <= 1.0
    True
    """
    if not isinstance(result, FitResult):
        raise InputError(
            f"The `result` parameter must be a FitResult from tcfit.fit; not {type(result)!r}.",
            argument="result",
        )
    n_null = check_count("n_null", n_null, 1, maximum=MAX_NULL)
    seed = check_count("seed", seed, 0)
    table = result.table
    residual = table["residual"].to_numpy(float)
    rms_observed = float(np.sqrt(np.mean(residual**2)))
    implied = table["i_implied"].to_numpy(float)
    log_low, log_high = float(np.log(implied.min())), float(np.log(implied.max()))
    m = implied.size

    rng = np.random.default_rng(seed)
    log_values = np.log(result.policy.values)
    null_rms = np.empty(n_null)
    rows = max(1, _CHUNK_CELLS // m)  # whole rows per chunk: the same draws as one big array
    for start in range(0, n_null, rows):
        count = min(rows, n_null - start)
        log_i = rng.uniform(log_low, log_high, size=(count, m))  # null draws × materials
        idx, _ = result.policy.assign_log(log_i)
        null_residual = np.expm1(log_ratio(result.model, log_i, log_values[idx]))
        null_rms[start : start + count] = np.sqrt(np.mean(null_residual**2, axis=1))
    null_rms.flags.writeable = False
    low, median, high = np.quantile(null_rms, [0.05, 0.5, 0.95])
    return QuantizationTest(
        rms_observed=rms_observed,
        null_rms=null_rms,
        null_median=float(median),
        null_low=float(low),
        null_high=float(high),
        p_value=float(np.mean(null_rms <= rms_observed)),
        n_null=n_null,
        seed=seed,
        policy=result.policy.name,
        i_low=float(np.exp(log_low)),
        i_high=float(np.exp(log_high)),
        n_materials=m,
    )
