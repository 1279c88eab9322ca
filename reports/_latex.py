r"""The per-material table as LaTeX, ready to paste into a paper, and a standalone wrapper.

The table is plain ASCII that ``pdflatex`` compiles with only ``booktabs`` and ``siunitx``
(v3; TeX Live 2021 or later) in LaTeX's default OT1 font encoding. Numbers sit in ``siunitx``
``S`` columns, aligned on the decimal point, each column's ``table-format`` computed from its
cells; a value and its uncertainty are given to ``siunitx`` as ``2.98 \pm 0.33`` (the same PDG
rounding as the HTML report, :func:`tcfit.formatting.pdg_round`) and printed with a separate
``±``. :func:`standalone_document` wraps the table in an ``article`` that compiles by itself.

Every string that comes from the user's data (material names, the title, the policy) goes
through :func:`escape_latex`: LaTeX's special characters are escaped, accented Latin letters
become LaTeX accents, Greek letters and common symbols become math, and every other character
(other scripts, emoji, control and format characters such as bidi overrides) is shown as its
code point, ``<U+202E>``, so that nothing reaches LaTeX raw and nothing is dropped.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "LATEX_PACKAGES",
    "LatexColumn",
    "booktabs_table",
    "escape_latex",
    "si_number",
    "standalone_document",
    "table_format",
]

#: The packages the table needs (``\usepackage`` lines of :func:`standalone_document`).
LATEX_PACKAGES: tuple[str, ...] = ("booktabs", "siunitx")

#: ``siunitx`` settings for the table: ``2.98 ± 0.33`` rather than ``2.98(33)``.
SISETUP = r"\sisetup{uncertainty-mode = separate, group-digits = none}"

_ASCII_SPECIALS = {
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
    "|": r"\textbar{}",
    '"': "''",
    # A cell starting with "[" would be read as the optional argument of the row's \\.
    "[": "{[}",
    "]": "{]}",
}
#: Combining marks with an OT1 accent command (NFD of an accented Latin letter).
_ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
    "\u0308": '"',
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0323": "d",
    "\u0327": "c",
    "\u0331": "b",
}
_LETTERS = {
    "ß": r"\ss",
    "æ": r"\ae",
    "Æ": r"\AE",
    "ø": r"\o",
    "Ø": r"\O",
    "œ": r"\oe",
    "Œ": r"\OE",
    "ł": r"\l",
    "Ł": r"\L",
    "ı": r"\i",
    "ȷ": r"\j",
}
_SYMBOLS = {
    "\u00a0": "~",
    "¡": r"!`",
    "¿": r"?`",
    "§": r"\S{}",
    "¶": r"\P{}",
    "©": r"\copyright{}",
    "£": r"\pounds{}",
    "€": "EUR",
    "–": "--",
    "—": "---",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "…": r"\ldots{}",
    "•": r"\ensuremath{\bullet}",
    "†": r"\dag{}",
    "‡": r"\ddag{}",
    "−": r"\ensuremath{-}",
    "±": r"\ensuremath{\pm}",
    "×": r"\ensuremath{\times}",
    "÷": r"\ensuremath{\div}",
    "·": r"\ensuremath{\cdot}",
    "°": r"\ensuremath{^{\circ}}",
    "µ": r"\ensuremath{\mu}",
    "¬": r"\ensuremath{\neg}",
    "∈": r"\ensuremath{\in}",
    "∉": r"\ensuremath{\notin}",
    "≠": r"\ensuremath{\neq}",
    "≤": r"\ensuremath{\leq}",
    "≥": r"\ensuremath{\geq}",
    "≈": r"\ensuremath{\approx}",
    "∞": r"\ensuremath{\infty}",
    "→": r"\ensuremath{\rightarrow}",
    "←": r"\ensuremath{\leftarrow}",
    "√": r"\ensuremath{\surd}",
    "∼": r"\ensuremath{\sim}",
    "Å": r"\AA{}",
    "å": r"\aa{}",
}
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-", strict=True))
_SUPERSCRIPTS.update({"²": "2", "³": "3", "¹": "1"})
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋", "0123456789+-", strict=True))
#: Greek capitals that LaTeX has (the others look like Latin capitals).
_GREEK_CAPITALS = {"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi"}
_GREEK_CAPITALS |= {"Psi", "Omega"}
_GREEK_LOOKALIKES = dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΧ", "ABEZHIKMNOPTX", strict=True))
_GREEK_NAMES = {"lamda": "lambda", "omicron": "o"}
_GREEK_SMALL = set(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau "
    "upsilon phi chi psi omega".split()
)


def _code_point(char: str) -> str:
    return rf"\ensuremath{{\langle}}\texttt{{U+{ord(char):04X}}}\ensuremath{{\rangle}}"


def _greek(char: str) -> str | None:
    match = re.fullmatch(r"GREEK (SMALL|CAPITAL) LETTER ([A-Z]+)", unicodedata.name(char, ""))
    if not match:
        return None
    if char in _GREEK_LOOKALIKES:
        return rf"\ensuremath{{\mathrm{{{_GREEK_LOOKALIKES[char]}}}}}"
    name = _GREEK_NAMES.get(match.group(2).lower(), match.group(2).lower())
    if name == "o":
        return "o"
    if name not in _GREEK_SMALL:
        return None
    if match.group(1) == "CAPITAL":
        name = name.capitalize()
        if name not in _GREEK_CAPITALS:
            return None
    return rf"\ensuremath{{\{name}}}"


#: Accents placed below the letter: an i or j under them keeps its dot.
_BELOW = {"\u0323", "\u0327", "\u0331"}


def _accented(char: str) -> str | None:
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not (base.isascii() and base.isalpha()) or not marks:
        return None
    if any(m not in _ACCENTS for m in marks):
        return None
    out = "\\" + base if base in "ij" and marks[0] not in _BELOW else base
    for mark in marks:
        out = rf"\{_ACCENTS[mark]}{{{out}}}"
    return "{" + out + "}"


def _one(char: str) -> str:
    if len(char) > 1:  # a letter and combining marks that NFC does not compose
        return _accented(char) or "".join(_one(c) for c in char)
    if char in _ASCII_SPECIALS:
        return _ASCII_SPECIALS[char]
    if " " <= char <= "~":
        return char
    if char in _LETTERS:
        return "{" + _LETTERS[char] + "}"
    if char in _SYMBOLS:
        return _SYMBOLS[char]
    if char == "ς":
        return r"\ensuremath{\varsigma}"
    if char in _SUPERSCRIPTS:
        return rf"\textsuperscript{{{_SUPERSCRIPTS[char]}}}"
    if char in _SUBSCRIPTS:
        return rf"\ensuremath{{_{{{_SUBSCRIPTS[char]}}}}}"
    return _greek(char) or _accented(char) or _code_point(char)


def escape_latex(text: str, *, breakable: bool = False) -> str:
    r"""Text as plain-ASCII LaTeX that prints it literally (OT1, no extra package).

    The text is first put in Unicode normal form NFC (``e`` + combining acute becomes ``é``).
    LaTeX's specials ``\ & % $ # _ { } ~ ^`` and ``< > | " [ ]`` are escaped; accented Latin
    letters become accent commands (``é`` → ``{\'{e}}``), ``ß æ ø œ ł å`` their LaTeX letters,
    Greek letters and common symbols (``± × ° µ ∈ ≠ ≤ ≥``) math, super- and subscript digits
    ``\textsuperscript`` and math subscripts; every other character — another script, an
    emoji, a control or bidi character — is printed as its code point, ``<U+202E>``.

    Parameters
    ----------
    text : str
        Any text from the user's data.
    breakable : bool, default=False
        Allow a line break after every character of a word longer than 12 characters (so
        that a very long name wraps in a narrow column instead of running off the page).

    Returns
    -------
    str
        ASCII-only LaTeX source.

    Examples
    --------
    >>> escape_latex("Hg(α) & 50% of $x_1$")
    'Hg(\\ensuremath{\\alpha}) \\& 50\\% of \\$x\\_1\\$'
    >>> print(escape_latex("Nb₃Sn, Alé"))
    Nb\ensuremath{_{3}}Sn, Al{\'{e}}
    """
    out = []
    for word in re.split(r"(\s+)", unicodedata.normalize("NFC", str(text))):
        if word.isspace():
            spaces = {" ": " ", "\u00a0": "~"}
            out.append("".join(spaces.get(c) or _code_point(c) for c in word))
            continue
        pieces = [_one(c) for c in re.findall(r".[\u0300-\u036f]*", word, flags=re.S)]
        joiner = r"\allowbreak{}" if breakable and len(word) > 12 else ""
        out.append(joiner.join(pieces))
    return "".join(out)


# ---------------------------------------------------------------------------- numbers

_SI_NUMBER = re.compile(
    r"(?P<sign>[-+]?)(?P<int>\d+)(?:\.(?P<dec>\d+))?"
    r"(?: \\pm (?P<err>\d+(?:\.\d+)?))?(?: e(?P<esign>[-+]?)(?P<exp>\d+))?"
)


def si_number(value: str, error: str = "", exponent: int = 0) -> str:
    r"""A number as ``siunitx`` input: ``2.98 \pm 0.33``, ``1.56 \pm 0.05 e7``, ``{--}``.

    Parameters
    ----------
    value : str
        The (rounded) value in plain notation, ASCII digits with an optional sign, or
        ``"nan"``/``""`` for a missing value (printed as a dash).
    error : str, default=""
        Its uncertainty at the same precision; empty for none.
    exponent : int, default=0
        A power of ten multiplying both.

    Returns
    -------
    str

    Examples
    --------
    >>> si_number("2.98", "0.33"), si_number("1.56", "0.05", 7), si_number("nan")
    ('2.98 \\pm 0.33', '1.56 \\pm 0.05 e7', '{--}')
    """
    if not value or value.lower() in {"nan", "inf", "-inf", "+inf"}:
        return "{--}"
    text = value + (rf" \pm {error}" if error else "") + (f" e{exponent}" if exponent else "")
    if not _SI_NUMBER.fullmatch(text):
        raise ValueError(f"Not a plain number for siunitx: {text!r}.")
    return text


def table_format(cells: Sequence[str]) -> str:
    r"""The ``siunitx`` ``table-format`` that reserves room for every number of a column.

    Parameters
    ----------
    cells : sequence of str
        Cells made by :func:`si_number` (``{--}`` and empty cells take no room).

    Returns
    -------
    str
        E.g. ``+2.3(2)e1``: a sign, integer and decimal digits, uncertainty digits in compact
        form, exponent digits.

    Examples
    --------
    >>> table_format(["2.98 \\pm 0.33", "-12.1 \\pm 1.5", "{--}", "1.56 \\pm 0.05 e7"])
    '+2.2(2)e1'
    """
    sign = integer = decimals = uncertainty = 0
    exp_sign = exp_digits = 0
    for cell in cells:
        m = _SI_NUMBER.fullmatch(cell)
        if m is None:
            continue
        sign = max(sign, int(bool(m["sign"]) and m["sign"] == "-"))
        integer = max(integer, len(m["int"]))
        decimals = max(decimals, len(m["dec"] or ""))
        if m["err"]:
            uncertainty = max(uncertainty, len(m["err"].replace(".", "").lstrip("0")) or 1)
        if m["exp"]:
            exp_sign = max(exp_sign, int(m["esign"] == "-"))
            exp_digits = max(exp_digits, len(m["exp"]))
    out = ("+" if sign else "") + str(max(integer, 1))
    out += f".{decimals}" if decimals else ""
    out += f"({uncertainty})" if uncertainty else ""
    if exp_digits:
        out += "e" + ("-" if exp_sign else "") + str(exp_digits)
    return out


# ---------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class LatexColumn:
    r"""One column: a header (LaTeX source, not escaped) and an alignment.

    ``align`` is ``l``, ``r``, ``c``, a ``p{...}`` width, or ``S`` for a ``siunitx`` number
    column (cells from :func:`si_number`; its ``table-format`` is computed from the cells).
    """

    header: str
    align: str = "r"


def _spec(column: LatexColumn, cells: Sequence[str]) -> str:
    if column.align == "S":
        return f"S[table-format={table_format(cells)}]"
    return column.align


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
        Headers are LaTeX source (written by tcfit, not escaped); an ``S`` column's header is
        braced so that ``siunitx`` takes it as text.
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
    spec = "".join(_spec(c, [row[k] for row in rows]) for k, c in enumerate(columns))
    headers = [f"{{{c.header}}}" if c.align == "S" else c.header for c in columns]
    lines = [f"% {line}" for line in comment.splitlines()] if comment else []
    lines += [
        r"% Needs \usepackage{booktabs} and \usepackage{siunitx} (v3) with",
        f"% {SISETUP}; table-standalone.tex compiles by itself.",
        r"\begin{table}[htbp]",
        r"  \centering",
        rf"  \caption{{{caption}}}",
        rf"  \label{{{safe_label}}}",
        rf"  \begin{{tabular}}{{{spec}}}",
        r"    \toprule",
        "    " + " & ".join(headers) + r" \\",
        r"    \midrule",
    ]
    lines += ["    " + " & ".join(row) + r" \\" for row in rows]
    lines += [r"    \bottomrule", r"  \end{tabular}"]
    if notes:
        lines.append(r"  \par\smallskip\footnotesize")
        lines += [f"  {note}\\par" for note in notes]
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


def standalone_document(table: str, *, landscape: bool = False) -> str:
    r"""Wrap a table from :func:`booktabs_table` in a document that compiles by itself.

    An ``article`` with ``booktabs`` and ``siunitx``, empty page style and narrow margins
    (``geometry``-free: the text width is set directly), nothing else; ``pdflatex`` compiles
    it with Debian's ``texlive-latex-base``, ``texlive-latex-recommended`` and
    ``texlive-science``.

    Parameters
    ----------
    table : str
        LaTeX source of the table.
    landscape : bool, default=False
        A landscape A4 page for wide tables.

    Returns
    -------
    str
    """
    paper = "a4paper,landscape" if landscape else "a4paper"
    lines = [
        "% A standalone document around table.tex: pdflatex table-standalone.tex",
        rf"\documentclass[{paper},10pt]{{article}}",
        *(rf"\usepackage{{{p}}}" for p in LATEX_PACKAGES),
        SISETUP,
        r"\setlength{\textwidth}{\paperwidth}\addtolength{\textwidth}{-3cm}",
        r"\setlength{\oddsidemargin}{-1in}\addtolength{\oddsidemargin}{1.5cm}",
        r"\pagestyle{empty}",
        r"\begin{document}",
        table.rstrip("\n"),
        r"\end{document}",
    ]
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
