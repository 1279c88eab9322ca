"""What every section shares: the number formatter they print through and the flag thresholds.

:class:`Formatter` is a thin, typed face of :mod:`tcfit.formatting` (the one number formatter of
tcfit, also used by the CLI): a section receives one as ``fmt`` and never formats numbers its
own way. The only addition is :meth:`Formatter.sort_key`, the ``data-sort`` attribute the HTML
table sorts by.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tcfit.formatting import format_percent, format_sig, i_text, pdg_text, sci

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AMBIGUOUS_P", "FORMATTER", "LARGE_Z", "Formatter", "disagrees", "records", "worst"]

#: A posterior probability of the assigned i below this marks the assignment as ambiguous (a
#: stated threshold: the posterior is calibrated when the lattice model holds).
AMBIGUOUS_P = 0.8
#: |z| above this is a large deviation of model from measurement.
LARGE_Z = 3.0


@dataclass(frozen=True)
class Formatter:
    """How a report prints numbers: :mod:`tcfit.formatting`, bound as methods.

    Every method takes a number (Python, numpy or pandas scalar) and returns text; NaN gives
    an empty string where a table cell may be blank. Subclass it to change how a report prints,
    and pass sections an instance.

    Examples
    --------
    >>> fmt = Formatter()
    >>> fmt.pdg(2.983, 0.325), fmt.i(0.01), fmt.percent(0.0153), fmt.sci(1.5617162e7)
    ('2.98 ± 0.33', '1/100', '+1.5 %', '1.561716 × 10⁷')
    """

    def pdg(self, value: Any, error: Any) -> str:
        """``value ± error`` by the PDG rule; the value to 4 digits without a usable error."""
        return pdg_text(float(value), float(error))

    def pdg_latex(self, value: Any, error: Any) -> str:
        """As :meth:`pdg`, as LaTeX math source (without ``$``)."""
        return pdg_text(float(value), float(error), style="latex")

    def sig(self, x: Any, digits: int = 3) -> str:
        """``x`` to ``digits`` significant digits (:func:`tcfit.formatting.format_sig`)."""
        return format_sig(float(x), digits)

    def percent(self, fraction: Any, digits: int = 1, *, sign: bool = True) -> str:
        """A relative number as a percentage (:func:`tcfit.formatting.format_percent`)."""
        return format_percent(float(fraction), digits, sign=sign)

    def i(self, value: Any) -> str:
        """An allowed value of i: ``3``, ``5/2``, ``1/100``; blank for NaN."""
        return i_text(value)

    def sci(self, x: Any, digits: int = 7) -> str:
        """``1.561716 × 10⁷`` (:func:`tcfit.formatting.sci`)."""
        return sci(float(x), digits)

    def sort_key(self, value: Any) -> str:
        """The ``data-sort`` attribute of a table cell: the full-precision number, or ``""``."""
        try:
            v = float(value)
        except (TypeError, ValueError):
            return ""
        return repr(v) if math.isfinite(v) else ""


#: The formatter :func:`tcfit.reports.build` passes to every section.
FORMATTER = Formatter()


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a table as dicts keyed by column name (one ``to_dict`` pass)."""
    out: list[dict[str, Any]] = table.to_dict(orient="records")  # type: ignore[assignment]
    return out


def worst(table: pd.DataFrame, column: str) -> pd.Series:
    """The row with the largest ``|column|`` (the first of equals; NaN ignored)."""
    import numpy as np

    return table.iloc[int(np.nanargmax(np.abs(table[column].to_numpy(dtype=float))))]


def disagrees(record: dict[str, Any]) -> bool:
    """Whether a fit-table row's assigned i differs from its reference i (NA agrees)."""
    import pandas as pd

    agrees = record.get("agrees")
    return agrees is not None and agrees is not pd.NA and not bool(agrees)
