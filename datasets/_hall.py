r"""The electron density from the Hall coefficient, and the order of n's derivations.

.. math:: n = \frac{1}{e\,|R_H|}

with the elementary charge e (CODATA, :data:`scipy.constants.e`) and the Hall coefficient
:math:`R_H` (m³ C⁻¹, column ``r_h``; its unit in the header like any column's, e.g.
``R_H [cm^3/C]``). The single-band (Drude) relation: in a metal with several bands, electrons
and holes, :math:`R_H` gives only an *effective* density, which can differ from the
free-electron n by a large factor (and in sign), so every row so derived raises a warning. The
sign of :math:`R_H` (negative: electron-like carriers; positive: hole-like) is recorded.

:func:`derive_density` runs every derivation in order: an empty Bc from Bc2
(:mod:`tcfit.datasets._typeii`); an empty n from :math:`R_H` first (a measurement), then from
the valence (a model: :func:`tcfit.datasets._derive.derive_n`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tcfit.errors import Problem

from ._derive import DerivedRow, derive_n
from ._typeii import TypeIIRow, derive_bc

__all__ = ["HALL_FORMULA", "Derived", "HallRow", "derive_density"]

#: The formula, as recorded in ``df.attrs["derived"]["n_hall"]["formula"]``.
HALL_FORMULA = "n = 1 / (e * |R_H|)"


@dataclass(frozen=True)
class HallRow:
    """One row whose n tcfit derived from the Hall coefficient.

    Attributes
    ----------
    row : int
        The row as the user sees it.
    material : str
        The material of the row.
    r_h : float
        The Hall coefficient (m³ C⁻¹), with its sign.
    carriers : str
        ``"electron-like"`` (R_H < 0) or ``"hole-like"`` (R_H > 0).
    e : float
        The elementary charge used (C).
    n : float
        The derived density (m⁻³).
    """

    row: int
    material: Any
    r_h: float
    carriers: str
    e: float
    n: float

    def to_dict(self) -> dict[str, Any]:
        """The record as stored in ``df.attrs["derived"]["n_hall"]["rows"]``."""
        return {
            "row": self.row,
            "material": self.material,
            "r_h": self.r_h,
            "carriers": self.carriers,
            "e": self.e,
            "n": self.n,
        }


def _hall(frame: pd.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, list[HallRow]]:
    """Set n = 1/(e·|R_H|) where n is empty and R_H is a finite non-zero number."""
    from scipy.constants import e

    none = np.zeros(len(frame), dtype=bool)
    if "r_h" not in frame:
        return none, []
    r_h = frame["r_h"].to_numpy(dtype=float)
    n = frame["n"].to_numpy(dtype=float)
    usable = np.isnan(n) & np.isfinite(r_h) & (r_h != 0)
    with np.errstate(divide="ignore"):
        n_new = 1.0 / (e * np.abs(r_h))
    frame.loc[usable, "n"] = n_new[usable]
    materials = frame["material"].astype(object)
    records = [
        HallRow(
            int(rows[k]),
            materials.iloc[k],
            float(r_h[k]),
            "electron-like" if r_h[k] < 0 else "hole-like",
            float(e),
            float(n_new[k]),
        )
        for k in np.flatnonzero(usable)
    ]
    return usable, records


def _warning(records: list[HallRow]) -> list[str]:
    if not records:
        return []
    signs = "; ".join(
        f"{kind} (R_H {'<' if kind == 'electron-like' else '>'} 0) for "
        + ", ".join(str(r.material) for r in records if r.carriers == kind)
        for kind in ("electron-like", "hole-like")
        if any(r.carriers == kind for r in records)
    )
    return [
        f"n is from the Hall coefficient, n = 1/(e·|R_H|), for {len(records)} row(s): carriers "
        f"{signs}. This single-band relation gives only an effective density in a metal with "
        "several bands (electrons and holes), which can differ from the free-electron n by a "
        "large factor; compare with n from the valence before reading i."
    ]


@dataclass
class Derived:
    """What :func:`derive_density` computed, and the problems it found."""

    n_mask: np.ndarray  # rows whose n was derived (either way)
    valence_rows: list[DerivedRow]
    reasons: dict[int, str]  # why n could not be derived, by row
    hall_rows: list[HallRow]
    typeii_rows: list[TypeIIRow]
    problems: list[Problem]  # rows whose Bc could not be derived from Bc2
    warnings: list[str]  # the multiband warning, when any row used R_H


def derive_density(
    frame: pd.DataFrame, valences: Mapping[str, float] | None, headers: Mapping[str, str]
) -> Derived:
    """Fill an empty Bc from Bc2 (:mod:`._typeii`), an empty n from R_H, then from the
    valence; ``frame`` (indexed by the user's rows) in place."""
    typeii_rows, problems = derive_bc(frame, headers)
    if "n" not in frame and ("valence" in frame or "r_h" in frame or valences):
        frame["n"] = np.nan
    if "n" not in frame:
        return Derived(np.zeros(len(frame), bool), [], {}, [], typeii_rows, problems, [])
    rows = frame.index.to_numpy()
    from_hall, hall_rows = _hall(frame, rows)
    from_valence, valence_rows, reasons = derive_n(frame, rows, valences)
    if "r_h" in frame:
        stuck = frame["n"].isna().to_numpy() & frame["r_h"].notna().to_numpy()
        for row in rows[stuck]:
            reasons.setdefault(
                int(row), "n is empty and R_H is 0, so n = 1/(e·|R_H|) cannot be computed"
            )
    return Derived(
        from_hall | from_valence,
        valence_rows,
        reasons,
        hall_rows,
        typeii_rows,
        problems,
        _warning(hall_rows),
    )
