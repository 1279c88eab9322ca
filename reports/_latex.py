r"""The per-material table as a LaTeX ``booktabs`` table, ready to paste into a paper.

Numbers with an uncertainty use the same PDG rounding as the HTML report
(:func:`tcfit.formatting.pdg_round`); material names and other text from the user's file
are escaped for LaTeX. The output needs only ``\usepackage{booktabs}``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["LatexColumn", "booktabs_table", "escape_latex"]

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))


def escape_latex(text: str) -> str:
    r"""Escape text so LaTeX prints it literally.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> escape_latex("Hg(α) & 50% of $x_1$")
    'Hg(α) \\& 50\\% of \\$x\\_1\\$'
    """
    return _SPECIAL_RE.sub(lambda m: _LATEX_SPECIALS[m.group(0)], str(text))


@dataclass(frozen=True)
class LatexColumn:
    """One column: a header (LaTeX source, not escaped) and an alignment (``l``, ``r``, ``c``)."""

    header: str
    align: str = "r"


def booktabs_table(
    columns: Sequence[LatexColumn],
    rows: Sequence[Sequence[str]],
    *,
    caption: str,
    label: str,
    notes: Sequence[str] = (),
    comment: str = "",
) -> str:
    r"""Assemble a ``table`` environment with ``\toprule``, ``\midrule`` and ``\bottomrule``.

    Parameters
    ----------
    columns : sequence of LatexColumn
        Headers are LaTeX source (written by tcfit, not escaped).
    rows : sequence of sequence of str
        Cells as LaTeX source; escape user text with :func:`escape_latex` first.
    caption : str
        LaTeX source of the caption.
    label : str
        ``\label`` key; characters other than letters, digits, ``-``, ``:`` and ``.`` become
        ``-``.
    notes : sequence of str, default=()
        LaTeX source lines printed in small type under the table.
    comment : str, default=""
        A ``%`` comment line at the top (e.g. which tcfit version wrote the file).

    Returns
    -------
    str
        The LaTeX source, ending with a newline.
    """
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"A row has {len(row)} cells but the table has {len(columns)}.")
    safe_label = re.sub(r"[^A-Za-z0-9:.\-]", "-", label)
    spec = "".join(c.align for c in columns)
    lines = []
    if comment:
        lines += [f"% {line}" for line in comment.splitlines()]
    lines += [
        r"% Needs \usepackage{booktabs}.",
        r"\begin{table}[htbp]",
        r"  \centering",
        rf"  \caption{{{caption}}}",
        rf"  \label{{{safe_label}}}",
        rf"  \begin{{tabular}}{{{spec}}}",
        r"    \toprule",
        "    " + " & ".join(c.header for c in columns) + r" \\",
        r"    \midrule",
    ]
    lines += ["    " + " & ".join(row) + r" \\" for row in rows]
    lines += [r"    \bottomrule", r"  \end{tabular}"]
    if notes:
        lines.append(r"  \par\smallskip\footnotesize")
        lines += [f"  {note}\\par" for note in notes]
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


def math_cell(text: str) -> str:
    r"""Wrap LaTeX math source in ``$...$`` (empty or dash stays as text).

    Examples
    --------
    >>> math_cell(r"2.98 \pm 0.33"), math_cell("")
    ('$2.98 \\pm 0.33$', '')
    """
    if not text or text in {"—", "--"}:
        return text
    return f"${text}$"


def finite(x: float) -> bool:
    """True for a finite float (NaN/inf/None give False)."""
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False
