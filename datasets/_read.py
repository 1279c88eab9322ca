"""Read a measurement table in any common format and unit into the canonical SI frame.

One path for every input: :func:`read` turns what it is given (a built-in name, a path, an open
file or buffer, a DataFrame) into a *raw table* (:mod:`tcfit.datasets._raw`; the bytes through
the format of :mod:`tcfit.datasets.formats`), and :func:`~tcfit.datasets._canonical.canonicalise`
turns the raw table into the canonical frame of :mod:`tcfit.datasets._schema`, converting to SI
once and collecting every problem into one :class:`DataError`. A frame :func:`read` returned
before (marked ``df.attrs["tcfit_schema"]``) is only validated again.

Row numbers in messages
-----------------------
* CSV/TSV/text: the physical line of the file where the record starts (the header line is row
  1 when the file starts with it; blank lines and ``#`` comment lines count as lines).
* XLSX: the spreadsheet row number shown by Excel.
* JSON: record ``k`` (counting from 0) is row ``k + 2``, the line it would occupy in a CSV with
  one header line; the same for the ``k``-th entry of a JSON object of columns.
* Parquet and pandas DataFrames: position ``k`` (from 0) is row ``k + 2``, the line it would
  occupy in ``df.to_csv(index=False)``.
* Built-in datasets: the line of the shipped CSV file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tcfit._validate import check_option
from tcfit.errors import DataError, InputError

from . import formats
from ._canonical import canonicalise
from ._decode import check_encoding
from ._files import read_buffer, read_path
from ._marked import revalidate
from ._provenance import Provenance, attach
from ._raw import RawTable, SourceInfo, fail
from ._registry import names, read_builtin
from ._sanity import IMPLIED_I_PLAUSIBLE, implied_i_warnings
from ._schema import QUANTITY_COLUMNS
from ._series import SERIES_LAWS

__all__ = ["DEFAULT_REQUIRE", "I_WARN_HIGH", "I_WARN_LOW", "read", "resolve"]

#: The columns a fit needs on every row.
DEFAULT_REQUIRE: tuple[str, ...] = ("tc", "bc", "n")
#: An implied i outside [I_WARN_LOW, I_WARN_HIGH] (with the SI reading) triggers a unit warning.
I_WARN_LOW, I_WARN_HIGH = IMPLIED_I_PLAUSIBLE


def _check_require(require: Iterable[str]) -> tuple[str, ...]:
    if isinstance(require, str):
        require = (require,)
    names_ = tuple(require)
    unknown = [r for r in names_ if r not in QUANTITY_COLUMNS]
    if unknown:
        allowed = ", ".join(repr(q) for q in QUANTITY_COLUMNS)
        raise InputError(
            f"The `require` parameter must name quantity columns among {allowed}; "
            f"not {', '.join(map(repr, unknown))}.",
            argument="require",
        )
    return names_


def _check_valences(valences: Any) -> dict[str, float] | None:
    """Per-element valences: known element symbols mapped to numbers ≥ 0."""
    import periodictable

    if valences is None:
        return None
    if not isinstance(valences, Mapping):
        raise InputError(
            f"The `valences` parameter must map element symbols to valences, e.g. "
            f"{{'Nb': 5, 'Sn': 4}}; not {valences!r}.",
            argument="valences",
        )
    out: dict[str, float] = {}
    for symbol, value in valences.items():
        try:
            periodictable.elements.symbol(str(symbol).strip())
            number = float(value)
        except (ValueError, TypeError):
            number = float("nan")
        if not number >= 0 or not np.isfinite(number):
            raise InputError(
                "The `valences` parameter must map element symbols (such as 'Nb') to numbers "
                f"≥ 0; not {symbol!r}: {value!r}.",
                argument="valences",
            )
        out[str(symbol).strip()] = number
    return out


def _from_bytes(
    blob: bytes,
    *,
    label: str | None,
    name: str,
    sheet: str | int | None,
    encoding: str | None = None,
) -> RawTable:
    import hashlib

    if not blob.strip():
        raise fail("The file is empty.", label)
    ext = Path(label).suffix.lower() if label else ""
    chosen = formats.pick(blob, ext, label=label)
    if encoding is not None and chosen.binary:
        raise fail(
            f"encoding={encoding!r} applies to text files (CSV, TSV, JSON); this file is "
            f"{chosen.description}, which states its own encoding.",
            label,
        )
    source = SourceInfo(label, name, hashlib.sha256(blob).hexdigest(), chosen.name)
    source = replace(source, encoding=encoding)
    return chosen.parse(blob, source=source, sheet=sheet)


def _from_path(
    data: str | os.PathLike[str], sheet: str | int | None, encoding: str | None
) -> RawTable:
    label = os.fspath(data)
    known = ", ".join(repr(n) for n in names())
    missing = (
        f"There is no file {label!r} and no built-in dataset of that name "
        f"(the built-ins are {known})."
    )
    blob = read_path(label, missing=missing)
    return _from_bytes(blob, label=label, name=Path(label).stem, sheet=sheet, encoding=encoding)


def _from_buffer(data: Any, sheet: str | int | None, encoding: str | None) -> RawTable:
    given = getattr(data, "name", None)
    label = os.fspath(given) if isinstance(given, (str, os.PathLike)) else "<buffer>"
    name = Path(label).stem if label != "<buffer>" else "buffer"
    content = read_buffer(data, label)
    if isinstance(content, str):
        if encoding is not None:
            raise InputError(
                f"encoding={encoding!r} applies to bytes; this buffer gives text (str), which "
                "is decoded already.",
                argument="encoding",
            )
        content = _encoded(content, label)
    return _from_bytes(content, label=label, name=name, sheet=sheet, encoding=encoding)


def _encoded(text: str, label: str) -> bytes:
    """UTF-8 bytes of a text buffer; a lone surrogate is an error naming its line."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as err:
        line = text[: err.start].count("\n") + 1
        raise fail(
            f"Line {line} holds a lone surrogate ({text[err.start]!r}); it is not valid Unicode.",
            label,
            row=line,
        ) from err


def _from_frame(data: pd.DataFrame) -> RawTable:
    sha = data.attrs.get("sha256")
    source = SourceInfo(
        None,
        str(data.attrs.get("name", "DataFrame")),
        None if sha is None else str(sha),
        "dataframe",
    )
    return RawTable.from_frame(data, source=source)


def _kept_rows(raw: RawTable, prov: Provenance) -> np.ndarray:
    # A dropped Bc(T) series names its material, not one row (row None).
    dropped = np.array([d.row for d in prov.dropped if d.row is not None], dtype=np.int64)
    return np.asarray(raw.rows[~np.isin(raw.rows, dropped)], dtype=np.int64)


def _read(
    data: Any,
    *,
    units: Mapping[str, str] | None,
    sheet: str | int | None,
    skip_invalid: bool,
    require: tuple[str, ...],
    encoding: str | None = None,
    series_law: str = "two_fluid",
    valences: Mapping[str, float] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The canonical frame of ``data`` (attrs set) and the unit warnings to emit."""
    brought: Mapping[Any, Any] = {}
    if encoding is not None and (
        isinstance(data, pd.DataFrame) or (isinstance(data, str) and data in names())
    ):
        raise DataError(
            f"encoding={encoding!r} applies to files and buffers only; a DataFrame or a "
            "built-in dataset is text already."
        )
    if isinstance(data, pd.DataFrame):
        if not units:
            again = revalidate(data, require)
            if again is not None:
                return again, []
        raw, brought = _from_frame(data), data.attrs
    elif isinstance(data, str) and data in names():
        if units:
            raise DataError(
                f"The built-in dataset {data!r} is already in SI units; units= applies to "
                "files and DataFrames only."
            )
        frame, prov, raw = read_builtin(data, require=require, skip_invalid=skip_invalid)
        return _finish(frame, prov, _kept_rows(raw, prov))
    elif isinstance(data, (str, os.PathLike)):
        raw = _from_path(data, sheet, encoding)
    elif hasattr(data, "read"):
        raw = _from_buffer(data, sheet, encoding)
    else:
        raise InputError(
            "data must be a built-in dataset name, a path, a file-like object or a pandas "
            f"DataFrame; got {type(data).__name__}.",
            argument="data",
        )
    frame, prov = canonicalise(
        raw,
        units=units,
        require=require,
        skip_invalid=skip_invalid,
        series_law=series_law,
        valences=valences,
    )
    found = list(prov.warnings or ())  # the reader's own (the Hall coefficient's)
    return _finish(frame, prov.carrying(brought), _kept_rows(raw, prov), found)


def _finish(
    frame: pd.DataFrame, prov: Provenance, rows: np.ndarray, found: list[str] | None = None
) -> tuple[pd.DataFrame, list[str]]:
    messages = implied_i_warnings(frame, rows)
    prov = replace(prov, warnings=(prov.warnings or ()) + tuple(messages))
    return attach(frame, prov), [*(found or []), *messages]


def _emit(messages: list[str]) -> None:
    import warnings

    from tcfit.errors import TcfitWarning

    for message in messages:
        # stacklevel=3: the caller of the public function (_emit -> read -> caller).
        warnings.warn(message, TcfitWarning, stacklevel=3)


def read(
    data: Any,
    *,
    units: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    skip_invalid: bool = False,
    require: Iterable[str] = DEFAULT_REQUIRE,
    encoding: str | None = None,
    series_law: str = "two_fluid",
    valences: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Read a measurement table into the canonical SI frame.

    Parameters
    ----------
    data : str, os.PathLike, file-like or pandas.DataFrame
        A built-in dataset name (see :func:`tcfit.datasets.names`), a path to a CSV, TSV,
        XLSX, JSON (records or columns) or Parquet file, an open file or buffer, or a DataFrame
        (validated the same way as a file). The format comes from the extension (``.csv``,
        ``.tsv``/``.tab``, ``.txt``/``.dat``, ``.xlsx``/``.xlsm``, ``.json``, ``.parquet``/
        ``.pq``) or, without one, from the content. A frame :func:`read` returned before is
        validated and returned as a copy, not read again.
    units : dict of str to str, optional
        Units of columns whose header states none, e.g. ``{"bc": "G", "n": "cm^-3"}``; keys
        are canonical names, aliases or headers. Columns without a unit anywhere are SI.
    sheet : str or int, optional
        The worksheet of an .xlsx file, by name or by position from 0; default the first.
    skip_invalid : bool, default=False
        Drop invalid rows instead of raising, recording each in ``df.attrs["dropped"]`` as
        ``{"row", "material", "reason"}``.
    require : iterable of str, default=("tc", "bc", "n")
        Quantity columns every row must have.
    encoding : str, optional
        The text encoding of a CSV, TSV or JSON file or byte buffer (any name Python knows:
        ``"utf-8"``, ``"cp1252"``, ``"latin-1"``, ``"shift_jis"``...), used strictly. By
        default tcfit detects UTF-8, UTF-16/32 with a byte-order mark and plain Windows-1252
        text, and refuses anything else naming the line of the first byte that does not
        decode (see :mod:`tcfit.datasets._decode`). The encoding used is recorded in
        ``df.attrs["encoding"]``.
    series_law : {"two_fluid", "power"}, default="two_fluid"
        The law fitted to each material's Bc(T) series in a long-format table (see Notes).
    valences : mapping of str to float, optional
        Valence electrons per atom of each element, e.g. ``{"Nb": 5, "Sn": 4}``: the valence
        per formula unit of a material written as a formula where the table has no
        ``valence`` (see Notes).

    Returns
    -------
    pandas.DataFrame
        The canonical frame (see :mod:`tcfit.datasets._schema`): ``material``, ``tc`` (K),
        ``bc`` (T), ``n`` (m⁻³), the optional canonical columns present, ``n_derived`` and
        any extra columns. ``df.attrs`` mirrors its :class:`~tcfit.datasets.Provenance`
        (:func:`tcfit.datasets.provenance`): ``name``, ``file``, ``sha256``, ``format``,
        ``units`` (SI), ``units_as_given``, ``units_from``, ``columns_as_given``, ``source``,
        ``dropped``, ``derived`` and ``warnings``; ``df.attrs["tcfit_schema"]`` marks it.

    Raises
    ------
    DataError
        Listing every problem (file, row as seen in the file with the header as row 1, column,
        what is wrong): missing required column or value, unparsable number, non-positive or
        non-finite value, a value outside the limits of :mod:`tcfit.datasets._limits` (an SI
        magnitude outside 1e-50..1e50, an uncertainty that is not below 100 % of its value),
        duplicate material, empty file, content that does not match the extension, an unknown
        path, a path that is not a regular file (a FIFO, a directory, a device), a file larger
        than ``MAX_INPUT_BYTES`` or a table beyond ``MAX_COLUMNS``/``MAX_ROWS``, text that
        does not decode, an unclosed quote, duplicate keys in a JSON object, a damaged or
        oversized .xlsx workbook.
    UnitError
        If a unit is unknown to pint, has the wrong dimension for its column, or is outside
        the limits (a factor to SI of 0, inf or beyond 1e±60, a power beyond ±64, a tower of
        powers).
    InputError
        If ``require`` names an unknown column, ``encoding`` an unknown encoding, or ``data``
        is of an unsupported type.

    Warns
    -----
    TcfitWarning
        When the implied i of a row (with the SI reading, :func:`tcfit.implied_i`) lies outside
        [1e-3, 1e4]; the message names the likely unit mistake.

    Notes
    -----
    Critical fields in gauss or oersted are converted as 1 G ≙ 1 Oe ≙ 1e-4 T (μ0·H), a field
    strength in A/m as μ0·H. Where ``n`` is empty and ``valence`` is given,
    n = valence·ρ·N_A/M with ρ and M from the table or, for element symbols, from
    periodictable; such rows have ``n_derived = True``. :func:`resolve` is another name for
    this function.

    **Compounds.** A material written as a chemical formula (``Nb3Sn``, ``MgB2``, ``NbTi``)
    gets M from :func:`periodictable.formula`; its ``valence`` is per formula unit (or the sum
    of ``valences`` over the formula) and its ``density`` must be in the table. Every input of
    each derived n, and where it came from, is in ``df.attrs["derived"]["n"]``.

    **Long-format series.** A table with a temperature column (``T``, ``temperature``; in K
    unless its header or ``units=`` says otherwise) holds Bc(T) series: one row per point,
    materials repeated, ``Bc`` and optionally ``Bc_err`` per point, other columns constant
    within a material. Each material's series is fitted with :func:`tcfit.fit_series`
    (``series_law``: the two-fluid law :math:`B_c(0)[1-(T/T_c)^2]` or the power law with a free
    exponent) and becomes one row: ``bc`` = Bc(0), ``tc`` = the fitted Tc, their 1σ errors,
    their correlation ``tc_bc_corr`` (propagated by :func:`tcfit.fit` into σ(ln i)), and the
    ``series_*`` columns (law, points, weighting, χ²/dof, p, exponent); ``df.attrs["series"]``
    lists, per material, its rows, points, parameters, errors, covariance and χ². Too few
    points, a rise of Bc with T beyond the noise or a poor fit is a :class:`DataError` naming
    the file, the material and its rows (with ``skip_invalid`` the material is dropped).

    Examples
    --------
    >>> df = read("table1")
    >>> len(df), df.attrs["units"]["bc"]
    (21, 'T')
    >>> import io
    >>> df = read(io.StringIO("metal,Tc [K],Bc [mT],n (cm^-3)\\nAl,1.175,10.3,1.81e23\\n"))
    >>> float(df.bc[0]), float(df.n[0])
    (0.0103, 1.81e+29)
    >>> text = "element,Tc / mK,Hc (Oe),n [1e29 m^-3]\\nIr,112.5,16,7.0\\n"
    >>> df = read(io.StringIO(text))
    >>> float(df.tc[0]), float(df.bc[0]), float(df.n[0])
    (0.1125, 0.0016, 7e+29)
    """
    needed = _check_require(require)
    series_law = check_option("series_law", series_law, tuple(SERIES_LAWS))
    if encoding is not None:
        encoding = check_encoding(encoding)
    frame, messages = _read(
        data,
        units=units,
        sheet=sheet,
        skip_invalid=skip_invalid,
        require=needed,
        encoding=encoding,
        series_law=series_law,
        valences=_check_valences(valences),
    )
    _emit(messages)
    return frame


#: The same function as :func:`read` (its older name, kept).
resolve = read
