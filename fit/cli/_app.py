"""The typer application, the error boundary and small output helpers shared by commands."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from tcfit import __version__
from tcfit.errors import TcfitError

__all__ = ["app", "err_console", "main", "out_console", "print_json", "tcfit_errors"]

app = typer.Typer(
    name="tcfit",
    help="Fit, validate and regression-test the Tc = C·Bc/(n^(1/6)·√i) claim (Jiang, Eq. 5).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Piped output gets a fixed, generous width instead of rich's 80 columns.
out_console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


def tcfit_errors(func: F) -> F:
    """Turn a :class:`TcfitError` raised by ``func`` into ``Error: ...`` on stderr and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TcfitError as err:
            # Escape the message: it quotes user text such as "Bc [mT]", which is not markup.
            err_console.print(f"[bold red]Error:[/] {escape(str(err))}", markup=True)
            raise typer.Exit(code=2) from err

    return wrapper  # type: ignore[return-value]


def print_json(payload: Any) -> None:
    """Write ``payload`` as indented JSON to stdout (no rich markup, no wrapping)."""
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


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
) -> None:
    """Fit, validate and regression-test the paper's Eq. (5) against measured superconductors."""


def main() -> None:
    """Entry point of the ``tcfit`` console script."""
    app()
