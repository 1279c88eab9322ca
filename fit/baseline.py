"""Baselines: the i assignments of a fit pinned in a small, human-diffable YAML file.

A baseline records, for every material of a dataset, what a fit gave — the implied i and its 1σ,
the assigned i, the relative residual ``(tc_model − tc)/tc`` and its 1σ — together with every
option of the fit (the ``fit:`` section is :meth:`tcfit.FitOptions.to_dict`, so a check restores
all of them), the data's name and checksum, and the tcfit version. Materials are listed sorted
by name, floats are written with ``repr`` so that reading gives the identical numbers, and the
same fit always writes the same bytes.

:class:`Baseline` is the typed value (``from_result``, ``read``, ``write``, ``dumps``); the
functions :func:`baseline_from_result`, :func:`read_baseline` and :func:`dump_baseline` give and
take the plain-dictionary form. :mod:`tcfit.regression` compares baselines.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

import yaml

from ._io import write_atomic
from .errors import DataError, InputError, Problem
from .options import FitOptions

if TYPE_CHECKING:
    import pandas as pd

    from .fitting import FitResult

__all__ = [
    "ADDED_FIELDS",
    "BASELINE_FORMAT",
    "FIELDS",
    "Baseline",
    "baseline_from_result",
    "dump_baseline",
    "read_baseline",
]

#: Version of the baseline file layout (the ``tcfit_baseline`` key).
BASELINE_FORMAT = 1

#: Per-material fields of a baseline, in the order they are written and compared.
FIELDS: tuple[str, ...] = (
    "i_assigned",
    "i_implied",
    "i_implied_err",
    "residual",
    "residual_err",
    "p_stable",
    "posterior_assigned",
)
_REQUIRED_FIELDS = ("i_assigned", "i_implied", "residual")
#: Fields added after the first baseline format: a baseline without them still loads, and a
#: check against it names them as new rather than failing.
ADDED_FIELDS: dict[str, str] = {"p_stable": "0.2", "posterior_assigned": "0.2"}

_HEADER = """\
# tcfit baseline: the i assignments of Eq. (5) (Jiang) pinned for regression testing.
# Check:      tcfit check DATA --baseline THIS_FILE
# Regenerate: tcfit check DATA --baseline THIS_FILE --update  (or pytest --force-regen)
# Per material: i_assigned (compared exactly), i_implied and i_implied_err (1 sigma),
# residual = (tc_model - tc) / tc and residual_err (1 sigma), p_stable (probability that a
# re-measurement keeps the assigned i) and posterior_assigned (posterior probability of the
# assigned i under the lattice model; .nan outside the grid); floats are written with repr().
"""


@dataclass(frozen=True, eq=False)
class Baseline:
    """A baseline as a typed value.

    Attributes
    ----------
    options : FitOptions
        Every option of the fit that made it (restored from the ``fit:`` section).
    materials : pandas.DataFrame
        Index: material name (sorted); columns :data:`FIELDS` (float; missing uncertainties
        NaN).
    data : dict of str to str
        ``name`` and ``sha256`` of the data (provenance, not compared).
    raw : dict
        The plain-dictionary form (what :meth:`dumps` writes), JSON/YAML-ready.
    file : str or None
        Where it was read from.
    fields : tuple of str
        The per-material fields the file records (a file from an older tcfit lacks the
        :data:`ADDED_FIELDS`).
    """

    options: FitOptions
    materials: pd.DataFrame
    data: dict[str, str]
    raw: dict[str, Any]
    file: str | None = None
    fields: tuple[str, ...] = FIELDS

    @classmethod
    def from_result(cls, result: FitResult) -> Baseline:
        """The baseline of a finished fit."""
        return cls.from_dict(baseline_from_result(result))

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], *, file: str | None = None) -> Baseline:
        """Validate the plain form (see :func:`read_baseline` for what is checked).

        Raises
        ------
        DataError
            Listing every problem, with ``file`` when given.
        """
        fields = recorded_fields(raw) if isinstance(raw, Mapping) else FIELDS
        clean = _validated(raw, file)
        try:
            options = FitOptions.from_dict(clean["fit"])
        except InputError as err:
            raise DataError([Problem(f"'fit' holds an invalid option: {err}", file=file)]) from err
        data = clean.get("data") or {}
        return cls(
            options=options,
            materials=materials_frame(clean),
            data={k: str(v) for k, v in data.items()} if isinstance(data, dict) else {},
            raw=clean,
            file=file,
            fields=fields,
        )

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Baseline:
        """Read and validate a baseline file (see :func:`read_baseline`)."""
        file = os.fspath(path)
        return cls.from_dict(_load(file), file=file)

    def dumps(self) -> str:
        """The text of the file: a comment header, then block-style YAML (byte-stable)."""
        return dump_baseline(self.raw)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the file atomically (parent folders are created)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        return write_atomic(target, self.dumps())

    def to_dict(self) -> dict[str, Any]:
        """The plain-dictionary form (a copy)."""
        import copy

        return copy.deepcopy(self.raw)


def materials_frame(baseline: Mapping[str, Any]) -> pd.DataFrame:
    """The ``materials`` of a baseline as a frame: index material (sorted), columns FIELDS."""
    import pandas as pd

    materials = baseline.get("materials") or {}
    frame = pd.DataFrame.from_dict(
        {str(k): {f: v.get(f, math.nan) for f in FIELDS} for k, v in materials.items()},
        orient="index",
        columns=list(FIELDS),
        dtype=float,
    )
    frame.index = frame.index.astype(object)
    return frame.sort_index()


def _plain(value: Any) -> Any:
    """numpy scalars → Python scalars."""
    import numpy as np

    return value.item() if isinstance(value, np.generic) else value


def _i_value(value: Any) -> int | float:
    value = float(_plain(value))
    return int(value) if value.is_integer() else value


def baseline_from_result(result: FitResult) -> dict[str, Any]:
    """The baseline of a finished fit, as a plain dictionary (what :func:`dump_baseline` writes).

    Parameters
    ----------
    result : FitResult
        A result of :func:`tcfit.fit`.

    Returns
    -------
    dict
        ``tcfit_baseline`` (format version), ``tcfit_version``, ``data`` (``name``,
        ``sha256``), ``fit`` (every option, :meth:`tcfit.FitOptions.to_dict`, plus
        ``uncertainties``) and ``materials``: a mapping from material name (sorted) to
        ``i_assigned``, ``i_implied``, ``i_implied_err``, ``residual``, ``residual_err``,
        ``p_stable`` and ``posterior_assigned`` (NaN outside the grid)
        (dimensionless; 1σ uncertainties).

    Notes
    -----
    The residual's uncertainty is propagated from the implied i's: with i fixed at its assigned
    value, ``ln(tc_model / tc)`` is ``a_i (ln i_assigned − ln i_implied)``, so
    ``residual_err = |1 + residual| · |a_i| · i_implied_err / i_implied`` (first order; Eq. 5:
    a_i = −½).
    """
    import numpy as np

    from tcfit import __version__

    table = result.table
    attrs = getattr(result.data, "attrs", {}) or {}
    a_i = abs(result.model.log_coefficients[result.model.parameter])
    i_implied = table["i_implied"].to_numpy(dtype=float)
    i_err = table["i_implied_err"].to_numpy(dtype=float)
    residual = table["residual"].to_numpy(dtype=float)
    residual_err = np.abs(1.0 + residual) * (i_err / i_implied) * a_i
    p_stable = table["p_stable"].to_numpy(dtype=float)
    posterior = table["posterior_assigned"].to_numpy(dtype=float)
    names = table["material"].astype(str).to_numpy()
    assigned = table["i_assigned"].to_numpy(dtype=float)
    materials: dict[str, dict[str, Any]] = {}
    for k in np.argsort(names, kind="stable"):
        materials[str(names[k])] = {
            "i_assigned": _i_value(assigned[k]),
            "i_implied": float(i_implied[k]),
            "i_implied_err": float(i_err[k]),
            "residual": float(residual[k]),
            "residual_err": float(residual_err[k]),
            "p_stable": float(p_stable[k]),
            "posterior_assigned": float(posterior[k]),
        }
    fit_section = result.options.to_dict()
    fit_section["uncertainties"] = result.summary.uncertainties
    return {
        "tcfit_baseline": BASELINE_FORMAT,
        "tcfit_version": __version__,
        "data": {"name": str(attrs.get("name", "")), "sha256": str(attrs.get("sha256", ""))},
        "fit": fit_section,
        "materials": materials,
    }


# -- YAML ------------------------------------------------------------------------------------

_SafeDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _BaselineDumper(_SafeDumper):  # type: ignore[misc]
    """Safe YAML without aliases; lists of numbers on one line (libyaml's emitter if present)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_list(dumper: Any, data: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)  # type: ignore[no-any-return]


_BaselineDumper.add_representer(list, _represent_list)


def dump_baseline(baseline: Mapping[str, Any]) -> str:
    """The text of a baseline file: a comment header, then block-style YAML.

    Floats are written with ``repr`` (PyYAML's float representer), so reading the file back gives
    the identical numbers. Same dictionary → same text, byte for byte.

    Parameters
    ----------
    baseline : mapping
        As returned by :func:`baseline_from_result`.

    Returns
    -------
    str
    """
    body: str = yaml.dump(
        dict(baseline),
        Dumper=_BaselineDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1000,
    )
    return _HEADER + body


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc]
    """A safe loader that refuses duplicated keys (PyYAML would silently keep the last)."""


def _construct_unique_mapping(loader: Any, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the key {key!r} appears twice (lines {seen[key] + 1} and "
                f"{key_node.start_mark.line + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    loader.flatten_mapping(node)
    return dict(loader.construct_pairs(node))


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _load(file: str) -> Any:
    try:
        text = Path(file).read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise DataError(
            "The baseline file does not exist; create it with "
            "`tcfit check DATA --baseline FILE --update` or tcfit.write_baseline().",
            file=file,
        ) from err
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"The baseline file cannot be read: {err}.", file=file) from err
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.YAMLError as err:
        raise DataError([Problem(f"This is not valid YAML: {err}", file=file)], file=file) from err


def read_baseline(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and validate a baseline file written by :func:`tcfit.write_baseline`.

    Parameters
    ----------
    path : str or path-like
        The YAML file.

    Returns
    -------
    dict
        The baseline (see :func:`baseline_from_result`); material names are strings, missing
        optional uncertainties are NaN.

    Raises
    ------
    DataError
        If the file does not exist, is not YAML, is not a tcfit baseline, a material lacks a
        required number, or an option is invalid; every problem is listed with the file and the
        material.
    """
    return Baseline.read(path).to_dict()


def _validated(raw: Any, file: str | None) -> dict[str, Any]:
    """The baseline with its materials cleaned (NaN for missing optional fields), or DataError."""
    if not isinstance(raw, Mapping) or "tcfit_baseline" not in raw:
        raise DataError(
            [
                Problem(
                    "This is not a tcfit baseline (no 'tcfit_baseline' key); write one with "
                    "`tcfit check DATA --baseline FILE --update`.",
                    file=file,
                )
            ],
            file=file,
        )
    if raw["tcfit_baseline"] != BASELINE_FORMAT:
        raise DataError(
            f"{file}: baseline format {raw['tcfit_baseline']!r} is not supported by this tcfit "
            f"(it reads format {BASELINE_FORMAT}).",
            file=file,
        )
    problems: list[Problem] = []
    materials = raw.get("materials")
    if not isinstance(materials, Mapping) or not materials:
        problems.append(Problem("'materials' must be a non-empty mapping.", file=file))
        materials = {}
    fit_section = raw.get("fit")
    if not isinstance(fit_section, Mapping):
        problems.append(Problem("'fit' must be a mapping (policy, prefactor, ...).", file=file))
        fit_section = {}
    elif not _number(fit_section.get("prefactor")):
        problems.append(Problem("'fit.prefactor' must be a number.", file=file))
    clean = {str(name): _material(name, entry, file, problems) for name, entry in materials.items()}
    if problems:
        raise DataError(problems, file=file)
    baseline = dict(raw)
    baseline["fit"] = dict(fit_section)
    baseline["materials"] = clean
    return baseline


def recorded_fields(baseline: Mapping[str, Any]) -> tuple[str, ...]:
    """The per-material fields a baseline's file actually records (older files lack some)."""
    materials = baseline.get("materials") or {}
    entries = [e for e in materials.values() if isinstance(e, Mapping)]
    return tuple(f for f in FIELDS if any(f in e and e[f] is not None for e in entries))


def _material(name: Any, entry: Any, file: str | None, problems: list[Problem]) -> dict[str, Any]:
    where = f"material {str(name)!r}"
    if not isinstance(entry, Mapping):
        problems.append(Problem(f"{where}: expected a mapping of fields.", file=file))
        return {}
    row: dict[str, float | int] = {}
    for key in FIELDS:
        value = entry.get(key)
        if value is None and key in ADDED_FIELDS and key not in entry:
            continue  # a baseline from before the field existed: nothing to fill in
        if value is None and key not in _REQUIRED_FIELDS:
            row[key] = math.nan
        elif not _number(value):
            problems.append(
                Problem(f"{where}: {key!r} must be a number, not {value!r}.", file=file)
            )
        else:
            row[key] = value
    return row
