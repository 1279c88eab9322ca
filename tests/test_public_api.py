"""The public API: `__all__` complete and sorted, docstrings that name units and equations."""

from __future__ import annotations

import doctest
import importlib
import inspect
import subprocess
import sys
import types

import pytest

import tcfit
from tcfit import model


def _isort_key(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: SCREAMING_CASE, then CamelCase, then the rest.
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name


def test_all_is_sorted_and_unique():
    assert list(tcfit.__all__) == sorted(set(tcfit.__all__), key=_isort_key)


def test_every_public_name_resolves():
    for name in tcfit.__all__:
        assert getattr(tcfit, name) is not None, name


def test_public_module_level_names_are_listed():
    """Every public, non-module name in the namespace is in `__all__`.

    Submodules appear as attributes once imported (the pytest plugin imports some in every run);
    pytest's assertion rewriting of the plugin's distribution adds names like ``@py_builtins``.
    """
    public = {
        name
        for name, value in vars(tcfit).items()
        if name.isidentifier()
        and not name.startswith("_")
        and name != "annotations"
        and not isinstance(value, types.ModuleType)
    }
    assert public <= set(tcfit.__all__)


def test_import_tcfit_is_light():
    """`import tcfit` (done by the pytest plugin in every run) must not load scipy or pandas."""
    code = (
        "import sys, tcfit; "
        "print(','.join(m for m in ('scipy', 'pandas', 'numpy', 'pint') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    assert tcfit.tc(0.0099, 1.812e29, 3) > 0  # and the lazy names still resolve


@pytest.mark.parametrize("name", model.__all__)
def test_model_docstrings_state_units_and_the_paper_equation(name):
    obj = getattr(model, name)
    if not callable(obj):
        return
    doc = inspect.getdoc(obj)
    for section in ("Parameters", "Returns", "Raises", "References", "Examples"):
        assert section in doc, f"{name}: missing {section}"
    assert "Jiang" in doc
    assert any(
        unit in doc for unit in ("kelvin", "tesla", "m⁻³", "joule", "J m⁻³", "A m⁻²", "m s⁻¹")
    )


@pytest.mark.parametrize(
    "module",
    ["tcfit.model", "tcfit.reproduction", "tcfit.datasets._registry", "tcfit.errors"],
)
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_errors_inherit_builtins():
    assert issubclass(tcfit.DataError, ValueError)
    assert issubclass(tcfit.UnitError, tcfit.DataError)
    assert issubclass(tcfit.FitError, RuntimeError)
    assert issubclass(tcfit.InputError, ValueError)
    for cls in (tcfit.DataError, tcfit.FitError, tcfit.InputError):
        assert issubclass(cls, tcfit.TcfitError)
