"""Table-1 of the paper, transcribed exactly as printed, and its side numbers.

Files: ``data/table1.csv`` (the 21 rows), ``data/table1_alternatives.csv`` (the alternative-i
values printed in the table's notes and the text), ``data/table1.yaml`` (units, source,
transcription notes, the Al worked example, and the recorded reproduction findings).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._data import read_csv_text, sidecar
from ._raw import ColumnSpec, RawTable
from ._schema import SI_UNITS
from ._units import si_factor

if TYPE_CHECKING:
    from ._provenance import Provenance

__all__ = [
    "LOADED_COLUMNS",
    "as_loaded",
    "split_metal_phase",
    "table1_alternatives",
    "table1_printed",
    "table1_worked_example",
]

_NAME = "table1"
#: The columns of ``tcfit.datasets.load("table1")``, in order.
LOADED_COLUMNS: tuple[str, ...] = ("material", "tc", "bc", "n", "i", "tc_printed", "note")
_METAL = r"^(?P<symbol>[A-Z][a-z]?)(?:\((?P<phase>[^)]*)\))?$"


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
    return read_csv_text("table1.csv")


def split_metal_phase(raw: RawTable) -> RawTable:
    """Table-1's named transform: ``"Hg(α)"`` is material ``"Hg"``, note ``"printed as Hg(α)"``.

    The printed row number ``no`` (not a measurement; see :func:`table1_printed`) is left out:
    only the columns the sidecar gives a meaning are kept, and a ``note`` column is added.

    Parameters
    ----------
    raw : RawTable
        The raw table of ``table1.csv`` with the sidecar's declarations.

    Returns
    -------
    RawTable
        The same rows, ``metal`` holding the element symbol, plus ``note``.
    """
    metal_at = raw.headers.index("metal")
    metal = pd.Series(raw.cells[metal_at].to_numpy(dtype=object), dtype="str")
    parts = metal.str.extract(_METAL)
    note = ("printed as " + metal).where(parts["phase"].fillna("") != "", "")
    keep = [j for j, h in enumerate(raw.headers) if h in raw.declared]
    columns = [
        parts["symbol"].to_numpy(dtype=object) if j == metal_at else raw.cells[j].to_numpy()
        for j in keep
    ]
    cells = pd.DataFrame(dict(enumerate([*columns, note.to_numpy(dtype=object)])), dtype=object)
    headers = (*(raw.headers[j] for j in keep), "note")
    declared = {**raw.declared, "note": ColumnSpec("note")}
    return RawTable(headers, cells, raw.rows, raw.source, declared, raw.problems)


def as_loaded(frame: pd.DataFrame, prov: Provenance) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Table-1 as :func:`tcfit.datasets.load` returns it: the printed columns, in SI.

    Parameters
    ----------
    frame : pandas.DataFrame
        The canonical Table-1 frame.
    prov : Provenance
        Its provenance.

    Returns
    -------
    frame : pandas.DataFrame
        The columns :data:`LOADED_COLUMNS`.
    attrs : dict
        ``name``, ``title``, ``source``, ``file``, ``sha256``, ``units`` (SI, including the
        printed theoretical Tc) and ``units_as_given`` (the printed units of the columns with a
        dimension).
    """
    meta = sidecar(_NAME)
    specs = meta["columns"].values()
    attrs: dict[str, Any] = {
        "name": prov.name,
        "title": meta["title"],
        "source": meta["source"],
        "file": prov.file,
        "sha256": prov.sha256,
        "units": {c: SI_UNITS[c] for c in ("tc", "bc", "n", "tc_printed")} | {"i": "1"},
        "units_as_given": {
            s["canonical"]: s["unit"] for s in specs if s.get("canonical") in SI_UNITS
        },
    }
    return frame[list(LOADED_COLUMNS)].copy(), attrs


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
    raw = read_csv_text("table1_alternatives.csv")
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
    ex = sidecar(_NAME)["worked_example"]
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
