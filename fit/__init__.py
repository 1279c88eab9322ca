"""tcfit: fit, validate and regression-test the paper's Eq. (5), Tc = C·Bc / (n^{1/6} √i).

Layering (data flows one way; a module imports only from its own layer and the ones before it,
enforced by ``tests/test_architecture.py``; ``docs/architecture.md`` says where a change goes)::

    tcfit.errors, _validate, _json, _io   typed errors, argument checks, JSON, atomic writes
    tcfit.model, bcs, formatting          pure equations (numpy, SI) and the one number formatter
    tcfit.datasets                        read tables, convert units once (pint), validate
    tcfit.policies, models, options       allowed i, fit-able models (Eq. 5 ...), FitOptions
    tcfit.fitting, global_fit, profiles,  infer and assign i, global fits and profiles, tests,
      quantization, valence, sources,     baselines and regression checks, and analysis.analyse,
      baseline, regression, analysis,     which computes everything a report shows; Bc(T) series
      series, prediction, plot            fits and Eq. (5) solved for its one unknown; the
                                          report's figures drawn from Python (matplotlib)
    tcfit.reports                         HTML/PDF from a finished Analysis; never calls a fitter
    tcfit.cli                             thin typer shell over the public API

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

from .errors import DataError as DataError
from .errors import FitError as FitError
from .errors import InputError as InputError
from .errors import TcfitError as TcfitError
from .errors import TcfitWarning as TcfitWarning
from .errors import UnitError as UnitError

try:
    __version__ = _version("tcfit")
except _PackageNotFoundError:  # pragma: no cover - running from a tree that is not installed
    __version__ = "0+unknown"

# Public names resolved on first access, so that `import tcfit` (done by the pytest plugin in
# every test run of an environment with tcfit, and by `tcfit --help`) costs almost nothing:
# even the model pulls in scipy.constants (~0.1 s); the rest pulls in pandas or heavier.
# The one export map: `__all__` and `__getattr__` both derive from it (a module maps to itself).
_EXPORTS: dict[str, str] = {
    "PAPER_PREFACTOR": "tcfit.model",
    "PREFACTOR": "tcfit.model",
    "bc": "tcfit.model",
    "condensation_energy": "tcfit.model",
    "electron_density": "tcfit.model",
    "fermi_temperature": "tcfit.model",
    "fermi_velocity": "tcfit.model",
    "gap": "tcfit.model",
    "implied_i": "tcfit.model",
    "jc_max": "tcfit.model",
    "ns_max": "tcfit.model",
    "pair_energy": "tcfit.model",
    "tc": "tcfit.model",
    "FitOptions": "tcfit.options",
    "FitResult": "tcfit.fitting",
    "FitSummary": "tcfit.summary",
    "fit": "tcfit.fitting",
    "with_units": "tcfit.fitting",
    "StreamResult": "tcfit.streaming",
    "fit_stream": "tcfit.streaming",
    "Policy": "tcfit.policies",
    "policies": "tcfit.policies",
    "models": "tcfit.models",
    "GlobalFit": "tcfit.global_fit",
    "fit_global": "tcfit.global_fit",
    "QuantizationTest": "tcfit.quantization",
    "quantization_test": "tcfit.quantization",
    "Profile": "tcfit.profiles",
    "profile": "tcfit.profiles",
    "LatticeTest": "tcfit.lattice",
    "lattice_test": "tcfit.lattice",
    "compare_sources": "tcfit.sources",
    "ValenceSensitivity": "tcfit.valence",
    "valence_sensitivity": "tcfit.valence",
    "Baseline": "tcfit.baseline",
    "CheckResult": "tcfit.regression",
    "check": "tcfit.regression",
    "write_baseline": "tcfit.regression",
    "Reproduction": "tcfit.reproduction",
    "reproduce_table1": "tcfit.reproduction",
    "fit_series": "tcfit.series",
    "Prediction": "tcfit.prediction",
    "predict": "tcfit.prediction",
    "datasets": "tcfit.datasets",
    "read": "tcfit.datasets",
    "plot": "tcfit.plot",
}
_EAGER = {
    "DataError": DataError,
    "FitError": FitError,
    "InputError": InputError,
    "TcfitError": TcfitError,
    "TcfitWarning": TcfitWarning,
    "UnitError": UnitError,
}


def __getattr__(name: str) -> _Any:
    if name in _EXPORTS:
        module = _import_module(_EXPORTS[name])
        value = module if module.__name__ == f"tcfit.{name}" else getattr(module, name)
        if isinstance(value, type):
            value.__module__ = "tcfit"  # public classes report where users import them from
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tcfit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


def _sort_key(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: SCREAMING_CASE, then CamelCase, then the rest.
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


for _cls in _EAGER.values():
    _cls.__module__ = "tcfit"

__all__ = sorted({*_EXPORTS, *_EAGER, "__version__"}, key=_sort_key)
