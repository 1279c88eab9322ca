"""Quantities tcfit computes from others: the free-electron density n from the valence.

.. math:: n = Z \\rho N_A / M

with the valence Z, the mass density ρ (kg m⁻³), the molar mass M (kg mol⁻¹) and Avogadro's
number N_A. ρ and M come from the table or, for element symbols, from periodictable.

**Compounds.** A material written as a chemical formula (``Nb3Sn``, ``MgB2``, ``NbTi``,
``V3Si``) is read by :func:`periodictable.formula`: M is the formula's mass (per formula unit),
Z the valence electrons per formula unit, from the ``valence`` column or, where that is empty,
from per-element valences (``valences={"Nb": 5, "Sn": 4}``: Nb3Sn → 3·5 + 1·4 = 19). Its
density must be in the table: periodictable's densities are of the elements, so a compound
has no default. The composition read from the name is recorded, so a name that only looks
like a formula (``YBCO`` reads as Y, B, C, O) shows in the provenance.

Derived rows are flagged (``n_derived``) and recorded in the provenance with where each input
came from; a row whose n cannot be derived is told exactly which input is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FORMULA", "DerivedRow", "derive_n"]

#: The formula, as recorded in ``df.attrs["derived"]["n"]["formula"]``.
FORMULA = "n = valence * density * N_A / molar_mass"

_ELEMENT = re.compile(r"^([A-Z][a-z]?)(?=$|[\s(\[_\-,])")


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
        The inputs (SI; the valence per formula unit) and the derived n (m⁻³).
    density_from, molar_mass_from : str
        ``"file"`` or the periodictable version and element or formula used.
    valence_from : str
        ``"file"`` or the sum over the formula of the per-element ``valences``.
    """

    row: int
    material: Any
    valence: float
    density: float
    density_from: str
    molar_mass: float
    molar_mass_from: str
    n: float
    valence_from: str = "file"

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
            "valence_from": self.valence_from,
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


def _composition(material: str) -> dict[str, int] | None:
    """The atoms per formula unit of a material written as a formula (``Nb3Sn``), or None."""
    import periodictable
    from pyparsing import ParseException

    name = material.strip()
    if not name or not name[0].isupper():
        return None
    try:
        atoms = periodictable.formula(name).atoms
    except (ParseException, ValueError, TypeError, KeyError):
        return None
    if not atoms or any(getattr(e, "number", 0) < 1 for e in atoms):
        return None  # isotopes of hydrogen only (D, T) and the neutron are not materials here
    return {str(element): int(count) for element, count in atoms.items()}


def _atoms_text(atoms: Mapping[str, int]) -> str:
    return " ".join(f"{e}{c if c != 1 else ''}" for e, c in atoms.items())


def _formula_mass(material: str, atoms: Mapping[str, int]) -> tuple[float, str]:
    """M (kg mol⁻¹) of a formula from periodictable, with where it came from."""
    import periodictable

    mass = float(periodictable.formula(material.strip()).mass) * 1e-3
    terms = " + ".join(
        f"{c}×{float(periodictable.elements.symbol(e).mass):g}" for e, c in atoms.items()
    )
    origin = (
        f"periodictable {periodictable.__version__} formula {material.strip()!r} read as "
        f"{_atoms_text(atoms)}: {terms} g/mol"
    )
    return mass, origin


def _valence_from_map(
    atoms: Mapping[str, int], valences: Mapping[str, float]
) -> tuple[float, str] | str:
    """Σ count·valence over the formula, and how; or what is missing."""
    lacking = [e for e in atoms if e not in valences]
    if lacking:
        return f"valences= gives no valence for {', '.join(map(repr, lacking))}"
    total = float(sum(c * float(valences[e]) for e, c in atoms.items()))
    terms = " + ".join(f"{c}×{e}({float(valences[e]):g})" for e, c in atoms.items())
    return total, f"valences=: {terms} = {total:g} per formula unit"


@dataclass
class _Inputs:
    """The inputs of n per row, as arrays, with where each came from."""

    valence: np.ndarray
    density: np.ndarray
    molar: np.ndarray
    valence_from: np.ndarray
    density_from: np.ndarray
    molar_from: np.ndarray


def _inputs(frame: pd.DataFrame) -> _Inputs:
    valence, density, molar = (_column(frame, c) for c in ("valence", "density", "molar_mass"))
    return _Inputs(
        valence,
        density,
        molar,
        *(np.where(_usable(v), "file", "").astype(object) for v in (valence, density, molar)),
    )


def _fill_compounds(
    materials: pd.Series, need: np.ndarray, inputs: _Inputs, valences: Mapping[str, float]
) -> dict[int, str]:
    """Valence (from ``valences``) and M of formulas where the table lacks them, in place.

    Returns, per position, why the valence could not be had from ``valences``.
    """
    why: dict[int, str] = {}
    for k in np.flatnonzero(need):
        material = materials.iloc[k]
        atoms = _composition(material) if isinstance(material, str) else None
        if atoms is None:
            continue
        if not _usable(inputs.valence[k : k + 1])[0] and valences:
            got = _valence_from_map(atoms, valences)
            if isinstance(got, str):
                why[int(k)] = got
            else:
                inputs.valence[k], inputs.valence_from[k] = got
        if not _usable(inputs.molar[k : k + 1])[0]:
            inputs.molar[k], inputs.molar_from[k] = _formula_mass(material, atoms)
    return why


def _reason(inputs: _Inputs, k: int, valence_why: str | None) -> str:
    """Why n of position k could not be derived, naming exactly what is missing."""
    missing = []
    if not _usable(inputs.valence[k : k + 1])[0]:
        missing.append(f"the valence ({valence_why})" if valence_why else "the valence")
    if not _usable(inputs.density[k : k + 1])[0]:
        missing.append("the density (in the file; tcfit has none for a compound)")
    if not _usable(inputs.molar[k : k + 1])[0]:
        missing.append(
            "the molar mass (in the file, or a material written as an element symbol or a "
            "chemical formula periodictable reads, such as 'Nb3Sn')"
        )
    return "n is empty and cannot be derived from n = valence·ρ·N_A/M: missing " + (
        "; ".join(missing) or "nothing (a bug)"
    )


def derive_n(
    frame: pd.DataFrame, rows: np.ndarray, valences: Mapping[str, float] | None = None
) -> tuple[np.ndarray, list[DerivedRow], dict[int, str]]:
    """Set n = valence·ρ·N_A/M in ``frame`` where n is missing and a valence can be had.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table in SI with ``material``, ``n`` and optionally ``valence``, ``density`` and
        ``molar_mass``; its ``n`` is updated in place.
    rows : numpy.ndarray of int
        The user's row number of each line of ``frame``.
    valences : mapping of str to float, optional
        Valence electrons per atom of each element, for formulas without a ``valence``.

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
    if "n" not in frame or ("valence" not in frame and not valences):
        return none, [], {}
    inputs = _inputs(frame)
    materials = frame["material"].astype(object)
    empty = np.isnan(_column(frame, "n"))
    need = empty & ~(_usable(inputs.valence) & _usable(inputs.density) & _usable(inputs.molar))
    why = _fill_compounds(materials, need, inputs, valences or {}) if need.any() else {}
    wanted = empty & _usable(inputs.valence)
    need = wanted & ~(_usable(inputs.density) & _usable(inputs.molar))
    if need.any():
        _fill_from_elements(
            materials,
            need,
            (inputs.density, inputs.molar),
            (inputs.density_from, inputs.molar_from),
        )
    derived = wanted & _usable(inputs.density) & _usable(inputs.molar)
    n_new = inputs.valence * inputs.density * Avogadro / inputs.molar
    frame.loc[derived, "n"] = n_new[derived]
    records = [
        DerivedRow(
            int(rows[k]),
            materials.iloc[k],
            float(inputs.valence[k]),
            float(inputs.density[k]),
            str(inputs.density_from[k]),
            float(inputs.molar[k]),
            str(inputs.molar_from[k]),
            float(n_new[k]),
            str(inputs.valence_from[k]),
        )
        for k in np.flatnonzero(derived)
    ]
    asked = empty & (_usable(inputs.valence) | bool(valences))
    if "valence" in frame:
        asked |= empty & ~np.isnan(_column(frame, "valence"))
    reasons = {
        int(rows[k]): _reason(inputs, int(k), why.get(int(k)))
        for k in np.flatnonzero(asked & ~derived)
    }
    return derived, records, reasons
