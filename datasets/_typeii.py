r"""The thermodynamic critical field of a type-II superconductor from Bc2 (and κ or Bc1).

Eq. (5) needs the thermodynamic critical field Bc. A type-II table often gives the upper and
lower critical fields instead; they are columns of their own (``bc2``: ``Hc2``/``Bc2``,
``bc1``: ``Hc1``/``Bc1``, converted with the μ0·H rule like Bc) and are never read as Bc.
Where Bc is empty and Bc2 is given, Ginzburg–Landau theory gives Bc:

* with the GL parameter κ (column ``kappa``):

  .. math:: B_c = \frac{B_{c2}}{\sqrt{2}\,\kappa}

  (exact in GL theory near Tc, :math:`H_{c2} = \sqrt2\,\kappa H_c`);
* with Bc1 and Bc2 (no κ), solving the high-κ relations

  .. math:: \frac{H_{c2}}{H_{c1}} = \frac{2\kappa^2}{\ln\kappa}, \qquad
            H_c = \sqrt{\frac{H_{c1} H_{c2}}{\ln\kappa}}

  for κ (:math:`\ln\kappa = -W_{-1}(-4 H_{c1}/H_{c2})/2`, the Lambert W branch with κ > √e)
  and then Bc. :math:`H_{c1} = H_c \ln\kappa/(\sqrt2\kappa)` holds only for κ ≫ 1 (it drops
  terms of order 1/ln κ), so a ratio below 4e ≈ 10.9 (the minimum of 2κ²/ln κ) has no solution
  and is refused: give κ instead.

κ ≤ 1/√2 is a type-I superconductor (no Bc2 distinct from Bc) and is refused. Each derived Bc
is flagged (column ``bc_derived``) and recorded in ``df.attrs["derived"]["bc"]``; a row with
Bc2 but neither κ nor Bc1 gets an error saying what is needed.

References
----------
V. L. Ginzburg and L. D. Landau (1950); A. A. Abrikosov (1957); M. Tinkham, *Introduction to
Superconductivity*, 2nd ed. (1996), Eqs. (4.62) and (5.18). Jiang, Eq. (5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tcfit.errors import Problem

__all__ = ["KAPPA_FORMULA", "LOWER_FORMULA", "TypeIIRow", "derive_bc"]

#: The relations, as recorded in ``df.attrs["derived"]["bc"]``.
KAPPA_FORMULA = "Bc = Bc2 / (sqrt(2) * kappa)"
LOWER_FORMULA = "Hc2/Hc1 = 2 kappa^2 / ln(kappa), Hc = sqrt(Hc1 * Hc2 / ln(kappa)) (kappa >> 1)"
_TYPE_I = 1.0 / np.sqrt(2.0)


@dataclass(frozen=True)
class TypeIIRow:
    """One row whose Bc tcfit derived from Bc2 (and κ or Bc1); fields in SI (T)."""

    row: int
    material: Any
    bc2: float
    bc1: float | None
    kappa: float
    kappa_from: str
    bc: float

    def to_dict(self) -> dict[str, Any]:
        """The record as stored in ``df.attrs["derived"]["bc"]["rows"]``."""
        return {
            "row": self.row,
            "material": self.material,
            "bc2": self.bc2,
            "bc1": self.bc1,
            "kappa": self.kappa,
            "kappa_from": self.kappa_from,
            "bc": self.bc,
        }


def kappa_from_ratio(ratio: np.ndarray) -> np.ndarray:
    """κ > √e solving Hc2/Hc1 = 2κ²/ln κ (NaN where ratio < 4e), vectorised."""
    from scipy.special import lambertw

    ratio = np.asarray(ratio, dtype=float)
    ok = np.isfinite(ratio) & (ratio >= 4.0 * np.e)
    arg = np.where(ok, -4.0 / np.where(ok, ratio, 1.0), -0.1)
    w = lambertw(arg, k=-1).real
    return np.where(ok, np.exp(-w / 2.0), np.nan)


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return np.asarray(frame[name].to_numpy(dtype=float), dtype=float)


def _problem(row: Any, column: str, headers: Mapping[str, str], message: str) -> Problem:
    return Problem(message, row=int(row), column=headers.get(column, column))


def derive_bc(
    frame: pd.DataFrame, headers: Mapping[str, str]
) -> tuple[list[TypeIIRow], list[Problem]]:
    """Fill an empty ``bc`` from ``bc2`` with ``kappa`` or ``bc1``; flag it in ``bc_derived``.

    ``frame`` (SI, indexed by the user's rows) is updated in place; ``headers`` names the
    columns as written, for the problems (rows with Bc2 that cannot give Bc, κ ≤ 1/√2, a
    ratio Hc2/Hc1 below 4e).
    """
    if "bc2" not in frame:
        return [], []
    if "bc" not in frame:
        frame["bc"] = np.nan
    bc, bc2, bc1, kappa = (_col(frame, c) for c in ("bc", "bc2", "bc1", "kappa"))
    want = np.isnan(bc) & np.isfinite(bc2) & (bc2 > 0)
    rows, problems = frame.index.to_numpy(), []
    given = want & np.isfinite(kappa)
    for k in np.flatnonzero(given & (kappa <= _TYPE_I)):
        problems.append(
            _problem(rows[k], "kappa", headers, f"κ = {kappa[k]:g} ≤ 1/√2 is a type-I "
                     "superconductor, which has no Bc2 apart from Bc; give Bc itself.")
        )  # fmt: skip
    ratio = np.where(want & ~given, bc2 / np.where(bc1 > 0, bc1, np.nan), np.nan)
    solved = kappa_from_ratio(ratio)
    for k in np.flatnonzero(want & ~given & np.isfinite(ratio) & np.isnan(solved)):
        problems.append(
            _problem(rows[k], "bc1", headers, f"Hc2/Hc1 = {ratio[k]:.4g} is below 4e ≈ 10.87, "
                     "where 2κ²/ln κ (valid for κ ≫ 1) has no solution; give κ instead.")
        )  # fmt: skip
    for k in np.flatnonzero(want & ~given & np.isnan(ratio)):
        problems.append(
            _problem(rows[k], "bc2", headers, "Bc is empty and Bc2 alone is not the "
                     "thermodynamic field Eq. (5) needs: give κ (Bc = Bc2/(√2·κ)) or Hc1 "
                     "(with Hc2 it gives κ and Bc by Ginzburg–Landau), or Bc itself.")
        )  # fmt: skip
    with np.errstate(invalid="ignore", divide="ignore"):
        from_kappa = bc2 / (np.sqrt(2.0) * kappa)
        from_lower = np.sqrt(bc1 * bc2 / np.log(solved))
    use_kappa = given & (kappa > _TYPE_I)
    use_lower = want & ~given & np.isfinite(solved)
    new = np.where(use_kappa, from_kappa, from_lower)
    done = use_kappa | use_lower
    frame.loc[done, "bc"] = new[done]
    frame["bc_derived"] = done
    materials = frame["material"].astype(object)
    records = [
        TypeIIRow(
            int(rows[k]),
            materials.iloc[k],
            float(bc2[k]),
            None if use_kappa[k] else float(bc1[k]),
            float(kappa[k] if use_kappa[k] else solved[k]),
            "file" if use_kappa[k] else "Hc2/Hc1 = 2κ²/ln κ",
            float(new[k]),
        )
        for k in np.flatnonzero(done)
    ]
    return records, problems
