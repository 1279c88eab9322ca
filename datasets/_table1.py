"""Table-1 of the paper, transcribed exactly as printed, and its side numbers.

Files: ``data/table1.csv`` (the 21 rows), ``data/table1_alternatives.csv`` (the alternative-i
values printed in the table's notes and the text), ``data/table1.yaml`` (units, source,
transcription notes, the Al worked example, and the recorded reproduction findings).
"""

from __future__ import annotations

import io
from fractions import Fraction
from typing import Any

import pandas as pd

from ._registry import data_bytes, metadata, register, sha256
from ._units import SI_UNITS, scale_to_si, si_factor

__all__ = ["load_table1", "table1_alternatives", "table1_printed", "table1_worked_example"]

_NAME = "table1"


def _read_as_printed(filename: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data_bytes(filename)), dtype=str, keep_default_na=False)


def table1_printed() -> pd.DataFrame:
    """Table-1 exactly as printed: every cell a string, in the paper's units.

    Returns
    -------
    pandas.DataFrame
        Columns ``no``, ``metal`` (with phase, e.g. ``"Hg(α)"``), ``i``, ``n_1e29_per_m3``
        (10²⁹ m⁻³), ``bc_1e-4_T`` (10⁻⁴ T), ``tc_theory_K`` and ``tc_exp_K`` (K). Keeping the
        strings keeps the printed precision, which the reproduction check needs.

    References
    ----------
    Jiang, Table-1.
    """
    return _read_as_printed("table1.csv")


def _split_metal(metal: pd.Series) -> tuple[pd.Series, pd.Series]:
    parts = metal.str.extract(r"^(?P<symbol>[A-Z][a-z]?)(?:\((?P<phase>[^)]*)\))?$")
    phase = parts["phase"].fillna("")
    note = ("printed as " + metal).where(phase != "", "")
    return parts["symbol"], note


@register(_NAME)
def load_table1() -> pd.DataFrame:
    """Table-1 in SI units with canonical column names (see :func:`tcfit.datasets.load`)."""
    meta = metadata(_NAME)
    raw = table1_printed()
    columns: dict[str, Any] = meta["columns"]
    material, note = _split_metal(raw["metal"])
    df = pd.DataFrame({"material": material})
    units_as_given: dict[str, str] = {}
    for file_column, spec in columns.items():
        canonical = spec.get("canonical")
        if canonical in SI_UNITS:
            unit = spec["unit"]
            units_as_given[canonical] = unit
            values = raw[file_column].astype(float).to_numpy()
            df[canonical] = scale_to_si(values, si_factor(unit, canonical))
        elif canonical == "i":
            df["i"] = raw[file_column].astype(float)
    df["note"] = note
    df = df[["material", "tc", "bc", "n", "i", "tc_printed", "note"]]
    df.attrs = {
        "name": _NAME,
        "title": meta["title"],
        "source": meta["source"],
        "file": "table1.csv",
        "sha256": sha256("table1.csv"),
        "units": {c: SI_UNITS[c] for c in ("tc", "bc", "n", "tc_printed")} | {"i": "1"},
        "units_as_given": units_as_given,
    }
    return df


def table1_alternatives() -> pd.DataFrame:
    """The alternative-i critical temperatures the paper prints beside Table-1.

    Returns
    -------
    pandas.DataFrame
        Columns ``material``, ``i`` (float; ``1/4`` and ``1/100`` are exact fractions converted
        to float), ``i_printed`` (the string as printed), ``tc_printed`` (K, as printed),
        ``tc_printed_text`` (string) and ``where_printed``.

    References
    ----------
    Jiang, Table-1 notes (rows 1, 19, 20, 21) and the text after Table-1.
    """
    raw = _read_as_printed("table1_alternatives.csv")
    return pd.DataFrame(
        {
            "material": raw["metal"],
            "i": [float(Fraction(s)) for s in raw["i"]],
            "i_printed": raw["i"],
            "tc_printed": raw["tc_theory_K"].astype(float),
            "tc_printed_text": raw["tc_theory_K"],
            "where_printed": raw["where_printed"],
        }
    )


def table1_worked_example() -> dict[str, Any]:
    """The aluminium worked example of the paper's assumption (2), in SI units.

    Returns
    -------
    dict
        ``material``, ``tc`` (K) and ``n`` (m⁻³) used as inputs (Table-1 row 1); the printed
        ``ns_max`` (m⁻³) and ``jc`` (A m⁻²) in SI, each with ``<name>_as_printed`` (the number
        as printed, a string), ``<name>_unit_as_printed`` and ``<name>_text``; and ``note``.

    References
    ----------
    Jiang, assumption (2): "for metal Al, n_s,max ≈ (Tc/T_F) n = 1.589e24 /m³ ... Jc ...
    5.16e7 A/cm²".
    """
    ex = metadata(_NAME)["worked_example"]
    inputs, printed = ex["inputs"], ex["printed"]
    result: dict[str, Any] = {
        "material": ex["material"],
        "tc": float(inputs["tc"]["value"]) * si_factor(inputs["tc"]["unit"], "tc"),
        "n": float(inputs["n"]["value"]) * si_factor(inputs["n"]["unit"], "n"),
        "note": str(ex["note"]),
    }
    for quantity in ("ns_max", "jc"):
        spec = printed[quantity]
        result[quantity] = float(spec["value"]) * si_factor(spec["unit"], quantity)
        result[f"{quantity}_as_printed"] = str(spec["value"])
        result[f"{quantity}_unit_as_printed"] = str(spec["unit"])
        result[f"{quantity}_text"] = str(spec["text"])
    return result
