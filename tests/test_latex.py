r"""table.tex is plain ASCII LaTeX that pdflatex compiles, whatever the material names.

Every user string goes through ``escape_latex``; the tests feed it LaTeX's specials, the
hostile corpus's names (``tests/data/hostile/manifest.yaml``), every character its tables map,
and a 300-character name, then compile the result with ``pdflatex`` where it is installed
(``.ci/run`` installs it and sets ``TCFIT_REQUIRE_PDFLATEX=1``, so there a missing pdflatex
fails instead of skipping). Without pdflatex the ASCII-only and balanced-brace checks still run.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import tcfit
from tcfit.formatting import pdg_round
from tcfit.reports import _latex
from tcfit.reports._latex import escape_latex, si_number, standalone_document, table_format
from tcfit.reports._outputs import latex_table
from tcfit.reports.sections import FORMATTER

HOSTILE = Path(__file__).parent / "data" / "hostile"
PDFLATEX = shutil.which("pdflatex")
LONG_NAME = "Nb3Sn-" + "x" * 294  # 300 characters, one unbroken word


def _hostile_names() -> list[str]:
    manifest = yaml.safe_load((HOSTILE / "manifest.yaml").read_text(encoding="utf-8"))
    names = {m for case in manifest["cases"] for m in case.get("materials", []) or []}
    return sorted(names)


def _balanced(tex: str) -> bool:
    depth = 0
    for token in re.findall(r"\\.|[{}]", tex):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _compile(tex: str, folder: Path, name: str = "doc") -> str:
    """Compile with pdflatex; return the log. Fails with the log's errors."""
    if PDFLATEX is None:
        if os.environ.get("TCFIT_REQUIRE_PDFLATEX"):
            pytest.fail("pdflatex is required here (TCFIT_REQUIRE_PDFLATEX) but not installed")
        pytest.skip("pdflatex not installed; the ASCII and brace checks ran")
    (folder / f"{name}.tex").write_text(tex, encoding="ascii")
    run = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", name],
        cwd=folder,
        capture_output=True,
        timeout=120,
        check=False,
    )
    log = (folder / f"{name}.log").read_text(encoding="latin-1")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert not errors, "\n".join(errors)
    assert run.returncode == 0, log[-2000:]
    assert (folder / f"{name}.pdf").stat().st_size > 0
    return log


# ---------------------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("&", r"\&"),
        ("%", r"\%"),
        ("$", r"\$"),
        ("#", r"\#"),
        ("_", r"\_"),
        ("{", r"\{"),
        ("}", r"\}"),
        ("~", r"\textasciitilde{}"),
        ("^", r"\textasciicircum{}"),
        ("\\", r"\textbackslash{}"),
        ("[bold]", r"{[}bold{]}"),  # a row starting with [ is no optional argument of \\
        ("é", r"{\'{e}}"),
        ("e\u0301", r"{\'{e}}"),  # NFC first
        ("ï", r"{\"{\i}}"),  # dotless i under an accent above
        ("ß", r"{\ss}"),
        ("α", r"\ensuremath{\alpha}"),
        ("Ω", r"\ensuremath{\Omega}"),
        ("Α", r"\ensuremath{\mathrm{A}}"),  # Greek capital alpha looks like A
        ("∈", r"\ensuremath{\in}"),
        ("±", r"\ensuremath{\pm}"),
        ("²", r"\textsuperscript{2}"),
        ("₃", r"\ensuremath{_{3}}"),
        ("\u202e", r"\ensuremath{\langle}\texttt{U+202E}\ensuremath{\rangle}"),
        ("\t", r"\ensuremath{\langle}\texttt{U+0009}\ensuremath{\rangle}"),
        ("日", r"\ensuremath{\langle}\texttt{U+65E5}\ensuremath{\rangle}"),
    ],
)
def test_each_special_and_non_ascii_character_has_its_escape(text, expected):
    assert escape_latex(text) == expected


def test_every_hostile_name_becomes_ascii_with_balanced_braces():
    names = _hostile_names()
    assert len(names) >= 40  # the corpus's valid cases name many materials
    assert any(not n.isascii() for n in names)
    for name in [*names, LONG_NAME, "a&b%c$d#e_f{g}h~i^j\\k"]:
        tex = escape_latex(name)
        assert tex.isascii(), name
        assert _balanced(tex), name
        assert "\n" not in tex
        assert "\r" not in tex
        # Nothing is dropped: every character of the name is in the output, as itself, as an
        # escape, or as its code point.
        for char in unicodedata.normalize("NFC", name):
            if char.isascii() and char.isalnum():
                assert char in tex


def test_the_doctests():
    assert doctest.testmod(_latex).failed == 0


def test_every_mapped_character_compiles(tmp_path):
    """Every character the tables map (and the Latin-1, Latin Extended-A/B, Greek and
    Latin Extended Additional blocks, where unmapped ones become code points) compiles."""
    chars = set(_latex._LETTERS) | set(_latex._SYMBOLS) | set(_latex._SUPERSCRIPTS)
    chars |= set(_latex._SUBSCRIPTS)
    for low, high in ((0x20, 0x7F), (0xA0, 0x250), (0x370, 0x400), (0x1E00, 0x1F00)):
        chars |= {chr(c) for c in range(low, high)}
    body = "\n".join(f"X{escape_latex(c)}X\\par" for c in sorted(chars))
    tex = standalone_document(body)
    assert tex.isascii()
    assert _balanced(tex)
    _compile(tex, tmp_path)


# ---------------------------------------------------------------------------- numbers


def test_si_numbers_and_the_table_format_are_computed_from_the_cells():
    assert si_number("2.98", "0.33") == r"2.98 \pm 0.33"
    assert si_number("1.56", "0.05", 7) == r"1.56 \pm 0.05 e7"
    assert si_number("-0.3") == "-0.3"
    assert si_number("nan") == si_number("") == "{--}"
    with pytest.raises(ValueError, match="Not a plain number"):
        si_number("1.2e+07")
    # By hand: widest integer part 2 (12.1), most decimals 3 (0.123), a minus sign, compact
    # uncertainties (33), (15), (12) → 2 digits, exponents 7 and -9 → "e-1".
    cells = [
        r"2.98 \pm 0.33",
        r"-12.1 \pm 1.5",
        r"0.123 \pm 0.012",
        "{--}",
        "",
        r"1.56 \pm 0.05 e7",
        r"2.3 \pm 0.4 e-9",
    ]
    assert table_format(cells) == "+2.3(2)e-1"
    assert table_format(["0.96", "1.00"]) == "1.2"


# ---------------------------------------------------------------------------- the table


def _synthetic(names: list[str]) -> pd.DataFrame:
    """Materials obeying Eq. (5) at integer i with 1 % noise (seeded)."""
    rng = np.random.default_rng(11)
    k = len(names)
    i = rng.integers(1, 13, k).astype(float)
    bc = rng.uniform(0.005, 0.2, k)
    n = rng.uniform(0.5e29, 3e29, k)
    tc = 1.56e7 * bc / (n ** (1 / 6) * np.sqrt(i)) * rng.normal(1, 0.01, k)
    frame = pd.DataFrame({"material": names, "tc": tc, "bc": bc, "n": n})
    frame.attrs["name"] = "hostile"
    return frame


@pytest.fixture(scope="module")
def hostile_fit() -> tcfit.FitResult:
    names = [*_hostile_names()[:40], LONG_NAME, "Sn & Pb_2 {x} 50% $#^~\\"]
    names = list(dict.fromkeys(names))
    return tcfit.fit(_synthetic(names))


def test_the_table_of_hostile_names_is_ascii_and_compiles(hostile_fit, tmp_path):
    tex = latex_table(hostile_fit, title="Tc & Bc — ∈ 100 %", fmt=FORMATTER, version="0")
    assert tex.isascii()
    assert _balanced(tex)
    assert r"Sn \& Pb\_2 \{x\} 50\% \$\#\textasciicircum{}\textasciitilde{}\textbackslash{}" in tex
    assert r"\caption{Tc \& Bc --- \ensuremath{\in} 100 \%}" in tex
    assert "p{4.5cm}" in tex  # the 300-character name gets a wrapping column
    log = _compile(standalone_document(tex, landscape=True), tmp_path)
    # The long name wraps: no line of the table sticks out of the page by more than a hair.
    overfull = [float(x) for x in re.findall(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide", log)]
    assert all(x < 1.0 for x in overfull), overfull


def test_numbers_are_siunitx_input_pdg_rounded(hostile_fit):
    tex = latex_table(hostile_fit, title="t", fmt=FORMATTER, version="0")
    spec = re.search(r"\\begin\{tabular\}\{(.*)\}\n", tex).group(1)
    assert spec.count("S[table-format=") == 5
    for r in hostile_fit.table.itertuples():
        number = pdg_round(r.i_implied, r.i_implied_err)
        exponent = f" e{number.exponent}" if number.exponent else ""
        assert f"{number.value} \\pm {number.error}{exponent}" in tex


def test_table_tex_from_tcfit_report_table1_compiles(tmp_path):
    """The done-when item: pdflatex compiles table.tex written by `tcfit report table1` —
    \\input into a document with the preamble table.tex asks for, and table-standalone.tex
    as it is written."""
    from typer.testing import CliRunner

    from tcfit.cli import app

    out = tmp_path / "r"
    run = CliRunner().invoke(
        app, ["report", "table1", "-o", str(out), "--format", "html", "--no-timestamp"]
    )
    assert run.exit_code == 0, run.output
    table = (out / "table.tex").read_text(encoding="utf-8")
    standalone = (out / "table-standalone.tex").read_text(encoding="utf-8")
    assert table.isascii()
    assert standalone.isascii()
    assert table in standalone
    needs = re.search(r"% Needs (.*)\n% (\\sisetup\{.*\});", table)
    packages = re.findall(r"\\usepackage\{(\w+)\}", needs.group(1))
    assert packages == ["booktabs", "siunitx"]
    preamble = "".join(f"\\usepackage{{{p}}}\n" for p in packages) + needs.group(2) + "\n"
    wrapper = f"\\documentclass{{article}}\n{preamble}\\begin{{document}}\n\\input{{table}}\n"
    _compile(wrapper + "\\end{document}\n", out, "paper")
    log = _compile(standalone, out, "table-standalone")
    assert "Overfull" not in log
