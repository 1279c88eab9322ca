"""Section "warnings": everything in the analysis that deserves a second look, one line each.

Unit mistakes (an implied i far outside any plausible value), implied i beyond the policy's grid,
ambiguous assignments, large deviations, disagreements with a reference i, and what the loader
warned about or dropped. On the page they are grouped by kind — a ``<details>`` per kind whose
summary gives the count and the materials, open when the kind is severe or has at most
:data:`OPEN_AT_MOST` items — so that many warnings of one kind do not bury the others. The
verdict links here with the count; ``summary.json`` lists them under ``report.warnings``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from tcfit.datasets import IMPLIED_I_PLAUSIBLE

from ._common import AMBIGUOUS_P, FORMATTER, LARGE_Z, Formatter, records

if TYPE_CHECKING:
    from tcfit.analysis import Analysis
    from tcfit.fitting import FitResult

__all__ = [
    "I_PLAUSIBLE",
    "KINDS",
    "LIST_AT_MOST",
    "OPEN_AT_MOST",
    "SECTION",
    "Warnings",
    "collect",
    "groups",
]

#: Implied i outside this range points to a unit mistake (the loaders' bounds, one home).
I_PLAUSIBLE = IMPLIED_I_PLAUSIBLE

_Warning = dict[str, Any]

#: The heading of each kind of warning, in page order.
KINDS: dict[str, str] = {
    "unit": "Probable unit mistakes",
    "outside_grid": "Implied i outside the policy's range",
    "ambiguous": f"Ambiguous assignments (posterior of the assigned i below {AMBIGUOUS_P:g})",
    "large_z": f"Large deviations (|z| above {LARGE_Z:g} with the best allowed i)",
    "reference": "Assignments that differ from the reference i",
    "loader": "Said while reading the data",
    "dropped": "Rows dropped while reading",
}
#: A kind with at most this many warnings (or a severe one) is shown open.
OPEN_AT_MOST = 3
#: A kind lists at most this many warnings (the most extreme) and names at most this many
#: materials in its heading; the rest are counted (every material is in results.csv).
LIST_AT_MOST = 20


def _item(severe: bool, kind: str, text: str, subject: Any = "", rank: float = 0.0) -> _Warning:
    """One warning; ``rank`` orders a long list of one kind (larger: listed first)."""
    return {"severe": severe, "kind": kind, "text": text, "subject": str(subject), "rank": rank}


def _unit_mistakes(rows: list[dict[str, Any]], fmt: Formatter) -> Iterator[_Warning]:
    low, high = I_PLAUSIBLE
    for r in rows:
        i_implied = float(r["i_implied"])
        if not (low <= i_implied <= high):
            yield _item(
                True,
                "unit",
                f"{r['material']}: implied i = {fmt.sig(i_implied, 3)} lies outside "
                f"[{low:g}, {high:g}] — probably a unit mistake. "
                "Bc in gauss read as tesla multiplies i by 10⁸, Bc in mT read as T by "
                "10⁶, Tc in mK read as K divides it by 10⁶, n in cm⁻³ read as m⁻³ "
                "multiplies it by 100.",
                r["material"],
                abs(math.log(i_implied)) if i_implied > 0 else math.inf,
            )


def _outside_grid(result: FitResult, fmt: Formatter) -> Iterator[_Warning]:
    table = result.table
    if "outside_grid" not in table:
        return
    values, name = result.policy.values, result.policy.name
    for r in records(table[table["outside_grid"].astype(bool)]):
        yield _item(
            True,
            "outside_grid",
            f"{r['material']}: implied i = {fmt.pdg(r['i_implied'], r['i_implied_err'])}"
            f" lies outside the '{name}' policy's range "
            f"[{fmt.i(values[0])}, {fmt.i(values[-1])}]; the assigned "
            f"{fmt.i(r['i_assigned'])} is only the nearest end of the grid "
            f"(residual {fmt.percent(r['residual'], 1)}).",
            r["material"],
            abs(float(r["residual"])),
        )


def _ambiguous(rows: list[dict[str, Any]], fmt: Formatter) -> Iterator[_Warning]:
    for r in rows:
        p = float(r["posterior_assigned"])
        if p < AMBIGUOUS_P:  # NaN (outside the grid) is not < 0.8: that row has its own warning
            yield _item(
                False,
                "ambiguous",
                f"{r['material']}: ambiguous assignment — the posterior probability of "
                f"i = {fmt.i(r['i_assigned'])} under the lattice model is {p:.0%} "
                f"(runner-up i = {fmt.i(r['i_runner_up'])}, "
                f"implied i = {fmt.pdg(r['i_implied'], r['i_implied_err'])}).",
                r["material"],
                1.0 - p,
            )


def _large_z(rows: list[dict[str, Any]], fmt: Formatter) -> Iterator[_Warning]:
    for r in rows:
        z = float(r["z"])
        if abs(z) > LARGE_Z:
            yield _item(
                True,
                "large_z",
                f"{r['material']}: model and measurement differ by {z:+.1f} σ "
                f"(residual {fmt.percent(r['residual'], 1)}) even with the best allowed i.",
                r["material"],
                abs(z),
            )


def _reference(result: FitResult, fmt: Formatter) -> Iterator[_Warning]:
    table = result.table
    if "agrees" not in table:
        return
    for r in records(table[table["agrees"].eq(False).fillna(False).astype(bool)]):
        yield _item(
            False,
            "reference",
            f"{r['material']}: the reference assigns i = {fmt.i(r['i_reference'])}"
            f", the '{result.policy.name}' policy assigns "
            f"{fmt.i(r['i_assigned'])} (implied i = "
            f"{fmt.pdg(r['i_implied'], r['i_implied_err'])}; residual with the "
            f"reference i {fmt.percent(r['residual_reference'], 1)}).",
            r["material"],
        )


def _loader(attrs: Mapping[Any, Any]) -> Iterator[_Warning]:
    for message in attrs.get("warnings") or []:
        yield _item(True, "loader", f"While reading: {message}")
    for d in attrs.get("dropped") or []:
        yield _item(
            True,
            "dropped",
            f"Row {d.get('row')} ({d.get('material')}) was dropped: {d.get('reason')}.",
            d.get("material") or "",
        )


def collect(analysis: Analysis, fmt: Formatter = FORMATTER) -> list[dict[str, Any]]:
    """Every warning of the report, in a fixed order of kinds.

    Parameters
    ----------
    analysis : Analysis
    fmt : Formatter, optional

    Returns
    -------
    list of dict
        ``{"severe": bool, "kind": str, "text": str, "subject": str, "rank": float}``
        (``rank``: how extreme, for ordering a long list); ``kind`` is one of
        :data:`KINDS` (``"unit"``, ``"outside_grid"``, ``"ambiguous"``, ``"large_z"``,
        ``"reference"``, ``"loader"``, ``"dropped"``); ``subject`` names the material (empty
        for what concerns the whole file).
    """
    result = analysis.result
    rows = records(result.table)
    return [
        *_unit_mistakes(rows, fmt),
        *_outside_grid(result, fmt),
        *_ambiguous(rows, fmt),
        *_large_z(rows, fmt),
        *_reference(result, fmt),
        *_loader(result.data.attrs),
    ]


def groups(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The warnings grouped by kind, in the order of :data:`KINDS` (unknown kinds last).

    Returns
    -------
    list of dict
        ``{"kind", "title", "count", "severe", "open", "subjects", "warnings", "not_listed"}``:
        ``warnings`` at most :data:`LIST_AT_MOST` of them (when there are more, the most
        extreme by their ``rank``), ``not_listed`` how many more there are; ``subjects`` the
        distinct materials of the listed ones, in order; ``open`` whether the page shows the
        group unfolded.
    """
    order = {kind: k for k, kind in enumerate(KINDS)}
    kinds = sorted({w["kind"] for w in items}, key=lambda kind: (order.get(kind, len(order)), kind))
    out = []
    for kind in kinds:
        mine = [w for w in items if w["kind"] == kind]
        subjects = list(dict.fromkeys(w["subject"] for w in mine if w["subject"]))
        listed = mine
        if len(mine) > LIST_AT_MOST:  # the most extreme first, the rest counted
            listed = sorted(mine, key=lambda w: -float(w.get("rank", 0.0)))[:LIST_AT_MOST]
            subjects = list(dict.fromkeys(w["subject"] for w in listed if w["subject"]))
        severe = any(w["severe"] for w in mine)
        out.append(
            {
                "kind": kind,
                "title": KINDS.get(kind, kind.replace("_", " ").capitalize()),
                "count": len(mine),
                "severe": severe,
                "open": severe or len(mine) <= OPEN_AT_MOST,
                "subjects": subjects,
                "warnings": listed,
                "not_listed": len(mine) - len(listed),
            }
        )
    return out


class Warnings:
    """The warnings list, always present (it says "None" when there is nothing to warn of)."""

    id = "warnings"
    title = "Warnings"
    template = "sections/warnings.html.j2"

    def context(self, analysis: Analysis, fmt: Formatter) -> Mapping[str, Any]:
        """``items`` (see :func:`collect`), their ``groups`` by kind and the TOC label."""
        items = collect(analysis, fmt)
        return {"items": items, "groups": groups(items), "toc": f"Warnings ({len(items)})"}

    def summary(self, analysis: Analysis) -> Mapping[str, Any]:
        """``{"report": {"warnings": [{"kind", "text"}, ...]}}``."""
        items = [{"kind": w["kind"], "text": w["text"]} for w in collect(analysis)]
        return {"report": {"warnings": items}}


SECTION = Warnings()
