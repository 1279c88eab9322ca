"""Quantities tcfit computes from others: the free-electron density n from the valence.

.. math:: n = Z \\rho N_A / M

with the valence Z, the mass density ρ (kg m⁻³), the molar mass M (kg mol⁻¹) and Avogadro's
number N_A. ρ and M come from the table or, for element symbols, from periodictable. Derived rows
are flagged (``n_derived``) and recorded in the provenance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FORMULA", "DerivedRow", "derive_n"]

#: The formula, as recorded in ``df.attrs["derived"]["n"]["formula"]``.
FORMULA = "n = valence * density * N_A / molar_mass"

_ELEMENT = re.compile(r"^([A-Z][a-z]?)(?=$|[\s(\[_\-,])")
_NOT_DERIVED = (
    "n is empty and cannot be derived from the valence: no density and molar mass in "
    "the file, and the material is not an element symbol periodictable knows"
)


@dataclass(frozen=True)
class DerivedRow:
    """One row whose n tcfit derived from the valence.

    Attributes
    ----------
    row : int
        The row as the user sees it.
    material : str
        The material of the row.
    valence, density, molar_mass, n : float
        The inputs (SI) and the derived n (m⁻³).
    density_from, molar_mass_from : str
        ``"file"`` or the periodictable version and element used.
    """

    row: int
    material: Any
    valence: float
    density: float
    density_from: str
    molar_mass: float
    molar_mass_from: str
    n: float

    def to_dict(self) -> dict[str, Any]:
        """The record as stored in ``df.attrs["derived"]["n"]["rows"]``."""
        return {
            "row": self.row,
            "material": self.material,
            "valence": self.valence,
            "density": self.density,
            "density_from": self.density_from,
            "molar_mass": self.molar_mass,
            "molar_mass_from": self.molar_mass_from,
            "n": self.n,
        }


def _element_properties(materials: Iterable[str]) -> dict[str, tuple[float, float, str]]:
    """Density (kg m⁻³) and molar mass (kg mol⁻¹) from periodictable for element symbols."""
    import periodictable

    found: dict[str, tuple[float, float, str]] = {}
    for material in set(materials):
        match = _ELEMENT.match(material)
        if not match:
            continue
        try:
            element = periodictable.elements.symbol(match.group(1))
        except ValueError:
            continue
        if element.density and element.mass:
            found[material] = (
                float(element.density) * 1e3,
                float(element.mass) * 1e-3,
                f"periodictable {periodictable.__version__} ({element.symbol})",
            )
    return found


def _usable(values: np.ndarray) -> np.ndarray:
    """Mask of finite, positive entries."""
    mask: np.ndarray = np.isfinite(values) & (values > 0)
    return mask


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name in frame:
        return np.array(frame[name].to_numpy(dtype=float), dtype=float)
    return np.full(len(frame), np.nan)


def _fill_from_elements(
    materials: pd.Series,
    need: np.ndarray,
    columns: tuple[np.ndarray, np.ndarray],
    origins: tuple[np.ndarray, np.ndarray],
) -> None:
    """Fill missing density and molar mass of element symbols in place (where ``need``)."""
    table = _element_properties(m for m in materials[need] if isinstance(m, str))
    for k in np.flatnonzero(need):
        material = materials.iloc[k]
        props = table.get(material) if isinstance(material, str) else None
        if props is None:
            continue
        for values, origin, value in zip(columns, origins, props[:2], strict=True):
            if not _usable(values[k : k + 1])[0]:
                values[k], origin[k] = value, props[2]


def derive_n(
    frame: pd.DataFrame, rows: np.ndarray
) -> tuple[np.ndarray, list[DerivedRow], dict[int, str]]:
    """Set n = valence·ρ·N_A/M in ``frame`` where n is missing and the valence is given.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table in SI with ``material``, ``n`` and optionally ``valence``, ``density`` and
        ``molar_mass``; its ``n`` is updated in place.
    rows : numpy.ndarray of int
        The user's row number of each line of ``frame``.

    Returns
    -------
    derived : numpy.ndarray of bool
        The rows whose n was derived.
    records : list of DerivedRow
        One record per derived row.
    reasons : dict of int to str
        For rows where n could not be derived, why (used in the missing-value message).
    """
    from scipy.constants import Avogadro

    none = np.zeros(len(frame), dtype=bool)
    if "valence" not in frame:
        return none, [], {}
    valence = _column(frame, "valence")
    wanted = np.isnan(_column(frame, "n")) & np.isfinite(valence) & (valence > 0)
    if not wanted.any():
        return none, [], {}
    density, molar = _column(frame, "density"), _column(frame, "molar_mass")
    density_from = np.where(_usable(density), "file", "").astype(object)
    molar_from = np.where(_usable(molar), "file", "").astype(object)
    materials = frame["material"].astype(object)
    need = wanted & ~(_usable(density) & _usable(molar))
    if need.any():
        _fill_from_elements(materials, need, (density, molar), (density_from, molar_from))
    derived = wanted & _usable(density) & _usable(molar)
    n_new = valence * density * Avogadro / molar
    frame.loc[derived, "n"] = n_new[derived]
    records = [
        DerivedRow(
            int(rows[k]),
            materials.iloc[k],
            float(valence[k]),
            float(density[k]),
            str(density_from[k]),
            float(molar[k]),
            str(molar_from[k]),
            float(n_new[k]),
        )
        for k in np.flatnonzero(derived)
    ]
    reasons = {int(rows[k]): _NOT_DERIVED for k in np.flatnonzero(wanted & ~derived)}
    return derived, records, reasons
