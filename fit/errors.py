"""Typed exceptions and warnings of tcfit.

Every error tcfit raises on purpose derives from :class:`TcfitError` and also from the builtin
that matches it, so ``except ValueError`` keeps working for callers who do not know tcfit
(the habit of pint and scikit-learn). The command-line interface catches :class:`TcfitError`
at its boundary only; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DataError",
    "FitError",
    "InputError",
    "Problem",
    "TcfitError",
    "TcfitWarning",
    "UnitError",
]


def _restore(cls: type[Exception], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Exception:
    """Rebuild an error from its constructor arguments (used by ``__reduce__`` when unpickling)."""
    return cls(*args, **kwargs)


class TcfitError(Exception):
    """Base class of every error tcfit raises on purpose.

    Errors pickle with their fields (pint's habit), so they survive multiprocessing and Dask.
    """


class InputError(TcfitError, ValueError):
    """An argument given to a model function is outside its domain (zero, negative, NaN, inf).

    Attributes
    ----------
    argument : str
        Name of the offending argument, e.g. ``"bc"``.
    """

    def __init__(self, message: str, *, argument: str) -> None:
        super().__init__(message)
        self.argument = argument

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), (str(self),), {"argument": self.argument}))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, row or file of a data table.

    Attributes
    ----------
    message : str
        What is wrong, in a full sentence.
    file : str or None
        The file as the user named it (``None`` for an in-memory table).
    row : int or None
        The row number as the user sees it in the file: the header is row 1, so the first data
        row is row 2. ``None`` when the problem concerns the whole file or a whole column.
    column : str or None
        The column as written in the file's header.
    """

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class DataError(TcfitError, ValueError):
    """A data table cannot be used as it is.

    The message lists every problem found (up to a limit), each naming the file, the row as the
    user sees it (header = row 1) and the column.

    Parameters
    ----------
    problems : sequence of Problem
        What is wrong. At least one.
    file : str, optional
        The file the problems belong to, for the headline.
    limit : int, default=50
        How many problems to spell out in the message; the rest are counted.
    """

    def __init__(
        self, problems: Sequence[Problem] | str, *, file: str | None = None, limit: int = 50
    ) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, file=file)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.file = (
            file
            if file is not None
            else next((p.file for p in self.problems if p.file is not None), None)
        )
        first = self.problems[0] if self.problems else Problem("unknown problem")
        self.row = first.row
        self.column = first.column
        self.limit = limit
        super().__init__(self._format(limit))

    def __reduce__(self) -> tuple[Any, ...]:
        kwargs = {"file": self.file, "limit": self.limit}
        return (_restore, (type(self), (list(self.problems),), kwargs))

    def _format(self, limit: int) -> str:
        count = len(self.problems)
        if count == 1:
            return str(self.problems[0])
        head = f"{count} problems in {self.file}:" if self.file else f"{count} problems:"
        lines = [head] + [f"  - {p}" for p in self.problems[:limit]]
        if count > limit:
            lines.append(f"  ... and {count - limit} more.")
        return "\n".join(lines)


class UnitError(DataError):
    """A unit is unknown to pint or has the wrong dimension for its column."""


class FitError(TcfitError, RuntimeError):
    """A fit could not be carried out (too few materials, a failed minimisation)."""


class TcfitWarning(UserWarning):
    """Something in the data deserves a look but does not stop the computation."""
