"""Getting the bytes of an input: regular files only, never more than ``MAX_INPUT_BYTES``.

A path is opened without blocking and checked with ``fstat`` on the open descriptor (so it cannot
be swapped between the check and the read): a FIFO, a directory, a device such as ``/dev/zero``
or a socket is refused as "not a regular file" instead of hanging or filling memory, and a file
larger than :data:`~tcfit.datasets._limits.MAX_INPUT_BYTES` is refused before it is read. A buffer
is read up to the same limit.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import Any

from tcfit.errors import DataError, InputError

from ._limits import MAX_INPUT_BYTES
from ._raw import fail

__all__ = ["read_buffer", "read_path"]

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _too_large(size: int, label: str | None) -> DataError:
    return fail(
        f"The input is larger than tcfit reads ({size:,} bytes; the limit is "
        f"{MAX_INPUT_BYTES:,} bytes, MAX_INPUT_BYTES). Split the table or keep only the "
        "columns tcfit needs.",
        label,
    )


def _not_regular(mode: int, label: str) -> DataError:
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    if stat.S_ISDIR(mode):
        return fail("This is a directory, not a data file (not a regular file).", label)
    return fail(
        f"This is {kind}, not a regular file; tcfit reads tables from regular files only "
        "(copy the data into a file first).",
        label,
    )


def _open(label: str, missing: str) -> int:
    try:
        return os.open(
            label, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        )
    except FileNotFoundError as err:
        raise fail(missing, label) from err
    except IsADirectoryError as err:
        raise fail("This is a directory, not a data file (not a regular file).", label) from err
    except ValueError as err:  # an embedded NUL character
        raise fail(f"This is not a usable path ({err}).", label) from err
    except OSError as err:
        try:  # a socket cannot be opened at all (ENXIO): say what it is
            mode = os.stat(label).st_mode
        except OSError:
            mode = stat.S_IFREG
        if not stat.S_ISREG(mode):
            raise _not_regular(mode, label) from err
        reason = err.strerror or errno.errorcode.get(err.errno or 0, "unknown error")
        raise fail(f"The file cannot be opened ({reason}).", label) from err


def read_path(label: str, *, missing: str) -> bytes:
    """The bytes of the regular file ``label``.

    Parameters
    ----------
    label : str
        The path as the user gave it (used in messages).
    missing : str
        The message for a path that does not exist.

    Raises
    ------
    DataError
        If the path does not exist, cannot be opened, is not a regular file or is larger than
        :data:`~tcfit.datasets._limits.MAX_INPUT_BYTES`.
    """
    fd = _open(label, missing)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(info.st_mode, label)
        if info.st_size > MAX_INPUT_BYTES:
            raise _too_large(info.st_size, label)
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            blob = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as err:
        raise fail(f"The file cannot be read ({err.strerror or err}).", label) from err
    finally:
        os.close(fd)
    if len(blob) > MAX_INPUT_BYTES:  # the file grew while it was read
        raise _too_large(len(blob), label)
    return blob


def read_buffer(data: Any, label: str) -> bytes | str:
    """What ``data.read()`` returns, at most :data:`MAX_INPUT_BYTES` (+1 to detect more).

    Raises
    ------
    DataError
        If the buffer holds more than the limit.
    InputError
        If ``read()`` returns neither bytes nor str.
    """
    try:
        content = data.read(MAX_INPUT_BYTES + 1)
    except TypeError:  # a read() without a size argument
        content = data.read()
    if not isinstance(content, (bytes, bytearray, str)):
        raise InputError(
            f"The buffer's read() returned {type(content).__name__}, not bytes or str.",
            argument="data",
        )
    if len(content) > MAX_INPUT_BYTES:
        raise _too_large(len(content), label)
    return bytes(content) if isinstance(content, bytearray) else content
