"""Column names: the aliases people write for the canonical columns, and units in headers.

The canonical columns themselves are declared in :mod:`tcfit.datasets._schema`
(``CANONICAL_ORDER``, ``QUANTITY_COLUMNS`` and ``TEXT_COLUMNS`` are re-exported here).

A header such as ``"Bc(0) [mT]"``, ``"Hc (G)"``, ``"n (cm^-3)"`` or ``"Tc / mK"`` is split into a
name and a unit (:func:`split_header`); the name is matched case-insensitively, ignoring spaces,
underscores, hyphens and dots, against the aliases below (:func:`match_name`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._schema import CANONICAL_ORDER, QUANTITY_COLUMNS, TEXT_COLUMNS, UNCERTAINTY_OF

__all__ = [
    "ALIASES",
    "CANONICAL_ORDER",
    "ERR_SUFFIXES",
    "QUANTITY_COLUMNS",
    "TEXT_COLUMNS",
    "HeaderMatch",
    "match_header",
    "match_name",
    "split_header",
    "squash",
]

#: Accepted spellings of each canonical column (compared after :func:`squash`), best first.
#: The value columns ``tc``, ``bc`` and ``n`` also accept ``<alias>_err`` (see ERR_SUFFIXES).
ALIASES: dict[str, tuple[str, ...]] = {
    "material": ("material", "metal", "element", "symbol", "compound", "sample", "formula"),
    "tc": (
        "tc",
        "t_c",
        "tc0",
        "tc_exp",
        "tc_experimental",
        "tc_measured",
        "tc_meas",
        "tc_obs",
        "critical_temperature",
        "transition_temperature",
    ),
    "bc": (
        "bc",
        "b_c",
        "bc0",
        "b_c0",
        "hc",
        "h_c",
        "hc0",
        "h_c0",
        "bc_t0",
        "hc_t0",
        "critical_field",
        "critical_magnetic_field",
        "thermodynamic_critical_field",
    ),
    "n": (
        "n",
        "n_e",
        "ne",
        "n_free",
        "electron_density",
        "free_electron_density",
        "conduction_electron_density",
        "carrier_density",
    ),
    "i": ("i", "i_paper", "i_reference", "degrees_of_freedom", "degree_of_freedom"),
    "valence": (
        "valence",
        "valency",
        "z_valence",
        "valence_electrons",
        "valence_electrons_used",
        "electrons_per_atom",
    ),
    "density": ("density", "rho", "mass_density"),
    "molar_mass": ("molar_mass", "atomic_mass", "atomic_weight", "molar_weight"),
    "gamma": ("gamma", "sommerfeld", "sommerfeld_coefficient", "sommerfeld_gamma"),
    "debye_temperature": ("debye_temperature", "debye", "theta_d", "theta_debye"),
    "t": ("t", "temperature", "temp", "t_measured", "measurement_temperature"),
    "r_h": ("r_h", "hall_coefficient", "hall", "r_hall", "hall_constant"),
    "bc2": ("bc2", "hc2", "b_c2", "h_c2", "bc2_0", "hc2_0", "upper_critical_field"),
    "bc1": ("bc1", "hc1", "b_c1", "h_c1", "bc1_0", "hc1_0", "lower_critical_field"),
    "kappa": ("kappa", "gl_kappa", "ginzburg_landau_parameter", "gl_parameter"),
    "source": ("source", "sources", "reference", "ref", "citation"),
    "note": ("note", "notes", "comment", "comments", "remark", "remarks"),
    "n_derived": ("n_derived",),
}

#: ``name`` alone is accepted for ``material`` only when no other material alias is present
#: (files such as the elements reference have both ``symbol`` and ``name``).
WEAK_ALIASES: dict[str, tuple[str, ...]] = {"material": ("name",)}

#: Suffixes (and prefixes) that turn a value column into its absolute uncertainty.
ERR_SUFFIXES: tuple[str, ...] = ("err", "error", "unc", "uncertainty", "sigma", "std", "sd")
_ERR_PREFIXES: tuple[str, ...] = ("sigma", "delta", "err", "error")
_HAS_ERR = tuple(UNCERTAINTY_OF.values())  # value columns that have an uncertainty column

_GREEK = str.maketrans(
    {
        "γ": "gamma ",
        "ρ": "rho ",
        "θ": "theta ",
        "Θ": "theta ",
        "σ": "sigma ",
        "Δ": "delta ",
        "δ": "delta ",
        "μ": "mu ",
        "ν": "nu ",
        "κ": "kappa ",
    }
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def squash(name: str) -> str:
    """Lower-case ``name`` and drop everything but letters and digits.

    Examples
    --------
    >>> squash("T_c"), squash("B c(0)"), squash("Molar-mass"), squash("γ")
    ('tc', 'bc0', 'molarmass', 'gamma')
    """
    return _NON_ALNUM.sub("", name.translate(_GREEK).lower())


def _table() -> dict[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}
    for canonical, aliases in ALIASES.items():
        for rank, alias in enumerate(aliases):
            table.setdefault(squash(alias), (canonical, rank))
    return table


_STRONG = _table()
_WEAK = {squash(a): c for c, aliases in WEAK_ALIASES.items() for a in aliases}


def match_name(name: str) -> tuple[str | None, bool]:
    """The canonical column a header name (without its unit) means.

    Parameters
    ----------
    name : str
        The name part of a header, e.g. ``"T_c"``, ``"Bc(0)"``, ``"sigma_Tc"``, ``"n_e err"``.

    Returns
    -------
    canonical : str or None
        The canonical column, or ``None`` for a column tcfit does not know (kept as an extra).
    weak : bool
        True when the match is a weak alias (see :data:`WEAK_ALIASES`).

    Examples
    --------
    >>> match_name("T_c"), match_name("Hc(0)"), match_name("Tc_err"), match_name("name")
    (('tc', False), ('bc', False), ('tc_err', False), ('material', True))
    """
    key = squash(name)
    if not key:
        return None, False
    if key in _STRONG:
        return _STRONG[key][0], False
    for suffix in ERR_SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in _STRONG:
            base = _STRONG[key[: -len(suffix)]][0]
            if base in _HAS_ERR:
                return f"{base}_err", False
    for prefix in _ERR_PREFIXES:
        if key.startswith(prefix) and key[len(prefix) :] in _STRONG:
            base = _STRONG[key[len(prefix) :]][0]
            if base in _HAS_ERR:
                return f"{base}_err", False
    if key in _WEAK:
        return _WEAK[key], True
    return None, False


# "Bc(0)" and "Hc(T=0)" name the zero-temperature field; the parentheses are not a unit.
_ZERO = re.compile(r"^\s*(0|t\s*=\s*0|t\s*=\s*0\s*k|0\s*k)\s*$", re.IGNORECASE)
_BRACKET = re.compile(r"^(?P<name>.*?)\s*\[(?P<unit>[^\[\]]*)\]\s*$")
_PAREN = re.compile(r"^(?P<name>.*?)\s*\((?P<unit>[^()]*)\)\s*$")


def split_header(header: str) -> tuple[str, str | None]:
    """Split a header into its name and the unit it states, if any.

    Accepted forms: ``"Bc [mT]"``, ``"Hc (G)"``, ``"n (cm^-3)"``, ``"n [1e29 m^-3]"`` and the
    ISO form ``"Tc / mK"`` (the part before ``/`` must be a known column name). ``"(0)"`` after a
    name (``"Bc(0)"``) is part of the name. An empty bracket (``"Tc []"``) states no unit.

    Parameters
    ----------
    header : str
        A column header as written in the file.

    Returns
    -------
    name : str
        The header without its unit, stripped.
    unit : str or None
        The unit as written (stripped), or ``None``.

    Examples
    --------
    >>> split_header("Bc [mT]"), split_header("Hc(0) (G)"), split_header("Tc / mK")
    (('Bc', 'mT'), ('Hc(0)', 'G'), ('Tc', 'mK'))
    >>> split_header("Bc(0)")
    ('Bc(0)', None)
    """
    text = header.strip()
    for pattern in (_BRACKET, _PAREN):
        found = pattern.match(text)
        if found and found.group("name") and not _ZERO.match(found.group("unit")):
            unit = found.group("unit").strip()
            return found.group("name").strip(), (unit or None)
    if "/" in text:
        name, _, unit = text.partition("/")
        if match_name(name)[0] is not None and unit.strip():
            return name.strip(), unit.strip()
    return text, None


@dataclass(frozen=True)
class HeaderMatch:
    """What one header of a file means.

    Attributes
    ----------
    header : str
        The header as written.
    name : str
        The header without its unit.
    unit : str or None
        The unit stated in the header.
    canonical : str or None
        The canonical column, or ``None`` for an extra column.
    weak : bool
        Matched through a weak alias.
    """

    header: str
    name: str
    unit: str | None
    canonical: str | None
    weak: bool


def match_header(header: str) -> HeaderMatch:
    """Split ``header`` into name and unit and match the name (see :func:`split_header`).

    A header that is not recognised with its unit split off is tried once more whole, so a
    column literally named ``"Tc (K)"`` and one named ``"Hc(0)"`` both work.

    Examples
    --------
    >>> m = match_header("n (cm^-3)")
    >>> m.canonical, m.unit
    ('n', 'cm^-3')
    """
    name, unit = split_header(header)
    canonical, weak = match_name(name)
    if canonical is None and unit is not None:
        whole, whole_weak = match_name(header)
        if whole is not None:
            return HeaderMatch(header, header.strip(), None, whole, whole_weak)
    return HeaderMatch(header, name, unit, canonical, weak)
