"""Build a validation report: analyse (unless given an analysis) → sections → render → write.

Data flow: a finished :class:`tcfit.analysis.Analysis` (computed by
:func:`tcfit.analysis.analyse` only when ``build`` is given data instead) is handed to every
registered section (:data:`tcfit.reports.SECTIONS`); each present section's context is rendered
with its own template into the skeleton page. The page is written as ``report.html`` and
rendered by WeasyPrint into ``report.pdf``; beside them ``table.tex``, ``results.csv``,
``results.parquet``, ``summary.json`` and every figure as SVG and PNG in ``figures/``, all
assembled in a hidden folder and swapped in whole.

Determinism: no randomness without the seed, figures with a fixed SVG hash salt and no dates,
libraries' versions in the page, the timestamp from ``SOURCE_DATE_EPOCH`` when set (or none at
all with ``timestamp=False``). The same input, options and seed give byte-identical HTML.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

from tcfit._io import atomic_dir, check_dir_target, write_atomic
from tcfit.errors import InputError
from tcfit.options import FitOptions, FitOverrides

from . import _outputs, sections
from ._progress import Steps
from ._render import (
    environment,
    page_values,
    render_page,
    render_section,
    timestamp_text,
    write_pdf,
)

if TYPE_CHECKING:
    from tcfit.analysis import Analysis


__all__ = ["FORMATS", "ReportPaths", "build"]

FORMATS: tuple[str, ...] = ("html", "pdf")


@dataclass(frozen=True, eq=False)
class ReportPaths:
    """Where :func:`build` wrote each file.

    Attributes
    ----------
    out_dir : pathlib.Path
        The report folder.
    html, pdf : pathlib.Path or None
        ``report.html`` and ``report.pdf`` (None for a format not requested).
    table_tex : pathlib.Path
        The per-material table as a LaTeX booktabs/siunitx table, to paste into a paper.
    table_standalone_tex : pathlib.Path
        The same table in a document that ``pdflatex`` compiles by itself.
    results_csv : pathlib.Path
        The per-material table with full precision (one row per material), spreadsheet-safe.
    results_parquet : pathlib.Path
        The same table as Parquet (typed columns; units in the file's metadata).
    summary_json : pathlib.Path
        Every headline number of the report, JSON.
    figures : dict of str to dict of str to pathlib.Path
        ``{"parity": {"svg": ..., "png": ...}, ...}``.
    summary : dict
        What ``summary.json`` holds, in memory (JSON-ready).
    """

    out_dir: Path
    html: Path | None
    pdf: Path | None
    table_tex: Path
    table_standalone_tex: Path
    results_csv: Path
    results_parquet: Path
    summary_json: Path
    figures: dict[str, dict[str, Path]] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    def files(self) -> list[Path]:
        """Every file written, in a fixed order."""
        out = [p for p in (self.html, self.pdf) if p is not None]
        out += [self.table_tex, self.table_standalone_tex, self.results_csv]
        out += [self.results_parquet, self.summary_json]
        for paths in self.figures.values():
            out += [paths["svg"], paths["png"]]
        return out


def build(
    data: Any,
    out_dir: str | os.PathLike[str] | None = None,
    options: FitOptions | None = None,
    /,
    *,
    formats: str | Sequence[str] = FORMATS,
    title: str | None = None,
    compare: Any = None,
    timestamp: bool = True,
    progress: bool = False,
    n_null: int | None = None,
    overwrite: bool = False,
    **overrides: Unpack[FitOverrides],
) -> ReportPaths:
    """Write the validation report of Eq. (5) for one data set: HTML, PDF, figures, tables.

    Parameters
    ----------
    data : Analysis, FitResult, str, path-like or pandas.DataFrame
        A finished :class:`tcfit.analysis.Analysis` (laid out as it is; nothing is fitted), a
        finished :class:`tcfit.FitResult`, or data for :func:`tcfit.fit` (a built-in dataset
        name such as ``"table1"``, a file, or a table); the analyses are then run by
        :func:`tcfit.analysis.analyse` under ``options``.
    out_dir : str or path-like, optional
        The report folder, created if missing. Default ``./tcfit-reports/<dataset-name>/``.
        Never inside tcfit's own ``reports/`` source folder. The report is assembled in a
        hidden folder beside it and swapped in whole at the end
        (:func:`tcfit._io.atomic_dir`): a run that fails or is killed leaves the previous
        report or the new one, never a mix.
    options : FitOptions, optional
        Options of the fit and of every analysis (default ``FitOptions()``).
    formats : {"html", "pdf"} or sequence of them, or "html,pdf", default=("html", "pdf")
        Which documents to write. ``table.tex``, ``results.csv``, ``results.parquet``,
        ``summary.json`` and the figures (SVG and PNG) are always written.
    title : str, optional
        The report's title; default names the dataset.
    compare : str, path-like or pandas.DataFrame, optional
        A second data source for the same materials; adds the source comparison
        (:func:`tcfit.compare_sources`, fitted with the same options).
    timestamp : bool, default=True
        Print the date of the report: ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) when set,
        otherwise the current time. ``False`` leaves it out, for byte-identical reruns.
    progress : bool, default=False
        Show a rich progress bar on stderr (the CLI turns it on).
    n_null : int, optional
        Null tables of the superseded quantization test, shown in the appendix (default 10000).
    overwrite : bool, default=False
        Replace an earlier report in ``out_dir``. Without it a folder that holds anything is
        refused; even with it, a folder holding files a report does not write is refused
        (the folder is replaced whole).
    **overrides
        Any :class:`tcfit.FitOptions` field (``policy``, ``seed``, ``rel_err``, ...).

    Returns
    -------
    ReportPaths
        The paths of every file written, and the summary in memory.

    Raises
    ------
    DataError
        If the data cannot be read or fitted (from :func:`tcfit.fit`).
    InputError
        For an unknown format, a report folder inside the package or holding an output
        without ``overwrite``, a bad ``SOURCE_DATE_EPOCH``, or analysis options given
        together with a finished Analysis.

    Notes
    -----
    Byte-identical HTML for the same input, options and seed (with ``timestamp=False`` or a
    fixed ``SOURCE_DATE_EPOCH``). The PDF is rendered from the same HTML by WeasyPrint with
    print CSS (A4, page numbers, table rows never split). What the page shows is the
    registered sections (:data:`tcfit.reports.SECTIONS`, extended by
    :func:`tcfit.reports.register_section`).

    References
    ----------
    Jiang, Eq. (5) and Table-1; Particle Data Group rounding (see :mod:`tcfit.formatting`).

    Examples
    --------
    >>> paths = build("table1", "/tmp/tcfit-doctest", formats="html", timestamp=False)
    >>> paths.html.name, paths.pdf
    ('report.html', None)
    """
    from tcfit.analysis import Analysis

    chosen = _outputs.check_formats(formats, FORMATS)
    generated = timestamp_text(timestamp)
    given = isinstance(data, Analysis)
    steps = Steps(_step_count(given, "pdf" in chosen, compare), enabled=progress)
    if out_dir is not None:  # refuse before the analyses, not after minutes of work
        check_dir_target(
            _outputs.check_out_dir(Path(out_dir)),
            overwrite=overwrite,
            replaceable=_outputs.REPORT_FILES,
        )
    with steps.running():
        analysis = _analysis(
            data, options, compare=compare, n_null=n_null, overrides=overrides, on_step=steps.next
        )
        target = _outputs.check_out_dir(
            Path(out_dir) if out_dir is not None else _outputs.default_out_dir(analysis.name)
        )
        check_dir_target(target, overwrite=overwrite, replaceable=_outputs.REPORT_FILES)
        steps.step("figures")
        page = page_values(analysis, title, generated)
        env = environment()
        present = sections.present(analysis, sections.FORMATTER)
        rendered = [render_section(env, s, context, page) for s, context in present]
        steps.step("HTML")
        html = render_page(env, rendered, page)
        payload = _outputs.summary_payload(
            analysis, [s for s, _ in present], _outputs.report_entry(analysis, page)
        )
        with atomic_dir(target, overwrite=overwrite, replaceable=_outputs.REPORT_FILES) as tmp:
            html_path = write_atomic(tmp / "report.html", html) if "html" in chosen else None
            pdf_path = None
            if "pdf" in chosen:
                steps.step("PDF (WeasyPrint)")
                pdf_path = write_pdf(html, tmp / "report.pdf")
            figures = [figure for section in rendered for figure in section.figures]
            beside = _outputs.write_beside(tmp, analysis.result, figures, payload, page)
        steps.step("done")
    paths = ReportPaths(out_dir=tmp, html=html_path, pdf=pdf_path, summary=payload, **beside)
    return _moved(paths, tmp, target)


def _moved(paths: ReportPaths, tmp: Path, target: Path) -> ReportPaths:
    """The same paths with the assembly folder ``tmp`` replaced by the report folder."""

    def move(path: Path | None) -> Path | None:
        return None if path is None else target / path.relative_to(tmp)

    return ReportPaths(
        out_dir=target,
        html=move(paths.html),
        pdf=move(paths.pdf),
        table_tex=target / paths.table_tex.relative_to(tmp),
        table_standalone_tex=target / paths.table_standalone_tex.relative_to(tmp),
        results_csv=target / paths.results_csv.relative_to(tmp),
        results_parquet=target / paths.results_parquet.relative_to(tmp),
        summary_json=target / paths.summary_json.relative_to(tmp),
        figures={
            name: {kind: target / p.relative_to(tmp) for kind, p in files.items()}
            for name, files in paths.figures.items()
        },
        summary=paths.summary,
    )


def _analysis(
    data: Any,
    options: FitOptions | None,
    *,
    compare: Any,
    n_null: int | None,
    overrides: FitOverrides,
    on_step: Callable[[str], None],
) -> Analysis:
    """``data`` if it is a finished Analysis, else :func:`tcfit.analysis.analyse` of it.

    Raises
    ------
    InputError
        If a finished Analysis comes with options, ``compare``, ``n_null`` or overrides: they
        would change nothing.
    """
    from tcfit.analysis import Analysis, analyse

    if isinstance(data, Analysis):
        unused = {"options": options, "compare": compare, "n_null": n_null, **overrides}
        given = [name for name, value in unused.items() if value is not None]
        if given:
            raise InputError(
                f"build() was given a finished Analysis, so {', '.join(map(repr, given))} "
                "would change nothing; pass them to tcfit.analysis.analyse, or give build the "
                "data.",
                argument=given[0],
            )
        return data
    extra = {} if n_null is None else {"n_null": n_null}
    return analyse(data, options, compare=compare, on_step=on_step, **extra, **overrides)


def _step_count(given: bool, pdf: bool, compare: Any) -> int:
    """Progress steps: the analyses (unless given), figures, HTML, the PDF, done."""
    return (2 if given else 6) + int(pdf) + int(compare is not None and not given)
