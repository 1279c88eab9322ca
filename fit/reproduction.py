"""Recompute the paper's printed numbers from its own inputs and say where they differ.

Every printed theoretical Tc of Table-1, every alternative-i value and the two numbers of the Al
worked example are recomputed with :mod:`tcfit.model` from the transcribed inputs (never copied
from the printed column) and compared with the printed value. A difference larger than the
printed rounding (half a unit in the last printed digit) is a *finding*, reported per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import model
from ._display import Display, Displayable
from ._json import table_records
from .model import PAPER_PREFACTOR, PREFACTOR

__all__ = ["Reproduction", "half_unit", "reproduce_table1"]


def half_unit(printed: str | pd.Series) -> Any:
    """Half a unit in the last printed digit of a decimal string (the rounding tolerance).

    Parameters
    ----------
    printed : str or Series of str
        Numbers as printed, e.g. ``"0.146"``, ``"99"``, ``"1.589e24"``.

    Returns
    -------
    float or Series of float
        In the printed number's own unit, e.g. ``0.0005`` for ``"0.146"``.

    Examples
    --------
    >>> half_unit("0.146"), half_unit("99"), half_unit("1.589e24")
    (0.0005, 0.5, 5e+20)
    """
    if isinstance(printed, pd.Series):
        return printed.map(half_unit).astype(float)
    mantissa, _, exponent = printed.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 0.5 * 10.0 ** (int(exponent or 0) - decimals)


@dataclass(frozen=True)
class Reproduction(Displayable):
    """The paper's printed numbers beside their recomputation.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per Table-1 metal: ``no``, ``material``, ``label`` (as printed), ``i``, ``n``
        (m⁻³), ``bc`` (T), ``tc`` (measured, K), ``tc_printed`` (K), ``tc_printed_text``,
        ``tc_recomputed`` (K, CODATA prefactor), ``deviation`` (relative,
        ``tc_recomputed / tc_printed - 1``), ``tc_recomputed_paper`` and ``deviation_paper``
        (with the paper's 1.56e7), ``rounding`` (relative half-unit of the printed value) and
        ``beyond_rounding`` (bool: the CODATA recomputation differs by more than rounding).
    alternatives : pandas.DataFrame
        The alternative-i values, same comparison columns.
    worked_example : pandas.DataFrame
        The Al example, one row each for ``ns_max`` (m⁻³) and ``jc`` (A m⁻²).
    prefactor : float
        The prefactor used for ``tc_recomputed`` (K m^{1/2} T⁻¹).
    """

    table: pd.DataFrame
    alternatives: pd.DataFrame
    worked_example: pd.DataFrame
    prefactor: float

    def __repr__(self) -> str:
        beyond = int(self.table["beyond_rounding"].sum())
        return f"Reproduction({len(self.table)} rows, {beyond} beyond the printed rounding)"

    def _display(self) -> Display:
        from .formatting import format_percent

        t = self.table
        worst = t.iloc[int(np.argmax(t["deviation"].abs().to_numpy()))]
        rows = [
            ("rows recomputed", str(len(t))),
            ("beyond the printed rounding", ", ".join(t.loc[t["beyond_rounding"], "label"])),
            ("largest deviation", f"{worst['label']} {format_percent(worst['deviation'], 2)}"),
            ("prefactor", f"{self.prefactor:.7g} K m^½ T⁻¹"),
        ]
        return Display("tcfit reproduction of Table-1", rows)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary: ``prefactor``, ``paper_prefactor``, ``rows``,
        ``alternatives`` and ``worked_example`` (lists of records)."""
        return {
            "prefactor": self.prefactor,
            "paper_prefactor": PAPER_PREFACTOR,
            "rows": table_records(self.table),
            "alternatives": table_records(self.alternatives),
            "worked_example": table_records(self.worked_example),
        }


def _compare(df: pd.DataFrame, printed_text: pd.Series, *, scale: Any = 1.0) -> pd.DataFrame:
    """Add deviation, rounding and beyond_rounding columns (vectorised).

    ``scale`` converts the half-unit of ``printed_text`` (in its printed unit) to SI.
    """
    df = df.copy()
    df["deviation"] = df["recomputed"] / df["printed"] - 1.0
    tolerance = half_unit(printed_text).to_numpy() * scale
    df["rounding"] = tolerance / df["printed"]
    # A relative 1e-9 slack absorbs binary floating point at the exact rounding boundary.
    df["beyond_rounding"] = (df["recomputed"] - df["printed"]).abs() > tolerance * (1 + 1e-9)
    return df


def reproduce_table1(*, prefactor: float = PREFACTOR) -> Reproduction:
    """Recompute Table-1, its alternative-i values and the Al worked example.

    Parameters
    ----------
    prefactor : float, default=PREFACTOR
        Prefactor of Eq. (5) in K m^{1/2} T⁻¹ for the ``tc_recomputed`` columns. The columns
        ``tc_recomputed_paper`` always use the paper's rounded :data:`PAPER_PREFACTOR`.

    Returns
    -------
    Reproduction
        Printed and recomputed values side by side (all in SI: K, T, m⁻³, A m⁻²).

    References
    ----------
    Jiang, Eq. (5) and Table-1 (theoretical Tc and the alternative-i notes); Eq. (1) and the text
    of assumption (2) for the Al example (n_s,max and Jc).

    Examples
    --------
    >>> rep = reproduce_table1()
    >>> len(rep.table), bool(rep.table["deviation"].abs().max() < 0.02)
    (21, True)
    """
    from tcfit import datasets

    printed = datasets.table1_printed()
    t1 = datasets.load("table1")
    table = pd.DataFrame(
        {
            "no": printed["no"].astype(int),
            "material": t1["material"],
            "label": printed["metal"],
            "i": t1["i"],
            "n": t1["n"],
            "bc": t1["bc"],
            "tc": t1["tc"],
            "printed": t1["tc_printed"],
            "tc_printed_text": printed["tc_theory_K"],
            "recomputed": model.tc(t1["bc"], t1["n"], t1["i"], prefactor=prefactor),
        }
    )
    table = _compare(table, printed["tc_theory_K"])
    table["tc_recomputed_paper"] = model.tc(t1["bc"], t1["n"], t1["i"], prefactor=PAPER_PREFACTOR)
    table["deviation_paper"] = table["tc_recomputed_paper"] / table["printed"] - 1.0
    table = table.rename(columns={"printed": "tc_printed", "recomputed": "tc_recomputed"})

    alt = datasets.table1_alternatives()
    inputs = t1.set_index("material").loc[alt["material"], ["bc", "n"]].reset_index(drop=True)
    alternatives = pd.DataFrame(
        {
            "material": alt["material"],
            "i": alt["i"],
            "i_printed": alt["i_printed"],
            "printed": alt["tc_printed"],
            "tc_printed_text": alt["tc_printed_text"],
            "recomputed": model.tc(inputs["bc"], inputs["n"], alt["i"], prefactor=prefactor),
        }
    )
    alternatives = _compare(alternatives, alt["tc_printed_text"])
    alternatives = alternatives.rename(
        columns={"printed": "tc_printed", "recomputed": "tc_recomputed"}
    )

    ex = datasets.table1_worked_example()
    quantities = ["ns_max", "jc"]
    worked = pd.DataFrame(
        {
            "quantity": quantities,
            "unit": ["m^-3", "A/m^2"],
            "printed": [ex[q] for q in quantities],
            "printed_text": [ex[f"{q}_text"] for q in quantities],
            "recomputed": [model.ns_max(ex["tc"], ex["n"]), model.jc_max(ex["tc"], ex["n"])],
        }
    )
    # Rounding of the printed number, taken in its printed unit and scaled to SI with it.
    as_printed = pd.Series([ex[f"{q}_as_printed"] for q in quantities])
    scale = worked["printed"] / as_printed.astype(float)
    worked = _compare(worked, as_printed, scale=scale.to_numpy())
    return Reproduction(
        table=table, alternatives=alternatives, worked_example=worked, prefactor=prefactor
    )
