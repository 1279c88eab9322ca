"""Bc(0) and Tc from measured Bc(T) series, one lmfit fit per material (see :mod:`tcfit.series`).

:func:`fit_series` is public as :func:`tcfit.fit_series`, whose module documents the laws, the
weighting, the problems named and the provenance; :func:`reduce_series` is the same for the
reader (:mod:`._longform`), with the rows, file and headers as the user sees them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from tcfit._validate import check_option
from tcfit.errors import DataError, InputError, Problem

from ._schema import CANONICAL_ORDER

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SERIES_LAWS",
    "SERIES_MIN_POINTS",
    "SERIES_NON_MONOTONIC_P",
    "SERIES_POOR_FIT_P",
    "fit_series",
    "reduce_series",
]

Law = Literal["two_fluid", "power"]

#: The laws :func:`fit_series` fits, with their formulas.
SERIES_LAWS: dict[str, str] = {
    "two_fluid": "Bc(T) = Bc(0)·[1 − (T/Tc)²]",
    "power": "Bc(T) = Bc(0)·[1 − (T/Tc)^p]",
}
#: Fewest points per material: one more than the free parameters.
SERIES_MIN_POINTS: dict[str, int] = {"two_fluid": 3, "power": 4}
#: Chance that noise alone makes a falling series look non-monotonic (Bonferroni over pairs).
SERIES_NON_MONOTONIC_P: float = 1e-3
#: With absolute errors, a fit whose χ² has a tail probability below this is refused.
SERIES_POOR_FIT_P: float = 1e-3

#: Columns of the long table that fit_series computes and therefore refuses as input.
_DERIVED = ("tc", "tc_err", "tc_bc_corr")
_Found = list[tuple[str, Problem]]  # (material, problem)


def _problem(material: str, message: str, row: Any = None, column: str | None = None) -> _Found:
    return [(material, Problem(message, row=None if row is None else int(row), column=column))]


def fit_series(
    data: pd.DataFrame, *, law: Law = "two_fluid", skip_invalid: bool = False
) -> pd.DataFrame:
    r"""Fit Bc(T) series, one per material, for Bc(0) and Tc with their covariance.

    Parameters
    ----------
    data : pandas.DataFrame
        A long table in SI, one row per point: ``material``; ``t`` (K); ``bc`` (T);
        optionally ``bc_err`` (absolute 1σ, T). Other canonical columns (``n``, ``n_err``,
        ``valence``, ``density``, ``molar_mass``, ``gamma``, ``i``, ``source``, ``note`` ...)
        must be constant within a material and are carried over. :func:`tcfit.read` calls
        this for every long-format file (a ``T`` column), so files need no such step.
    law : {"two_fluid", "power"}, default="two_fluid"
        :math:`B_c(0)[1-(T/T_c)^2]`, or :math:`B_c(0)[1-(T/T_c)^p]` with p free.
    skip_invalid : bool, default=False
        Leave out materials with problems (listed in ``df.attrs["dropped"]``); don't raise.

    Returns
    -------
    pandas.DataFrame
        One row per material, in order of first appearance: ``material``, ``tc`` (K), ``bc``
        (Bc(0), T), ``tc_err``, ``bc_err`` (1σ), ``tc_bc_corr`` (correlation of the two),
        the carried columns, then ``series_law``, ``series_points``, ``series_weighting``
        ("absolute" or "scaled"), ``series_reduced_chi_square`` and ``series_p_value`` (NaN
        when scaled), ``series_exponent`` and ``series_exponent_err`` (p; 2 and 0 for the
        two-fluid law). ``df.attrs["series"]`` holds the provenance (module docstring).

    Raises
    ------
    DataError
        Every problem (module docstring) by material and row; a missing column; no material left.
    InputError
        If ``data`` is not a DataFrame or ``law`` is unknown.

    References
    ----------
    Jiang, Eq. (5); the two-fluid law: Gorter & Casimir (1934).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> t = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    >>> bc = 0.0803 * (1 - (t / 7.2) ** 2) * np.array([1.01, 0.99, 1.0, 1.01, 0.99, 1.0])
    >>> df = pd.DataFrame({"material": "Pb", "t": t, "bc": bc, "bc_err": 0.0008})
    >>> out = fit_series(df)
    >>> print(out[["tc", "tc_err", "bc", "bc_err", "tc_bc_corr"]].round(4).to_string())
           tc  tc_err      bc  bc_err  tc_bc_corr
    0  7.1895   0.046  0.0804  0.0005     -0.5398
    """
    return reduce_series(data, law=law, skip_invalid=skip_invalid)


def reduce_series(
    data: pd.DataFrame,
    *,
    law: Law = "two_fluid",
    skip_invalid: bool = False,
    rows: np.ndarray | None = None,
    file: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """:func:`fit_series` with ``rows`` (default position + 2), ``file`` and ``headers``
    (canonical -> as written) as the user sees them; a whole series' problem lists its rows."""
    law = check_option("law", law, tuple(SERIES_LAWS))  # type: ignore[assignment]
    frame, carried = _long_table(data, rows)
    found = _row_problems(frame) + _material_problems(frame, carried, law)
    bad = {m for m, _ in found}
    starts = _start_values(frame[~frame["material"].isin(bad)])
    fits: dict[str, dict[str, Any]] = {}
    for material, group in frame.groupby("material", sort=False):
        if (name := str(material)) in bad:
            continue
        fitted, more = _fit_material(name, group, law, starts.get(name))
        found += more
        if not more:
            fits[name] = fitted
    found = _placed(frame, found, file, headers or {})
    dropped = [{"row": p.row, "material": m, "reason": p.message} for m, p in found]
    if found and (not skip_invalid or not fits):
        raise DataError([p for _, p in found], file=file)
    return _output(frame, carried, fits, law, dropped)


def _placed(
    frame: pd.DataFrame, found: _Found, file: str | None, headers: Mapping[str, str]
) -> _Found:
    """The problems with the file, the headers as written and, for a series, its rows."""
    rows = frame.groupby("material", sort=False)["row"].agg(list)
    out: _Found = []
    for material, p in found:
        message = p.message
        if p.row is None and material in rows.index:
            listed = ", ".join(str(r) for r in rows[material])
            message = f"{message.rstrip('.')} (rows {listed})."
        column = None if p.column is None else headers.get(p.column, p.column)
        out.append((material, Problem(message, file=file, row=p.row, column=column)))
    return out


def _long_table(data: Any, rows: np.ndarray | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The long table with numeric ``t``/``bc``/``bc_err``, its row numbers, carried columns."""
    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        raise InputError(
            "fit_series takes a pandas DataFrame with columns material, t (K), bc (T) and "
            f"optionally bc_err (T); got {type(data).__name__}. For a file, use tcfit.read, "
            "which fits the series of a long-format table (a T column) itself.",
            argument="data",
        )
    if missing := [c for c in ("material", "t", "bc") if c not in data.columns]:
        needs = "A Bc(T) series needs the columns 'material', 't' (K) and 'bc' (T); missing:"
        raise DataError(f"{needs} {', '.join(map(repr, missing))}.")
    if derived := [c for c in _DERIVED if c in data.columns]:
        found = ", ".join(map(repr, derived))
        raise DataError(f"The series table has {found}, which fit_series derives; drop it.")
    frame = data.reset_index(drop=True).copy()
    frame["row"] = np.arange(2, len(frame) + 2) if rows is None else np.asarray(rows, dtype=int)
    frame["material"] = frame["material"].astype("string").str.strip().fillna("")
    for column in ("t", "bc", "bc_err"):
        if column in frame.columns:
            frame[f"{column}_value"] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    skip = {"material", "bc", "bc_err", "t"}
    carried = [c for c in CANONICAL_ORDER if c in data.columns and c not in skip]
    return frame, carried


def _row_problems(frame: pd.DataFrame) -> _Found:
    """Unusable cells, found for all rows at once."""
    t, bc = frame["t_value"].to_numpy(), frame["bc_value"].to_numpy()
    checks = [
        ("material", frame["material"].to_numpy() == "", "The material name is empty"),
        ("t", ~(np.isfinite(t) & (t >= 0)), "The temperature T must be a number ≥ 0 K"),
        ("bc", ~(np.isfinite(bc) & (bc > 0)), "The field Bc must be a number > 0 T"),
    ]
    if "bc_err_value" in frame.columns:
        err = frame["bc_err_value"].to_numpy()
        given = frame["bc_err"].notna().to_numpy()
        checks.append(
            ("bc_err", given & ~(np.isfinite(err) & (err > 0)), "The error must be a number > 0 T")
        )
    materials, rows = frame["material"].to_numpy(), frame["row"].to_numpy()
    found: _Found = []
    for column, bad, text in checks:
        cells = frame[column].to_numpy()
        for pos in np.flatnonzero(bad):
            material = str(materials[pos])
            cell = cells[pos].item() if isinstance(cells[pos], np.generic) else cells[pos]
            got = "" if column == "material" else f"; got {cell!r}"
            where = f" (series of {material!r})" if material else ""
            found += _problem(material, f"{text}{got}{where}.", rows[pos], column)
    return found


def _material_problems(frame: pd.DataFrame, carried: list[str], law: str) -> _Found:
    """Too few points, partial errors and carried columns that vary, per material."""
    grouped = frame.groupby("material", sort=False)
    need = SERIES_MIN_POINTS[law]
    issues = [
        (m, f"has {c} point(s); the {law} law needs at least {need}", "t")
        for m, c in grouped.size().items()
        if m and c < need
    ]
    if "bc_err" in frame.columns:
        given = grouped["bc_err"].agg(lambda e: e.notna().sum() % len(e) != 0)
        partial = "has bc_err on some points but not on all; give it on every point or on none"
        issues += [(m, partial, "bc_err") for m in given.index[given.to_numpy(dtype=bool)]]
    for column in carried:
        varies = grouped[column].nunique(dropna=False) > 1
        text = f"varies in column {column!r}; give one value per material"
        issues += [(m, text, column) for m in varies.index[varies.to_numpy()]]
    found: _Found = []
    for material, text, column in issues:
        found += _problem(str(material), f"The series of {material!r} {text}.", column=column)
    return found


def _start_values(frame: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """(Bc(0), Tc) from a weighted linear fit of Bc against T², all materials at once."""
    import pandas as pd

    sigma = frame["bc_err_value"] if "bc_err_value" in frame.columns else np.ones(len(frame))
    w = pd.Series(1.0 / np.where(np.isnan(sigma), 1.0, sigma) ** 2, index=frame.index)
    x, y = frame["t_value"] ** 2, frame["bc_value"]
    sums = pd.DataFrame({"s": w, "sx": w * x, "sy": w * y, "sxx": w * x * x, "sxy": w * x * y})
    s = sums.groupby(frame["material"], sort=False).sum()
    slope = (s["s"] * s["sxy"] - s["sx"] * s["sy"]) / (s["s"] * s["sxx"] - s["sx"] ** 2)
    intercept = (s["sy"] - slope * s["sx"]) / s["s"]
    t_max, b_max = (frame.groupby("material", sort=False)[c].max() for c in ("t_value", "bc_value"))
    usable = (intercept > 0) & (slope < 0)
    tc = np.where(usable, np.sqrt(np.abs(intercept / slope.where(slope != 0, -1.0))), 1.1 * t_max)
    bc0 = np.where(usable, intercept, b_max)
    return {str(m): (float(b), float(t)) for m, b, t in zip(s.index, bc0, tc, strict=True)}


def _curve(params: Any, t: np.ndarray, law: str) -> np.ndarray:
    exponent = params["p"].value if law == "power" else 2.0
    ratio = np.abs(t / params["tc"].value)
    return np.asarray(params["bc0"].value * (1.0 - ratio**exponent), dtype=float)


def _minimise(
    t: np.ndarray, bc: np.ndarray, err: np.ndarray | None, law: str, start: tuple[float, float]
) -> Any:
    """The lmfit result (absolute errors: ``scale_covar=False``; none: scaled)."""
    import lmfit

    params = lmfit.Parameters()
    params.add("bc0", value=start[0])
    params.add("tc", value=start[1])
    if law == "power":
        params.add("p", value=2.0)
    sigma = np.ones_like(bc) if err is None else err

    def residual(p: Any) -> np.ndarray:
        return np.asarray((_curve(p, t, law) - bc) / sigma, dtype=float)

    return lmfit.minimize(residual, params, method="leastsq", scale_covar=err is None)


def _fit_material(
    material: str, group: pd.DataFrame, law: str, start: tuple[float, float] | None
) -> tuple[dict[str, Any], _Found]:
    """Fit one material's series and check the result."""
    from scipy.stats import chi2

    order = np.argsort(group["t_value"].to_numpy(), kind="stable")
    t, bc, rows = (group[c].to_numpy()[order] for c in ("t_value", "bc_value", "row"))
    err = group["bc_err_value"].to_numpy()[order] if "bc_err_value" in group.columns else None
    err = None if err is not None and np.isnan(err).all() else err
    where = f"The series of {material!r}"
    try:
        result = _minimise(t, bc, err, law, start or (float(bc.max()), 1.1 * float(t.max())))
    except (ValueError, ArithmeticError) as err_:
        return {}, [(material, Problem(f"{where} could not be fitted: {err_}."))]
    values = {k: float(v.value) for k, v in result.params.items()}
    if not (result.success and result.errorbars) or min(values["tc"], values["bc0"]) <= 0:
        message = f"{where}: the {law} fit failed ({result.message}; Tc = {values['tc']:.4g} K)."
        return {}, _problem(material, message)
    spread = max(result.params[k].stderr / values[k] for k in ("tc", "bc0"))
    if not spread < 1.0:  # also NaN
        message = (
            f"{where}: the {law} fit failed to determine Bc(0) and Tc (a relative error of "
            f"{spread:.3g}); measure over a wider range of temperatures."
        )
        return {}, _problem(material, message)
    absolute = err is not None
    dof = int(result.nfree)
    fitted = {
        "values": values,
        "errors": {k: float(v.stderr) for k, v in result.params.items()},
        "covariance": np.asarray(result.covar).tolist(),
        "names": list(result.var_names),
        "correlation": float(result.params["tc"].correl["bc0"]),
        "chi_square": float(result.chisqr) if absolute else float("nan"),
        "dof": dof,
        "p_value": float(chi2.sf(result.chisqr, dof)) if absolute else float("nan"),
        "weighting": "absolute" if absolute else "scaled",
        "points": {"row": rows.tolist(), "t": t.tolist(), "bc": bc.tolist()}
        | {"bc_err": None if err is None else err.tolist()},
    }
    noise = err if err is not None else np.full(t.size, np.sqrt(result.chisqr / dof))
    return fitted, _checks(material, fitted, t, bc, rows, noise)


def _checks(
    material: str,
    fitted: dict[str, Any],
    t: np.ndarray,
    bc: np.ndarray,
    rows: np.ndarray,
    noise: np.ndarray,
) -> _Found:
    """Points at or above Tc, rises beyond the noise, and a poor χ² (absolute errors only)."""
    from scipy.stats import norm

    tc = fitted["values"]["tc"]
    where = f"The series of {material!r}"
    found: _Found = []
    for k in np.flatnonzero(t >= tc):
        found += _problem(
            material,
            f"{where}: T = {t[k]:.6g} K is at or above the fitted Tc = {tc:.6g} K, where Bc "
            "must vanish; check the point or leave it out.",
            rows[k],
            "t",
        )
    rise = np.diff(bc)
    z = float(norm.isf(SERIES_NON_MONOTONIC_P / max(t.size - 1, 1)))
    limit = z * np.hypot(noise[1:], noise[:-1])
    for k in np.flatnonzero((np.diff(t) > 0) & (rise > limit)):
        found += _problem(
            material,
            f"{where} rises from {bc[k]:.6g} T at {t[k]:.6g} K to {bc[k + 1]:.6g} T at "
            f"{t[k + 1]:.6g} K, more than {z:.2g}σ of the noise; Bc(T) must "
            "fall with T.",
            rows[k + 1],
            "bc",
        )
    if fitted["weighting"] == "absolute" and fitted["p_value"] < SERIES_POOR_FIT_P:
        ratio = fitted["chi_square"] / fitted["dof"]
        found += _problem(
            material,
            f"{where} is poorly fitted: χ²/dof = {ratio:.3g} for {fitted['dof']} degrees of "
            f"freedom (p = {fitted['p_value']:.2g} < {SERIES_POOR_FIT_P:g}); check bc_err, or try "
            "law='power' (--series-law power).",
        )
    return found


def _output(
    frame: pd.DataFrame,
    carried: list[str],
    fits: dict[str, dict[str, Any]],
    law: str,
    dropped: list[dict[str, Any]],
) -> pd.DataFrame:
    """The canonical frame of the fitted materials, with the provenance in ``attrs``."""
    import pandas as pd

    names = list(fits)
    first = frame.drop_duplicates("material").set_index("material")
    rows = [fits[m] for m in names]
    columns: dict[str, Any] = {"material": names}
    columns |= {q: [f["values"][k] for f in rows] for q, k in (("tc", "tc"), ("bc", "bc0"))}
    columns |= {
        f"{q}_err": [f["errors"][k] for f in rows] for q, k in (("tc", "tc"), ("bc", "bc0"))
    }
    columns["tc_bc_corr"] = [f["correlation"] for f in rows]
    columns |= {c: first.loc[names, c].to_numpy() for c in carried}
    columns |= {
        "series_law": [law] * len(names),
        "series_points": [len(f["points"]["t"]) for f in rows],
        "series_weighting": [f["weighting"] for f in rows],
        "series_reduced_chi_square": [f["chi_square"] / f["dof"] for f in rows],
        "series_p_value": [f["p_value"] for f in rows],
        "series_exponent": [f["values"].get("p", 2.0) for f in rows],
        "series_exponent_err": [f["errors"].get("p", 0.0) for f in rows],
    }
    out = pd.DataFrame(columns)
    out.attrs |= {"name": "series", "source": f"tcfit.fit_series(law={law!r}): {SERIES_LAWS[law]}"}
    out.attrs["dropped"] = dropped
    out.attrs["series"] = {"law": law, "formula": SERIES_LAWS[law], "materials": dict(fits)}
    return out
