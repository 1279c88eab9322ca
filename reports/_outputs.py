r"""The files beside the page: ``results.csv``, ``summary.json``, ``table.tex`` and the figures.

Every file is written atomically (:func:`tcfit._io.write_atomic`): a reader, or a run killed at
any moment, sees the old file or the new one, never half of one.

``summary.json`` is the union of what the present sections contribute
(:meth:`tcfit.reports.Section.summary`) plus the report's own entry ``report`` (title, seed,
date, library versions, and the warnings the warnings section adds).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tcfit._io import write_atomic, write_table_csv
from tcfit._json import jsonable
from tcfit.errors import InputError
from tcfit.formatting import format_sig, i_text, pdg_round

from ._latex import (
    LatexColumn,
    booktabs_table,
    escape_latex,
    math_cell,
    si_number,
    standalone_document,
)
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
    "write_results_parquet",
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


def write_results_parquet(path: Path, result: FitResult) -> Path:
    """The per-material table as Parquet (full precision, typed columns), atomically.

    Column units go into the file's key-value metadata (``tcfit.units``, JSON), not into the
    pandas ``attrs`` (which may hold objects Parquet cannot store).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tcfit._io import atomic_path

    table = pa.Table.from_pandas(result.table.reset_index(drop=True), preserve_index=False)
    units = result.table.attrs.get("units", {})
    meta = {
        **(table.schema.metadata or {}),
        b"tcfit.units": json.dumps(units, sort_keys=True).encode(),
    }
    meta.pop(b"pandas", None)  # pandas' own block would carry attrs; the columns say it all
    with atomic_path(path) as tmp:
        pq.write_table(table.replace_schema_metadata(meta), tmp)
    return path


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


def _latex_columns(has_reference: bool, long_names: bool) -> list[LatexColumn]:
    # A long name wraps in a 4.5 cm column (escape_latex(breakable=True) lets it break).
    columns = [
        LatexColumn("Material", "p{4.5cm}" if long_names else "l"),
        LatexColumn(r"$T_c$ (K)", "S"),
        LatexColumn(r"$T_c^{\mathrm{model}}$ (K)", "S"),
        LatexColumn(r"Residual (\%)", "S"),
        LatexColumn(r"$i_{\mathrm{implied}}$", "S"),
        LatexColumn(r"$i$"),
        LatexColumn("Runner-up"),
        LatexColumn(r"$P_{\mathrm{post}}$", "S"),
    ]
    if has_reference:
        columns.append(LatexColumn(r"$i_{\mathrm{ref}}$"))
    return columns


#: A material name longer than this gets a wrapping column in ``table.tex``.
LATEX_LONG_NAME = 24


def _si_pdg(value: Any, error: Any) -> str:
    """``value ± error`` as siunitx input, PDG-rounded as everywhere in the report."""
    v, e = float(value), float(error)
    if not math.isfinite(v):
        return si_number("")
    if not (math.isfinite(e) and e > 0):
        return _si_plain(v, 4)  # no usable error: 4 significant digits
    number = pdg_round(v, e)
    return si_number(number.value, number.error, number.exponent)


def _si_plain(x: Any, digits: int) -> str:
    v = float(x)
    if not math.isfinite(v):
        return si_number("")
    mantissa, _, exponent = format_sig(v, digits).partition("e")
    return si_number(mantissa, "", int(exponent) if exponent else 0)


def _latex_row(r: dict[str, Any], has_reference: bool, long_names: bool) -> list[str]:
    residual = float(r["residual"]) * 100
    cells = [
        escape_latex(r["material"], breakable=long_names),
        _si_pdg(r["tc"], r["tc_err"]),
        _si_plain(r["tc_model"], 3),
        si_number(f"{residual:+.1f}" if math.isfinite(residual) else ""),
        _si_pdg(r["i_implied"], r["i_implied_err"]),
        math_cell(i_text(r["i_assigned"])),
        math_cell(i_text(r["i_runner_up"])),
        si_number(f"{float(r['posterior_assigned']):.2f}"),
    ]
    if has_reference:
        ref = i_text(r["i_reference"])
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
    long_names = any(len(str(r["material"])) > LATEX_LONG_NAME for r in material_rows)
    rows = [_latex_row(r, has_reference, long_names) for r in material_rows]
    any_disagree = has_reference and any(disagrees(r) for r in material_rows)
    name = str(result.data.attrs.get("name") or "data")
    return booktabs_table(
        _latex_columns(has_reference, long_names),
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
        ``table_tex``, ``table_standalone_tex``, ``results_csv``, ``results_parquet``,
        ``summary_json`` (paths) and ``figures`` (name → {"svg", "png"} → path).
    """
    tex = latex_table(result, title=page["title"], fmt=FORMATTER, version=page["tcfit_version"])
    return {
        "table_tex": write_atomic(target / "table.tex", tex),
        "table_standalone_tex": write_atomic(
            target / "table-standalone.tex", standalone_document(tex)
        ),
        "results_csv": write_results_csv(target / "results.csv", result),
        "results_parquet": write_results_parquet(target / "results.parquet", result),
        "summary_json": write_summary_json(target / "summary.json", payload),
        "figures": write_figures(target / "figures", figures),
    }
