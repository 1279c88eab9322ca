"""Read a table given in parts (the partitions of a Dask DataFrame) exactly as one DataFrame.

:func:`read_part` runs where a part lives: it reads the part as :func:`tcfit.read` reads a
DataFrame, numbering its rows as in the whole table (position ``k`` of the whole is row
``k + 2``), and keeps what only the whole can decide — its share of the table's digest (the
:class:`~tcfit.datasets._digest.Segment` s of its rows), the problems of its rows.
:func:`combine_parts` joins the parts on the client: a material repeated across parts, the digest
(:func:`~tcfit.datasets._digest.frame_sha256` of the whole, joined from the parts' segments), the
unit warnings and the provenance, so the frame and its ``attrs`` equal those of
``tcfit.read(whole)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from tcfit.errors import DataError, Problem

from ._canonical import canonicalise
from ._derive import FORMULA
from ._digest import Segment, column_tags, combine, segments
from ._longform import duplicate_message, refuse_chunked_series
from ._provenance import Derivation, DroppedRow, Provenance, attach
from ._raw import RawTable, SourceInfo
from ._sanity import implied_i_warnings

__all__ = ["FramePart", "combine_parts", "read_part"]


@dataclass(frozen=True, eq=False)
class FramePart:
    """One part read (see the module docstring).

    Attributes
    ----------
    frame : pandas.DataFrame or None
        The canonical rows of the part (``None`` if the part is empty or has bad rows).
    provenance : Provenance or None
    rows : numpy.ndarray of int
        The whole table's row number of every row of ``frame``.
    problems : tuple of Problem
        The problems of the part's rows.
    fatal : DataError or None
        A problem of the whole table (a missing column, a unit), raised by :func:`combine_parts`.
    headers : tuple of str
    segments : list of Segment
        The part's share of the table's digest (:func:`tcfit.datasets._digest.segments`).
    tags : tuple of str
        How each column is hashed (:func:`tcfit.datasets._digest.column_tags`).
    length : int
        Rows in the part as given.
    """

    frame: pd.DataFrame | None
    provenance: Provenance | None
    rows: np.ndarray
    problems: tuple[Problem, ...]
    fatal: DataError | None
    headers: tuple[str, ...]
    segments: list[Segment]
    tags: tuple[str, ...]
    length: int


def read_part(
    part: pd.DataFrame,
    offset: int,
    *,
    units: Mapping[str, str] | None,
    require: tuple[str, ...],
    skip_invalid: bool,
    valences: Mapping[str, float] | None = None,
) -> FramePart:
    """Read one part whose first row is row ``offset`` (from 0) of the whole table.

    A long-format Bc(T) table is refused (its series are fitted whole, not by partition).
    """
    named = [n for n in part.index.names if n is not None]
    if not isinstance(part.index, pd.RangeIndex) and named:
        part = part.reset_index()
    headers = tuple(str(c) for c in part.columns)
    empty = np.empty(0, dtype=np.int64)
    if len(part) == 0:
        return FramePart(None, None, empty, (), None, headers, [], column_tags(part), 0)
    source = SourceInfo(None, str(part.attrs.get("name", "DataFrame")), "", "dataframe")
    raw = RawTable.from_frame(part, source=source)
    raw = replace(raw, rows=raw.rows + offset)
    hashes = (segments(part, offset), column_tags(part), len(part))
    problems: tuple[Problem, ...] = ()
    try:
        refuse_chunked_series(raw)
        frame, prov = canonicalise(
            raw, units=units, require=require, skip_invalid=skip_invalid, valences=valences
        )
    except DataError as err:
        if any(p.row is None for p in err.problems):
            return FramePart(None, None, empty, (), err, headers, *hashes)
        problems = tuple(err.problems)  # the valid rows are kept to find repeats across parts
        try:
            frame, prov = canonicalise(
                raw, units=units, require=require, skip_invalid=True, valences=valences
            )
        except DataError:  # no valid row at all
            return FramePart(None, None, empty, problems, None, headers, *hashes)
    dropped = np.array([d.row for d in prov.dropped], dtype=np.int64)
    rows = np.asarray(raw.rows[~np.isin(raw.rows, dropped)], dtype=np.int64)
    return FramePart(frame, prov, rows, problems, None, headers, *hashes)


def _repeated(frames: list[pd.DataFrame], rows: np.ndarray, header: str | None) -> list[Problem]:
    """A material in two parts, worded as :func:`tcfit.read` words a repeated material."""
    material = pd.concat([f["material"] for f in frames], ignore_index=True)
    repeated = material.duplicated(keep="first").to_numpy(dtype=bool)
    if not repeated.any():
        return []
    first = pd.Series(rows).groupby(material.to_numpy(dtype=object)).transform("first")
    return [
        Problem(
            duplicate_message(material.iloc[k], first.iloc[k]),
            row=int(rows[k]),
            column=header,
        )
        for k in np.flatnonzero(repeated)
    ]


def _merged(provs: list[Provenance], dropped: list[DroppedRow], sha: str) -> Provenance:
    derived_rows = tuple(r for p in provs if "n" in p.derived for r in p.derived["n"].rows)
    gone = {d.row for d in dropped}
    derived_rows = tuple(r for r in derived_rows if r.row not in gone)
    derived = {"n": Derivation(FORMULA, derived_rows)} if derived_rows else {}
    every = sorted([*(d for p in provs for d in p.dropped), *dropped], key=lambda d: d.row or 0)
    return replace(provs[0], sha256=sha, dropped=tuple(every), derived=derived)


def combine_parts(parts: list[FramePart], *, skip_invalid: bool) -> tuple[pd.DataFrame, np.ndarray]:
    """The canonical frame of the whole table from its parts, and which parts' rows it keeps.

    Returns
    -------
    frame : pandas.DataFrame
        Equal (values and ``attrs``) to ``tcfit.read`` of the whole table.
    keep : numpy.ndarray of bool
        Over the concatenated rows of the parts' frames: False for a material repeated from an
        earlier part and dropped (``skip_invalid``).

    Raises
    ------
    DataError
        With every problem of every part, sorted by row.
    """
    import warnings

    from tcfit.errors import TcfitWarning

    for part in parts:
        if part.fatal is not None:
            raise part.fatal
    problems = [p for part in parts for p in part.problems]
    done = [p for p in parts if p.frame is not None]
    frames = [p.frame for p in done if p.frame is not None]
    provs = [p.provenance for p in done if p.provenance is not None]
    if not frames:
        raise DataError(problems or "The table has a header but no data rows.")
    rows = np.concatenate([p.rows for p in done])
    header = provs[0].columns_as_given.get("material")
    repeated = _repeated(frames, rows, header)
    if problems or (repeated and not skip_invalid):
        raise DataError(sorted([*problems, *repeated], key=lambda p: p.row or 0))
    keep = ~np.isin(rows, np.array([p.row for p in repeated], dtype=np.int64))
    names = pd.concat([f["material"] for f in frames], ignore_index=True)
    dropped = [
        DroppedRow(int(p.row or 0), str(names[k]), f"column {header!r}: {p.message}")
        for k, p in zip(np.flatnonzero(~keep), repeated, strict=True)
    ]
    sha = combine(
        list(parts[0].headers),
        parts[0].tags,
        sum(p.length for p in parts),
        [s for p in parts for s in p.segments],
    )
    frame = pd.concat(frames, ignore_index=True).loc[keep].reset_index(drop=True)
    prov = _merged(provs, dropped, sha)
    messages = implied_i_warnings(frame, rows[keep])
    prov = replace(prov, warnings=(prov.warnings or ()) + tuple(messages))
    for message in messages:
        warnings.warn(message, TcfitWarning, stacklevel=3)
    return attach(frame, prov), keep
