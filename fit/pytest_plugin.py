"""pytest plugin shipped with tcfit: the ``tcfit_regression`` fixture.

Registered through the ``pytest11`` entry point, so it is loaded in every pytest run of an
environment where tcfit is installed. It therefore imports nothing but pytest at start-up (tcfit's
fitters, pandas and pytest-regressions are imported inside the fixture) and only adds a fixture:
a run that does not ask for ``tcfit_regression`` is not affected.

Usage, in a test file of your own::

    def test_table1_assignments(tcfit_regression):
        tcfit_regression.check("table1", policy="integer")

The first run writes the baseline ``<test file stem>/test_table1_assignments.yml`` beside the test
file and fails (as pytest-regressions does); later runs fit afresh and fail, naming each material
and field that moved, when anything changed. ``pytest --force-regen`` rewrites a baseline that
differs (that run fails once, as with pytest-regressions; the next passes), ``--regen-all``
rewrites every baseline and passes.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pytest_regressions.data_regression import DataRegressionFixture

    from tcfit.fitting import FitResult
    from tcfit.options import FitOptions

__all__ = ["TcfitRegressionFixture", "tcfit_regression"]


class TcfitRegressionFixture:
    """What the ``tcfit_regression`` fixture returns; see :meth:`check`.

    Built on pytest-regressions' ``data_regression`` fixture: same data directory (a folder
    named after the test file, beside it), same ``--force-regen`` / ``--regen-all`` behaviour,
    but the files are tcfit baselines (the format of ``tcfit check``) and they are compared
    with tcfit's rules (assigned i exactly, floats within ``rtol`` or ``tol_sigma``), not as text.
    """

    def __init__(self, data_regression: DataRegressionFixture, request: pytest.FixtureRequest):
        self._data_regression = data_regression
        self._request = request

    def check(
        self,
        data: Any,
        options: FitOptions | None = None,
        /,
        *,
        basename: str | None = None,
        fullpath: str | os.PathLike[str] | None = None,
        rtol: float = 1e-6,
        tol_sigma: float | None = None,
        **overrides: Any,
    ) -> FitResult:
        """Fit ``data`` and compare the assignments with the stored baseline.

        Parameters
        ----------
        data : str, path or DataFrame
            What :func:`tcfit.fit` accepts: a built-in dataset name, a data file, a table.
        options : FitOptions, optional
            Options of the fit (default ``tcfit.FitOptions()``, the integer policy).
        basename : str, optional
            File name (without ``.yml``) of the baseline in the test's data folder; default:
            the test's name.
        fullpath : str or path-like, optional
            A baseline file anywhere (instead of ``basename``), e.g. one shipped with a package.
        rtol : float, default=1e-6
            Relative tolerance of floats.
        tol_sigma : float, optional
            Compare implied i and residual in units of their propagated 1σ instead.
        **overrides
            Any :class:`tcfit.FitOptions` field, e.g. ``policy="paper"``, ``rel_err={"bc": 0.1}``.

        Returns
        -------
        FitResult
            The fresh fit, for further assertions.

        Raises
        ------
        AssertionError
            Through ``pytest.fail``: the baseline was missing (it is now written) or was
            regenerated; or, plainly, the listed materials and fields moved.
        """
        __tracebackhide__ = True
        from pytest_regressions.common import perform_regression_check

        import tcfit
        from tcfit.errors import DataError
        from tcfit.regression import write_baseline

        result = tcfit.fit(data, options, **overrides)

        def dump(path: Path) -> None:
            write_baseline(result, path)

        dr = self._data_regression

        def compare(obtained: Path, expected: Path) -> None:
            __tracebackhide__ = True
            # `expected` is pytest-regressions' temporary copy; name the user's own file.
            source = Path(fullpath) if fullpath is not None else dr.original_datadir / expected.name
            try:
                outcome = tcfit.check(result, expected, rtol=rtol, tol_sigma=tol_sigma)
            except DataError as err:
                # An unreadable baseline is a failed comparison: --force-regen may rewrite it.
                raise AssertionError(f"The baseline {source} cannot be used: {err}") from err
            outcome = dataclasses.replace(outcome, baseline_file=str(source))
            if not outcome.ok:
                raise AssertionError(
                    "tcfit regression: the assignments moved.\n"
                    + outcome.describe()
                    + f"\nFresh values: {obtained}"
                    + "\nIf the change is intended, regenerate with `pytest --force-regen`."
                )

        perform_regression_check(
            datadir=dr.datadir,
            original_datadir=dr.original_datadir,
            request=self._request,
            check_fn=compare,
            dump_fn=dump,
            extension=".yml",
            basename=basename,
            fullpath=None if fullpath is None else Path(fullpath),
            force_regen=dr.force_regen,
            with_test_class_names=getattr(dr, "with_test_class_names", False),
        )
        fitted: FitResult = result
        return fitted


@pytest.fixture
def tcfit_regression(
    data_regression: DataRegressionFixture, request: pytest.FixtureRequest
) -> TcfitRegressionFixture:
    """Regression-test the i assignments of a dataset against a baseline beside the test file.

    ``tcfit_regression.check(data, *, policy="integer", basename=None, rtol=1e-6)`` fits
    ``data`` with :func:`tcfit.fit` and compares the result with the baseline; the first run
    (and ``--force-regen``) writes it, as pytest-regressions does.
    """
    return TcfitRegressionFixture(data_regression, request)
