"""Atomic file writes: every file tcfit writes goes through :func:`write_atomic`.

The bytes go to a temporary file in the destination's own folder, are flushed and ``fsync``-ed,
and the temporary file is then renamed over the destination with :func:`os.replace` — atomic on
POSIX and Windows within one file system. A reader, or a run killed at any moment, sees the old
file or the new one, never a truncated or mixed one; on failure the temporary file is removed and
the old file is left as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fnmatch
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = [
    "FORMULA_PREFIXES",
    "atomic_dir",
    "atomic_path",
    "check_dir_target",
    "spreadsheet_safe",
    "write_atomic",
    "write_table_csv",
]


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


def check_dir_target(
    path: str | os.PathLike[str], *, overwrite: bool, replaceable: tuple[str, ...]
) -> Path:
    """Check that the folder ``path`` may be written whole by :func:`atomic_dir`.

    A missing or empty folder may always be written. A folder with content is replaced only
    with ``overwrite``, and only if every entry in it matches one of the ``replaceable``
    glob patterns (what the writer itself puts there): the folder is swapped whole, so files
    someone else put in it would be lost.

    Parameters
    ----------
    path : str or path-like
        The folder.
    overwrite : bool
        Whether an existing output may be replaced.
    replaceable : tuple of str
        Glob patterns of the names the writer creates (``"report.*"``, ``"figures"``).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    InputError
        If ``path`` is a file, holds an output and ``overwrite`` is false, or holds entries
        that do not match ``replaceable``.
    """
    from .errors import InputError

    target = Path(path)
    if not target.exists() and not target.is_symlink():
        return target
    if not target.is_dir():
        raise InputError(
            f"{str(target)!r} exists and is not a folder; choose a folder for the output.",
            argument="out_dir",
        )
    entries = sorted(entry.name for entry in target.iterdir())
    foreign = [e for e in entries if not any(fnmatch.fnmatch(e, p) for p in replaceable)]
    if foreign:
        raise InputError(
            f"The folder {str(target)!r} holds files tcfit did not write ("
            + ", ".join(repr(e) for e in foreign[:5])
            + (", ..." if len(foreign) > 5 else "")
            + "); tcfit replaces its output folder whole, so it writes only into a fresh or "
            "empty folder or over its own earlier output. Choose another folder.",
            argument="out_dir",
        )
    if entries and not overwrite:
        raise InputError(
            f"The folder {str(target)!r} already holds an output; pass --overwrite "
            "(overwrite=True) to replace it, or choose a fresh folder.",
            argument="out_dir",
        )
    return target


@contextlib.contextmanager
def atomic_dir(
    path: str | os.PathLike[str], *, overwrite: bool = False, replaceable: tuple[str, ...] = ()
) -> Iterator[Path]:
    """A temporary folder beside ``path``, swapped in whole for ``path`` when the block succeeds.

    Everything written into the yielded folder appears at ``path`` at once: a reader, a run
    killed at any moment, or a second run writing the same folder sees the previous output or
    the new one, never a mix. The swap is one atomic ``renameat2(RENAME_EXCHANGE)`` on Linux;
    elsewhere (or on a file system without it) the old folder is first renamed aside, so a kill
    between the two renames leaves the new output in a hidden ``.<name>.tcfit-*`` folder beside
    ``path`` and the old one in another. On an exception the temporary folder is removed and
    ``path`` is untouched.

    Parameters
    ----------
    path : str or path-like
        The output folder; its parent is created if missing.
    overwrite, replaceable
        As in :func:`check_dir_target`, checked before and again at the swap.

    Raises
    ------
    InputError
        From :func:`check_dir_target`.
    OSError
        If the parent cannot be created or written; ``path`` is then unchanged.
    """
    target = check_dir_target(path, overwrite=overwrite, replaceable=replaceable)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tcfit-", dir=target.parent))
    except OSError as err:  # name the folder the user asked for, not the temporary one
        raise type(err)(err.errno, err.strerror, str(target)) from err
    try:
        yield tmp
        _keep_mode(target, tmp, default=0o777)
        check_dir_target(target, overwrite=overwrite, replaceable=replaceable)
        _swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap_in(tmp: Path, target: Path) -> None:
    """Put the folder ``tmp`` at ``target``; the old ``target`` (if any) ends up deleted."""
    try:
        os.rename(tmp, target)  # target missing, or an empty folder (POSIX replaces it)
        return
    except OSError as err:
        if err.errno not in (errno.EEXIST, errno.ENOTEMPTY, errno.EACCES, errno.EPERM):
            raise
    if _exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old output
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.tcfit-old-", dir=target.parent))
    os.replace(target, old / target.name)
    os.rename(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


#: renameat2(2) flags and the "current directory" file descriptor of the *at calls (Linux).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2; False where it is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _sync(handle: IO[bytes]) -> None:
    handle.flush()
    with contextlib.suppress(OSError):  # e.g. a file system without fsync
        os.fsync(handle.fileno())


def _keep_mode(target: Path, tmp: Path, default: int = 0o666) -> None:
    """Give ``tmp`` the old ``target``'s permissions, or ``default`` less the umask.

    mkstemp creates files 0600 and mkdtemp folders 0700; a new file gets 0666 and a new folder
    0777 less the umask, as if created the ordinary way.
    """
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = default & ~umask
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
