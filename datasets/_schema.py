"""The canonical measurement table as a pandera schema.

Every frame :func:`tcfit.read` and :func:`tcfit.datasets.resolve` return satisfies
:func:`canonical_schema` for the ``require`` it was read with:

=================  ==================  ==========================================================
column             dtype / unit        rule
=================  ==================  ==========================================================
material           str                 present, non-empty, unique
tc, bc, n          float, K / T / m⁻³  finite and > 0; present on every row when required
tc_err ...         float, same unit    finite and >= 0 where given (absolute uncertainties)
i, valence         float, 1            finite and > 0 where given
density            float, kg m⁻³       finite and > 0 where given
molar_mass         float, kg mol⁻¹     finite and > 0 where given
gamma              float, J mol⁻¹ K⁻²  finite and > 0 where given (Sommerfeld coefficient)
debye_temperature  float, K            finite and > 0 where given
source, note       str                 free text ("" when absent)
n_derived          bool                True where n = valence·ρ·N_A/M was computed by tcfit
=================  ==================  ==========================================================

Other columns are kept as they are (``strict=False``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from ._aliases import QUANTITY_COLUMNS

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa

__all__ = [
    "CHECK_FINITE",
    "CHECK_POSITIVE",
    "FINITE_ERROR",
    "NON_NEGATIVE_ERROR",
    "POSITIVE_ERROR",
    "canonical_schema",
    "failure_cases",
    "validate",
]

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


@cache
def _schema(require: tuple[str, ...]) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    columns: dict[str, pa.Column] = {
        "material": pa.Column(str, nullable=False, unique=True, required=True),
        "n_derived": pa.Column(bool, nullable=False, required=True),
        "source": pa.Column(str, nullable=False, required=False),
        "note": pa.Column(str, nullable=False, required=False),
    }
    for name in QUANTITY_COLUMNS:
        columns[name] = pa.Column(
            float,
            checks=[
                pa.Check(_finite, name=CHECK_FINITE, error=FINITE_ERROR),
                (
                    pa.Check.ge(0, name=CHECK_POSITIVE, error=NON_NEGATIVE_ERROR)
                    if name.endswith("_err")
                    else pa.Check.gt(0, name=CHECK_POSITIVE, error=POSITIVE_ERROR)
                ),
            ],
            nullable=name not in require,
            required=name in require,
        )
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


def failure_cases(frame: pd.DataFrame, require: Iterable[str]) -> pd.DataFrame | None:
    """Run the schema lazily and return pandera's failure cases, or ``None`` when valid.

    The returned frame has pandera's columns ``column``, ``check``, ``failure_case`` and
    ``index`` (the frame's index label of the failing row, ``NaN`` for column-level failures).
    """
    import pandera.errors

    try:
        canonical_schema(require).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as err:
        return err.failure_cases
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
        If the frame breaks the schema (use :func:`tcfit.datasets.resolve` to get a
        :class:`tcfit.DataError` naming rows and columns instead).
    """
    return canonical_schema(require).validate(frame, lazy=True)
