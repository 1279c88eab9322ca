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
from typing import IO

__all__ = ["atomic_path", "write_atomic"]


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
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
