"""The superconducting elements: a sourced reference table and its fittable subset.

Files (``data/``):

* ``elements_all.csv`` — the 31 rows of the shared reference ``elements_reference.csv`` with all
  of its columns and values, cell for cell (:func:`check_reference_rows` refuses a malformed
  reference rather than repairing it); ``elements_all.yaml`` — units, canonical names and sources.
* ``elements.csv`` — the rows of ``elements_all.csv`` that have a measured Tc, Bc(0) and a
  tabulated free-electron n, so every row can be fitted; ``elements.yaml``.

Both CSVs are written by :func:`build` (``python -m tcfit.datasets._elements REFERENCE.csv``)
and never edited by hand. Nothing is computed into them: empty cells stay empty. Quantities
derived from the tabulated ones (e.g. n from valence·ρ·N_A/M) are computed in code and flagged.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from ._registry import data_bytes, metadata, register, sha256

__all__ = [
    "build",
    "check_reference_rows",
    "load_elements",
    "load_elements_all",
    "select_fittable",
]


def check_reference_rows(rows: list[list[str]]) -> None:
    """Refuse a reference CSV whose records do not all have as many cells as its header.

    The shared reference used to write one source text with an unquoted comma, which split
    29 cells; it is correctly quoted now, and the build copies it cell for cell. A record with
    a different number of cells means the file is malformed again, and nothing is repaired.

    Parameters
    ----------
    rows : list of list of str
        The records of the reference CSV, header first, as parsed by :mod:`csv`.

    Raises
    ------
    ValueError
        Naming the first record (its line in the file and its symbol) whose cell count differs
        from the header's.
    """
    header = rows[0]
    for line, record in enumerate(rows[1:], start=2):
        if len(record) != len(header):
            symbol = record[0] if record else ""
            raise ValueError(
                f"Line {line} ({symbol!r}) of the reference has {len(record)} cells; the header "
                f"has {len(header)}. Quote cells that contain a comma; the build repairs nothing."
            )


def select_fittable(rows: list[list[str]]) -> list[list[str]]:
    """The header and the rows with a measured Tc, Bc(0) and a tabulated n (cells non-empty)."""
    header = rows[0]
    need = [header.index(c) for c in ("tc_K", "bc0_gauss", "n_free_1e29_per_m3")]
    return [header] + [r for r in rows[1:] if all(r[k].strip() for k in need)]


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def build(reference: Path, out_dir: Path) -> dict[str, Any]:
    """Write ``elements_all.csv`` and ``elements.csv`` from the shared reference CSV.

    Parameters
    ----------
    reference : pathlib.Path
        ``elements_reference.csv`` (the shared reference, with its README-style ``.md``).
    out_dir : pathlib.Path
        Where to write the two CSV files (``datasets/data``).

    Returns
    -------
    dict
        ``rows_all``, ``rows_fittable`` and ``fittable`` (the symbols).

    Raises
    ------
    ValueError
        If a record of the reference has a different number of cells than its header.
    """
    text = reference.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    check_reference_rows(rows)
    fittable = select_fittable(rows)
    (out_dir / "elements_all.csv").write_text(_csv_text(rows), encoding="utf-8")
    (out_dir / "elements.csv").write_text(_csv_text(fittable), encoding="utf-8")
    return {
        "rows_all": len(rows) - 1,
        "rows_fittable": len(fittable) - 1,
        "fittable": [r[0] for r in fittable[1:]],
    }


def _load(name: str) -> pd.DataFrame:
    from ._read import _canonicalise, _raw_from_frame

    meta = metadata(name)
    filename = meta["file"]
    raw_text = pd.read_csv(
        io.BytesIO(data_bytes(filename)), dtype=str, keep_default_na=False, na_filter=False
    )
    headers: dict[str, str] = {}
    for column, spec in meta["columns"].items():
        canonical = spec.get("canonical")
        if canonical is None:
            continue
        unit = spec.get("unit")
        headers[column] = f"{canonical} [{unit}]" if unit and unit != "1" else canonical
    frame = raw_text.rename(columns=headers)
    raw = _raw_from_frame(frame, label=filename, name=name, sha=sha256(filename), fmt="builtin")
    df, attrs = _canonicalise(raw, units=None, require=(), skip_invalid=False)
    attrs.update(
        {
            "title": meta["title"],
            "source": meta["source"],
            "file": filename,
            "sha256": sha256(filename),
            "columns_as_given": {
                spec["canonical"]: column
                for column, spec in meta["columns"].items()
                if spec.get("canonical")
            },
            "units_as_given": {
                spec["canonical"]: spec["unit"]
                for spec in meta["columns"].values()
                if spec.get("canonical") and spec.get("unit")
            },
        }
    )
    df.attrs = attrs
    return df


@register("elements_all")
def load_elements_all() -> pd.DataFrame:
    """All 31 superconducting elements of the reference table, in SI, nothing filled in.

    Returns
    -------
    pandas.DataFrame
        Canonical columns ``material`` (element symbol), ``tc`` (K), ``bc`` (T, from the
        reference's gauss as 1 G = 1e-4 T; empty for 18 rows), ``n`` (m⁻³), ``valence``,
        ``density`` (kg m⁻³), ``molar_mass`` (kg mol⁻¹), ``gamma`` (J mol⁻¹ K⁻²),
        ``debye_temperature`` (K), ``note``, ``n_derived`` (all False), and the reference's
        source columns (``name``, ``phase``, ``tc_source``, ``tc_other_values``, ...).
        ``tcfit.datasets.resolve("elements_all")`` with the default ``require`` refuses the
        rows without Bc or n.

    References
    ----------
    ``elements_all.yaml`` lists every source.
    """
    return _load("elements_all")


@register("elements")
def load_elements() -> pd.DataFrame:
    """The 13 elements with measured Tc, Bc(0) and a tabulated free-electron n, in SI.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`load_elements_all` where ``tc``, ``bc`` and ``n`` are all given
        (Al, Cd, Ga, Hg, In, Ir, Nb, Pb, Re, Sn, Tl, Zn, Zr), same columns.

    References
    ----------
    ``elements.yaml`` lists every source.
    """
    return _load("elements")


def main(argv: list[str] | None = None) -> int:
    """``python -m tcfit.datasets._elements REFERENCE.csv [OUT_DIR]``: rebuild the CSVs."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(__doc__)
        return 2
    out = Path(args[1]) if len(args) > 1 else Path(__file__).parent / "data"
    summary = build(Path(args[0]), out)
    print(
        f"elements_all.csv: {summary['rows_all']} rows; elements.csv: "
        f"{summary['rows_fittable']} rows ({', '.join(summary['fittable'])})."
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
