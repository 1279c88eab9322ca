"""Sanity checks on a table read in SI: an implausible implied i points at a unit mistake.

With Eq. (5), i = (C·Bc / (Tc·n^{1/6}))², so a field in gauss read as tesla multiplies i by 1e8,
an n in cm⁻³ read as m⁻³ by 100 and a Tc in mK read as K by 1e-6. A row whose implied i lies
outside :data:`IMPLIED_I_PLAUSIBLE` is warned about, naming the likely mistake (:func:`unit_hint`).
The report uses the same bounds.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

__all__ = ["IMPLIED_I_PLAUSIBLE", "implied_i_warnings", "unit_hint"]

#: An implied i outside [low, high] (with the SI reading) triggers a unit warning.
IMPLIED_I_PLAUSIBLE: tuple[float, float] = (1e-3, 1e4)

_Guess = tuple[str, str, float, float]
_BC_GUESSES: tuple[_Guess, ...] = (("", "", 0.0, 0.0), ("Bc", "gauss or mT", -8.0, -6.0))
_N_GUESSES: tuple[_Guess, ...] = (
    ("", "", 0.0, 0.0),
    ("n", "cm^-3", -2.0, -2.0),
    ("n", "a mantissa of 1e28 or 1e29 m^-3", -29.0 / 3.0, -28.0 / 3.0),
)
_TC_GUESSES: tuple[_Guess, ...] = (("", "", 0.0, 0.0), ("Tc", "mK", 6.0, 6.0))
_PLAUSIBLE = (-1.0, 2.0)  # log10 of the i range that a unit fix should reach
_TYPICAL = 0.7  # log10(5), the middle of the paper's i values, to break ties


def unit_hint(
    log10_i: float,
    *,
    tc: float | None = None,
    bc: float | None = None,
    n: float | None = None,
) -> str:
    """Name the unit mistake most likely to give an implied i of ``10**log10_i``.

    Each candidate shifts log10 i by a known amount (i ∝ Bc² / (n^{1/3} Tc²)): Bc in gauss or
    mT read as tesla (+8 or +6), n in cm⁻³ read as m⁻³ (+2), n written as a mantissa of
    1e28–1e29 m⁻³ (+9.3 to +9.7), Tc in mK read as K (−6). The typical magnitudes of the
    columns, when given, narrow the candidates first (n below 1e4 can only be a mantissa,
    n from 1e4 to 1e25 "m⁻³" looks like cm⁻³, n above that is taken as SI; Tc above 300 K
    looks like mK; Bc above 100 T looks like gauss or mT). Of the remaining combinations the one
    that brings i into 0.1–100 with the fewest changes is named (ties: the one landing nearest
    i = 5).

    Parameters
    ----------
    log10_i : float
        Decimal logarithm of the implied i read with SI units.
    tc, bc, n : float, optional
        Typical (median) values of the columns as read, in K, T and m⁻³.

    Returns
    -------
    str
        E.g. ``"Bc looks like gauss or mT, n like cm^-3"``, or ``"check the units of Tc, Bc
        and n"`` when no combination fits.

    Examples
    --------
    >>> unit_hint(10.5, bc=103.0, n=1.81e23)
    'Bc looks like gauss or mT, n like cm^-3'
    >>> unit_hint(10.2, bc=0.0103, n=1.81)
    'n looks like a mantissa of 1e28 or 1e29 m^-3'
    >>> unit_hint(-5.5)
    'Tc looks like mK'
    """
    bc_guesses, n_guesses, tc_guesses = _BC_GUESSES, _N_GUESSES, _TC_GUESSES
    if n is not None:
        n_guesses = (
            (_N_GUESSES[2],) if n < 1e4 else (_N_GUESSES[1],) if n < 1e25 else (_N_GUESSES[0],)
        )
    if tc is not None and tc > 300.0:
        tc_guesses = (_TC_GUESSES[1],)
    if bc is not None and bc > 100.0:
        bc_guesses = (_BC_GUESSES[1],)
    best: tuple[float, int, float, str] | None = None
    for guess in itertools.product(bc_guesses, n_guesses, tc_guesses):
        low = log10_i + sum(g[2] for g in guess)
        high = log10_i + sum(g[3] for g in guess)
        gap = max(_PLAUSIBLE[0] - high, low - _PLAUSIBLE[1], 0.0)
        changes = [g for g in guess if g[0]]
        words = [
            f"{quantity} {'looks like' if k == 0 else 'like'} {unit}"
            for k, (quantity, unit, _, _) in enumerate(changes)
        ]
        candidate = (gap, len(changes), abs((low + high) / 2 - _TYPICAL), ", ".join(words))
        if best is None or candidate[:3] < best[:3]:
            best = candidate
    if best is None or best[0] > 0.5 or not best[3]:
        return "check the units of Tc, Bc and n"
    return best[3]


def implied_i_warnings(frame: pd.DataFrame, rows: np.ndarray) -> list[str]:
    """A warning for the rows whose implied i, read in SI, lies outside :data:`IMPLIED_I_PLAUSIBLE`.

    Parameters
    ----------
    frame : pandas.DataFrame
        The canonical table (SI).
    rows : numpy.ndarray of int
        The user's row number of each line of ``frame``.

    Returns
    -------
    list of str
        Empty, or one message naming up to five rows and the likely unit mistake
        (:func:`unit_hint`).
    """
    from tcfit.model import implied_i

    if not {"tc", "bc", "n"} <= set(frame.columns):
        return []
    values = frame[["tc", "bc", "n"]].to_numpy(dtype=float)
    ok = np.all(np.isfinite(values) & (values > 0), axis=1)
    if not ok.any():
        return []
    low, high = IMPLIED_I_PLAUSIBLE
    i = np.full(len(frame), np.nan)
    i[ok] = implied_i(values[ok, 0], values[ok, 1], values[ok, 2])
    flagged = ok & ((i < low) | (i > high))
    if not flagged.any():
        return []
    where = np.flatnonzero(flagged)
    listed = ", ".join(
        f"{frame['material'].iloc[k]} (row {rows[k]}): i = {i[k]:.3g}" for k in where[:5]
    )
    more = f" and {len(where) - 5} more" if len(where) > 5 else ""
    medians = np.median(values[where], axis=0)
    hint = unit_hint(
        float(np.median(np.log10(i[where]))),
        tc=float(medians[0]),
        bc=float(medians[1]),
        n=float(medians[2]),
    )
    return [
        f"{len(where)} row(s) give an implied i outside [{low:g}, {high:g}] when "
        f"read in SI units (Tc in K, Bc in T, n in m^-3): {listed}{more}. Likely "
        f"unit mistake: {hint}. State units in the headers (e.g. 'Bc [mT]', 'n (cm^-3)') "
        "or pass units=."
    ]
