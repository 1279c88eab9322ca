"""A rich progress bar on stderr for :func:`tcfit.reports.build` (or nothing at all)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = ["Steps"]


class Steps:
    """A progress bar advanced one step at a time; silent when not ``enabled``.

    Parameters
    ----------
    total : int
        Steps to the end.
    enabled : bool
        Show the bar (on stderr, so stdout stays clean for ``--json``).
    """

    def __init__(self, total: int, enabled: bool) -> None:
        self.enabled = enabled
        self.total = total
        self._progress: Any = None
        self._task: Any = None
        self._started = False

    @contextlib.contextmanager
    def running(self) -> Iterator[Steps]:
        """Show the bar for the duration of the block (transient: it vanishes at the end)."""
        if not self.enabled:
            yield self
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("[bold]report[/]"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            self._progress = progress
            self._task = progress.add_task("starting", total=self.total)
            yield self

    def step(self, description: str) -> None:
        """Advance by one and name the stage now running."""
        if self._progress is not None:
            self._progress.update(self._task, advance=1, description=description)

    def next(self, description: str) -> None:
        """The first call only names the running stage; later ones also advance the bar."""
        if self._started:
            self.step(description)
            return
        self._started = True
        if self._progress is not None:
            self._progress.update(self._task, description=description)
