"""The canonical measurement table: the single home of its columns, kinds, SI units and rules.

Every frame :func:`tcfit.read` returns satisfies :func:`canonical_schema` for the ``require`` it
was read with. The column list :data:`COLUMNS` is the only place a canonical column is declared;
:data:`CANONICAL_ORDER`, :data:`QUANTITY_COLUMNS`, :data:`TEXT_COLUMNS`, the SI units of
:mod:`tcfit.datasets._units` and the pandera schema below all derive from it.

=================  ===========  ==================  =============================================
column             kind         dtype / unit        rule
=================  ===========  ==================  =============================================
material           text         str                 present, non-empty, unique
tc, bc, n          quantity     float, K / T / m⁻³  finite and > 0; on every row when required
tc_err ...         uncertainty  float, same unit    finite and >= 0 where given (absolute)
i, valence         quantity     float, 1            finite and > 0 where given
density            quantity     float, kg m⁻³       finite and > 0 where given
molar_mass         quantity     float, kg mol⁻¹     finite and > 0 where given
gamma              quantity     float, J mol⁻¹ K⁻²  finite and > 0 where given (Sommerfeld)
debye_temperature  quantity     float, K            finite and > 0 where given
t                  quantity     float, K            the temperature of a Bc(T) point: a table
                                                    with it is a long-format series, which the
                                                    reader fits (:mod:`._series`); never in the
                                                    frame it returns
r_h                signed       float, m³ C⁻¹       finite, either sign: the Hall coefficient;
                                                    where n is empty, n = 1/(e·|R_H|)
bc2, bc1           quantity     float, T            upper/lower critical fields (type II), never
                                                    Bc; with kappa or bc1 they give Bc
kappa              quantity     float, 1            the Ginzburg–Landau parameter κ (> 1/√2)
source, note       text         str                 free text ("" when absent)
n_derived          flag         bool                True where n = valence·ρ·N_A/M was computed
=================  ===========  ==================  =============================================

Other columns are kept as they are (``strict=False``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa

__all__ = [
    "AUXILIARY_SI_UNITS",
    "CANONICAL_ORDER",
    "CHECK_FINITE",
    "CHECK_POSITIVE",
    "COLUMNS",
    "DIMENSIONLESS",
    "FINITE_ERROR",
    "FLAG_COLUMNS",
    "NON_NEGATIVE_ERROR",
    "POSITIVE_ERROR",
    "QUANTITY_COLUMNS",
    "SCHEMA_MARK",
    "SCHEMA_VERSION",
    "SI_UNITS",
    "TEXT_COLUMNS",
    "UNCERTAINTY_OF",
    "ColumnDef",
    "canonical_schema",
    "failure_cases",
    "validate",
]

#: Version of the canonical table. :func:`tcfit.read` stores it in ``df.attrs[SCHEMA_MARK]``; a
#: frame carrying it is validated, not canonicalised again, when it is read a second time.
SCHEMA_VERSION = "tcfit-canonical/1"
#: The ``df.attrs`` key that holds :data:`SCHEMA_VERSION`.
SCHEMA_MARK = "tcfit_schema"

Kind = Literal["quantity", "uncertainty", "signed", "text", "flag"]


@dataclass(frozen=True)
class ColumnDef:
    """One column of the canonical table.

    Attributes
    ----------
    name : str
        The canonical name.
    kind : {"quantity", "uncertainty", "signed", "text", "flag"}
        A quantity holds a positive number in SI, an uncertainty a non-negative one in the unit
        of its value column, a signed quantity a finite number of either sign (the Hall
        coefficient), text free text and a flag a boolean.
    unit : str or None
        The SI unit (pint syntax; ``"1"`` for a pure number), ``None`` for text and flags.
    of : str or None
        For an uncertainty, the value column it belongs to.
    """

    name: str
    kind: Kind
    unit: str | None = None
    of: str | None = None


#: Every canonical column, in the order of the canonical frame.
COLUMNS: tuple[ColumnDef, ...] = (
    ColumnDef("material", "text"),
    ColumnDef("tc", "quantity", "K"),
    ColumnDef("bc", "quantity", "T"),
    ColumnDef("n", "quantity", "m^-3"),
    ColumnDef("tc_err", "uncertainty", "K", of="tc"),
    ColumnDef("bc_err", "uncertainty", "T", of="bc"),
    ColumnDef("n_err", "uncertainty", "m^-3", of="n"),
    ColumnDef("i", "quantity", "1"),
    ColumnDef("valence", "quantity", "1"),
    ColumnDef("density", "quantity", "kg/m^3"),
    ColumnDef("molar_mass", "quantity", "kg/mol"),
    ColumnDef("gamma", "quantity", "J/mol/K^2"),
    ColumnDef("debye_temperature", "quantity", "K"),
    ColumnDef("t", "quantity", "K"),
    ColumnDef("r_h", "signed", "m^3/C"),
    ColumnDef("bc2", "quantity", "T"),
    ColumnDef("bc1", "quantity", "T"),
    ColumnDef("kappa", "quantity", "1"),
    ColumnDef("source", "text"),
    ColumnDef("note", "text"),
    ColumnDef("n_derived", "flag"),
)

#: Every canonical column in the order of the canonical frame.
CANONICAL_ORDER: tuple[str, ...] = tuple(c.name for c in COLUMNS)
#: Canonical columns that hold numbers (converted to SI, checked positive and finite).
QUANTITY_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in COLUMNS if c.kind in ("quantity", "uncertainty", "signed")
)
#: Canonical columns that hold text.
TEXT_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind == "text")
#: Canonical columns that hold a flag.
FLAG_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind == "flag")
#: Canonical quantity columns without a unit (a unit other than "1" in their header is an error).
DIMENSIONLESS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.unit == "1")
#: The value column of every uncertainty column.
UNCERTAINTY_OF: dict[str, str] = {c.name: c.of for c in COLUMNS if c.of is not None}
#: Quantities tcfit converts that are not canonical columns: Table-1's printed theoretical Tc
#: and the numbers of the paper's worked example.
AUXILIARY_SI_UNITS: dict[str, str] = {"tc_printed": "K", "ns_max": "m^-3", "jc": "A/m^2"}
#: The SI unit of every canonical quantity column with a dimension, and of the auxiliary ones.
SI_UNITS: dict[str, str] = {
    **{c.name: c.unit for c in COLUMNS if c.unit is not None and c.unit != "1"},
    **AUXILIARY_SI_UNITS,
}

#: Names of the value checks, as they appear in pandera's failure cases.
CHECK_FINITE = "finite"
CHECK_POSITIVE = "positive"
#: Their error texts (pandera reports a check by its error text when one is given).
FINITE_ERROR = "must be a finite number"
POSITIVE_ERROR = "must be positive"
NON_NEGATIVE_ERROR = "must be zero or positive"


def _finite(series: pd.Series) -> pd.Series:
    import pandas as pd

    values = series.to_numpy(dtype=float, na_value=np.nan)
    return pd.Series(np.isfinite(values) | np.isnan(values), index=series.index)


def _column(column: ColumnDef, require: tuple[str, ...], unique: bool = True) -> pa.Column:
    import pandera.pandas as pa

    if column.kind == "text":
        required = column.name == "material"
        return pa.Column(str, nullable=False, unique=required and unique, required=required)
    if column.kind == "flag":
        return pa.Column(bool, nullable=False, required=True)
    finite = pa.Check(_finite, name=CHECK_FINITE, error=FINITE_ERROR)
    sign = (
        pa.Check.ge(0, name=CHECK_POSITIVE, error=NON_NEGATIVE_ERROR)
        if column.kind == "uncertainty"
        else pa.Check.gt(0, name=CHECK_POSITIVE, error=POSITIVE_ERROR)
    )
    return pa.Column(
        float,
        checks=[finite] if column.kind == "signed" else [finite, sign],
        nullable=column.name not in require,
        required=column.name in require,
    )


@cache
def _schema(require: tuple[str, ...], unique: bool = True) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    order = ("material", "n_derived", "source", "note", *QUANTITY_COLUMNS)  # pandera's report order
    by_name = {c.name: c for c in COLUMNS}
    columns = {name: _column(by_name[name], require, unique) for name in order}
    return pa.DataFrameSchema(columns, strict=False, coerce=False, name="tcfit canonical table")


def canonical_schema(require: Iterable[str] = ("tc", "bc", "n")) -> pa.DataFrameSchema:
    """The pandera schema of a canonical measurement table.

    Parameters
    ----------
    require : iterable of str, default=("tc", "bc", "n")
        Quantity columns that must exist and hold a value on every row.

    Returns
    -------
    pandera.pandas.DataFrameSchema
        Checks dtypes, positivity and finiteness of the quantity columns (SI), uniqueness of
        ``material``; extra columns are allowed.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"material": ["Al"], "tc": [1.175], "bc": [0.0103],
    ...                       "n": [1.81e29], "n_derived": [False]})
    >>> canonical_schema().validate(frame).shape
    (1, 5)
    """
    return _schema(tuple(sorted(set(require))))


def failure_cases(
    frame: pd.DataFrame, require: Iterable[str], *, unique: bool = True
) -> pd.DataFrame | None:
    """Run the schema lazily and return pandera's failure cases, or ``None`` when valid.

    ``unique=False`` leaves out the uniqueness of ``material``, for a caller that has found the
    repeated materials itself (the reader names the row of the first occurrence).

    The returned frame has pandera's columns ``column``, ``check``, ``failure_case`` and
    ``index`` (the frame's index label of the failing row, ``NaN`` for column-level failures).
    """
    import pandera.errors

    try:
        _schema(tuple(sorted(set(require))), unique).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as err:
        cases: pd.DataFrame = err.failure_cases
        return cases
    return None


def validate(frame: pd.DataFrame, *, require: Iterable[str] = ("tc", "bc", "n")) -> pd.DataFrame:
    """Check that ``frame`` is a canonical table; return it unchanged.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame in the canonical schema (SI units).
    require : iterable of str, default=("tc", "bc", "n")
        Quantity columns that must be present on every row.

    Returns
    -------
    pandas.DataFrame
        ``frame`` itself.

    Raises
    ------
    pandera.errors.SchemaErrors
        If the frame breaks the schema (use :func:`tcfit.read` to get a
        :class:`tcfit.DataError` naming rows and columns instead).
    """
    return canonical_schema(require).validate(frame, lazy=True)
