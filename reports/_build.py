"""Build a validation report: one Jinja2 template, rendered to self-contained HTML and to PDF.

Data flow: a finished :class:`tcfit.FitResult` (``tcfit.fit`` is called only when ``build`` is
given data instead), plus :func:`tcfit.fit_global` and :func:`tcfit.quantization_test` computed
here, in one place, become a *context* of ready-formatted strings; the template only lays it out.
The same HTML is written as ``report.html`` and rendered by WeasyPrint (print CSS) into
``report.pdf``. Beside them: ``table.tex`` (booktabs), ``results.csv`` (the per-material table
with full precision), ``summary.json`` (every headline number) and each figure as SVG and PNG in
``figures/``.

Determinism: no randomness without the seed, figures with a fixed SVG hash salt and no dates,
libraries' versions in the page, the timestamp from ``SOURCE_DATE_EPOCH`` when set (or none at
all with ``timestamp=False``). The same input, options and seed give byte-identical HTML.

Security: Jinja2 autoescaping is on, so every string from the user's file is escaped; the page
loads nothing from anywhere (CSS and the small sorting script inline, figures as inline SVG)
and says so in a Content-Security-Policy whose ``script-src`` is the hash of that one script.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as _dt
import hashlib
import json
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Unpack

import numpy as np
import pandas as pd

from tcfit._json import jsonable
from tcfit.analysis import N_NULL
from tcfit.errors import InputError
from tcfit.formatting import format_percent, format_sig, pdg_round
from tcfit.options import FitOptions, FitOverrides

from . import _figures
from ._latex import LatexColumn, booktabs_table, escape_latex, math_cell

__all__ = ["ReportPaths", "build"]

FORMATS: tuple[str, ...] = ("html", "pdf")
#: p_assigned below this marks an assignment as ambiguous.
AMBIGUOUS_P = 0.8
#: |z| above this is a large deviation of model from measurement.
LARGE_Z = 3.0
#: An implied i outside this range points to a unit mistake (same bounds as the loaders).
I_PLAUSIBLE = (1e-3, 1e4)
#: Said wherever the global fit is shown (see the caveat in :mod:`tcfit.global_fit`).
GLOBAL_CAVEAT = (
    "Caveat: each material's i was chosen to make Eq. (5), as written, fit best, so these fits "
    "lean towards its exponents and prefactor; agreement here is weak evidence for them."
)
_VERSIONED = (
    "tcfit",
    "numpy",
    "scipy",
    "pandas",
    "pint",
    "lmfit",
    "matplotlib",
    "seaborn",
    "jinja2",
    "weasyprint",
)


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
        The per-material table as a LaTeX booktabs table.
    results_csv : pathlib.Path
        The per-material table with full precision (one row per material).
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
    results_csv: Path
    summary_json: Path
    figures: dict[str, dict[str, Path]] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    def files(self) -> list[Path]:
        """Every file written, in a fixed order."""
        out = [p for p in (self.html, self.pdf) if p is not None]
        out += [self.table_tex, self.results_csv, self.summary_json]
        for paths in self.figures.values():
            out += [paths["svg"], paths["png"]]
        return out


# --------------------------------------------------------------------------------------------
# small formatting helpers


def _i_text(value: Any) -> str:
    """An allowed value of i as printed: ``3``, ``2.5``, ``1/4``, ``1/100``; blank for NaN."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    if not math.isfinite(v):
        return ""
    if abs(v - round(v)) < 1e-9 * max(1.0, abs(v)):
        return str(round(v))
    frac = Fraction(v).limit_denominator(1000)
    if abs(float(frac) - v) <= 1e-9 * abs(v):
        return f"{frac.numerator}/{frac.denominator}" if frac.denominator <= 8 else f"{v:g}"
    return format_sig(v, 3)


def _pdg(value: float, error: float) -> str:
    if not (np.isfinite(error) and error > 0):
        return format_sig(value, 4) if np.isfinite(value) else ""
    return pdg_round(value, error).text()


def _pdg_latex(value: float, error: float) -> str:
    if not (np.isfinite(error) and error > 0):
        return format_sig(value, 4) if np.isfinite(value) else ""
    return pdg_round(value, error).latex()


def _sort_key(value: Any) -> str:
    """``data-sort`` attribute: full-precision number (repr) or empty for missing."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    return repr(v) if math.isfinite(v) else ""


def _sci(x: float, digits: int = 7) -> str:
    """``1.561716 × 10⁷`` for 1.5617162e7 (``digits`` significant digits)."""
    mantissa, exponent = f"{float(x):.{digits - 1}e}".split("e")
    power = str(int(exponent)).translate(str.maketrans("-0123456789", "−⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{mantissa} × 10{power}"


def _count(n: int, of: int) -> str:
    return f"{n} of {of}"


def _versions() -> list[tuple[str, str]]:
    out = []
    for name in _VERSIONED:
        try:
            out.append((name, version(name)))
        except PackageNotFoundError:  # pragma: no cover - every one is a dependency
            out.append((name, "not installed"))
    return out


def _timestamp(timestamp: bool) -> str | None:
    """The report's date: SOURCE_DATE_EPOCH when set (reproducible builds), else now, in UTC."""
    if not timestamp:
        return None
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is not None and raw.strip() != "":
        try:
            seconds = int(raw.strip())
        except ValueError as err:
            raise InputError(
                "SOURCE_DATE_EPOCH must be an integer number of seconds since 1970-01-01 UTC; "
                f"got {raw!r}.",
                argument="SOURCE_DATE_EPOCH",
            ) from err
        moment = _dt.datetime.fromtimestamp(seconds, tz=_dt.UTC)
    else:
        moment = _dt.datetime.now(tz=_dt.UTC).replace(microsecond=0)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _check_formats(formats: str | Sequence[str]) -> tuple[str, ...]:
    from tcfit.policies import check_option

    items = formats.split(",") if isinstance(formats, str) else list(formats)
    chosen = tuple(check_option("format", str(f).strip(), FORMATS) for f in items)
    if not chosen:
        raise InputError(
            "The `format` parameter must name at least one of 'html' or 'pdf'; got none.",
            argument="format",
        )
    return tuple(f for f in FORMATS if f in chosen)


def _default_out_dir(name: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip("._") or "data"
    return Path.cwd() / "tcfit-reports" / safe


def _check_out_dir(out_dir: Path) -> Path:
    target = out_dir.resolve()
    source = Path(__file__).resolve().parent
    if target == source or source in target.parents:
        raise InputError(
            f"The report folder {str(out_dir)!r} lies inside tcfit's own source folder "
            f"{str(source)!r}; choose another folder (the default is ./tcfit-reports/<name>/).",
            argument="out_dir",
        )
    return out_dir


# --------------------------------------------------------------------------------------------
# progress


class _Steps:
    """A rich progress bar on stderr (or nothing), advanced one step at a time."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.enabled = enabled
        self.total = total
        self._progress: Any = None
        self._task: Any = None

    @contextlib.contextmanager
    def running(self) -> Iterator[_Steps]:
        if not self.enabled:
            yield self
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(stderr=True)
        with Progress(
            TextColumn("[bold]report[/]"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            self._progress = progress
            self._task = progress.add_task("starting", total=self.total)
            yield self

    def step(self, description: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1, description=description)

    def start(self, description: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=description)

    def next(self, description: str) -> None:
        """The first call only names the running stage; later ones also advance the bar."""
        if getattr(self, "_started", False):
            self.step(description)
        else:
            self._started = True
            self.start(description)


# --------------------------------------------------------------------------------------------
# the context the template lays out


def _quantization_sentences(q: Any, policy: str) -> tuple[str, str]:
    """The p-value, and one plain sentence on what it means."""
    p = float(q.p_value)
    n_null = int(q.n_null)
    if p <= 0:
        p_text = f"p < {1 / n_null:.0e}".replace("e-0", "e-")
        share = f"none of {n_null} random tables"
    else:
        p_text = f"p = {format_sig(p, 2)}"
        share = f"{format_percent(p, 1, sign=False)} of {n_null} random tables"
    obs = format_percent(q.rms_observed, 2, sign=False)
    what = (
        f"{p_text}: in {share} whose implied i were drawn at random (log-uniformly over the "
        f"observed range) and then given their best allowed i under the same '{policy}' policy, "
        f"the RMS residual came out as small as the observed {obs} or smaller."
    )
    if p >= 0.05:  # the conventional 5 % level, fixed before looking at any data
        meaning = (
            "So a free i per material buys agreement this good by itself: the agreement is not "
            "evidence for Eq. (5)."
        )
    else:
        meaning = (
            "So the agreement is better than a free i per material buys by itself (p < 0.05): "
            "the implied i sit closer to the allowed values than chance would put them. This "
            "tests that clustering only, not the physics behind Eq. (5)."
        )
    return what, meaning


def _param_row(
    label: str, est: Any, expected: float, expected_text: str, *, scale: float = 1.0
) -> dict[str, Any]:
    value, err = float(est.value) / scale, float(est.std_err) / scale
    low, high = float(est.ci95_low) / scale, float(est.ci95_high) / scale
    inside = bool(low <= expected / scale <= high)
    return {
        "label": label,
        "estimate": _pdg(value, err),
        "interval": f"[{format_sig(low, 4)}, {format_sig(high, 4)}]",
        "expected": expected_text,
        "inside": inside,
        "verdict": "inside the 95 % interval" if inside else "outside the 95 % interval",
    }


def _global_context(gfit: Any, prefactor: float) -> dict[str, Any]:
    from tcfit.model import PAPER_PREFACTOR, PREFACTOR

    exponents = gfit.parts["exponents"]
    pref = gfit.parts["prefactor"]
    common = gfit.parts["common_i"]
    rows = [
        _param_row("α, exponent of n", exponents.params["alpha"], 1 / 6, "1/6"),
        _param_row("β, exponent of Bc", exponents.params["beta"], 1.0, "1"),
        _param_row(
            "prefactor A (10⁷ K m^½ T⁻¹)",
            pref.params["prefactor"],
            PREFACTOR,
            f"{PREFACTOR / 1e7:.5f} (CODATA); paper {PAPER_PREFACTOR / 1e7:g}",
            scale=1e7,
        ),
    ]
    parts = []
    for key, title in (
        ("prefactor", "prefactor free, assigned i fixed"),
        ("exponents", "exponents of n and Bc free, assigned i fixed"),
        ("common_i", "one common i for every material"),
    ):
        part = gfit.parts[key]
        params = "; ".join(
            f"{name} = {_pdg(float(p.value), float(p.std_err))}" for name, p in part.params.items()
        )
        parts.append(
            {
                "name": title,
                "description": str(getattr(part, "description", "")),
                "params": params,
                "chi2": f"{format_sig(part.chi_square, 3)} / {part.dof}",
                "reduced": format_sig(part.reduced_chi_square, 3),
                "p_value": "—" if part.p_value is None else format_sig(part.p_value, 2),
                "aic": f"{part.aic:.1f}",
                "bic": f"{part.bic:.1f}",
                "n_parameters": str(part.n_parameters),
                "mode": part.mode,
            }
        )
    modes = {part.mode for part in gfit.parts.values()}
    if modes == {"absolute"}:
        mode_text = (
            "Global-fit uncertainties use the measurement uncertainties as absolute "
            "(not rescaled by the fit quality)."
        )
    elif modes == {"scaled"}:
        mode_text = (
            "Global-fit uncertainties are scaled by √(χ²/dof), because the measurement "
            "uncertainties are not absolute (assumed defaults)."
        )
    else:
        mode_text = "Global-fit uncertainties: " + "; ".join(
            f"{k} {p.mode}" for k, p in gfit.parts.items()
        )
    estimates = [
        _figures.Estimate(
            "α (exponent of n)",
            float(exponents.params["alpha"].value),
            float(exponents.params["alpha"].ci95_low),
            float(exponents.params["alpha"].ci95_high),
            1 / 6,
            "Eq. (5): 1/6",
        ),
        _figures.Estimate(
            "β (exponent of Bc)",
            float(exponents.params["beta"].value),
            float(exponents.params["beta"].ci95_low),
            float(exponents.params["beta"].ci95_high),
            1.0,
            "Eq. (5): 1",
        ),
        _figures.Estimate(
            "A / A(CODATA)",
            float(pref.params["prefactor"].value) / PREFACTOR,
            float(pref.params["prefactor"].ci95_low) / PREFACTOR,
            float(pref.params["prefactor"].ci95_high) / PREFACTOR,
            1.0,
            "CODATA prefactor",
            unit="prefactor relative to the CODATA value (dimensionless)",
        ),
    ]
    common_i = common.params.get("i_common")
    return {
        "rows": rows,
        "parts": parts,
        "mode_text": mode_text,
        "caveat": GLOBAL_CAVEAT,
        "estimates": estimates,
        "common_i": _pdg(float(common_i.value), float(common_i.std_err)) if common_i else "",
    }


def _material_rows(table: pd.DataFrame) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    has_ref = "i_reference" in table
    columns = [
        {"label": "Material", "num": False, "title": "as named in the data"},
        {"label": "Tc measured (K)", "num": True, "title": "± the 1σ uncertainty used"},
        {"label": "Tc model (K)", "num": True, "title": "Eq. (5) with the assigned i"},
        {"label": "Residual", "num": True, "title": "(Tc model − Tc measured) / Tc measured"},
        {"label": "z", "num": True, "title": "ln(Tc model / Tc) in units of its σ"},
        {"label": "Implied i", "num": True, "title": "the i that makes Eq. (5) exact, ± 1σ"},
        {"label": "Assigned i", "num": True, "title": "nearest allowed value (log space)"},
        {"label": "Runner-up i", "num": True, "title": "second-nearest allowed value"},
        {"label": "Δχ² runner-up", "num": True, "title": "χ² at the runner-up minus χ² assigned"},
        {"label": "p assigned", "num": True, "title": "share of Monte Carlo draws, same i"},
    ]
    if has_ref:
        columns.append({"label": "Reference i", "num": True, "title": "e.g. the paper's i"})
    rows = []
    for r in table.to_dict(orient="records"):
        res = float(r["residual"])
        p = float(r["p_assigned"])
        delta = float(r["chi2_runner_up"]) - float(r["chi2_assigned"])
        cells = [
            {"text": str(r["material"]), "sort": None, "cls": ""},
            {"text": _pdg(r["tc"], r["tc_err"]), "sort": _sort_key(r["tc"]), "cls": "num"},
            {"text": format_sig(r["tc_model"], 3), "sort": _sort_key(r["tc_model"]), "cls": "num"},
            {
                "text": format_percent(res, 1),
                "sort": _sort_key(res),
                "cls": "num"
                + (" flag-bad" if abs(res) > 0.10 else " flag-warn" if abs(res) > 0.05 else ""),
            },
            {
                "text": f"{float(r['z']):+.2f}",
                "sort": _sort_key(r["z"]),
                "cls": "num" + (" flag-bad" if abs(float(r["z"])) > LARGE_Z else ""),
            },
            {
                "text": _pdg(r["i_implied"], r["i_implied_err"]),
                "sort": _sort_key(r["i_implied"]),
                "cls": "num",
            },
            {"text": _i_text(r["i_assigned"]), "sort": _sort_key(r["i_assigned"]), "cls": "num"},
            {
                "text": _i_text(r["i_runner_up"]),
                "sort": _sort_key(r["i_runner_up"]),
                "cls": "num",
            },
            {
                "text": format_sig(delta, 2) if np.isfinite(delta) else "",
                "sort": _sort_key(delta),
                "cls": "num",
            },
            {
                "text": f"{p:.2f}",
                "sort": _sort_key(p),
                "cls": "num" + (" flag-warn" if p < AMBIGUOUS_P else ""),
            },
        ]
        disagree = False
        if has_ref:
            agrees = r.get("agrees")
            disagree = agrees is not None and agrees is not pd.NA and not bool(agrees)
            ref_text = _i_text(r["i_reference"])
            cells.append(
                {
                    "text": (f"{ref_text} ≠ {_i_text(r['i_assigned'])}" if disagree else ref_text),
                    "sort": _sort_key(r["i_reference"]),
                    "cls": "num" + (" flag-bad" if disagree else ""),
                }
            )
        rows.append({"cells": cells, "cls": "disagree" if disagree else ""})
    return columns, rows


def _warnings(result: Any) -> list[dict[str, Any]]:
    table = result.table
    out: list[dict[str, Any]] = []
    for r in table.to_dict(orient="records"):
        name = str(r["material"])
        i_imp = float(r["i_implied"])
        if not (I_PLAUSIBLE[0] <= i_imp <= I_PLAUSIBLE[1]):
            out.append(
                {
                    "severe": True,
                    "kind": "unit",
                    "text": (
                        f"{name}: implied i = {format_sig(i_imp, 3)} lies outside "
                        f"[{I_PLAUSIBLE[0]:g}, {I_PLAUSIBLE[1]:g}] — probably a unit mistake. "
                        "Bc in gauss read as tesla multiplies i by 10⁸, Bc in mT read as T by "
                        "10⁶, Tc in mK read as K divides it by 10⁶, n in cm⁻³ read as m⁻³ "
                        "multiplies it by 100."
                    ),
                }
            )
    if "outside_grid" in table:
        for r in table[table["outside_grid"].astype(bool)].to_dict(orient="records"):
            values = result.policy.values
            out.append(
                {
                    "severe": True,
                    "kind": "outside_grid",
                    "text": (
                        f"{r['material']}: implied i = {_pdg(r['i_implied'], r['i_implied_err'])}"
                        f" lies outside the '{result.policy.name}' policy's range "
                        f"[{_i_text(values[0])}, {_i_text(values[-1])}]; the assigned "
                        f"{_i_text(r['i_assigned'])} is only the nearest end of the grid "
                        f"(residual {format_percent(r['residual'], 1)})."
                    ),
                }
            )
    for r in table.to_dict(orient="records"):
        p = float(r["p_assigned"])
        if p < AMBIGUOUS_P:
            out.append(
                {
                    "severe": False,
                    "kind": "ambiguous",
                    "text": (
                        f"{r['material']}: ambiguous assignment — i = {_i_text(r['i_assigned'])} "
                        f"in only {p:.0%} of Monte Carlo draws of the measurement errors "
                        f"(runner-up i = {_i_text(r['i_runner_up'])}, "
                        f"implied i = {_pdg(r['i_implied'], r['i_implied_err'])})."
                    ),
                }
            )
    for r in table.to_dict(orient="records"):
        z = float(r["z"])
        if abs(z) > LARGE_Z:
            out.append(
                {
                    "severe": True,
                    "kind": "large_z",
                    "text": (
                        f"{r['material']}: model and measurement differ by {z:+.1f} σ "
                        f"(residual {format_percent(r['residual'], 1)}) even with the best "
                        "allowed i."
                    ),
                }
            )
    if "agrees" in table:
        bad = table[table["agrees"].eq(False).fillna(False).astype(bool)]
        for r in bad.to_dict(orient="records"):
            out.append(
                {
                    "severe": False,
                    "kind": "reference",
                    "text": (
                        f"{r['material']}: the reference assigns i = {_i_text(r['i_reference'])}"
                        f", the '{result.policy.name}' policy assigns "
                        f"{_i_text(r['i_assigned'])} (implied i = "
                        f"{_pdg(r['i_implied'], r['i_implied_err'])}; residual with the "
                        f"reference i {format_percent(r['residual_reference'], 1)})."
                    ),
                }
            )
    for message in result.data.attrs.get("warnings") or []:
        out.append({"severe": True, "kind": "loader", "text": f"While reading: {message}"})
    for d in result.data.attrs.get("dropped") or []:
        out.append(
            {
                "severe": True,
                "kind": "dropped",
                "text": (
                    f"Row {d.get('row')} ({d.get('material')}) was dropped: {d.get('reason')}."
                ),
            }
        )
    return out


def _provenance(result: Any, *, seed: int, n_null: int, generated: str | None) -> dict[str, Any]:
    attrs = result.data.attrs
    summary = result.summary
    rows: list[dict[str, str]] = [
        {"label": "Dataset", "value": str(attrs.get("name", "")), "cls": ""},
        {"label": "Title", "value": str(attrs.get("title", "")), "cls": ""},
        {"label": "Source", "value": str(attrs.get("source", "")), "cls": ""},
        {"label": "File", "value": str(attrs.get("file", "")), "cls": "mono"},
        {"label": "File sha256", "value": str(attrs.get("sha256", "")), "cls": "mono hash"},
        {"label": "Policy", "value": result.policy.describe(), "cls": ""},
        {
            "label": "Seeds",
            "value": (
                f"fit {summary['seed']} ({summary['draws']} Monte Carlo draws for p assigned); "
                f"quantization test {seed} ({n_null} null tables)"
            ),
            "cls": "",
        },
        {
            "label": "Prefactor used",
            "value": f"{_sci(summary['prefactor'])} K m^½ T⁻¹",
            "cls": "",
        },
    ]
    if generated:
        rows.append({"label": "Generated", "value": generated, "cls": ""})
    given = attrs.get("units_as_given") or {}
    si = attrs.get("units") or {}
    headers = attrs.get("columns_as_given") or {}
    origin = attrs.get("units_from") or {}
    units = [
        {
            "column": str(c),
            "header": str(headers.get(c, c)),
            "given": str(given.get(c, si[c])),
            "origin": str(origin.get(c, "")),
            "si": str(si[c]),
        }
        for c in si
    ]
    derived = []
    if "n_derived" in result.data:
        flags = result.data["n_derived"].fillna(False).astype(bool).to_numpy()
        derived = [str(m) for m, f in zip(result.data["material"], flags, strict=True) if f]
    derived_info = attrs.get("derived") or {}
    formula = str((derived_info.get("n") or {}).get("formula", "n = valence · ρ · N_A / M"))
    dropped = [
        {
            "row": str(d.get("row")),
            "material": str(d.get("material")),
            "reason": str(d.get("reason")),
        }
        for d in attrs.get("dropped") or []
    ]
    rel = summary.get("rel_err") or {}
    kind = summary.get("uncertainties")
    if kind == "measured":
        uncertainty = "Measured uncertainties from the data, used as absolute 1σ values."
    else:
        assumed = (
            f"{format_percent(rel.get('tc', float('nan')), 0, sign=False)} on Tc, "
            f"{format_percent(rel.get('bc', float('nan')), 0, sign=False)} on Bc and "
            f"{format_percent(rel.get('n', float('nan')), 0, sign=False)} on n"
        )
        lead = (
            "No measured uncertainties in the data"
            if kind == "default"
            else ("Some rows lack measured uncertainties")
        )
        uncertainty = (
            f"{lead}: tcfit assumed {assumed} (relative, 1σ) where missing. Every σ, z, χ² "
            "and p assigned in this report depends on that assumption."
        )
    return {
        "rows": rows,
        "units": units,
        "derived": derived,
        "derived_formula": formula,
        "dropped": dropped,
        "uncertainty": uncertainty,
        "uncertainty_kind": kind,
        "versions": _versions(),
    }


def _reproduction_context(prefactor: float) -> dict[str, Any]:
    from tcfit import reproduce_table1

    rep = reproduce_table1(prefactor=prefactor)
    t = rep.table
    rows = [
        {
            "no": str(r["no"]),
            "label": str(r["label"]),
            "i": _i_text(r["i"]),
            "printed": str(r["tc_printed_text"]),
            "recomputed": format_sig(r["tc_recomputed"], 4),
            "deviation": format_percent(r["deviation"], 2),
            "paper": format_sig(r["tc_recomputed_paper"], 4),
            "measured": format_sig(r["tc"], 3),
            "beyond": bool(r["beyond_rounding"]),
        }
        for r in t.to_dict(orient="records")
    ]
    n_beyond = int(t["beyond_rounding"].sum())
    worst = t.loc[t["deviation"].abs().idxmax()]
    return {
        "rows": rows,
        "n_rows": len(t),
        "n_beyond": n_beyond,
        "max_deviation": format_percent(worst["deviation"], 2),
        "max_label": str(worst["label"]),
    }


def _is_builtin_table1(attrs: Mapping[str, Any]) -> bool:
    """The paper's own Table-1 (by name and content), not merely a file called table1."""
    from tcfit import datasets

    if attrs.get("name") != "table1":
        return False
    return bool(attrs.get("sha256") == datasets.load("table1").attrs.get("sha256"))


def _figure_entry(name: str, fig: Any, *, title: str, caption: str) -> dict[str, Any]:
    from markupsafe import Markup

    svg, png = _figures.render(fig)
    return {
        "id": f"fig-{name}",
        "name": name,
        "title": title,
        "caption": caption,
        "svg_file": svg,
        "png_file": png,
        "svg": Markup(_figures.inline_svg(svg, prefix=f"fig-{name}", title=title)),
    }


def _load_text(name: str) -> str:
    return resources.files("tcfit.reports").joinpath("templates", name).read_text("utf-8")


def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("tcfit.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; "
        f"script-src 'sha256-{digest}'; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; "
        "frame-src 'none'; worker-src 'none'; manifest-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


# --------------------------------------------------------------------------------------------
# build


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
    n_null: int = N_NULL,
    **overrides: Unpack[FitOverrides],
) -> ReportPaths:
    """Write the validation report of Eq. (5) for one data set: HTML, PDF, figures, tables.

    Parameters
    ----------
    data : Analysis, FitResult, str, path-like or pandas.DataFrame
        A finished :class:`tcfit.analysis.Analysis` (laid out as it is), a finished
        :class:`tcfit.FitResult`, or data for :func:`tcfit.fit` (a built-in dataset name such
        as ``"table1"``, a file, or a table); the analyses are run by
        :func:`tcfit.analysis.analyse` under ``options``.
    out_dir : str or path-like, optional
        The report folder, created if missing. Default ``./tcfit-reports/<dataset-name>/``.
        Never inside tcfit's own ``reports/`` source folder.
    formats : {"html", "pdf"} or sequence of them, or "html,pdf", default=("html", "pdf")
        Which documents to write. ``table.tex``, ``results.csv``, ``summary.json`` and the
        figures (SVG and PNG) are always written.
    title : str, optional
        The report's title; default names the dataset.
    options : FitOptions, optional
        Options of the fit and of every analysis (default ``FitOptions()``).
    compare : str, path-like or pandas.DataFrame, optional
        A second data source for the same materials; adds the source comparison
        (:func:`tcfit.compare_sources`, fitted with the same options).
    timestamp : bool, default=True
        Print the date of the report: ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) when set,
        otherwise the current time. ``False`` leaves it out, for byte-identical reruns.
    progress : bool, default=False
        Show a rich progress bar on stderr (the CLI turns it on).
    n_null : int, default=10000
        Null tables of the quantization test.
    **overrides
        Any :class:`tcfit.FitOptions` field (``policy``, ``seed``, ``rel_err``, ...).

    Returns
    -------
    ReportPaths
        The paths of every file written.

    Raises
    ------
    DataError
        If the data cannot be read or fitted (from :func:`tcfit.fit`).
    InputError
        For an unknown format, a report folder inside the package, or a bad
        ``SOURCE_DATE_EPOCH``.

    Notes
    -----
    Byte-identical HTML for the same input, options and seed (with ``timestamp=False`` or a
    fixed ``SOURCE_DATE_EPOCH``). The PDF is rendered from the same HTML by WeasyPrint with
    print CSS (A4, page numbers, table rows never split).

    References
    ----------
    Jiang, Eq. (5) and Table-1; Particle Data Group rounding (see :mod:`tcfit.reports`).

    Examples
    --------
    >>> paths = build("table1", "/tmp/tcfit-doctest", formats="html", timestamp=False)
    >>> paths.html.name, paths.pdf
    ('report.html', None)
    """
    from tcfit.analysis import Analysis, analyse

    chosen = _check_formats(formats)
    generated = _timestamp(timestamp)
    given = data if isinstance(data, Analysis) else None
    steps = _Steps(
        total=(6 if given is None else 2)
        + (1 if "pdf" in chosen else 0)
        + (1 if compare is not None and given is None else 0),
        enabled=progress,
    )
    with steps.running():
        if given is None:
            analysis = analyse(
                data, options, compare=compare, n_null=n_null, on_step=steps.next, **overrides
            )
        else:
            analysis = given
        result, gfit, gfit_error = analysis.result, analysis.global_fit, analysis.global_fit_error
        quant, comparison, seed = analysis.quantization, analysis.sources, result.options.seed
        compare = analysis.compare_label
        target = _check_out_dir(
            Path(out_dir) if out_dir is not None else _default_out_dir(analysis.name)
        )
        steps.step("figures")
        context = _context(
            result,
            gfit=gfit,
            gfit_error=gfit_error,
            quant=quant,
            comparison=comparison,
            compare=compare,
            title=title,
            seed=seed,
            generated=generated,
        )
        steps.step("HTML")
        env = _environment()
        html = env.get_template("report.html.j2").render(**context)

        target.mkdir(parents=True, exist_ok=True)
        figure_dir = target / "figures"
        figure_dir.mkdir(exist_ok=True)
        figure_paths: dict[str, dict[str, Path]] = {}
        for fig in context["figures"]:
            svg_path = figure_dir / f"{fig['name']}.svg"
            png_path = figure_dir / f"{fig['name']}.png"
            svg_path.write_text(fig["svg_file"], encoding="utf-8")
            png_path.write_bytes(fig["png_file"])
            figure_paths[fig["name"]] = {"svg": svg_path, "png": png_path}

        html_path = pdf_path = None
        if "html" in chosen:
            html_path = target / "report.html"
            html_path.write_text(html, encoding="utf-8")
        if "pdf" in chosen:
            steps.step("PDF (WeasyPrint)")
            pdf_path = target / "report.pdf"
            _write_pdf(html, pdf_path)
        tex_path = target / "table.tex"
        tex_path.write_text(_latex_table(result, title=context["title"]), encoding="utf-8")
        csv_path = target / "results.csv"
        result.table.to_csv(csv_path, index=False, lineterminator="\n")
        json_path = target / "summary.json"
        payload = _summary_payload(
            result, gfit, gfit_error, quant, comparison, context, seed, generated
        )
        json_path.write_text(
            json.dumps(
                payload,
                indent=2,
                ensure_ascii=False,
                allow_nan=False,
            )
            + "\n",
            encoding="utf-8",
        )
        steps.step("done")
    return ReportPaths(
        out_dir=target,
        html=html_path,
        pdf=pdf_path,
        table_tex=tex_path,
        results_csv=csv_path,
        summary_json=json_path,
        figures=figure_paths,
        summary=payload,
    )


def _context(
    result: Any,
    *,
    gfit: Any,
    gfit_error: str | None,
    quant: Any,
    comparison: pd.DataFrame | None,
    compare: Any,
    title: str | None,
    seed: int,
    generated: str | None,
) -> dict[str, Any]:
    from markupsafe import Markup

    from tcfit.model import PAPER_PREFACTOR, PREFACTOR

    table = result.table
    summary = result.summary
    attrs = result.data.attrs
    name = str(attrs.get("name") or "data")
    n = int(summary["n_materials"])
    policy = result.policy.name

    what, meaning = _quantization_sentences(quant, policy)
    glob = _global_context(gfit, summary["prefactor"]) if gfit is not None else None
    warnings = _warnings(result)
    worst = table.loc[table["residual"].abs().idxmax()]

    cards = [
        {"label": "Materials", "value": str(n), "note": f"policy '{policy}'"},
        {
            "label": "RMS residual",
            "value": format_percent(summary["rms_residual"], 2, sign=False),
            "note": "relative, Tc model vs measured",
        },
        {
            "label": "Max |residual|",
            "value": format_percent(summary["max_abs_residual"], 2, sign=False),
            "note": str(worst["material"]),
        },
        {
            "label": "Within 5 %",
            "value": _count(summary["within_5pct"], n),
            "note": f"within 1 %: {summary['within_1pct']}",
        },
        {"label": "Within 10 %", "value": _count(summary["within_10pct"], n), "note": ""},
        {
            "label": "Quantization test",
            "value": what.split(":", 1)[0],
            "note": "P(RMS of random i ≤ observed)",
        },
    ]
    if "n_reference" in summary:
        cards.append(
            {
                "label": "Agrees with reference i",
                "value": _count(summary["n_agrees"], summary["n_reference"]),
                "note": "assigned i = reference i",
            }
        )
    if summary.get("rms_residual_bcs") is not None:
        cards.append(
            {
                "label": "BCS, no free parameter",
                "value": format_percent(summary["rms_residual_bcs"], 2, sign=False),
                "note": f"RMS residual, {summary.get('n_bcs')} materials with γ",
            }
        )
    cards.append(
        {
            # Not χ²/dof: each material's i was chosen to fit, so with one choice per material
            # nothing is left to count as degrees of freedom. The divisor is the material count.
            "label": "χ² / materials",
            "value": f"{format_sig(summary['chi_square'], 3)} / {summary['dof']}",
            "note": (
                f"per-material i choices not subtracted; uncertainties: {summary['uncertainties']}"
            ),
        }
    )
    if glob is not None:
        alpha, beta = glob["rows"][0], glob["rows"][1]
        exponents_sentence = (
            f"Set free in a global fit, the exponents are α = {alpha['estimate']} (Eq. (5): "
            f"1/6, {alpha['verdict']}) and β = {beta['estimate']} (Eq. (5): 1, "
            f"{beta['verdict']})."
        )
    else:
        exponents_sentence = f"No global fit of the exponents: {gfit_error}"
    headline = (
        f"With a free '{policy}' i chosen for each material, Eq. (5) reproduces "
        f"{summary['within_10pct']} of {n} measured Tc within 10 % and "
        f"{summary['within_5pct']} within 5 % (RMS residual "
        f"{format_percent(summary['rms_residual'], 2, sign=False)})."
    )

    columns, rows = _material_rows(table)
    n_disagree = sum(1 for r in rows if r["cls"] == "disagree")

    figures = [
        _figure_entry(
            "parity",
            _figures.parity(table),
            title="Eq. (5) Tc against measured Tc",
            caption=(
                "Eq. (5) with each material's assigned i against the measured Tc, log axes. The "
                "line marks equality; the shaded bands ±5 % and ±10 %."
            ),
        ),
        _figure_entry(
            "residuals",
            _figures.residuals(table),
            title="Relative residual per material, sorted",
            caption="(Tc model − Tc measured)/Tc measured, sorted; bands at ±5 % and ±10 %.",
        ),
        _figure_entry(
            "implied_i",
            _figures.implied_i(table, result.policy.values.tolist(), policy=policy),
            title="Implied i against the allowed values",
            caption=(
                "The i that makes Eq. (5) exact for each material, with its 1σ error bar, the "
                f"assigned value and the allowed values of the '{policy}' policy (dotted)."
            ),
        ),
        _figure_entry(
            "quantization",
            _figures.quantization(
                np.asarray(quant.null_rms),
                observed=float(quant.rms_observed),
                low=float(quant.null_low),
                high=float(quant.null_high),
                p_value=float(quant.p_value),
            ),
            title="Quantization test: null distribution of the RMS residual",
            caption=(
                f"RMS residual of {int(quant.n_null)} random tables (implied i drawn "
                "log-uniformly over the observed range, then assigned under the same policy); "
                "the red line is the observed RMS. " + meaning
            ),
        ),
    ]
    if glob is not None:
        figures.append(
            _figure_entry(
                "global_fit",
                _figures.global_fit(glob["estimates"]),
                title="Global fit: exponents and prefactor with 95 % intervals",
                caption=(
                    "Estimates with 95 % intervals from lmfit, assigned i fixed; dashed lines "
                    "mark the values Eq. (5) fixes. " + glob["mode_text"] + " " + GLOBAL_CAVEAT
                ),
            )
        )
    bcs = None
    if "tc_bcs" in table and table["tc_bcs"].notna().any():
        figures.append(
            _figure_entry(
                "bcs",
                _figures.bcs_comparison(table),
                title="BCS weak-coupling comparison",
                caption=(
                    "Left: Tc predicted by the BCS weak-coupling relation Bc(0)²/2μ0 = "
                    "0.2364 γ_V Tc² from Bc and γ, with no free parameter. Right: the i "
                    "that relation implies for Eq. (5), against the implied i."
                ),
            )
        )
        sub = table.dropna(subset=["tc_bcs"])
        bcs = {
            "n": len(sub),
            "rms": format_percent(summary.get("rms_residual_bcs") or float("nan"), 2, sign=False),
            "rows": [
                {
                    "material": str(r["material"]),
                    "tc": format_sig(r["tc"], 3),
                    "tc_bcs": format_sig(r["tc_bcs"], 3),
                    "residual_bcs": format_percent(r["residual_bcs"], 1),
                    "i_bcs": format_sig(r["i_bcs"], 3),
                    "i_implied": _pdg(r["i_implied"], r["i_implied_err"]),
                }
                for r in sub.to_dict(orient="records")
            ],
        }
    source = None
    if comparison is not None:
        label_b = str(
            comparison.attrs.get("b")
            or (compare if isinstance(compare, str | os.PathLike) else "the second source")
        )
        figures.append(
            _figure_entry(
                "sources",
                _figures.source_comparison(comparison, label_a=name, label_b=label_b),
                title="Sensitivity to the data source",
                caption=(
                    f"Implied i of the materials in both {name} and {label_b}; red diamonds: "
                    "the assignment changes with the source."
                ),
            )
        )
        source = {
            "label_b": label_b,
            "n": len(comparison),
            "n_changed": int(comparison["changed"].sum()),
            "only_a": [str(m) for m in comparison.attrs.get("only_a", [])],
            "only_b": [str(m) for m in comparison.attrs.get("only_b", [])],
            "rows": [
                {
                    "material": str(r["material"]),
                    "i_implied_a": format_sig(r["i_implied_a"], 3),
                    "i_assigned_a": _i_text(r["i_assigned_a"]),
                    "i_implied_b": format_sig(r["i_implied_b"], 3),
                    "i_assigned_b": _i_text(r["i_assigned_b"]),
                    "changed": bool(r["changed"]),
                }
                for r in comparison.to_dict(orient="records")
            ],
        }

    reproduction = (
        _reproduction_context(summary["prefactor"]) if _is_builtin_table1(attrs) else None
    )
    script = _load_text("sort.js")
    return {
        "title": title or f"Eq. (5) against {name}: validation report",
        "dataset": name,
        "policy": policy,
        "generated": generated,
        "csp": _csp(script),
        "css": Markup(_load_text("report.css")),
        "script": Markup(script),
        "headline": headline,
        "cards": cards,
        "quant_what": what,
        "quant_meaning": meaning,
        "exponents_sentence": exponents_sentence,
        "global": glob,
        "provenance": _provenance(result, seed=seed, n_null=int(quant.n_null), generated=generated),
        "model": {
            "codata": _sci(PREFACTOR),
            "paper": _sci(PAPER_PREFACTOR, 3),
            "ratio": format_percent(PAPER_PREFACTOR / PREFACTOR - 1, 2),
            "used": _sci(summary["prefactor"]),
            "used_is_codata": math.isclose(summary["prefactor"], PREFACTOR, rel_tol=1e-12),
        },
        "columns": columns,
        "rows": rows,
        "n_disagree": n_disagree,
        "has_reference": "i_reference" in table,
        "figures": figures,
        "bcs": bcs,
        "source": source,
        "reproduction": reproduction,
        "warnings": warnings,
        "n_materials": n,
        "tcfit_version": tcfit_version(),
    }


def tcfit_version() -> str:
    """The installed tcfit version."""
    from tcfit import __version__

    return str(__version__)


def _latex_table(result: Any, *, title: str) -> str:
    table = result.table
    has_ref = "i_reference" in table
    columns = [
        LatexColumn("Material", "l"),
        LatexColumn(r"$T_c$ (K)"),
        LatexColumn(r"$T_c^{\mathrm{model}}$ (K)"),
        LatexColumn(r"Residual (\%)"),
        LatexColumn(r"$i_{\mathrm{implied}}$"),
        LatexColumn(r"$i$"),
        LatexColumn("Runner-up"),
        LatexColumn(r"$p_{\mathrm{assigned}}$"),
    ]
    if has_ref:
        columns.append(LatexColumn(r"$i_{\mathrm{ref}}$"))
    rows = []
    any_disagree = False
    for r in table.to_dict(orient="records"):
        cells = [
            escape_latex(r["material"]),
            math_cell(_pdg_latex(r["tc"], r["tc_err"])),
            math_cell(format_sig(r["tc_model"], 3)),
            math_cell(format_percent(r["residual"], 1).replace(" %", "")),
            math_cell(_pdg_latex(r["i_implied"], r["i_implied_err"])),
            math_cell(_i_text(r["i_assigned"])),
            math_cell(_i_text(r["i_runner_up"])),
            math_cell(f"{float(r['p_assigned']):.2f}"),
        ]
        if has_ref:
            agrees = r.get("agrees")
            disagree = agrees is not None and agrees is not pd.NA and not bool(agrees)
            any_disagree |= disagree
            ref = _i_text(r["i_reference"])
            cells.append(math_cell(ref + (r"^{\dagger}" if disagree and ref else "")))
        rows.append(cells)
    summary = result.summary
    notes = [
        r"Uncertainties are 1$\sigma$, rounded by the Particle Data Group rule; "
        + (
            "measured."
            if summary.get("uncertainties") == "measured"
            else "assumed where the data give none (relative "
            + ", ".join(
                f"{k} {format_percent(v, 0, sign=False).replace(' %', '')}\\%"
                for k, v in (summary.get("rel_err") or {}).items()
            )
            + ")."
        ),
        rf"Policy: {escape_latex(result.policy.describe())}.",
    ]
    if any_disagree:
        notes.append(r"$^{\dagger}$ the assigned $i$ differs from the reference $i$.")
    name = str(result.data.attrs.get("name") or "data")
    return booktabs_table(
        columns,
        rows,
        caption=escape_latex(title),
        label=f"tab:tcfit-{name}",
        notes=notes,
        comment=f"Written by tcfit {tcfit_version()} (tcfit report).",
    )


def _summary_payload(
    result: Any,
    gfit: Any,
    gfit_error: str | None,
    quant: Any,
    comparison: pd.DataFrame | None,
    context: Mapping[str, Any],
    seed: int,
    generated: str | None,
) -> dict[str, Any]:
    full = result.to_dict()
    payload: dict[str, Any] = {
        "summary": full["summary"],
        "global_fit": gfit.to_dict() if gfit is not None else {"error": gfit_error},
        "quantization_test": quant.to_dict(),
        "provenance": full["provenance"],
        "report": {
            "title": context["title"],
            "seed": seed,
            "generated": generated,
            "versions": dict(context["provenance"]["versions"]),
            "warnings": [{"kind": w["kind"], "text": w["text"]} for w in context["warnings"]],
        },
    }
    qt = payload["quantization_test"]
    if isinstance(qt, dict) and "null_rms" in qt:
        qt.pop("null_rms")  # 10 000 numbers; the figure shows them, results.csv does not need them
    if comparison is not None:
        payload["source_comparison"] = comparison.to_dict(orient="records")
    if context["reproduction"] is not None:
        rep = context["reproduction"]
        payload["reproduction"] = {
            "n_rows": rep["n_rows"],
            "n_beyond_rounding": rep["n_beyond"],
            "max_deviation": rep["max_deviation"],
            "max_deviation_row": rep["max_label"],
        }
    out: dict[str, Any] = jsonable(payload)
    return out


def _write_pdf(html: str, path: Path) -> None:
    """Render the report's HTML to PDF with WeasyPrint, fetching nothing but data: URIs."""
    import logging
    import warnings

    with warnings.catch_warnings():
        # WeasyPrint >= 68 announces, once at import, that a future version will need the
        # system's libharfbuzz-subset; today it renders the same PDF without it.
        warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
        import weasyprint

    logger = logging.getLogger("weasyprint")
    previous = logger.level
    logger.setLevel(logging.ERROR)  # CSS it does not know (screen-only rules) is not news
    try:
        document = weasyprint.HTML(
            string=html,
            base_url=None,
            url_fetcher=weasyprint.URLFetcher(allowed_protocols={"data"}),
        )
        document.write_pdf(path, pdf_identifier=hashlib.sha256(html.encode()).digest()[:16])
    finally:
        logger.setLevel(previous)
