"""Unit conversion at the edge: one pint registry, one function that returns SI factors.

tcfit keeps physics in SI internally; every number that enters from a file or a built-in
dataset passes through :func:`si_factor` once, here, and nowhere else.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from tcfit.errors import UnitError

if TYPE_CHECKING:
    import pint

__all__ = ["SI_UNITS", "si_factor", "unit_registry"]

#: The SI unit of every canonical quantity column.
SI_UNITS: dict[str, str] = {
    "tc": "K",
    "bc": "T",
    "n": "m^-3",
    "tc_printed": "K",
    "ns_max": "m^-3",
    "jc": "A/m^2",
}


@cache
def unit_registry() -> pint.UnitRegistry:
    """The single pint registry tcfit uses (created on first use, so imports stay light)."""
    import pint

    return pint.UnitRegistry()


def si_factor(unit: str, column: str) -> float:
    """Factor that converts a value written in ``unit`` to the SI unit of ``column``.

    Parameters
    ----------
    unit : str
        A unit expression pint understands, optionally with a scale, e.g. ``"1e29 m^-3"``,
        ``"1e-4 T"``, ``"mK"``.
    column : str
        A canonical column named in :data:`SI_UNITS`.

    Returns
    -------
    float
        Multiply a value in ``unit`` by this to get it in ``SI_UNITS[column]``.

    Raises
    ------
    UnitError
        If pint does not know the unit or its dimension does not fit the column.
    """
    import pint

    ureg = unit_registry()
    target = SI_UNITS[column]
    try:
        quantity = ureg.parse_expression(unit)
        if not isinstance(quantity, ureg.Quantity):
            quantity = ureg.Quantity(float(quantity), "dimensionless")
        return float(quantity.to(target).magnitude)
    except pint.errors.DimensionalityError as err:
        raise UnitError(
            f"The unit {unit!r} has the wrong dimension for column {column!r}; "
            f"it must convert to {target!r}.",
        ) from err
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError) as err:
        raise UnitError(
            f"pint does not understand the unit {unit!r} of column {column!r}."
        ) from err
