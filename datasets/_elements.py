"""The superconducting elements: a sourced reference table and its fittable subset.

Files (``data/``):

* ``elements_all.csv`` — the 31 rows of the shared reference ``elements_reference.csv`` with all
  of its columns and values, cell for cell (:func:`check_reference_rows` refuses a malformed
  reference rather than repairing it); ``elements_all.yaml`` — units, canonical names and sources.
* ``elements.csv`` — the rows of ``elements_all.csv`` that have a measured Tc, Bc(0) and a
  tabulated free-electron n, so every row can be fitted; ``elements.yaml``.

Both CSVs are written by :func:`build` (``python -m tcfit.datasets._elements REFERENCE.csv``)
and never edited by hand; this module only builds them (they are loaded like every built-in,
from their sidecars, by :mod:`tcfit.datasets._registry`). Nothing is computed into them: empty
cells stay empty. Quantities derived from the tabulated ones (e.g. n from valence·ρ·N_A/M) are
computed in code and flagged.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

__all__ = ["build", "check_reference_rows", "main", "select_fittable"]


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
