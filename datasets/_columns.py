"""The first steps of canonicalisation: which column means what, and in which unit.

:func:`map_columns` gives each header its canonical column (from the aliases, or from a
built-in's sidecar); :func:`resolve_units` decides each quantity column's unit, in this order of
precedence: the unit stated in the header (or declared by the sidecar), ``units=``, the unit of
the value column for an uncertainty, SI; and turns it into a factor to SI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from tcfit.errors import InputError, Problem, UnitError

from ._aliases import ALIASES, match_header, match_name
from ._raw import RawTable
from ._schema import CANONICAL_ORDER, QUANTITY_COLUMNS, UNCERTAINTY_OF
from ._units import is_percent, normalise_unit, si_factor

__all__ = [
    "Column",
    "ColumnMap",
    "Extra",
    "Units",
    "map_columns",
    "missing_columns",
    "resolve_units",
]

#: ``units_from`` of a column whose unit is SI because nothing states another.
DEFAULT_SI = "default (SI)"


@dataclass(frozen=True)
class Column:
    """A canonical column of the table: its header, position and unit.

    ``stated`` is the unit in the header (or declared by a built-in's sidecar); ``unit`` and
    ``unit_from`` are the unit chosen by :func:`resolve_units` and where it came from.
    """

    header: str
    position: int
    stated: str | None = None
    unit: str | None = None
    unit_from: str = DEFAULT_SI


@dataclass(frozen=True)
class Extra:
    """A column kept as it is, under ``name``; ``quantity``/``unit`` for a declared auxiliary
    quantity of a built-in (e.g. Table-1's ``tc_printed``), converted to SI."""

    position: int
    name: str
    quantity: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class ColumnMap:
    """The outcome of :func:`map_columns`."""

    chosen: dict[str, Column]
    extras: list[Extra]
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Units:
    """The outcome of :func:`resolve_units`.

    ``factors`` maps each quantity column to its SI factor (``None`` where the unit is broken);
    ``percent`` names uncertainties given in % of their value column.
    """

    chosen: dict[str, Column]
    factors: dict[str, float | None]
    percent: set[str]
    problems: list[Problem]
    unit_problems: list[Problem]


def _meanings(raw: RawTable) -> list[tuple[str | None, bool, str | None, str | None]]:
    """Per header: canonical column, weak alias, stated unit, auxiliary quantity."""
    if not raw.declared:
        out: list[tuple[str | None, bool, str | None, str | None]] = []
        for header in raw.headers:
            m = match_header(header)
            out.append((m.canonical, m.weak, m.unit, None))
        return out
    meanings: list[tuple[str | None, bool, str | None, str | None]] = []
    for header in raw.headers:
        spec = raw.declared.get(header)
        if spec is None:
            meanings.append((None, False, None, None))
        elif spec.canonical in CANONICAL_ORDER:
            meanings.append((spec.canonical, False, spec.unit, None))
        else:
            meanings.append((None, False, spec.unit, spec.canonical))
    return meanings


def map_columns(raw: RawTable) -> ColumnMap:
    """Give each header its canonical column; the others are kept as extra columns.

    Two headers with the same meaning are a problem, unless one is a weak alias (``name`` for
    the material), which then stays an extra column. An extra column whose name is taken gets a
    suffix ``.1``, ``.2``, ...
    """
    meanings = _meanings(raw)
    groups: dict[str, list[int]] = {}
    for j, (canonical, _, _, _) in enumerate(meanings):
        if canonical is not None:
            groups.setdefault(canonical, []).append(j)
    chosen: dict[str, Column] = {}
    extras = [j for j, m in enumerate(meanings) if m[0] is None]
    problems: list[Problem] = []
    for canonical, positions in groups.items():
        strong = [j for j in positions if not meanings[j][1]]
        if len(strong) > 1:
            names = " and ".join(repr(raw.headers[j]) for j in strong)
            problems.append(
                Problem(
                    f"The columns {names} all mean {canonical!r}; keep one or rename the others.",
                    file=raw.label,
                )
            )
            continue
        pick = strong[0] if strong else positions[0]
        chosen[canonical] = Column(raw.headers[pick], pick, stated=meanings[pick][2])
        extras.extend(j for j in positions if j != pick)
    taken = set(chosen)
    named: list[Extra] = []
    for j in sorted(extras):
        quantity = meanings[j][3]
        base = quantity or raw.headers[j]
        name, k = base, 1
        while name in taken:
            name, k = f"{base}.{k}", k + 1
        taken.add(name)
        named.append(Extra(j, name, quantity, meanings[j][2] if quantity else None))
    return ColumnMap(chosen, named, problems)


def _units_argument(
    units: Mapping[str, str] | None, chosen: dict[str, Column], label: str | None
) -> tuple[dict[str, str], list[Problem]]:
    if units is None:
        return {}, []
    if not isinstance(units, Mapping):
        raise InputError(
            f"units must be a mapping such as {{'bc': 'mT', 'n': 'cm^-3'}}; got {units!r}.",
            argument="units",
        )
    given: dict[str, str] = {}
    problems: list[Problem] = []
    headers = {c.header: canonical for canonical, c in chosen.items()}
    for key, unit in units.items():
        canonical = headers.get(str(key)) or match_name(str(key))[0]
        if canonical is None or canonical not in chosen:
            present = ", ".join(repr(c.header) for c in chosen.values())
            problems.append(
                Problem(
                    f"units= names the column {key!r}, which the table does not have "
                    f"(its known columns are {present}).",
                    file=label,
                )
            )
        elif canonical not in QUANTITY_COLUMNS:
            problems.append(
                Problem(f"units= gives a unit for {key!r}, which holds text.", file=label)
            )
        elif not isinstance(unit, str) or not unit.strip():
            problems.append(
                Problem(f"units= gives {unit!r} for {key!r}; a unit must be a string.", file=label)
            )
        else:
            given[canonical] = unit.strip()
    return given, problems


def _choose_units(
    chosen: dict[str, Column], given: dict[str, str], label: str | None
) -> tuple[dict[str, Column], list[Problem]]:
    problems: list[Problem] = []
    out = dict(chosen)
    for canonical, column in chosen.items():
        stated, argument = column.stated, given.get(canonical)
        if canonical not in QUANTITY_COLUMNS:
            continue  # "Material (name)": a bracket after a text column is not a unit
        if stated is not None and argument is not None:
            if normalise_unit(stated) != normalise_unit(argument):
                problems.append(
                    Problem(
                        f"The header states the unit {stated!r} but units= says "
                        f"{argument!r}; give the unit in one place.",
                        file=label,
                        column=column.header,
                    )
                )
            out[canonical] = replace(column, unit=stated, unit_from="header")
        elif stated is not None:
            out[canonical] = replace(column, unit=stated, unit_from="header")
        elif argument is not None:
            out[canonical] = replace(column, unit=argument, unit_from="units=")
    for canonical, value in UNCERTAINTY_OF.items():
        err, base = out.get(canonical), out.get(value)
        if err is not None and err.unit is None and base is not None and base.unit is not None:
            out[canonical] = replace(err, unit=base.unit, unit_from=f"value column {base.header!r}")
    return out, problems


def resolve_units(
    chosen: dict[str, Column], units: Mapping[str, str] | None, label: str | None
) -> Units:
    """Choose every quantity column's unit and its factor to SI.

    Raises
    ------
    InputError
        If ``units`` is not a mapping.
    """
    given, problems = _units_argument(units, chosen, label)
    resolved, conflicts = _choose_units(chosen, given, label)
    factors: dict[str, float | None] = {}
    percent: set[str] = set()
    unit_problems: list[Problem] = []
    for canonical, column in resolved.items():
        if canonical not in QUANTITY_COLUMNS:
            continue
        if column.unit is None:
            factors[canonical] = 1.0
        elif canonical in UNCERTAINTY_OF and is_percent(column.unit):
            percent.add(canonical)
            factors[canonical] = 0.01
        else:
            try:
                factors[canonical] = si_factor(column.unit, canonical)
            except UnitError as err:
                factors[canonical] = None
                unit_problems.append(Problem(str(err), file=label, column=column.header))
    return Units(resolved, factors, percent, problems + conflicts, unit_problems)


def missing_columns(
    chosen: dict[str, Column],
    require: tuple[str, ...],
    raw: RawTable,
    *,
    n_from_valences: bool = False,
) -> list[Problem]:
    """Problems for a missing material column and missing required columns.

    ``n`` is not missing when a ``valence`` column (or per-element ``valences=``) can give it.
    """
    problems: list[Problem] = []
    if "material" not in chosen:
        accepted = ", ".join(repr(a) for a in ALIASES["material"])
        problems.append(
            Problem(
                f"The table has no material column; name one of its columns {accepted} or 'name'.",
                file=raw.label,
            )
        )
    for name in require:
        derivable = {"n": "valence" in chosen or "r_h" in chosen or n_from_valences}
        derivable["bc"] = "bc2" in chosen
        if name in chosen or derivable.get(name, False):
            continue
        accepted = ", ".join(repr(a) for a in ALIASES[name][:6])
        present = ", ".join(repr(h) for h in raw.headers)
        hint = " (or a 'valence' or 'R_H' column to derive n from)" if name == "n" else ""
        problems.append(
            Problem(
                f"The required column {name!r} is missing{hint}. The table has the columns "
                f"{present}; accepted names for {name!r} include {accepted}, matched "
                "case-insensitively, with the unit in brackets, e.g. 'Bc [mT]'.",
                file=raw.label,
            )
        )
    return problems
