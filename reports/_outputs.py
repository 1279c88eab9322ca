r"""The files beside the page: ``results.csv``, ``summary.json``, ``table.tex`` and the figures.

Every file is written atomically (:func:`tcfit._io.write_atomic`): a reader, or a run killed at
any moment, sees the old file or the new one, never half of one.

``summary.json`` is the union of what the present sections contribute
(:meth:`tcfit.reports.Section.summary`) plus the report's own entry ``report`` (title, seed,
date, library versions, and the warnings the warnings section adds).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tcfit._io import write_atomic, write_table_csv
from tcfit._json import jsonable
from tcfit.errors import InputError

from ._latex import LatexColumn, booktabs_table, escape_latex, math_cell
from .sections import FORMATTER, Formatter, Section, disagrees, records

if TYPE_CHECKING:
    from tcfit.analysis import Analysis
    from tcfit.fitting import FitResult

    from ._render import FigureEntry

__all__ = [
    "REPORT_FILES",
    "check_formats",
    "check_out_dir",
    "default_out_dir",
    "latex_table",
    "report_entry",
    "summary_payload",
    "write_beside",
    "write_figures",
    "write_results_csv",
    "write_summary_json",
]


#: What a report folder holds (glob patterns): the only entries ``--overwrite`` may replace.
REPORT_FILES: tuple[str, ...] = (
    "report.html",
    "report.pdf",
    "table*.tex",
    "results.*",
    "summary.json",
    "figures",
)


def check_formats(formats: str | Sequence[str], known: tuple[str, ...]) -> tuple[str, ...]:
    """The documents asked for (``"html,pdf"`` or a sequence), in the order of ``known``.

    Raises
    ------
    InputError
        For an unknown format, or none at all.
    """
    from tcfit._validate import check_option

    items = formats.split(",") if isinstance(formats, str) else list(formats)
    chosen = tuple(check_option("format", str(f).strip(), known) for f in items)
    if not chosen:
        raise InputError(
            "The `format` parameter must name at least one of 'html' or 'pdf'; got none.",
            argument="format",
        )
    return tuple(f for f in known if f in chosen)


def default_out_dir(name: str) -> Path:
    """``./tcfit-reports/<name>/``, the name made safe for a folder."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip("._") or "data"
    return Path.cwd() / "tcfit-reports" / safe


def check_out_dir(out_dir: Path) -> Path:
    """``out_dir``, unless it lies inside tcfit's own ``reports/`` source folder.

    Raises
    ------
    InputError
        If it does.
    """
    target = out_dir.resolve()
    source = Path(__file__).resolve().parent
    if target == source or source in target.parents:
        raise InputError(
            f"The report folder {str(out_dir)!r} lies inside tcfit's own source folder "
            f"{str(source)!r}; choose another folder (the default is ./tcfit-reports/<name>/).",
            argument="out_dir",
        )
    return out_dir


def report_entry(analysis: Analysis, page: Mapping[str, Any]) -> dict[str, Any]:
    """The ``report`` entry of summary.json (the warnings section adds ``warnings``)."""
    from .sections.provenance import versions

    return {
        "title": page["title"],
        "seed": analysis.result.options.seed,
        "generated": page["generated"],
        "versions": dict(versions()),
    }


def write_figures(folder: Path, figures: Sequence[FigureEntry]) -> dict[str, dict[str, Path]]:
    """Write each figure as ``<name>.svg`` and ``<name>.png`` into ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, dict[str, Path]] = {}
    for fig in figures:
        paths[fig.name] = {
            "svg": write_atomic(folder / f"{fig.name}.svg", fig.svg_file),
            "png": write_atomic(folder / f"{fig.name}.png", fig.png_file),
        }
    return paths


def write_results_csv(path: Path, result: FitResult) -> Path:
    """The per-material table with full precision, one row per material, spreadsheet-safe.

    Text cells a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first)
    get a leading apostrophe (:func:`tcfit._io.spreadsheet_safe`, the OWASP rule); numbers are
    written as they are.
    """
    return write_table_csv(result.table, path)


def _merge(payload: dict[str, Any], entries: Mapping[str, Any], source: str) -> None:
    """Add a section's entries; two mappings under one key join if they share no key."""
    for key, value in entries.items():
        if key not in payload:
            payload[key] = dict(value) if isinstance(value, Mapping) else value
            continue
        mine = payload[key]
        if not (isinstance(mine, dict) and isinstance(value, Mapping)) or mine.keys() & value:
            raise InputError(
                f"The report section {source!r} adds {key!r} to summary.json, which already "
                "holds it (or the same keys inside it); give its entry another key.",
                argument="section",
            )
        mine.update(value)


def summary_payload(
    analysis: Analysis, sections: Sequence[Section], report: Mapping[str, Any]
) -> dict[str, Any]:
    """What ``summary.json`` holds: every section's entries, then ``report``, JSON-ready.

    Parameters
    ----------
    analysis : Analysis
    sections : sequence of Section
        The sections present in the report, in page order.
    report : mapping
        The report's own entries (title, seed, generated, versions); the sections' ``report``
        entries (the warnings) join them.

    Raises
    ------
    InputError
        If a section writes a key already written (two mappings under one key join only when
        they share no key).
    """
    payload: dict[str, Any] = {"report": dict(report)}
    for section in sections:
        entries = section.summary(analysis)
        if entries is not None:
            _merge(payload, entries, section.id)
    payload["report"] = payload.pop("report")  # last, after every section's entries
    out: dict[str, Any] = jsonable(payload)
    return out


def write_summary_json(path: Path, payload: Mapping[str, Any]) -> Path:
    """``summary.json``: indented, UTF-8, no NaN (``jsonable`` made them null)."""
    text = json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return write_atomic(path, text)


def _latex_columns(has_reference: bool) -> list[LatexColumn]:
    columns = [
        LatexColumn("Material", "l"),
        LatexColumn(r"$T_c$ (K)"),
        LatexColumn(r"$T_c^{\mathrm{model}}$ (K)"),
        LatexColumn(r"Residual (\%)"),
        LatexColumn(r"$i_{\mathrm{implied}}$"),
        LatexColumn(r"$i$"),
        LatexColumn("Runner-up"),
        LatexColumn(r"$P_{\mathrm{post}}$"),
    ]
    if has_reference:
        columns.append(LatexColumn(r"$i_{\mathrm{ref}}$"))
    return columns


def _probability(value: Any) -> str:
    number = float(value)
    return f"{number:.2f}" if number == number else "--"


def _latex_row(r: dict[str, Any], has_reference: bool, fmt: Formatter) -> list[str]:
    cells = [
        escape_latex(r["material"]),
        math_cell(fmt.pdg_latex(r["tc"], r["tc_err"])),
        math_cell(fmt.sig(r["tc_model"], 3)),
        math_cell(fmt.percent(r["residual"], 1).replace(" %", "")),
        math_cell(fmt.pdg_latex(r["i_implied"], r["i_implied_err"])),
        math_cell(fmt.i(r["i_assigned"])),
        math_cell(fmt.i(r["i_runner_up"])),
        math_cell(_probability(r["posterior_assigned"])),
    ]
    if has_reference:
        ref = fmt.i(r["i_reference"])
        cells.append(math_cell(ref + (r"^{\dagger}" if disagrees(r) and ref else "")))
    return cells


def _latex_notes(result: FitResult, fmt: Formatter, any_disagree: bool) -> list[str]:
    summary = result.summary
    if summary.uncertainties == "measured":
        kind = "measured."
    else:
        relative = ", ".join(
            f"{k} {fmt.percent(v, 0, sign=False).replace(' %', '')}\\%"
            for k, v in (summary.rel_err or {}).items()
        )
        kind = f"assumed where the data give none (relative {relative})."
    notes = [
        r"Uncertainties are 1$\sigma$, rounded by the Particle Data Group rule; " + kind,
        rf"Policy: {escape_latex(result.policy.describe())}.",
        r"$P_{\mathrm{post}}$: posterior probability of the assigned $i$ under the hierarchical "
        r"lattice model (-- outside the grid of allowed values).",
    ]
    if any_disagree:
        notes.append(r"$^{\dagger}$ the assigned $i$ differs from the reference $i$.")
    return notes


def latex_table(result: FitResult, *, title: str, fmt: Formatter, version: str) -> str:
    """The per-material table as a booktabs ``table`` (``table.tex``)."""
    table = result.table
    has_reference = "i_reference" in table
    material_rows = records(table)
    rows = [_latex_row(r, has_reference, fmt) for r in material_rows]
    any_disagree = has_reference and any(disagrees(r) for r in material_rows)
    name = str(result.data.attrs.get("name") or "data")
    return booktabs_table(
        _latex_columns(has_reference),
        rows,
        caption=escape_latex(title),
        label=f"tab:tcfit-{name}",
        notes=_latex_notes(result, fmt, any_disagree),
        comment=f"Written by tcfit {version} (tcfit report).",
    )


def write_beside(
    target: Path,
    result: FitResult,
    figures: Sequence[FigureEntry],
    payload: Mapping[str, Any],
    page: Mapping[str, Any],
) -> dict[str, Any]:
    """Write the files beside the page into ``target``; their paths by :class:`ReportPaths` field.

    Parameters
    ----------
    target : pathlib.Path
        The report folder (it exists).
    result : FitResult
        The per-material fit (``results.csv``, ``table.tex``).
    figures : sequence of FigureEntry
        Written to ``figures/``.
    payload : mapping
        ``summary.json``'s content (:func:`summary_payload`).
    page : mapping
        The page's values: ``title`` (the LaTeX caption) and ``tcfit_version``.

    Returns
    -------
    dict
        ``table_tex``, ``results_csv``, ``summary_json`` (paths) and ``figures``
        (name → {"svg", "png"} → path).
    """
    tex = latex_table(result, title=page["title"], fmt=FORMATTER, version=page["tcfit_version"])
    return {
        "table_tex": write_atomic(target / "table.tex", tex),
        "results_csv": write_results_csv(target / "results.csv", result),
        "summary_json": write_summary_json(target / "summary.json", payload),
        "figures": write_figures(target / "figures", figures),
    }
