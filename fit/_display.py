"""How result objects show themselves: a compact repr, a text report and a notebook table.

lmfit's ``ModelResult`` and iminuit's ``Minuit`` print a formatted summary in a notebook cell;
tcfit's results do the same through :class:`Displayable`: a class gives :meth:`_display`
(a title, labelled rows of already-formatted values, and warnings) and inherits
``__str__``/:meth:`report` (text for terminals and logs) and ``_repr_html_`` (an escaped HTML
table for Jupyter). Numbers are formatted by :mod:`tcfit.formatting` (PDG rounding where there is
an uncertainty), so a notebook, the CLI and the report read alike.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Display", "Displayable"]


@dataclass(frozen=True)
class Display:
    """What a result shows: a title, ``(label, value)`` rows and warnings (all text)."""

    title: str
    rows: Sequence[tuple[str, str]]
    warnings: Sequence[str] = field(default_factory=tuple)
    verdict: str | None = None


class Displayable:
    """Mixin: ``report()``/``__str__`` and ``_repr_html_`` from :meth:`_display`."""

    def _display(self) -> Display:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def report(self) -> str:
        """The result as plain text: title, verdict, one ``label: value`` line per row, warnings.

        Returns
        -------
        str
        """
        d = self._display()
        width = max((len(label) for label, _ in d.rows), default=0)
        lines = [d.title, "=" * len(d.title)]
        if d.verdict:
            lines.append(d.verdict)
        lines += [f"{label.ljust(width)}  {value}" for label, value in d.rows]
        lines += [f"warning: {w}" for w in d.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()

    def _repr_html_(self) -> str:
        """A small HTML table for Jupyter (every string escaped)."""
        d = self._display()
        esc = html.escape
        rows = "".join(
            f"<tr><th style='text-align:left'>{esc(label)}</th>"
            f"<td style='text-align:left'>{esc(value)}</td></tr>"
            for label, value in d.rows
        )
        verdict = f"<p><strong>{esc(d.verdict)}</strong></p>" if d.verdict else ""
        warnings = "".join(f"<li>{esc(w)}</li>" for w in d.warnings)
        warn_html = f"<ul class='tcfit-warnings'>{warnings}</ul>" if warnings else ""
        return (
            f"<div class='tcfit-result'><h4>{esc(d.title)}</h4>{verdict}"
            f"<table>{rows}</table>{warn_html}</div>"
        )
