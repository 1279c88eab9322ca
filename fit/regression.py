"""Regression-test i assignments: baselines on disk, a comparison engine, and :func:`check`.

A *baseline* is a small YAML file that pins, for every material of a dataset, what a fit under one
policy gave: the implied i and its 1σ uncertainty, the assigned i, the relative residual
``(tc_model - tc) / tc`` and its 1σ uncertainty, together with the policy, the prefactor, the
seed and the tcfit version that produced them. :func:`check` fits the data afresh and
lists every material and field that moved; :func:`write_baseline` writes (or rewrites) the file.

The comparison rules (:func:`compare_baselines`):

- the assigned i is compared exactly;
- a float (implied i, residual and their uncertainties) differs when
  ``|new - old| > rtol · |old|``; with ``tol_sigma=K``, the implied i and the residual instead
  differ when they moved by more than ``K`` times their propagated 1σ uncertainty *recorded in the
  baseline* (and the uncertainties themselves, the yardstick, are not compared);
- ``p_stable`` is compared like the other floats (not under ``tol_sigma``: it follows the
  implied i, compared in σ units); ``posterior_assigned`` is recorded but never compared — it
  depends on every other material through the lattice model's shared envelope, so editing one
  material would move them all;
- a field recorded by the fresh fit but not by an older baseline is named in
  :attr:`CheckResult.added_fields`, not compared and not a failure;
- a material present on one side only is a difference, never ignored;
- the order of the materials does not matter (the file lists them sorted by name, so a reordered
  data file also writes identical bytes);
- a change of model, policy, allowed i values, default uncertainties or prefactor is a
  difference; the tcfit version and the data's checksum are provenance and are not compared.

:func:`check` restores *every* option of the fit from the baseline's ``fit:`` section
(:meth:`tcfit.FitOptions.from_dict`) unless told otherwise, so a baseline always passes its own
check. Baseline files live in :mod:`tcfit.baseline`; the engine in ``tcfit._compare``.

The same file serves ``tcfit check DATA --baseline FILE`` and the pytest fixture
``tcfit_regression`` (:mod:`tcfit.pytest_plugin`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

import pandas as pd

from ._compare import (
    DIFFERENCE_COLUMNS,
    added_fields,
    check_tolerances,
    compare_baselines,
    compare_reference,
    empty_differences,
)
from ._display import Display, Displayable
from ._json import table_records
from .baseline import (
    BASELINE_FORMAT,
    FIELDS,
    Baseline,
    baseline_from_result,
    dump_baseline,
    read_baseline,
)
from .errors import InputError
from .options import FitOptions, FitOverrides

if TYPE_CHECKING:
    from .fitting import FitResult

__all__ = [
    "BASELINE_FORMAT",
    "DIFFERENCE_COLUMNS",
    "FIELDS",
    "Baseline",
    "CheckResult",
    "baseline_from_result",
    "check",
    "compare_baselines",
    "compare_reference",
    "dump_baseline",
    "read_baseline",
    "write_baseline",
]


@dataclass(frozen=True, eq=False)
class CheckResult(Displayable):
    """The outcome of :func:`check`: every difference between a fresh fit and its references.

    Attributes
    ----------
    differences : pandas.DataFrame
        One row per difference, columns :data:`DIFFERENCE_COLUMNS` (see
        :func:`compare_baselines` and :func:`compare_reference`). Empty when everything matches.
    result : FitResult
        The fresh fit.
    fresh : Baseline
        The fresh fit as a baseline (what ``--update`` would write).
    baseline : Baseline or None
        The baseline compared with (None with reference only).
    baseline_file : str or None
        Its path, as given.
    rtol : float
        Relative tolerance used for floats.
    tol_sigma : float or None
        Tolerance in units of the propagated 1σ, when used instead of ``rtol``.
    against_reference : bool
        Whether the assignment was compared with the data's own ``i`` column.
    no_reference : tuple of str
        With ``against_reference``: materials whose ``i`` is empty in the data.
    added_fields : tuple of str
        Per-material fields the fresh fit records that the baseline (written by an older tcfit)
        lacks: named, not compared, not a failure.
    """

    differences: pd.DataFrame
    result: FitResult
    fresh: Baseline
    baseline: Baseline | None
    baseline_file: str | None
    rtol: float
    tol_sigma: float | None
    against_reference: bool
    no_reference: tuple[str, ...] = field(default=())
    added_fields: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when nothing differs."""
        return bool(self.differences.empty)

    @property
    def n_materials(self) -> int:
        """Number of materials in the fresh fit."""
        return len(self.fresh.materials)

    @property
    def changed_materials(self) -> list[str]:
        """Names of the materials with at least one difference, sorted (metadata excluded)."""
        names = self.differences.loc[self.differences["material"] != "", "material"]
        return sorted(set(names.astype(str)))

    def _tolerance_text(self) -> str:
        if self.tol_sigma is not None:
            return f"tol_sigma {self.tol_sigma:g} (rtol {self.rtol:g} where no σ)"
        return f"rtol {self.rtol:g}"

    def describe(self, *, details: bool = True) -> str:
        """The outcome in plain words, one line per difference.

        Parameters
        ----------
        details : bool, default=True
            List every difference on its own line (otherwise the headline only).

        Returns
        -------
        str
        """
        policy = self.fresh.raw["fit"].get("policy")
        what = []
        if self.baseline_file is not None:
            what.append(f"the baseline {self.baseline_file}")
        if self.against_reference:
            what.append("the data's own i column")
        head = (
            f"{self.n_materials} materials (policy {policy!r}) checked against "
            f"{' and '.join(what)}, {self._tolerance_text()}"
        )
        lines = []
        if self.ok:
            lines.append(f"{head}: everything matches.")
        else:
            count = len(self.differences)
            changed = self.changed_materials
            lines.append(
                f"{head}: {count} difference{'s' * (count != 1)}"
                + (f" in {len(changed)} material{'s' * (len(changed) != 1)}" if changed else "")
                + (f" ({', '.join(changed)})" if changed else "")
                + (":" if details else ".")
            )
            if details:
                lines += [f"  - {text}" for text in self.differences["description"]]
        if self.added_fields:
            lines.append(
                "New in this tcfit, not in the baseline (not compared; --update records them): "
                + ", ".join(self.added_fields)
                + "."
            )
        if self.no_reference:
            lines.append("No reference i in the data for: " + ", ".join(self.no_reference) + ".")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"CheckResult(ok={self.ok}, {len(self.differences)} differences in "
            f"{len(self.changed_materials)} materials of {self.n_materials})"
        )

    def _display(self) -> Display:
        rows = [("materials", str(self.n_materials)), ("tolerance", self._tolerance_text())]
        if self.baseline_file is not None:
            rows.append(("baseline", self.baseline_file))
        rows += [
            (str(r.material or "(fit)"), str(r.description)) for r in self.differences.itertuples()
        ]
        verdict = "everything matches" if self.ok else f"{len(self.differences)} difference(s)"
        notes = (
            [f"new fields not in the baseline: {', '.join(self.added_fields)}"]
            if self.added_fields
            else []
        )
        return Display("tcfit check", rows, notes, verdict=verdict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary.

        Returns
        -------
        dict
            ``ok``, ``n_materials``, ``n_differences``, ``changed_materials``,
            ``baseline_file``, ``policy``, ``rtol``, ``tol_sigma``, ``against_reference``,
            ``no_reference`` and ``differences`` (list of records; NaN as ``None``).
        """
        return {
            "ok": self.ok,
            "n_materials": self.n_materials,
            "n_differences": len(self.differences),
            "changed_materials": self.changed_materials,
            "baseline_file": self.baseline_file,
            "policy": self.fresh.raw["fit"].get("policy"),
            "rtol": self.rtol,
            "tol_sigma": self.tol_sigma,
            "against_reference": self.against_reference,
            "no_reference": list(self.no_reference),
            "added_fields": list(self.added_fields),
            "differences": table_records(self.differences),
        }


def write_baseline(
    data: Any,
    path: str | os.PathLike[str],
    options: FitOptions | None = None,
    /,
    **overrides: Unpack[FitOverrides],
) -> Path:
    """Fit ``data`` and write its baseline file atomically (creating parent folders).

    Parameters
    ----------
    data : str, path, DataFrame or FitResult
        What :func:`tcfit.fit` accepts (a built-in dataset name, a file, a table), or a finished
        :class:`~tcfit.FitResult`, which is written as it is.
    path : str or path-like
        The baseline file to write (conventionally ``.yml``); an existing one is replaced.
    options : FitOptions, optional
        Options of the fit (default ``FitOptions()``).
    **overrides
        Any :class:`~tcfit.FitOptions` field, e.g. ``policy="paper"``, ``seed=0``.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    InputError
        If options are given together with a FitResult fitted with other options.
    DataError
        If the data cannot be read (raised by :func:`tcfit.fit`).

    Examples
    --------
    >>> import tcfit, tempfile, pathlib
    >>> path = tcfit.write_baseline("table1", pathlib.Path(tempfile.mkdtemp()) / "t1.yml")
    >>> tcfit.check("table1", path).ok
    True
    """
    from .fitting import as_result

    result = as_result(data, options, **overrides)
    return Baseline.from_result(result).write(path)


def _baseline_of(baseline: Any) -> Baseline | None:
    if baseline is None or isinstance(baseline, Baseline):
        return baseline
    if isinstance(baseline, Mapping):
        return Baseline.from_dict(baseline)
    return Baseline.read(baseline)


def check(
    data: Any,
    baseline: str | os.PathLike[str] | Baseline | Mapping[str, Any] | None = None,
    options: FitOptions | None = None,
    /,
    *,
    rtol: float = 1e-6,
    tol_sigma: float | None = None,
    against_reference: bool = False,
    **overrides: Unpack[FitOverrides],
) -> CheckResult:
    """Fit ``data`` afresh and list everything that moved since its baseline.

    Parameters
    ----------
    data : str, path, DataFrame or FitResult
        What :func:`tcfit.fit` accepts (a built-in dataset name, a file, a table), or a finished
        :class:`~tcfit.FitResult` (compared as it is; options may then not be given).
    baseline : str, path-like, Baseline or mapping, optional
        A baseline file written by :func:`write_baseline` (or its value). Required unless
        ``against_reference`` is true.
    options : FitOptions, optional
        Options of the fresh fit. Default: every option recorded in the baseline
        (:meth:`tcfit.FitOptions.from_dict`), or ``FitOptions()`` without one.
    rtol : float, default=1e-6
        Relative tolerance of floats, ``|new - old| <= rtol · |old|``.
    tol_sigma : float, optional
        Compare the implied i and the residual in units of their propagated 1σ uncertainty
        instead (see :func:`compare_baselines`). The assigned i is always compared exactly.
    against_reference : bool, default=False
        Also compare the assignment with the data's own ``i`` column (for ``table1``: the
        paper's choices), listing each disagreement with the implied i and both residuals.
    **overrides
        Any :class:`~tcfit.FitOptions` field (``policy``, ``seed``, ``rel_err``, ...),
        applied on top of the options above. A policy different from the baseline's is itself
        a difference.

    Returns
    -------
    CheckResult
        ``.ok`` is true when nothing differs; ``.differences`` lists every difference.

    Raises
    ------
    InputError
        If neither a baseline nor ``against_reference`` is given, a tolerance is invalid, or
        options are given with a FitResult fitted differently.
    DataError
        If the baseline file is missing or malformed, the data cannot be read, or
        ``against_reference`` is asked of data without an ``i`` column.

    Examples
    --------
    >>> import tcfit
    >>> result = tcfit.check("table1", tcfit.datasets.baseline_path("table1", policy="integer"))
    >>> result.ok
    True
    """
    from .fitting import FitResult, as_result

    check_tolerances(rtol, tol_sigma)
    if baseline is None and not against_reference:
        raise InputError(
            "Nothing to check against: give a baseline file, against_reference=True, or both.",
            argument="baseline",
        )
    old = _baseline_of(baseline)
    if options is None and old is not None and not isinstance(data, FitResult):
        options = old.options
    result = as_result(data, options, **overrides)
    fresh = Baseline.from_result(result)
    frames = []
    if old is not None:
        frames.append(compare_baselines(old, fresh, rtol=rtol, tol_sigma=tol_sigma))
    no_reference: tuple[str, ...] = ()
    if against_reference:
        reference, no_reference = compare_reference(result)
        frames.append(reference)
    frames = [f for f in frames if not f.empty]
    differences = pd.concat(frames, ignore_index=True) if frames else empty_differences()
    return CheckResult(
        differences=differences,
        result=result,
        fresh=fresh,
        baseline=old,
        baseline_file=None if old is None else old.file,
        rtol=float(rtol),
        tol_sigma=None if tol_sigma is None else float(tol_sigma),
        against_reference=bool(against_reference),
        no_reference=no_reference,
        added_fields=() if old is None else added_fields(old, fresh),
    )
