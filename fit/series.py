r"""Bc(0) and Tc from a measured temperature series Bc(T), per material, with their covariance.

The fit itself lives with the reader (:mod:`tcfit.datasets`), which applies it to every
long-format table it reads (a ``T`` column, materials repeated); this module is its public home
as an analysis. See :func:`fit_series` for the laws, the weighting, the problems it names and the
provenance it records (``df.attrs["series"]``).

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
