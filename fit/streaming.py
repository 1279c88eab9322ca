"""Fits of tables larger than memory (chunks) and beyond one machine (Dask), equal to :func:`fit`.

Every per-material column of a fit depends on its own row only; the dataset-level numbers (the
hierarchical posterior of the assigned i and the summary) depend on the whole table. Both paths
here therefore fit rows in pieces with :func:`tcfit.fitting.material_columns`, gather what the
dataset-level steps need (ln i, σ(ln i) and the assigned index: 24 bytes per material), compute
the posterior once from all of it with :func:`tcfit.fitting.posterior_of` — the same call, on the
same numbers in the same order, as :func:`tcfit.fit` — and finish every piece with
:func:`tcfit.fitting.complete_table`. The results are identical to the in-memory fit, bit for bit
(``tests/test_scale.py``).

- :func:`fit_stream` reads a Parquet file, a directory of Parquet files or a CSV file in chunks
  (:func:`tcfit.datasets.read_chunks`), in two passes: the first validates every row and gathers
  ln i and σ, the second recomputes each chunk, adds the posterior and writes it to the output
  (Parquet, CSV or JSON, atomically). Memory: one chunk plus about 60 bytes per material.
- :func:`fit_dask` (what :func:`tcfit.fit` does with a ``dask.dataframe.DataFrame``) reads and
  fits every partition where it lives (``map_partitions``), gathers the per-partition tables and
  finishes them as one. ``pip install 'tcfit[dask]'``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np

from ._display import Display, Displayable
from ._json import jsonable, table_records
from .errors import DataError, InputError
from .fitting import (
    SUMMARY_COLUMNS,
    FitResult,
    complete_table,
    material_columns,
    posterior_of,
    provenance,
    summarise,
)
from .options import FitOptions, FitOverrides
from .summary import FitSummary

if TYPE_CHECKING:
    import pandas as pd

    from .models import Model
    from .policies import Policy

__all__ = ["OUTPUT_FORMATS", "StreamResult", "fit_dask", "fit_stream", "write_result"]

#: Output formats of :func:`fit_stream`, by the extension of ``output``.
OUTPUT_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".json": "json"}


@dataclass(frozen=True, eq=False)
class StreamResult(Displayable):
    """What :func:`fit_stream` returns: the summary, the worst materials and where the table went.

    Attributes
    ----------
    summary : FitSummary
        Equal to ``tcfit.fit(path).summary`` for a table that fits in memory.
    worst : pandas.DataFrame
        The ``worst`` materials with the largest |residual| (ties: the earlier row), all
        columns of :attr:`tcfit.FitResult.table`, largest first.
    provenance : dict
        The input's provenance, JSON-ready (as in :meth:`tcfit.FitResult.to_dict`).
    options : FitOptions
    output : pathlib.Path or None
        The per-material table written (every material), if an output was given.
    chunks : int
        Chunks read in each pass.
    """

    summary: FitSummary
    worst: pd.DataFrame
    provenance: dict[str, Any]
    options: FitOptions
    output: Path | None
    chunks: int

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"StreamResult({s.n_materials} materials in {self.chunks} chunks, "
            f"rms_residual={s.rms_residual:.4g}, output={self.output})"
        )

    def _display(self) -> Display:
        s = self.summary
        rows = [
            ("materials", str(s.n_materials)),
            ("chunks", str(self.chunks)),
            ("RMS residual", f"{s.rms_residual:.2%}"),
            ("output", str(self.output)),
        ]
        return Display(f"tcfit fit (streamed) of {self.provenance.get('name')}", rows, [])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``summary``, ``worst`` (records), ``provenance``, ``options``, ``output``."""
        return {
            "summary": self.summary.to_dict(),
            "worst": table_records(self.worst),
            "provenance": self.provenance,
            "options": jsonable(self.options.to_dict()),
            "output": None if self.output is None else str(self.output),
        }


def write_result(result: FitResult, path: str | os.PathLike[str], *, rows: int = 100_000) -> Path:
    """Write a fit's per-material table by the extension of ``path``, ``rows`` at a time.

    ``.parquet``/``.pq``: Parquet; ``.json``: :meth:`FitResult.to_dict` (written record by
    record, never as one string); any other name: CSV (spreadsheet-safe). Atomic: the file
    appears complete or not at all.
    """
    target = Path(path)
    if OUTPUT_FORMATS.get(target.suffix.lower(), "csv") == "csv":
        from ._io import write_table_csv

        return write_table_csv(result.table, target)
    with _Writer(target) as writer:
        for start in range(0, max(len(result.table), 1), rows):
            writer.write(result.table.iloc[start : start + rows])
        head = {"summary": result.summary.to_dict()}
        tail = {
            "provenance": provenance(result.data),
            "options": jsonable(result.options.to_dict()),
        }
        writer.finish(head, tail)
    return target


def _worst(parts: list[pd.DataFrame], k: int) -> pd.DataFrame:
    """The k rows with the largest |residual| over the parts (stable: earlier rows first)."""
    import pandas as pd

    both = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if both.empty or k == 0:
        return both.head(0)
    key = -np.abs(both["residual"].to_numpy(dtype=float))
    order = np.argsort(key, kind="stable")[:k]
    return both.iloc[order].reset_index(drop=True)


class _Writer:
    """The per-material table to Parquet, CSV or JSON, chunk by chunk, renamed at the end."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.format = None if path is None else OUTPUT_FORMATS[path.suffix.lower()]
        self.tmp: Path | None = None
        self.handle: Any = None
        self.schema: Any = None
        self.first = True

    def __enter__(self) -> _Writer:
        import tempfile

        if self.path is not None:
            try:
                fd, name = tempfile.mkstemp(
                    prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
                )
            except OSError as err:  # name the file asked for, not the temporary one
                raise type(err)(err.errno, err.strerror, str(self.path)) from err
            os.close(fd)
            self.tmp = Path(name)
        return self

    def write(self, table: pd.DataFrame) -> None:
        if self.tmp is None:
            return
        if self.format == "parquet":
            self._parquet(table, self.tmp)
        elif self.format == "csv":
            from ._io import spreadsheet_safe

            safe = spreadsheet_safe(table)
            safe.to_csv(self.tmp, index=False, lineterminator="\n", mode="a", header=self.first)
        else:
            with open(self.tmp, "a", encoding="utf-8") as handle:
                for record in table_records(table):
                    handle.write(("" if self.first else ",\n") + "    ")
                    handle.write(json.dumps(record, ensure_ascii=False, allow_nan=False))
                    self.first = False
        self.first = False

    def _parquet(self, table: pd.DataFrame, path: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        arrow = pa.Table.from_pandas(table, schema=self.schema, preserve_index=False)
        if self.handle is None:
            self.schema = arrow.schema
            self.handle = pq.ParquetWriter(path, self.schema)
        self.handle.write_table(arrow)

    def finish(self, head: dict[str, Any], tail: dict[str, Any]) -> None:
        """Close, (JSON: wrap the records between ``head`` and ``tail``) and rename."""
        if self.tmp is None or self.path is None:
            return
        if self.handle is not None:
            self.handle.close()
        from ._io import atomic_path

        if self.format == "json":
            with atomic_path(self.path) as final, open(final, "w", encoding="utf-8") as out:
                _json_around(out, self.tmp, head, tail)
            self.tmp.unlink()
        else:
            with atomic_path(self.path) as final:
                os.replace(self.tmp, final)

    def __exit__(self, *exc: object) -> None:
        if self.tmp is not None and self.tmp.exists():
            self.tmp.unlink()


def _json_around(out: Any, records: Path, head: dict[str, Any], tail: dict[str, Any]) -> None:
    """``{**head, "table": [records], **tail}`` written without holding the records."""
    out.write("{\n")
    for key, value in head.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    out.write('  "table": [\n')
    with open(records, encoding="utf-8") as handle:
        while block := handle.read(2**20):
            out.write(block)
    out.write("\n  ]")
    for key, value in tail.items():
        out.write(f",\n  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    out.write("\n}\n")


@dataclass
class _Gathered:
    """What the first pass keeps: 24 bytes per material, and the chunks' uncertainty labels."""

    log_implied: list[np.ndarray]
    sigma_ln_i: list[np.ndarray]
    idx: list[np.ndarray]
    rows: list[np.ndarray]
    labels: set[str]

    def arrays(self, keep: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """ln i, σ and the index of every kept material, concatenated; the parts are released
        (memory is the bound here)."""
        x, s, i = (np.concatenate(a) for a in (self.log_implied, self.sigma_ln_i, self.idx))
        self.log_implied, self.sigma_ln_i, self.idx, self.rows = [], [], [], []
        return (x, s, i) if keep is None else (x[keep], s[keep], i[keep])

    def label(self) -> str:
        return self.labels.pop() if len(self.labels) == 1 else "mixed"


def _first_pass(reader: Any, model: Model, pol: Policy, opts: FitOptions) -> _Gathered:
    gathered = _Gathered([], [], [], [], set())
    for chunk in reader:
        table, x, sigma, idx = material_columns(chunk.frame, model, pol, opts)
        gathered.log_implied.append(x)
        gathered.sigma_ln_i.append(sigma)
        gathered.idx.append(idx)
        gathered.rows.append(chunk.rows)
        gathered.labels.add(str(table.attrs["uncertainties"]))
    return gathered


def _output_path(output: str | os.PathLike[str] | None) -> Path | None:
    if output is None:
        return None
    path = Path(output)
    if path.suffix.lower() not in OUTPUT_FORMATS:
        allowed = ", ".join(sorted(OUTPUT_FORMATS))
        raise InputError(
            f"The output {os.fspath(output)!r} must end in one of {allowed}.", argument="output"
        )
    return path


def fit_stream(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    options: FitOptions | None = None,
    /,
    *,
    chunk_rows: int | None = None,
    worst: int = 10,
    **overrides: Unpack[FitOverrides],
) -> StreamResult:
    """Fit a table too large for memory in chunks; identical to :func:`tcfit.fit` (Eq. 5).

    Parameters
    ----------
    source : str or os.PathLike
        A Parquet file, a directory of Parquet files (one table, in sorted path order) or a
        CSV/TSV file (UTF-8 or an 8-bit encoding).
    output : str or os.PathLike, optional
        Where the per-material table goes: ``.parquet``/``.pq``, ``.csv`` or ``.json`` (the
        form of ``tcfit fit --json``). Written chunk by chunk and renamed into place at the end.
    options : FitOptions, optional
        As for :func:`tcfit.fit`; ``**overrides`` too.
    chunk_rows : int, optional
        Rows per chunk, default :data:`tcfit.datasets.DEFAULT_CHUNK_ROWS` (100 000).
    worst : int, default=10
        How many of the worst-fitting materials (largest |residual|) to return.

    Returns
    -------
    StreamResult
        The summary (equal to the in-memory fit's), the worst materials and the output path.

    Raises
    ------
    DataError
        Every problem of every row (after the first pass; see
        :func:`tcfit.datasets.read_chunks`), a material that appears twice (in any chunks),
        a table beyond :data:`tcfit.datasets.MAX_STREAM_ROWS`.
    InputError
        For an invalid option or an output of an unknown format.

    References
    ----------
    Jiang, Eq. (5).
    """
    from tcfit.datasets import DEFAULT_CHUNK_ROWS, read_chunks

    opts = FitOptions.coerce(options, overrides)
    model, pol = opts.get_model(), opts.get_policy()
    path = _output_path(output)
    reader = read_chunks(
        source,
        chunk_rows=DEFAULT_CHUNK_ROWS if chunk_rows is None else chunk_rows,
        units=opts.units,
        require=model.requires,
        skip_invalid=opts.skip_invalid,
        encoding=opts.encoding,
        valences=opts.valences,
    )
    gathered = _first_pass(reader, model, pol, opts)
    if not gathered.rows:
        raise DataError("The table has no rows to fit.", file=reader.label)
    keep, again = _without_duplicates(reader, gathered, opts)
    del reader  # its name hashes (16 bytes per material) are no longer needed
    label = gathered.label()
    log_implied, sigma_ln_i, idx = gathered.arrays(keep)
    posterior, method = posterior_of(log_implied, sigma_ln_i, pol, idx)
    del log_implied, sigma_ln_i, idx, gathered, keep
    return _second_pass(again, path, posterior, method, label, model, pol, opts, worst)


def _without_duplicates(
    reader: Any, gathered: _Gathered, opts: FitOptions
) -> tuple[np.ndarray | None, Any]:
    """Materials repeated across chunks: an error, or (skip_invalid) rows dropped in pass two."""
    problems, reasons = reader.duplicates()
    if problems and not opts.skip_invalid:
        raise DataError(problems, file=reader.label)
    again = reader.again(reasons)
    if not reasons:
        return None, again
    rows = np.concatenate(gathered.rows)
    return ~np.isin(rows, np.fromiter(reasons, dtype=np.int64)), again


def _second_pass(
    reader: Any,
    path: Path | None,
    posterior: np.ndarray,
    method: str,
    label: str,
    model: Model,
    pol: Policy,
    opts: FitOptions,
    worst: int,
) -> StreamResult:
    import pandas as pd

    slim: dict[str, np.ndarray] = {}  # the summary's columns for every material, filled in place
    candidates: list[pd.DataFrame] = []
    counts = np.zeros(2, dtype=np.int64)
    start = chunks = 0
    with _Writer(path) as writer:
        for chunk in reader:
            table, *_ = material_columns(chunk.frame, model, pol, opts)
            part = posterior[start : start + len(table)]
            start += len(table)
            counts += complete_table(chunk.frame, table, part, method, model, pol, opts)
            table.attrs["uncertainties"] = label
            writer.write(table)
            for column in (c for c in table.columns if _summary_column(c)):
                values = table[column].to_numpy()
                if column not in slim:
                    slim[column] = np.empty(posterior.size, dtype=values.dtype)
                slim[column][start - len(table) : start] = values
            candidates = [_worst([*candidates, table], worst)]
            chunks += 1
        summary_table = pd.DataFrame(slim, copy=False)
        slim.clear()
        summary_table.attrs.update(posterior_method=method, uncertainties=label)
        has_reference = "i_reference" in summary_table.columns
        reference = (int(counts[0]), int(counts[1])) if has_reference else (0, 0)
        summary = summarise(summary_table, pol, opts, model, reference)
        prov = _provenance(reader.attrs())
        head = {"summary": summary.to_dict()}
        writer.finish(head, {"provenance": prov, "options": jsonable(opts.to_dict())})
    return StreamResult(summary, _worst(candidates, worst), prov, opts, path, chunks)


def _summary_column(column: str) -> bool:
    return column in SUMMARY_COLUMNS or column.startswith("residual_")


def _provenance(attrs: dict[str, Any]) -> dict[str, Any]:
    from tcfit import __version__

    out = {str(k): jsonable(v) for k, v in attrs.items()}
    out["tcfit_version"] = __version__
    return out


def fit_part(part: pd.DataFrame, offset: int, opts: FitOptions) -> Any:
    """Read and fit one partition (run where the partition lives): the datasets layer's
    :class:`~tcfit.datasets.FramePart` with the per-material columns added."""
    from tcfit.datasets import read_part

    model, pol = opts.get_model(), opts.get_policy()
    read = read_part(
        part,
        offset,
        units=opts.units,
        require=model.requires,
        skip_invalid=opts.skip_invalid,
        valences=opts.valences,
    )
    if read.frame is None or len(read.frame) == 0 or read.problems:
        return read, None
    return read, material_columns(read.frame, model, pol, opts)


def fit_dask(ddf: Any, options: FitOptions | None = None, /, **overrides: Any) -> FitResult:
    """Fit a ``dask.dataframe.DataFrame`` partition by partition; identical to the pandas fit.

    Each partition is read (as :func:`tcfit.read` reads a DataFrame, its rows numbered as in the
    whole table) and fitted where it lives (``to_delayed`` partitions, any scheduler: the local
    one or a ``dask.distributed.Client``); the client gathers the canonical rows, the
    per-material columns and ln i, σ(ln i) and the assigned index, checks what spans partitions
    (a repeated material, the table's digest), computes the posterior once from all materials and
    finishes the table as :func:`tcfit.fit` does.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        A table with the columns :func:`tcfit.read` accepts.
    options : FitOptions, optional
        As for :func:`tcfit.fit`; ``**overrides`` too.

    Returns
    -------
    FitResult
        Equal to ``tcfit.fit(ddf.compute())`` in every number, the provenance included.

    Raises
    ------
    DataError
        Every problem of every partition, with the row as in the whole table.
    """
    from dask.base import compute
    from dask.delayed import delayed

    from tcfit.datasets import combine_parts

    opts = FitOptions.coerce(options, overrides)
    if opts.encoding is not None:
        raise DataError(
            f"encoding={opts.encoding!r} applies to files and buffers only; a DataFrame is text "
            "already."
        )
    model, pol = opts.get_model(), opts.get_policy()
    lengths = ddf.map_partitions(len).compute()
    offsets = np.concatenate([[0], np.cumsum(np.asarray(lengths, dtype=np.int64))[:-1]])
    delayed = [
        delayed(fit_part)(part, int(offset), opts)
        for part, offset in zip(ddf.to_delayed(), offsets, strict=True)
    ]
    results = compute(*delayed)
    df, keep = combine_parts([r[0] for r in results], skip_invalid=opts.skip_invalid)
    if len(df) == 0:
        raise DataError("The table has no rows to fit.")
    table, log_implied, sigma_ln_i, idx = _combine_columns([r[1] for r in results], keep)
    posterior, method = posterior_of(log_implied, sigma_ln_i, pol, idx)
    reference = complete_table(df, table, posterior, method, model, pol, opts)
    summary = summarise(table, pol, opts, model, reference)
    return FitResult(table=table, summary=summary, policy=pol, data=df, options=opts, model=model)


def _combine_columns(
    parts: list[Any], keep: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """The per-partition outputs of :func:`material_columns` as one, rows ``keep`` kept."""
    import pandas as pd

    done = [p for p in parts if p is not None]
    table = pd.concat([p[0] for p in done], ignore_index=True)
    labels = {str(p[0].attrs["uncertainties"]) for p in done}
    x, s, i = (np.concatenate([p[k] for p in done]) for k in (1, 2, 3))
    if not keep.all():
        table = table.loc[keep].reset_index(drop=True)
        x, s, i = x[keep], s[keep], i[keep]
    table.attrs["uncertainties"] = labels.pop() if len(labels) == 1 else "mixed"
    return table, x, s, i
