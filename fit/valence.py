r"""The valence systematic: how the electron count behind n moves every implied i.

A free-electron density is :math:`n = Z\rho N_A/M` with Z the valence electrons counted per atom,
and that count is a modelling choice that tables make differently: Table-1 counts 12 for Hg but 2
for Zn and Cd (the same group); the reference behind ``elements`` counts 1 for Nb and 2 for Hg.
Since Eq. (5)'s implied i goes as :math:`n^{-1/3}`, a factor 6 in Z moves i by 1.8 — far more than
the 5 % default uncertainty of n covers. :func:`valence_sensitivity` refits a dataset with n
recomputed under stated conventions and reports which assignments, and which dataset-level
numbers, change.

Conventions (:data:`CONVENTIONS`), from the element's place in the periodic table:

``"data"``
    the dataset's own n; its apparent valence :math:`Z = nM/(\rho N_A)` is shown (with ρ and M
    from the table, else from :mod:`periodictable`);
``"group"``
    the group number for s-block and transition metals (groups 1–11; La, Ac and Lu count 3,
    Th 4 — the f-block elements whose ground state has no f electron; other f-block elements
    have no value and keep their n), and the s+p electrons for groups 12–16 (Zn, Cd, Hg 2;
    Ga, In, Tl 3; Sn, Pb 4);
``"d10"``
    as ``"group"``, but group 12 counts its full d shell too (Zn, Cd, Hg 12).

n under a convention c is :math:`n_c = n \cdot Z_c / Z_{\rm data}` with :math:`Z_{\rm data}`
the apparent valence rounded to the nearest integer when it lies within 0.15 of one (so the
dataset's own density and rounding are kept and only the electron count changes), else the
apparent valence itself (then :math:`n_c = Z_c\rho N_A/M` exactly). A row whose convention gives
no value, or without density and molar mass, keeps its n and is counted in ``n_not_applied``.

References
----------
Jiang, Eq. (5) and Table-1. Statistics audit (2026-11), part 5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np

from ._display import Display, Displayable
from ._json import json_dict, table_records
from ._validate import check_option
from .fitting import FitResult, as_result, fit
from .options import FitOptions, FitOverrides

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONVENTIONS",
    "ValenceSensitivity",
    "apparent_valence",
    "valence",
    "valence_sensitivity",
]

#: The valence conventions (module docstring).
CONVENTIONS: tuple[str, ...] = ("data", "group", "d10")
#: An apparent valence farther than this from an integer is not rounded (the row keeps its n).
VALENCE_TOLERANCE = 0.15
#: f-block elements whose ground-state configuration has no f electron: La 5d¹6s², Ac 6d¹7s²,
#: Th 6d²7s² (NIST Atomic Spectra Database ground states); they count like transition metals.
_F_BLOCK_WITHOUT_F = {57: 3, 89: 3, 90: 4}
_PERIODS = ((1, 2), (3, 8), (11, 8), (19, 18), (37, 18), (55, 32), (87, 32))


def _group(number: int) -> int | None:
    """IUPAC group 1–18 from the atomic number; None inside the f-block (except Lu, Lr → 3)."""
    for start, length in _PERIODS:
        if start <= number < start + length:
            p = number - start + 1
            if length == 2:
                return 1 if p == 1 else 18
            if length == 8:
                return p if p <= 2 else p + 10
            if length == 18:
                return p
            if p <= 2:
                return p
            if p == 17:
                return 3
            return None if p <= 16 else p - 14
    return None


def valence(symbol: str, convention: str) -> float:
    """Valence electrons per atom of an element under ``"group"`` or ``"d10"`` (module docstring).

    Parameters
    ----------
    symbol : str
        Element symbol, e.g. ``"Hg"``.
    convention : {"group", "d10"}

    Returns
    -------
    float
        The count, or NaN where the convention gives none (unknown symbol, f-block, groups
        17–18).

    Examples
    --------
    >>> valence("Hg", "group"), valence("Hg", "d10"), valence("Nb", "group"), valence("Sn", "d10")
    (2.0, 12.0, 5.0, 4.0)
    """
    import periodictable

    check_option("convention", convention, CONVENTIONS[1:])
    element = getattr(periodictable, str(symbol), None)
    number = getattr(element, "number", None)
    if not isinstance(number, int) or number < 1:
        return math.nan
    if number in _F_BLOCK_WITHOUT_F:
        return float(_F_BLOCK_WITHOUT_F[number])
    group = _group(number)
    if group is None or group >= 17:
        return math.nan
    if group == 12:
        return 12.0 if convention == "d10" else 2.0
    return float(group - 10 if group >= 13 else group)


def apparent_valence(data: pd.DataFrame) -> np.ndarray:
    """Z = n·M/(ρ·N_A) of every row: ρ (kg m⁻³) and M (kg mol⁻¹) from the table where given,
    else :mod:`periodictable`'s for an element symbol; NaN otherwise."""
    import periodictable
    from scipy.constants import N_A

    rows = len(data)
    rho = _column(data, "density", rows)
    molar = _column(data, "molar_mass", rows)
    for k, name in enumerate(data["material"].astype(str)):
        element = getattr(periodictable, name.split("(")[0].strip(), None)
        if element is None or not isinstance(getattr(element, "number", None), int):
            continue
        if not np.isfinite(rho[k]) and element.density:
            rho[k] = float(element.density) * 1000.0  # g cm⁻³ → kg m⁻³
        if not np.isfinite(molar[k]) and element.mass:
            molar[k] = float(element.mass) / 1000.0  # g mol⁻¹ → kg mol⁻¹
    return np.asarray(data["n"].to_numpy(float) * molar / (rho * N_A))


def _column(data: pd.DataFrame, name: str, rows: int) -> np.ndarray:
    import pandas as pd

    if name not in data.columns:
        return np.full(rows, np.nan)
    return np.asarray(pd.to_numeric(data[name], errors="coerce").to_numpy(float), dtype=float)


@dataclass(frozen=True, eq=False)
class ValenceSensitivity(Displayable):
    """A dataset refitted with n under each valence convention.

    Attributes
    ----------
    table : pandas.DataFrame
        Per material: ``material``, ``valence_apparent`` (unrounded), and for every
        convention c: ``valence_<c>``, ``n_<c>`` (m⁻³), ``i_implied_<c>``, ``i_assigned_<c>``,
        ``changed_<c>`` (the assignment differs from the data's own).
    summary : pandas.DataFrame
        Per convention: ``convention``, ``n_changed``, ``changed`` (names), ``rms_residual``,
        ``within_5pct``, ``within_10pct``, ``n_not_applied`` (rows that kept their n).
    fits : dict of str to FitResult
        The fit under each convention.
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    fits: dict[str, FitResult]

    def __repr__(self) -> str:
        changed = {r.convention: r.n_changed for r in self.summary.itertuples()}
        return f"ValenceSensitivity(assignments changed per convention: {changed})"

    def _display(self) -> Display:
        rows = []
        for r in self.summary.to_dict(orient="records"):
            names = ", ".join(str(n) for n in r["changed"]) or "none"
            text = f"{r['n_changed']} changed ({names}), RMS {r['rms_residual']:.2%}"
            if "verdict" in r:
                text += (
                    f", ln BF {r['ln_bayes_factor']:+.2f} ({r['verdict']}), p {r['p_value']:.3g}"
                )
            rows.append((str(r["convention"]), text))
        return Display("tcfit valence conventions", rows)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``table`` and ``summary`` as records."""
        return json_dict(
            {"table": table_records(self.table), "summary": table_records(self.summary)}
        )


def valence_sensitivity(
    data: Any,
    options: FitOptions | None = None,
    /,
    *,
    conventions: tuple[str, ...] = CONVENTIONS,
    lattice: bool = False,
    **overrides: Unpack[FitOverrides],
) -> ValenceSensitivity:
    """Refit ``data`` with n recomputed under each valence convention (module docstring).

    Parameters
    ----------
    data : FitResult, str, path-like or pandas.DataFrame
        A fit (its data and options are reused) or data for :func:`tcfit.fit`.
    options : FitOptions, optional
    conventions : tuple of {"data", "group", "d10"}, default=CONVENTIONS
    lattice : bool, default=False
        Also run :func:`tcfit.lattice_test` on each refit (seeded with the options' seed) and
        add its ``ln_bayes_factor``, ``verdict`` and calibrated ``p_value`` to the summary: the
        dataset-level verdict under each convention.
    **overrides
        Any :class:`~tcfit.FitOptions` field.

    Returns
    -------
    ValenceSensitivity

    Raises
    ------
    InputError
        For an unknown convention.

    Examples
    --------
    >>> v = valence_sensitivity("table1")
    >>> v.summary.set_index("convention").loc["group", "changed"]
    ['Hg']
    """
    import pandas as pd

    for convention in conventions:
        check_option("conventions", convention, CONVENTIONS)
    base = as_result(data, options, **overrides)
    frame = base.data.reset_index(drop=True)
    apparent = apparent_valence(frame)
    rounded = np.where(
        np.abs(apparent - np.round(apparent)) <= VALENCE_TOLERANCE, np.round(apparent), np.nan
    )
    reference = np.where(np.isfinite(rounded), rounded, apparent)
    table = pd.DataFrame({"material": base.table["material"], "valence_apparent": apparent})
    rows, fits = [], {}
    for convention in conventions:
        if convention == "data":
            z = reference
            result = base
        else:
            z = np.array(
                [
                    valence(m.split("(")[0].strip(), convention)
                    for m in frame["material"].astype(str)
                ]
            )
            scaled = frame.copy()
            usable = np.isfinite(z) & np.isfinite(rounded) & (rounded > 0)
            scaled["n"] = np.where(
                usable, frame["n"].to_numpy(float) * z / np.where(usable, rounded, 1.0), frame["n"]
            )
            scaled.attrs = dict(frame.attrs)
            result = fit(scaled, base.options)
        fits[convention] = result
        _add_columns(table, convention, z, result, base)
        rows.append(_summary_row(convention, table, result, z, reference))
        if lattice:
            rows[-1].update(_lattice_columns(result))
    return ValenceSensitivity(table=table, summary=pd.DataFrame(rows), fits=fits)


def _add_columns(
    table: pd.DataFrame, convention: str, z: np.ndarray, result: FitResult, base: FitResult
) -> None:
    assigned = result.table["i_assigned"].to_numpy(float)
    table[f"valence_{convention}"] = z
    table[f"n_{convention}"] = result.table["n"].to_numpy(float)
    table[f"i_implied_{convention}"] = result.table["i_implied"].to_numpy(float)
    table[f"i_assigned_{convention}"] = assigned
    table[f"changed_{convention}"] = ~np.isclose(
        assigned, base.table["i_assigned"].to_numpy(float), rtol=1e-9
    )


def _lattice_columns(result: FitResult) -> dict[str, Any]:
    from .errors import InputError
    from .lattice import LATTICE_MAX_MATERIALS, default_n_sim, lattice_test

    m = len(result.table)
    if m > LATTICE_MAX_MATERIALS:
        return {"ln_bayes_factor": math.nan, "verdict": "not computed", "p_value": math.nan}
    try:
        test = lattice_test(result, n_sim=default_n_sim(m), seed=result.options.seed)
    except InputError:
        return {"ln_bayes_factor": math.nan, "verdict": "not computed", "p_value": math.nan}
    return {
        "ln_bayes_factor": test.ln_bayes_factor,
        "verdict": test.verdict,
        "p_value": test.p_value,
    }


def _summary_row(
    convention: str, table: pd.DataFrame, result: FitResult, z: np.ndarray, rounded: np.ndarray
) -> dict[str, Any]:
    changed = table.loc[table[f"changed_{convention}"], "material"].astype(str).tolist()
    s = result.summary
    return {
        "convention": convention,
        "n_changed": len(changed),
        "changed": changed,
        "rms_residual": s.rms_residual,
        "within_5pct": s.within_5pct,
        "within_10pct": s.within_10pct,
        "n_not_applied": int(np.sum(~(np.isfinite(z) & np.isfinite(rounded)))),
    }
