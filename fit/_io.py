"""Atomic file writes: every file tcfit writes goes through :func:`write_atomic`.

The bytes go to a temporary file in the destination's own folder, are flushed and ``fsync``-ed,
and the temporary file is then renamed over the destination with :func:`os.replace` — atomic on
POSIX and Windows within one file system. A reader, or a run killed at any moment, sees the old
file or the new one, never a truncated or mixed one; on failure the temporary file is removed and
the old file is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["FORMULA_PREFIXES", "atomic_path", "spreadsheet_safe", "write_atomic", "write_table_csv"]


def write_atomic(
    path: str | os.PathLike[str], data: bytes | str, *, encoding: str = "utf-8"
) -> Path:
    """Write ``data`` to ``path`` atomically (see the module docstring).

    Parameters
    ----------
    path : str or path-like
        The destination; its folder must exist.
    data : bytes or str
        The whole content (``str`` is encoded with ``encoding``).
    encoding : str, default="utf-8"

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    OSError
        If the folder is missing or not writable, the disk is full, etc.; the destination is
        then unchanged.
    """
    blob = data.encode(encoding) if isinstance(data, str) else data
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(blob)
            _sync(handle)
    return Path(path)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed over ``path`` when the block succeeds.

    For writers that want a file name (matplotlib, WeasyPrint, pandas): write to the yielded
    path, and it replaces ``path`` atomically at the end of the ``with`` block. On an exception
    the temporary file is removed and ``path`` is untouched.
    """
    target = Path(path)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:  # name the file the user asked for, not the temporary one
        raise type(err)(err.errno, err.strerror, str(target)) from err
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            _sync(handle)
        _keep_mode(target, tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _sync(handle: IO[bytes]) -> None:
    handle.flush()
    with contextlib.suppress(OSError):  # e.g. a file system without fsync
        os.fsync(handle.fileno())


def _keep_mode(target: Path, tmp: Path) -> None:
    """Give the new file the old one's permissions, or the umask default (mkstemp uses 0600)."""
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)


#: A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(frame: Any) -> Any:
    """A copy whose text cells that a spreadsheet would run as formulas start with ``'``.

    The OWASP rule for CSV injection: a text cell beginning with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return gets a leading apostrophe, which spreadsheets show as text and do
    not evaluate. Numeric columns are left alone (``-0.5`` stays a number); only object/string
    columns are touched, and a changed cell is visible in the file.
    """
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            text = series.astype("object")
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES))
            out[column] = text.where(~risky.astype(bool), "'" + text.astype(str))
    return out


def write_table_csv(frame: Any, path: str | os.PathLike[str]) -> Path:
    """Write a result table as CSV, atomically and spreadsheet-safe (:func:`spreadsheet_safe`)."""
    with atomic_path(path) as tmp:
        spreadsheet_safe(frame).to_csv(tmp, index=False, lineterminator="\n")
    return Path(path)
