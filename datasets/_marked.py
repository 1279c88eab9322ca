"""A frame :func:`tcfit.read` returned before: validated again, not read again.

:func:`tcfit.read` marks its frames with ``df.attrs["tcfit_schema"]``. Reading such a frame a
second time (``tcfit.fit(tcfit.read(path))``) checks it against the pandera schema for the
``require`` asked for and returns a copy with its provenance, instead of matching headers,
resolving units and converting again. A marked frame that has been changed so that reading it
would change it (a column moved or added under a canonical name, a named index, an ``n`` that
the valence could fill, a value the schema refuses) is read again like any DataFrame, so the
result and the errors are those of a full read.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd

from ._aliases import match_header
from ._schema import CANONICAL_ORDER, SCHEMA_MARK, SCHEMA_VERSION, failure_cases

__all__ = ["is_marked", "revalidate"]


def is_marked(frame: pd.DataFrame) -> bool:
    """True when ``frame.attrs`` carries the mark of the current canonical schema."""
    return bool(frame.attrs.get(SCHEMA_MARK) == SCHEMA_VERSION)


def _in_canonical_layout(frame: pd.DataFrame) -> bool:
    """Canonical columns first, in canonical order; no extra column that reading would map."""
    columns = [c for c in frame.columns if isinstance(c, str)]
    if len(columns) != frame.shape[1] or not frame.columns.is_unique:
        return False
    canonical = [c for c in columns if c in CANONICAL_ORDER]
    if columns[: len(canonical)] != sorted(canonical, key=CANONICAL_ORDER.index):
        return False
    for header in columns[len(canonical) :]:
        found = match_header(header)
        if found.canonical is not None and not (found.weak and found.canonical in canonical):
            return False
    return True


def _derivable_n(frame: pd.DataFrame) -> bool:
    """True when reading would derive some n from the valence."""
    if "valence" not in frame:
        return False
    if "n" not in frame:
        return True
    valence = frame["valence"].to_numpy(dtype=float, na_value=np.nan)
    n = frame["n"].to_numpy(dtype=float, na_value=np.nan)
    return bool(np.any(np.isnan(n) & np.isfinite(valence) & (valence > 0)))


def revalidate(frame: pd.DataFrame, require: tuple[str, ...]) -> pd.DataFrame | None:
    """A copy of a marked canonical frame, if reading it again would not change it.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame.
    require : tuple of str
        Quantity columns every row must have.

    Returns
    -------
    pandas.DataFrame or None
        A copy (default index, attrs with ``require`` updated) when ``frame`` is marked and
        still valid; ``None`` when it must be read in full.
    """
    if not is_marked(frame) or frame.shape[0] == 0:
        return None
    if not isinstance(frame.index, pd.RangeIndex) and any(n is not None for n in frame.index.names):
        return None
    if not _in_canonical_layout(frame) or _derivable_n(frame):
        return None
    if failure_cases(frame, require) is not None:
        return None
    copied = frame.reset_index(drop=True)
    attrs = copy.deepcopy(dict(frame.attrs))
    attrs["require"] = list(require)
    copied.attrs.clear()
    copied.attrs.update(attrs)
    return copied
