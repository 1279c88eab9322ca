"""tcfit: fit, validate and regression-test the paper's Eq. (5), Tc = C·Bc / (n^{1/6} √i).

Layering (data flows one way; a layer imports only from the layers before it)::

    tcfit.errors, tcfit.model          pure equations and typed errors (numpy, scipy.constants)
    tcfit.datasets                     read tables, convert units once (pint), validate, built-ins
    tcfit.reproduction, fitting        recompute the paper, infer and assign i, global fits, tests
    tcfit.reports                      HTML/PDF from a finished result; never calls a fitter
    tcfit.cli                          thin typer shell over the public API

Physics is SI throughout: Tc in K, Bc in T, n in m⁻³. Heavy modules (pandas, lmfit, matplotlib,
weasyprint) are imported lazily, on first use of the name that needs them, so ``import tcfit``
and ``tcfit --help`` stay fast.
"""

from __future__ import annotations

if __name__ != "tcfit":  # pragma: no cover - guards against `import fit` from the source tree
    raise ImportError(
        f"This folder is the package 'tcfit'; install it and import 'tcfit', not {__name__!r}."
    )

from importlib import import_module as _import_module
from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version
from typing import Any as _Any

from .errors import DataError, FitError, InputError, TcfitError, TcfitWarning, UnitError

try:
    __version__ = _version("tcfit")
except _PackageNotFoundError:  # pragma: no cover - running from a tree that is not installed
    __version__ = "0+unknown"

# Public names resolved on first access, so that `import tcfit` (done by the pytest plugin in
# every test run of an environment with tcfit, and by `tcfit --help`) costs almost nothing:
# even the model pulls in scipy.constants (~0.1 s); the rest pulls in pandas or heavier.
_LAZY: dict[str, str] = {
    "PAPER_PREFACTOR": "tcfit.model",
    "PREFACTOR": "tcfit.model",
    "bc": "tcfit.model",
    "condensation_energy": "tcfit.model",
    "fermi_temperature": "tcfit.model",
    "fermi_velocity": "tcfit.model",
    "gap": "tcfit.model",
    "implied_i": "tcfit.model",
    "jc_max": "tcfit.model",
    "ns_max": "tcfit.model",
    "pair_energy": "tcfit.model",
    "tc": "tcfit.model",
    "CheckResult": "tcfit.regression",
    "FitResult": "tcfit.fitting",
    "GlobalFit": "tcfit.global_fit",
    "QuantizationTest": "tcfit.quantization",
    "compare_sources": "tcfit.sources",
    "fit_global": "tcfit.global_fit",
    "quantization_test": "tcfit.quantization",
    "Policy": "tcfit.policies",
    "fit": "tcfit.fitting",
    "policies": "tcfit.policies",
    "Reproduction": "tcfit.reproduction",
    "check": "tcfit.regression",
    "write_baseline": "tcfit.regression",
    "reproduce_table1": "tcfit.reproduction",
    "datasets": "tcfit.datasets",
    "read": "tcfit.datasets",
}


def __getattr__(name: str) -> _Any:
    if name in _LAZY:
        module = _import_module(_LAZY[name])
        value = module if module.__name__ == f"tcfit.{name}" else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tcfit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "PAPER_PREFACTOR",
    "PREFACTOR",
    "CheckResult",
    "DataError",
    "FitError",
    "FitResult",
    "GlobalFit",
    "InputError",
    "Policy",
    "QuantizationTest",
    "Reproduction",
    "TcfitError",
    "TcfitWarning",
    "UnitError",
    "__version__",
    "bc",
    "check",
    "compare_sources",
    "condensation_energy",
    "datasets",
    "fermi_temperature",
    "fermi_velocity",
    "fit",
    "fit_global",
    "gap",
    "implied_i",
    "jc_max",
    "ns_max",
    "pair_energy",
    "policies",
    "quantization_test",
    "read",
    "reproduce_table1",
    "tc",
    "write_baseline",
]
