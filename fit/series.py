r"""Bc(0) and Tc from a measured temperature series Bc(T), per material, with their covariance.

The fit lives with the reader (:mod:`tcfit.datasets`), which applies it to every long-format
file it reads (a ``T`` column, materials repeated; ``series_law=``/``--series-law``): this
module is its public home as an analysis.

A lab measures Bc at a handful of temperatures, not at T = 0. For every material of a
long-format table (one row per point) :func:`fit_series` fits, with lmfit, the two-fluid law
:math:`B_c(T) = B_c(0)\,[1 - (T/T_c)^2]` (``law="two_fluid"``, default) or the empirical power
law :math:`B_c(T) = B_c(0)\,[1 - (T/T_c)^p]` with p free (``law="power"``). It returns a
canonical frame (``tc``, ``bc`` = Bc(0), their errors and their correlation ``tc_bc_corr``) that
:func:`tcfit.fit` accepts once each row has its ``n`` (put ``n`` or ``valence`` in the long table:
columns constant within a material are carried over); :func:`tcfit.fit` propagates
``tc_bc_corr`` into the implied i of Eq. (5).

**Weighting** (column ``series_weighting``). With ``bc_err`` (absolute 1σ in T, on every point of
a material) the fit is weighted by 1/bc_err² and the errors are *absolute* (lmfit
``scale_covar=False``): χ²/dof judges the fit. Without it the points weigh the same and the
errors are *scaled* by the scatter (``scale_covar=True``, χ²/dof = 1 by construction), so the fit
cannot be judged and ``series_reduced_chi_square`` is NaN.

**Problems**, each naming the material and, where there is one, the row (the header is row 1,
so the frame's first row is row 2, as :func:`tcfit.read` numbers a DataFrame):

* a temperature not ≥ 0 K, a field not > 0 T (a point at Tc, where Bc vanishes, carries no
  information here), an error not > 0; ``bc_err`` on some points of a material but not all;
* fewer than :data:`SERIES_MIN_POINTS` points (3 for two_fluid, 4 for power: one degree of freedom);
* a fit that fails, gives Tc or Bc(0) ≤ 0 or no covariance; a point at or above the fitted Tc;
* a rise of Bc between consecutive temperatures beyond z σ of the difference (σ from ``bc_err``
  or the residual scatter), z set so a monotonic series of m pairs is refused with probability
  :data:`SERIES_NON_MONOTONIC_P` (z = Φ⁻¹(1 − P/m), 3.8 for 14 points);
* with absolute errors, a poor fit: χ² beyond its :data:`SERIES_POOR_FIT_P` tail.

They are collected into one :class:`~tcfit.DataError`, or with ``skip_invalid`` the material is
left out and each problem recorded in ``df.attrs["dropped"]``.

**Provenance.** ``df.attrs["series"]``: the law and, per material, the points, parameters,
errors, covariance, χ², dof and p — enough to draw each series with its curve
(:func:`tcfit.plot.series`). **Cost.** Checks
and starting values (Bc against T², linear) are vectorised over all materials; lmfit then runs
once per material, cheap for a series of a handful of points.

References
----------
Jiang, Eq. (5) (which needs Bc(0)). C. J. Gorter and H. B. G. Casimir, Physica 1, 306 (1934);
M. Tinkham, *Introduction to Superconductivity*, 2nd ed. (1996), Eq. (2.4).
"""

from __future__ import annotations

from tcfit.datasets import (
    SERIES_LAWS,
    SERIES_MIN_POINTS,
    SERIES_NON_MONOTONIC_P,
    SERIES_POOR_FIT_P,
    fit_series,
)

__all__ = ["LAWS", "MIN_POINTS", "NON_MONOTONIC_P", "POOR_FIT_P", "fit_series"]

#: The laws :func:`fit_series` fits, with their formulas.
LAWS: dict[str, str] = SERIES_LAWS
#: Fewest points per material: one more than the free parameters.
MIN_POINTS: dict[str, int] = SERIES_MIN_POINTS
#: Chance that noise alone makes a falling series look non-monotonic (Bonferroni over pairs).
NON_MONOTONIC_P: float = SERIES_NON_MONOTONIC_P
#: With absolute errors, a fit whose χ² has a tail probability below this is refused.
POOR_FIT_P: float = SERIES_POOR_FIT_P

#: fit_series is defined in the reader; run its examples as this module's too.
__test__ = {"fit_series": fit_series}
