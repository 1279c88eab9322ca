"""The typer application, the error boundary and small output helpers shared by commands."""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from tcfit import __version__
from tcfit.errors import TcfitError

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "JSON_SCHEMA_VERSION",
    "app",
    "err_console",
    "main",
    "note",
    "out_console",
    "plain",
    "print_json",
    "safe_text",
    "status",
    "tcfit_errors",
]

app = typer.Typer(
    name="tcfit",
    help="Fit, validate and regression-test the Tc = C·Bc/(n^(1/6)·√i) claim (Jiang, Eq. 5).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)

# C0/C1 control characters (except tab and newline), DEL and the bidirectional overrides: shown
# as escapes, so text from a data file cannot move the cursor, recolour or reorder the terminal.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe_text(text: object) -> str:
    """``text`` with control characters and bidi overrides made visible (``\\x1b``)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


class _SafeConsole(Console):
    """A console for text that may quote data files: no markup unless asked for explicitly,
    and control characters in every printed string made visible (:func:`safe_text`)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(safe_text(o) if isinstance(o, str) else o for o in objects), **kwargs)


# Piped output gets a fixed, generous width instead of rich's 80 columns.
out_console = _SafeConsole(
    highlight=False, markup=False, width=None if sys.stdout.isatty() else 140
)
err_console = _SafeConsole(stderr=True, highlight=False, markup=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


#: Exit codes: 0 success, 1 a check found differences, 2 bad input, an unusable path or a
#: request too large, 3 an internal error (a bug: run again with --debug and report it),
#: 130 interrupted.
EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 2, 3, 130

#: Set by ``tcfit --debug`` (or the environment variable TCFIT_DEBUG=1): show tracebacks.
DEBUG = {"on": os.environ.get("TCFIT_DEBUG", "") not in ("", "0")}
#: Set by ``tcfit --quiet``: no progress or notes on stderr (errors and results still print).
QUIET = {"on": False}
#: Version of the layout of every ``--json`` output (the ``schema_version`` key): bumped when a
#: key is renamed or removed, not when one is added.
JSON_SCHEMA_VERSION = 2


def plain(text: object) -> Any:
    """A rich ``Text`` of user data: never read as markup, control characters neutralised."""
    from rich.text import Text

    return Text(safe_text(text))


def _fail(message: str, code: int, err: BaseException) -> NoReturn:
    err_console.print(f"[bold red]Error:[/] {escape(safe_text(message))}", markup=True)
    raise typer.Exit(code=code) from err


def _describe_os_error(err: OSError) -> str:
    where = f": {err.filename}" if err.filename else ""
    return f"{err.strerror or type(err).__name__}{where}."


# typer's own exits and usage errors (click's ClickException, vendored by newer typer) keep
# their meaning and exit codes.
_CLICK_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
_PASS_THROUGH: tuple[type[BaseException], ...] = (typer.Exit, typer.Abort, _CLICK_ERROR)


def tcfit_errors(func: F) -> F:
    """The error boundary of every command: a clear message and a documented exit code.

    :class:`TcfitError` (bad input) → exit 2; an ``OSError`` (unreadable or unwritable path,
    full disk, file size limit) → exit 2; ``MemoryError``/``RecursionError`` → exit 2 with a hint;
    anything else is a bug → exit 3 with a hint to report it. ``--debug`` (or TCFIT_DEBUG=1)
    re-raises instead, so the traceback shows.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except _PASS_THROUGH:
            raise
        except BaseException as err:
            if DEBUG["on"] and not isinstance(err, TcfitError):
                raise
            _handle(err)

    return wrapper  # type: ignore[return-value]


def _handle(err: BaseException) -> NoReturn:
    if isinstance(err, TcfitError):
        _fail(str(err), EXIT_INPUT, err)
    if isinstance(err, KeyboardInterrupt):
        _fail(
            "Interrupted; outputs already written are complete, none is half-written.",
            EXIT_INTERRUPTED,
            err,
        )
    if isinstance(err, OSError):
        _fail(_describe_os_error(err), EXIT_INPUT, err)
    if isinstance(err, MemoryError | RecursionError):
        _fail(
            f"The request needs more memory than this machine has ({type(err).__name__}); "
            "reduce the input or the requested sizes.",
            EXIT_INPUT,
            err,
        )
    _fail(
        f"Internal error ({type(err).__name__}: {err}). This is a bug in tcfit: run the command "
        "again with --debug and report the traceback.",
        EXIT_INTERNAL,
        err,
    )


def print_json(payload: Any) -> None:
    """Write ``payload`` as indented JSON to stdout, with its ``schema_version`` first."""
    if isinstance(payload, dict):
        payload = {"schema_version": JSON_SCHEMA_VERSION, **payload}
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def status(message: str) -> Any:
    """A spinner with ``message`` on stderr, or nothing under ``--quiet``."""
    import contextlib

    return contextlib.nullcontext() if QUIET["on"] else err_console.status(safe_text(message))


def note(message: str) -> None:
    """An informational line on stderr (not under ``--quiet``)."""
    if not QUIET["on"]:
        err_console.print(message, markup=False, soft_wrap=True)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"tcfit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version_callback,
        is_eager=True,
        help="Show the version and exit.",
    ),
    debug: bool = typer.Option(
        False, "--debug", help="Show the Python traceback of an unexpected error (for reports)."
    ),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="No progress or notes on stderr (results and errors print)."
    ),
) -> None:
    """Fit, validate and regression-test the paper's Eq. (5) against measured superconductors.

    Exit codes: 0 success, 1 a check found differences, 2 bad input, an unusable path or a
    request too large, 3 an internal error (a bug: rerun with --debug and report it).
    """
    DEBUG["on"] = DEBUG["on"] or debug
    QUIET["on"] = quiet


def main() -> None:
    """Entry point of the ``tcfit`` console script."""
    app()
