"""Fit options as one frozen object (scikit-learn's "configuration is one object" habit).

:class:`FitOptions` is everything that decides the numbers of a fit besides the data: the model,
the policy of allowed i values, the random seed, the default uncertainties, the
prefactor, and how the data are read (units, sheet, skip_invalid). :func:`tcfit.fit`,
:func:`tcfit.check`, :func:`tcfit.write_baseline`, :func:`tcfit.compare_sources`, the report, the
pytest plugin and every CLI command take it whole and pass it on whole, so no option is dropped on
the way; a baseline's ``fit:`` section is :meth:`FitOptions.to_dict`, and
:meth:`FitOptions.from_dict` restores all of it.

Validation happens once, when the object is made, with the helpers of :mod:`tcfit._validate`.

**Default uncertainties.** Most published tables give no error bars. Where a row has no measured
``tc_err``/``bc_err``/``n_err``, tcfit uses :data:`DEFAULT_REL_ERR` (relative, 1σ) and says so.
The defaults were fixed before looking at any fit result, from the spread between independent
sources for the same element in ``elements_reference.md``:

- ``tc`` 2 %: tabulated Tc of one element typically differ by 1–3 % between sources (e.g. Cd
  0.517 / 0.52 K), more for low-Tc or phase-dependent cases.
- ``bc`` 5 %: Bc(0) differs by several per cent between sources (Al 99 / 103 / 105 G, Nb 1950 /
  1980 / 2060 G) and depends on extrapolation to T = 0.
- ``n`` 5 %: free-electron densities from r_s given to two decimals carry about ±2 %, and tables
  disagree by up to a few per cent (Cd 0.9624e29 in Table-1, 0.928e29 from r_s). The choice of
  valence, a modelling decision, is *not* covered.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from ._validate import check_count, check_mapping, check_positive
from .errors import InputError
from .model import PREFACTOR

if TYPE_CHECKING:
    from .models import Model
    from .policies import Policy

__all__ = ["DEFAULT_REL_ERR", "OPTION_NAMES", "FitOptions", "FitOverrides", "FrozenDict"]


class FrozenDict(dict[str, Any]):
    """A dict that refuses changes (so a frozen options object stays frozen) and pickles."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("This mapping is read-only; use FitOptions.replace(...) instead.")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


#: Largest ``i_max`` (the integer, half and rational grids grow with it; checked up front).
MAX_I = 10_000

#: Relative 1σ uncertainties used where a row has no measured uncertainty (module docstring).
DEFAULT_REL_ERR: Mapping[str, float] = FrozenDict({"tc": 0.02, "bc": 0.05, "n": 0.05})


class FitOverrides(TypedDict, total=False):
    """Keyword overrides of :class:`FitOptions` accepted by ``fit(data, options, **overrides)``."""

    model: str | Model
    policy: str | Policy | Sequence[float]
    i_max: int
    seed: int
    rel_err: Mapping[str, float] | None
    prefactor: float
    skip_invalid: bool
    units: Mapping[str, str] | None
    sheet: str | int | None
    encoding: str | None


@dataclass(frozen=True, kw_only=True)
class FitOptions:
    """Everything besides the data that decides the numbers of a fit.

    Parameters
    ----------
    model : str or Model, default="eq5"
        A registered model name (:data:`tcfit.models.MODELS`) or a model object.
    policy : {"integer", "paper", "half", "rational"}, Policy, sequence of float or str, \
default="integer"
        Allowed values of i: a policy name, a :class:`~tcfit.Policy`, a list of values, or the
        text of one (``"1,2,3,1/2"``, as the CLI takes it).
    i_max : int, default=20
        Largest value of the ``integer``, ``half`` and ``rational`` policies.
    seed : int, default=0
        Seed of :func:`numpy.random.default_rng`.
    rel_err : mapping of str to float, optional
        Relative 1σ for rows without measured uncertainties; missing keys keep
        :data:`DEFAULT_REL_ERR`. Stored merged with the defaults.
    prefactor : float, default=PREFACTOR
        :math:`C` of Eq. (5) in K m^{1/2} T⁻¹ (CODATA ≈ 1.5617e7).
    skip_invalid : bool, default=False
        Drop rows lacking a required value instead of raising (each drop is recorded).
    units : mapping of str to str, optional
        Units of columns whose header gives none, e.g. ``{"bc": "G"}``.
    sheet : str or int, optional
        The worksheet of an ``.xlsx`` file.
    encoding : str, optional
        The text encoding of a CSV/TSV/JSON file, decoded strictly (default: UTF-8 or a
        byte-order mark, Windows-1252 only where every non-ASCII byte stands alone).

    Raises
    ------
    InputError
        For any invalid value, naming the parameter.

    Examples
    --------
    >>> opts = FitOptions(policy="paper", rel_err={"bc": 0.1})
    >>> opts.rel_err["bc"], opts.rel_err["tc"]
    (0.1, 0.02)
    >>> FitOptions.from_dict(opts.to_dict()) == opts
    True
    """

    model: str | Model = "eq5"
    policy: str | Policy | tuple[float, ...] = "integer"
    i_max: int = 20
    seed: int = 0
    rel_err: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_REL_ERR))
    prefactor: float = PREFACTOR
    skip_invalid: bool = False
    units: Mapping[str, str] | None = None
    sheet: str | int | None = None
    encoding: str | None = None

    def __post_init__(self) -> None:
        from .models import get_model
        from .policies import get_policy, parse_policy

        set_ = object.__setattr__
        model = get_model(self.model)
        set_(self, "model", model.name if self.model == model.name else model)
        policy: Any = self.policy
        if isinstance(policy, str):
            policy = parse_policy(policy)
        if not isinstance(policy, str) and not _is_policy(policy):
            policy = tuple(get_policy(policy).values.tolist())
        set_(self, "i_max", check_count("i_max", self.i_max, 1, maximum=MAX_I))
        get_policy(policy, i_max=self.i_max)  # validates names and lists
        set_(self, "policy", policy)
        set_(self, "seed", check_count("seed", self.seed, 0))
        set_(self, "rel_err", _check_rel_err(self.rel_err, model.requires))
        set_(self, "prefactor", check_positive("prefactor", self.prefactor))
        if not isinstance(self.skip_invalid, bool):
            raise InputError(
                f"The `skip_invalid` parameter must be True or False; not {self.skip_invalid!r}.",
                argument="skip_invalid",
            )
        set_(self, "units", _check_units(self.units))
        if self.encoding is not None:
            set_(self, "encoding", _check_encoding(self.encoding))
        if self.sheet is not None and not isinstance(self.sheet, str | int):
            raise InputError(
                f"The `sheet` parameter must be a sheet name or position; not {self.sheet!r}.",
                argument="sheet",
            )

    def __hash__(self) -> int:
        return hash(repr(sorted(self.to_dict().items())))

    # -- derived objects ------------------------------------------------------------------

    def get_model(self) -> Model:
        """The :class:`~tcfit.models.Model` named by :attr:`model`."""
        from .models import get_model

        return get_model(self.model)

    def get_policy(self) -> Policy:
        """The :class:`~tcfit.Policy` of :attr:`policy` and :attr:`i_max`."""
        from .policies import get_policy

        return get_policy(self.policy, i_max=self.i_max)

    def read_options(self) -> dict[str, Any]:
        """Keyword arguments for :func:`tcfit.datasets.read` (units, sheet, skip_invalid)."""
        out = {"units": self.units, "sheet": self.sheet, "skip_invalid": self.skip_invalid}
        if self.encoding is not None:
            out["encoding"] = self.encoding
        return out

    # -- copies and serialisation ---------------------------------------------------------

    def replace(self, **overrides: Any) -> FitOptions:
        """A copy with some options changed (validated like a new object).

        Raises
        ------
        InputError
            For an unknown option name or an invalid value.
        """
        unknown = sorted(set(overrides) - set(OPTION_NAMES))
        if unknown:
            raise InputError(
                f"Unknown fit option {unknown[0]!r}; the options are {', '.join(OPTION_NAMES)}.",
                argument=unknown[0],
            )
        if not overrides:
            return self
        return dataclasses.replace(self, **overrides)

    @classmethod
    def coerce(cls, options: FitOptions | None, overrides: Mapping[str, Any]) -> FitOptions:
        """``options`` (or the defaults) with ``overrides`` applied; the one way in."""
        if options is None:
            options = cls()
        elif not isinstance(options, FitOptions):
            raise InputError(
                f"The `options` parameter must be a tcfit.FitOptions; not {options!r}.",
                argument="options",
            )
        return options.replace(**{k: v for k, v in overrides.items() if v is not None})

    def to_dict(self) -> dict[str, Any]:
        """JSON/YAML-ready: the baseline's ``fit:`` section (without result fields).

        Returns
        -------
        dict
            ``model``, ``policy`` (a name, or ``"explicit"``), ``policy_values``, ``i_max``,
            ``seed``, ``rel_err``, ``prefactor``, ``skip_invalid``, ``units``,
            ``sheet``, ``encoding``.
        """
        policy = self.get_policy()
        return {
            "model": self.get_model().name,
            "policy": policy.name,
            "policy_values": [_plain_i(v) for v in policy.values.tolist()],
            "i_max": self.i_max,
            "seed": self.seed,
            "rel_err": {k: float(v) for k, v in self.rel_err.items()},
            "prefactor": float(self.prefactor),
            "skip_invalid": self.skip_invalid,
            "units": None if self.units is None else dict(self.units),
            "sheet": self.sheet,
            "encoding": self.encoding,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FitOptions:
        """Restore options written by :meth:`to_dict` (or by an older tcfit: missing keys take
        their defaults, keys tcfit no longer has — ``draws`` of the retired Monte Carlo
        ``p_assigned`` — are ignored, and a named policy whose recorded values differ from what the
        name gives today is restored from the values).

        Raises
        ------
        InputError
            For an invalid value (e.g. a NaN prefactor or strings as policy values).
        """
        kwargs: dict[str, Any] = {k: data[k] for k in OPTION_NAMES if data.get(k) is not None}
        kwargs.pop("policy", None)
        values = data.get("policy_values")
        name = data.get("policy")
        if not isinstance(values, list | tuple) or not values:
            if name is not None:
                kwargs["policy"] = name
            return cls(**kwargs)
        try:
            recorded = tuple(float(v) for v in values)
        except (TypeError, ValueError) as err:
            raise InputError(
                f"The recorded policy values must be numbers; not {values!r}.", argument="policy"
            ) from err
        if "i_max" not in kwargs and name in ("integer", "half", "rational"):
            kwargs["i_max"] = max(1, math.floor(max(recorded)))
        kwargs["policy"] = recorded
        if isinstance(name, str):
            from .policies import POLICY_NAMES, get_policy

            if name in POLICY_NAMES:
                named = get_policy(name, i_max=kwargs.get("i_max", 20))
                if tuple(named.values.tolist()) == recorded:
                    kwargs["policy"] = name
        return cls(**kwargs)


#: The option names, in the order of the signature.
OPTION_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(FitOptions))


def _is_policy(value: Any) -> bool:
    from .policies import Policy

    return isinstance(value, Policy)


def _plain_i(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _check_rel_err(rel_err: Any, quantities: Sequence[str]) -> Mapping[str, float]:
    merged = {q: v for q, v in DEFAULT_REL_ERR.items() if q in quantities}
    if rel_err is not None:
        given = check_mapping(
            "rel_err", rel_err, keys=tuple(quantities), example="{'tc': 0.02, 'bc': 0.05}"
        )
        for key, value in given.items():
            try:
                number = float(value)
            except (TypeError, ValueError) as err:
                raise InputError(
                    f"The `rel_err` value for {key!r} must be a number; not {value!r}.",
                    argument="rel_err",
                ) from err
            if not (math.isfinite(number) and number > 0):
                raise InputError(
                    f"The `rel_err` value for {key!r} must be a finite relative uncertainty "
                    f"greater than zero (e.g. 0.05 for 5 %); not {value!r}.",
                    argument="rel_err",
                )
            merged[key] = number
    missing = [q for q in quantities if q not in merged]
    if missing:
        raise InputError(
            f"The `rel_err` parameter must give a default relative uncertainty for {missing!r} "
            "(the model reads these quantities and tcfit has no default for them).",
            argument="rel_err",
        )
    return FrozenDict({q: merged[q] for q in quantities})


def _check_encoding(encoding: Any) -> str:
    import codecs

    try:
        return codecs.lookup(str(encoding)).name if isinstance(encoding, str) else _bad(encoding)
    except LookupError:
        return _bad(encoding)


def _bad(encoding: Any) -> str:
    raise InputError(
        f"The `encoding` parameter must name a text encoding such as 'utf-8' or 'cp1252'; "
        f"not {encoding!r}.",
        argument="encoding",
    )


def _check_units(units: Any) -> Mapping[str, str] | None:
    if units is None:
        return None
    if not isinstance(units, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in units.items()
    ):
        raise InputError(
            f"The `units` parameter must map column names to unit strings, like {{'bc': 'G'}}; "
            f"not {units!r}.",
            argument="units",
        )
    return FrozenDict(units)
