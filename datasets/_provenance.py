"""Where a canonical table came from: the typed :class:`Provenance` and its ``df.attrs`` mirror.

:func:`tcfit.read` builds a :class:`Provenance` for every table and mirrors it into ``df.attrs``
(:meth:`Provenance.to_attrs`), the dict pandas users expect, together with the schema mark
``df.attrs["tcfit_schema"]``. :func:`provenance` reads it back from a frame.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ._derive import FORMULA, DerivedRow
from ._schema import SCHEMA_MARK, SCHEMA_VERSION

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Derivation", "DroppedRow", "Provenance", "attach", "provenance"]

#: ``df.attrs`` keys of the reader details (:attr:`Provenance.info`), in their order.
INFO_KEYS: tuple[str, ...] = ("delimiter", "comment_rows", "encoding", "encoding_from", "sheet")
#: Keys a DataFrame's own attrs pass on to the table read from it, replacing the reader's.
_CARRIED = ("title", "source", "units_as_given", "columns_as_given", "citation", "notes")
_CORE = (
    "name",
    "file",
    "sha256",
    "format",
    "units",
    "units_as_given",
    "units_from",
    "columns_as_given",
    "require",
    "dropped",
    "derived",
)
_KNOWN = frozenset((*_CORE, *INFO_KEYS, "title", "source", "warnings", SCHEMA_MARK))


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def _texts(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, Mapping) else {}


@dataclass(frozen=True)
class DroppedRow:
    """A row left out by ``skip_invalid=True``: its row, material and every reason."""

    row: int | None
    material: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """``{"row", "material", "reason"}`` as in ``df.attrs["dropped"]``."""
        return {"row": self.row, "material": self.material, "reason": self.reason}

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> DroppedRow:
        """The inverse of :meth:`to_dict`."""
        return cls(record.get("row"), record.get("material"), str(record.get("reason", "")))


@dataclass(frozen=True)
class Derivation:
    """How a column was computed (``formula``) and for which rows."""

    formula: str
    rows: tuple[DerivedRow, ...]

    def to_dict(self) -> dict[str, Any]:
        """``{"formula", "rows"}`` as in ``df.attrs["derived"][column]``."""
        return {"formula": self.formula, "rows": [r.to_dict() for r in self.rows]}

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Derivation:
        """The inverse of :meth:`to_dict`."""
        rows = tuple(DerivedRow(**r) for r in record.get("rows", ()) if isinstance(r, Mapping))
        return cls(str(record.get("formula", FORMULA)), rows)


@dataclass(frozen=True)
class Provenance:
    """The provenance of a canonical table; ``df.attrs`` is its mirror (:meth:`to_attrs`).

    Attributes
    ----------
    name : str
        The dataset's name: the built-in name, the file stem, or ``df.attrs["name"]``.
    file : str or None
        The path or buffer name read (``None`` for a DataFrame).
    sha256 : str or None
        Digest of the bytes read, or of a DataFrame's values.
    format : str
        ``"csv"``, ``"tsv"``, ``"json"``, ``"xlsx"``, ``"parquet"``, ``"dataframe"`` or
        ``"builtin"``.
    units : mapping of str to str
        The SI unit of every quantity column.
    units_as_given : mapping of str to str
        The unit each quantity column was written in.
    units_from : mapping of str to str
        Where that unit came from: ``"header"``, ``"units="``, ``"value column 'Tc [mK]'"``,
        ``"default (SI)"`` or ``"derived"``.
    columns_as_given : mapping of str to str
        The header each canonical column was read from.
    require : tuple of str
        The quantity columns every row had to have.
    dropped : tuple of DroppedRow
        Rows left out by ``skip_invalid=True``.
    derived : mapping of str to Derivation
        Columns tcfit computed (``"n"`` from the valence).
    info : mapping
        Reader details: ``delimiter``, ``comment_rows``, ``encoding`` (the one used),
        ``encoding_from`` (``"detected"`` or ``"encoding="``), ``sheet``.
    title : str or None
        The title of a built-in dataset (``None``: no ``title`` key).
    source : str
        The source (citation) of the data, ``""`` when unknown.
    extra : mapping
        Further attrs a DataFrame brought along (``citation``, ``notes``, keys of its own).
    warnings : tuple of str or None
        Unit warnings raised while reading (``None``: not checked, no ``warnings`` key, as for
        :func:`tcfit.datasets.load`).
    """

    name: str
    file: str | None = None
    sha256: str | None = None
    format: str = "dataframe"
    units: Mapping[str, str] = field(default_factory=dict)
    units_as_given: Mapping[str, str] = field(default_factory=dict)
    units_from: Mapping[str, str] = field(default_factory=dict)
    columns_as_given: Mapping[str, str] = field(default_factory=dict)
    require: tuple[str, ...] = ()
    dropped: tuple[DroppedRow, ...] = ()
    derived: Mapping[str, Derivation] = field(default_factory=dict)
    info: Mapping[str, Any] = field(default_factory=dict)
    title: str | None = None
    source: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] | None = ()

    def __post_init__(self) -> None:
        for name in ("units", "units_as_given", "units_from", "columns_as_given"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        for name in ("derived", "info", "extra"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "require", tuple(self.require))

    def to_attrs(self) -> dict[str, Any]:
        """The ``df.attrs`` dict of a table read by tcfit (fresh, safe to modify).

        Keys in order: ``name``, ``file``, ``sha256``, ``format``, ``units``, ``units_as_given``,
        ``units_from``, ``columns_as_given``, ``require``, ``dropped``, ``derived``, the reader
        details of :attr:`info`, ``title`` (built-ins), ``source``, the :attr:`extra` keys and
        ``warnings``.
        """
        attrs: dict[str, Any] = {
            "name": self.name,
            "file": self.file,
            "sha256": self.sha256,
            "format": self.format,
            "units": dict(self.units),
            "units_as_given": dict(self.units_as_given),
            "units_from": dict(self.units_from),
            "columns_as_given": dict(self.columns_as_given),
            "require": list(self.require),
            "dropped": [d.to_dict() for d in self.dropped],
            "derived": {k: d.to_dict() for k, d in self.derived.items()},
        }
        attrs.update(copy.deepcopy(dict(self.info)))
        if self.title is not None:
            attrs["title"] = self.title
        attrs["source"] = self.source
        attrs.update(copy.deepcopy(dict(self.extra)))
        if self.warnings is not None:
            attrs["warnings"] = list(self.warnings)
        return attrs

    @classmethod
    def from_attrs(cls, attrs: Mapping[Any, Any]) -> Provenance:
        """The provenance mirrored in ``attrs`` (the inverse of :meth:`to_attrs`).

        Missing keys take the defaults of the fields, so the attrs of any frame (a built-in from
        :func:`tcfit.datasets.load`, a frame of your own) give a provenance.
        """
        attrs = {str(k): v for k, v in attrs.items()}
        dropped = attrs.get("dropped") or ()
        derived = attrs.get("derived") or {}
        return cls(
            name=str(attrs.get("name", "DataFrame")),
            file=None if attrs.get("file") is None else str(attrs["file"]),
            sha256=None if attrs.get("sha256") is None else str(attrs["sha256"]),
            format=str(attrs.get("format", "dataframe")),
            units=_texts(attrs.get("units")),
            units_as_given=_texts(attrs.get("units_as_given")),
            units_from=_texts(attrs.get("units_from")),
            columns_as_given=_texts(attrs.get("columns_as_given")),
            require=tuple(str(r) for r in attrs.get("require") or ()),
            dropped=tuple(DroppedRow.from_dict(d) for d in dropped if isinstance(d, Mapping)),
            derived={
                str(k): Derivation.from_dict(v)
                for k, v in (derived.items() if isinstance(derived, Mapping) else ())
                if isinstance(v, Mapping)
            },
            info={k: copy.deepcopy(attrs[k]) for k in INFO_KEYS if k in attrs},
            title=None if attrs.get("title") is None else str(attrs["title"]),
            source=str(attrs.get("source", "")),
            extra={k: copy.deepcopy(v) for k, v in attrs.items() if k not in _KNOWN},
            warnings=(
                None if "warnings" not in attrs else tuple(str(w) for w in attrs["warnings"])
            ),
        )

    def carrying(self, brought: Mapping[Any, Any]) -> Provenance:
        """This provenance with what a DataFrame's own ``attrs`` pass on.

        The frame's ``title``, ``source``, ``units_as_given``, ``columns_as_given``,
        ``citation`` and ``notes`` replace the reader's; its ``dropped`` rows and ``warnings``
        come first; its ``derived`` columns are kept; other keys of its own are kept as extras.
        Keys the reader sets (``name``, ``file``, ``units``, ...) are the reader's.
        """
        if not brought:
            return self
        own = Provenance.from_attrs(brought)
        given = {str(k): v for k, v in brought.items()}
        extra: dict[str, Any] = dict(self.extra)
        extra.update((k, copy.deepcopy(given[k])) for k in ("citation", "notes") if k in given)
        extra.update(
            (k, copy.deepcopy(v))
            for k, v in given.items()
            if k not in _CARRIED and k not in _CORE and k not in ("warnings", SCHEMA_MARK)
        )
        fields: dict[str, Any] = self._fields()
        for name in ("title", "source", "units_as_given", "columns_as_given"):
            fields[name] = getattr(own if name in given else self, name)
        return Provenance(
            **fields,
            extra=extra,
            dropped=own.dropped + self.dropped,
            derived={**own.derived, **self.derived},
            warnings=(own.warnings or ()) + (self.warnings or ()),
        )

    def _fields(self) -> dict[str, Any]:
        """The fields :meth:`carrying` does not change."""
        keep = ("name", "file", "sha256", "format", "units", "units_from", "require", "info")
        return {k: getattr(self, k) for k in keep}


def attach(frame: pd.DataFrame, prov: Provenance, *, mark: bool = True) -> pd.DataFrame:
    """Set ``frame.attrs`` to ``prov`` (and the schema mark) and return ``frame``."""
    attrs = prov.to_attrs()
    if mark:
        attrs[SCHEMA_MARK] = SCHEMA_VERSION
    frame.attrs.clear()
    frame.attrs.update(attrs)
    return frame


def provenance(df: pd.DataFrame) -> Provenance:
    """The typed provenance of a table read by tcfit.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from :func:`tcfit.read` (or :func:`tcfit.datasets.load`, or any frame: keys its
        ``attrs`` lack take their defaults).

    Returns
    -------
    Provenance
        With ``provenance(df).to_attrs()`` equal to ``df.attrs`` (less the schema mark) for a
        frame from :func:`tcfit.read`.

    Examples
    --------
    >>> import tcfit
    >>> prov = provenance(tcfit.read("table1"))
    >>> prov.name, prov.format, prov.units["bc"], prov.units_as_given["bc"]
    ('table1', 'builtin', 'T', '1e-4 T')
    """
    return Provenance.from_attrs(df.attrs)
