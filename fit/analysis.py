"""Everything a validation report lays out, computed in one place (the fit layer).

:func:`analyse` runs the per-material fit, the lattice test (integer against continuous i), the
profiles with re-assigned i, the valence systematic, the global fits with i held fixed (shown as
conditional, never as a verdict), the retired quantization test (kept for comparison), the source
comparison and — for the paper's own Table-1 — the reproduction check, all under one
:class:`~tcfit.FitOptions`, and returns a frozen :class:`Analysis`; :attr:`Analysis.verdict`
words the result (:mod:`tcfit.verdict`). :mod:`tcfit.reports` only
lays an Analysis out; it never calls a fitter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Unpack

from ._display import Display, Displayable
from ._validate import check_count
from .errors import FitError
from .fitting import FitResult, as_result
from .options import FitOptions, FitOverrides

if TYPE_CHECKING:
    import pandas as pd

    from .global_fit import GlobalFit
    from .lattice import LatticeTest
    from .profiles import Profile
    from .quantization import QuantizationTest
    from .reproduction import Reproduction
    from .valence import ValenceSensitivity
    from .verdict import Verdict

__all__ = ["N_NULL", "Analysis", "analyse", "is_builtin_table1"]

#: Null tables of the quantization test in a report.
N_NULL = 10000


@dataclass(frozen=True, eq=False)
class Analysis(Displayable):
    """The results a report shows, all from one fit and one set of options.

    Attributes
    ----------
    result : FitResult
        The per-material fit.
    global_fit : GlobalFit or None
        The global fits (None when they could not run, see ``global_fit_error``).
    global_fit_error : str or None
        Why the global fits could not run (e.g. too few materials).
    quantization : QuantizationTest
    sources : pandas.DataFrame or None
        :func:`tcfit.compare_sources` of the data against ``compare`` (same options).
    compare_label : str or None
        How the second source was named.
    reproduction : Reproduction or None
        The Table-1 reproduction, for the paper's own Table-1 only.
    n_null : int
        Null tables of the quantization test.
    lattice : LatticeTest or None
        Integer against continuous i (None when it cannot run, see ``lattice_error``).
    lattice_error : str or None
    profiles : dict of str to Profile
        ``alpha``, ``beta``, ``scale`` with every i re-assigned (empty when the model has no
        such exponents).
    valence : ValenceSensitivity or None
        The refits under each valence convention, with the lattice verdict of each (None when
        no material is an element the conventions cover).
    """

    result: FitResult
    global_fit: GlobalFit | None
    global_fit_error: str | None
    quantization: QuantizationTest
    sources: pd.DataFrame | None
    compare_label: str | None
    reproduction: Reproduction | None
    n_null: int
    lattice: LatticeTest | None = None
    lattice_error: str | None = None
    profiles: dict[str, Profile] = field(default_factory=dict)
    valence: ValenceSensitivity | None = None

    @property
    def verdict(self) -> Verdict:
        """The verdict in words (:func:`tcfit.verdict.verdict`)."""
        from .verdict import verdict

        return verdict(self)

    def __repr__(self) -> str:
        n = self.result.summary.n_materials
        return f"Analysis({self.name}: {n} materials, verdict {self.verdict.conclusion!r})"

    def _display(self) -> Display:
        v = self.verdict
        rows = [(key.replace("_", " "), text) for key, text in v.sentences.items()]
        return Display(f"tcfit analysis of {self.name}", rows, verdict=v.headline)

    def plot(self, kind: str = "evidence", **kwargs: Any) -> Any:
        """Draw one of the report's figures of this analysis, with :mod:`tcfit.plot`.

        Parameters
        ----------
        kind : {"evidence", "profiles", "global_fit", "predictor", "valence", "parity", \
"residuals", "implied_i", "sources"}, default="evidence"
        **kwargs
            ``ax=`` (a matplotlib Axes) or, for the figures with several panels, ``fig=``,
            and the drawing function's own options.

        Returns
        -------
        matplotlib.axes.Axes or matplotlib.figure.Figure
            What it drew on (a new pyplot figure unless ``ax``/``fig`` was given).
        """
        from tcfit.plot import draw

        return draw(self, kind, **kwargs)

    @property
    def options(self) -> FitOptions:
        """The options of every part."""
        return self.result.options

    @property
    def name(self) -> str:
        """The dataset's name (``"data"`` when it has none)."""
        return str(self.result.data.attrs.get("name") or "data")


def is_builtin_table1(attrs: Any) -> bool:
    """The paper's own Table-1 (by name and content), not merely a file called table1."""
    from tcfit import datasets

    if attrs.get("name") != "table1":
        return False
    return bool(attrs.get("sha256") == datasets.load("table1").attrs.get("sha256"))


def analyse(
    data: Any,
    options: FitOptions | None = None,
    /,
    *,
    compare: Any = None,
    n_null: int = N_NULL,
    on_step: Callable[[str], None] | None = None,
    **overrides: Unpack[FitOverrides],
) -> Analysis:
    """Compute everything a report shows for ``data`` under one set of options.

    Parameters
    ----------
    data : FitResult, str, path-like or pandas.DataFrame
        A finished fit (used as it is) or data for :func:`tcfit.fit`.
    options : FitOptions, optional
        Options of the fit, and of the second source's fit (default ``FitOptions()``).
    compare : str, path-like or pandas.DataFrame, optional
        A second source of the same materials (:func:`tcfit.compare_sources`).
    n_null : int, default=10000
        Null tables of the quantization test (seeded with the options' seed).
    on_step : callable, optional
        Called with a short label before each stage (a progress bar hooks in here).
    **overrides
        Any :class:`~tcfit.FitOptions` field.

    Returns
    -------
    Analysis

    Raises
    ------
    DataError, InputError
        From reading and fitting the data.

    Examples
    --------
    >>> a = analyse("table1", n_null=200)
    >>> a.result.summary.n_materials, a.reproduction is not None
    (21, True)
    """
    import tcfit

    step = on_step or (lambda label: None)
    n_null = check_count("n_null", n_null, 1, maximum=10_000_000)
    step("fitting")
    result = as_result(data, options, **overrides)
    step("global fits (lmfit)")
    try:
        global_fit, global_fit_error = tcfit.fit_global(result), None
    except FitError as err:  # e.g. fewer materials than free parameters: say so, go on
        global_fit, global_fit_error = None, str(err)
    step("lattice test (integer against continuous i)")
    lattice, lattice_error = _lattice(result)
    step("profiles and the valence systematic")
    profiles = _profiles(result)
    valence = _valence(result)
    step(f"retired quantization test ({n_null} null tables)")
    quantization = tcfit.quantization_test(result, n_null=n_null, seed=result.options.seed)
    sources = None
    if compare is not None:
        step("fitting the second source")
        sources = tcfit.compare_sources(result, compare)
    reproduction = None
    if is_builtin_table1(result.data.attrs):
        reproduction = tcfit.reproduce_table1(prefactor=result.options.prefactor)
    return Analysis(
        result=result,
        global_fit=global_fit,
        global_fit_error=global_fit_error,
        quantization=quantization,
        sources=sources,
        compare_label=None if compare is None else _label(compare),
        reproduction=reproduction,
        n_null=n_null,
        lattice=lattice,
        lattice_error=lattice_error,
        profiles=profiles,
        valence=valence,
    )


def _lattice(result: FitResult) -> tuple[LatticeTest | None, str | None]:
    from .errors import InputError
    from .lattice import LATTICE_MAX_MATERIALS, default_n_sim, lattice_test

    m = len(result.table)
    if m > LATTICE_MAX_MATERIALS:
        return None, (
            f"not run for {m} materials: the lattice test is calibrated for 13–50 materials and "
            f"analyses run it up to {LATTICE_MAX_MATERIALS}; run tcfit.lattice_test on a subset"
        )
    try:
        return lattice_test(result, n_sim=default_n_sim(m), seed=result.options.seed), None
    except InputError as err:  # fewer than 3 materials or 2 allowed values
        return None, str(err)


def _profiles(result: FitResult) -> dict[str, Profile]:
    from .profiles import PARAMETERS, profile

    if set(result.model.exponent_names) != {"alpha", "beta"}:
        return {}
    return {name: profile(result, name) for name in PARAMETERS}


def _valence(result: FitResult) -> ValenceSensitivity | None:
    import numpy as np

    from .valence import valence, valence_sensitivity

    names = result.data["material"].astype(str).str.split("(").str[0].str.strip()
    covered = np.isfinite([valence(n, "group") for n in names])
    if len(names) < 3 or not covered.any():
        return None
    return valence_sensitivity(result, lattice=True)


def _label(source: Any) -> str:
    import os

    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    if isinstance(source, FitResult):
        return str(source.data.attrs.get("name") or "second source")
    return str(getattr(source, "attrs", {}).get("name") or "second source")
