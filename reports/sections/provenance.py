"""Section "provenance": where the data came from, how it was read, and with which software.

The dataset's name, title, source, file and sha256; the policy, seeds and prefactor; the units as
given and as used; rows derived (n from valence) or dropped; the uncertainties (measured or
assumed); the versions of the libraries. ``summary.json`` gets the data's provenance
(``provenance``).
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from tcfit.fitting import provenance

from ._common import Formatter

if TYPE_CHECKING:
    import pandas as pd

    from tcfit.analysis import Analysis
    from tcfit.summary import FitSummary

__all__ = ["SECTION", "Provenance", "uncertainty_sentence", "versions"]

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


def versions() -> list[tuple[str, str]]:
    """``(library, version)`` of tcfit and every library a report's numbers depend on."""
    out = []
    for name in _VERSIONED:
        try:
            out.append((name, version(name)))
        except PackageNotFoundError:  # pragma: no cover - every one is a dependency
            out.append((name, "not installed"))
    return out


def uncertainty_sentence(summary: FitSummary, fmt: Formatter) -> str:
    """Whether the uncertainties were measured or assumed, and what follows from that."""
    if summary.uncertainties == "measured":
        return "Measured uncertainties from the data, used as absolute 1σ values."
    rel = summary.rel_err or {}
    nan = float("nan")
    assumed = (
        f"{fmt.percent(rel.get('tc', nan), 0, sign=False)} on Tc, "
        f"{fmt.percent(rel.get('bc', nan), 0, sign=False)} on Bc and "
        f"{fmt.percent(rel.get('n', nan), 0, sign=False)} on n"
    )
    lead = (
        "No measured uncertainties in the data"
        if summary.uncertainties == "default"
        else "Some rows lack measured uncertainties"
    )
    return (
        f"{lead}: tcfit assumed {assumed} (relative, 1σ) where missing. Every σ, z, χ², "
        "posterior and Bayes factor in this report depends on that assumption."
    )


def _rows(analysis: Analysis, fmt: Formatter) -> list[dict[str, str]]:
    result = analysis.result
    attrs, summary = result.data.attrs, result.summary
    return [
        {"label": "Dataset", "value": str(attrs.get("name", "")), "cls": ""},
        {"label": "Title", "value": str(attrs.get("title", "")), "cls": ""},
        {"label": "Source", "value": str(attrs.get("source", "")), "cls": ""},
        {"label": "File", "value": str(attrs.get("file", "")), "cls": "mono"},
        {"label": "File sha256", "value": str(attrs.get("sha256", "")), "cls": "mono hash"},
        {"label": "Policy", "value": result.policy.describe(), "cls": ""},
        {
            "label": "Seeds",
            "value": (
                f"{summary.seed} (the lattice test's parametric bootstrap"
                + (
                    f", {analysis.lattice.n_sim} null datasets per envelope"
                    if analysis.lattice
                    else ""
                )
                + f"; the superseded quantization test, {analysis.n_null} null tables); the "
                "per-material probabilities are closed forms and quadrature, no Monte Carlo"
            ),
            "cls": "",
        },
        {"label": "Prefactor used", "value": f"{fmt.sci(summary.prefactor)} K m^½ T⁻¹", "cls": ""},
    ]


def _units(attrs: Mapping[Any, Any]) -> list[dict[str, str]]:
    given = attrs.get("units_as_given") or {}
    si = attrs.get("units") or {}
    headers = attrs.get("columns_as_given") or {}
    origin = attrs.get("units_from") or {}
    return [
        {
            "column": str(c),
            "header": str(headers.get(c, c)),
            "given": str(given.get(c, si[c])),
            "origin": str(origin.get(c, "")),
            "si": str(si[c]),
        }
        for c in si
    ]


def _derived(data: pd.DataFrame) -> tuple[list[str], str]:
    """Materials whose n was computed (valence or Hall coefficient), and the formulas used."""
    derived: list[str] = []
    if "n_derived" in data:
        flags = data["n_derived"].fillna(False).astype(bool).to_numpy()
        derived = [str(m) for m, f in zip(data["material"], flags, strict=True) if f]
    info = data.attrs.get("derived") or {}
    formulas = [  # from the valence ("n") and from the Hall coefficient ("n_hall")
        str(info[k]["formula"]) for k in ("n", "n_hall") if (info.get(k) or {}).get("formula")
    ]
    formula = "; ".join(formulas) or "n = valence · ρ · N_A / M"
    return derived, formula


class Provenance:
    """Data and provenance: always present (the page's date, when dated, is added as a row)."""

    id = "provenance"
    title = "Data and provenance"
    template = "sections/provenance.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any]:
        """Key-value rows, units, derived and dropped rows, uncertainties, versions."""
        data = analysis.result.data
        derived, formula = _derived(data)
        dropped = [
            {key: str(d.get(key)) for key in ("row", "material", "reason")}
            for d in data.attrs.get("dropped") or []
        ]
        return {
            "rows": _rows(analysis, fmt),
            "units": _units(data.attrs),
            "derived": derived,
            "derived_formula": formula,
            "dropped": dropped,
            "uncertainty": uncertainty_sentence(analysis.result.summary, fmt),
            "versions": versions(),
        }

    def summary(self, analysis: Analysis) -> Mapping[str, Any]:
        """``{"provenance": the data's attrs, JSON-ready, with the tcfit version}``."""
        return {"provenance": provenance(analysis.result.data)}


SECTION = Provenance()
