"""Lab data (issue 14): Bc(T) series read from files, compounds written as formulas.

Numbers are checked against an independent fit (scipy's curve_fit), periodictable and hand sums
of the standard atomic masses, and N_A from CODATA typed by hand.
"""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import curve_fit
from typer.testing import CliRunner

import tcfit
from tcfit.cli import app

runner = CliRunner()

PB = {"bc0": 0.0803, "tc": 7.196, "n": 1.32e29}  # Table-1's Pb field and density, Tc of Pb
SN = {"bc0": 0.0305, "tc": 3.722, "n": 1.48e29}
N_A = 6.02214076e23  # CODATA 2018, exact
SERIES_ONLY = ("tc", "bc")  # tables of series problems, without n


def _points(rng, law, *, t, noise=0.01):
    true = law["bc0"] * (1.0 - (t / law["tc"]) ** 2)
    sigma = noise * true
    return true + rng.normal(0.0, sigma), sigma


def _series_csv(rng, *, field_unit="mT", scale=1e3, t_unit="K", t_scale=1.0) -> str:
    """A long table of Pb and Sn, Bc in mT with 1 % errors, n constant per material."""
    lines = [f"material,T [{t_unit}],Bc [{field_unit}],Bc_err [{field_unit}],n [m^-3]"]
    for name, law, t in (
        ("Pb", PB, np.linspace(0.5, 7.0, 14)),
        ("Sn", SN, np.linspace(0.3, 3.5, 9)),
    ):
        bc, sigma = _points(rng, law, t=t)
        lines += [
            f"{name},{float(ti * t_scale)!r},{float(b * scale)!r},{float(s * scale)!r},{law['n']!r}"
            for ti, b, s in zip(t, bc, sigma, strict=True)
        ]
    return "\n".join(lines) + "\n"


def _write(tmp_path, text, name="series.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _two_fluid(t, bc0, tc):
    return bc0 * (1.0 - (t / tc) ** 2)


# ------------------------------------------------------------------------- series: numbers


def test_a_long_format_file_gives_one_row_per_material_as_an_independent_fit(tmp_path, rng):
    text = _series_csv(rng)
    df = tcfit.read(_write(tmp_path, text))
    assert df["material"].tolist() == ["Pb", "Sn"]
    assert "t" not in df.columns
    raw = pd.read_csv(io.StringIO(text))
    for k, name in enumerate(("Pb", "Sn")):
        part = raw[raw["material"] == name]
        t, bc, err = (part.iloc[:, j].to_numpy() * f for j, f in ((1, 1), (2, 1e-3), (3, 1e-3)))
        popt, pcov = curve_fit(
            _two_fluid, t, bc, p0=(bc.max(), 1.1 * t.max()), sigma=err, absolute_sigma=True
        )
        row = df.iloc[k]
        assert row.bc == pytest.approx(popt[0], rel=1e-6)
        assert row.tc == pytest.approx(popt[1], rel=1e-6)
        assert row.bc_err == pytest.approx(math.sqrt(pcov[0, 0]), rel=1e-4)
        assert row.tc_err == pytest.approx(math.sqrt(pcov[1, 1]), rel=1e-4)
        rho = pcov[0, 1] / math.sqrt(pcov[0, 0] * pcov[1, 1])
        assert row.tc_bc_corr == pytest.approx(rho, abs=1e-4)
        assert row.series_points == len(part)
        assert row.n == (PB if name == "Pb" else SN)["n"]


def test_pb_from_a_file_recovers_bc0_and_tc_within_2_sigma(tmp_path, rng):
    df = tcfit.read(_write(tmp_path, _series_csv(rng)))
    pb = df.iloc[0]
    assert abs(pb.bc - PB["bc0"]) < 2 * pb.bc_err
    assert abs(pb.tc - PB["tc"]) < 2 * pb.tc_err


def test_units_of_t_and_bc_are_converted_before_the_fit(tmp_path):
    in_k = tcfit.read(_write(tmp_path, _series_csv(np.random.default_rng(3)), "a.csv"))
    in_mk_gauss = tcfit.read(
        _write(
            tmp_path,
            _series_csv(
                np.random.default_rng(3), field_unit="G", scale=1e4, t_unit="mK", t_scale=1e3
            ),
            "b.csv",
        )
    )
    for column in ("tc", "bc", "tc_err", "bc_err", "tc_bc_corr"):
        np.testing.assert_allclose(in_mk_gauss[column], in_k[column], rtol=1e-6)


def test_the_provenance_lists_the_derivation(tmp_path, rng):
    df = tcfit.read(_write(tmp_path, _series_csv(rng)))
    series = df.attrs["series"]
    assert series["law"] == "two_fluid"
    pb = series["materials"]["Pb"]
    assert pb["points"]["row"] == list(range(2, 16))
    assert pb["first_row"] == 2
    assert series["materials"]["Sn"]["points"]["row"] == list(range(16, 25))
    assert pb["values"]["bc0"] == pytest.approx(df.bc[0])
    assert df.attrs["units_from"]["tc"] == "series fit"
    assert df.attrs["units_as_given"]["bc"] == "mT"
    assert "t" not in df.attrs["units"]
    json.dumps(df.attrs["series"])  # JSON-ready, as summary.json needs


def test_the_fit_propagates_the_correlation_into_the_implied_i(tmp_path, rng):
    path = _write(tmp_path, _series_csv(rng))
    result = tcfit.fit(path)
    data = tcfit.read(path)
    uncorrelated = tcfit.fit(data.drop(columns=["tc_bc_corr"]))
    # σ(ln i)² = 4 r_T² + 4 r_B² + r_n²/9 − 2·(2)(2)·ρ r_T r_B (Eq. 5: i ∝ (C·Bc/Tc)² n^(−1/3))
    r_t, r_b = (data[f"{q}_err"] / data[q] for q in ("tc", "bc"))
    r_n = tcfit.FitOptions().rel_err["n"]  # no n_err in the file: the default 5 %
    rho = data["tc_bc_corr"]
    expected = np.sqrt(4 * r_t**2 + 4 * r_b**2 + r_n**2 / 9 - 8 * rho * r_t * r_b)
    rel = result.table["i_implied_err"] / result.table["i_implied"]
    np.testing.assert_allclose(rel, expected, rtol=1e-6)
    rel0 = uncorrelated.table["i_implied_err"] / uncorrelated.table["i_implied"]
    assert np.all(rel > rel0)  # ρ < 0 here: Bc(0) and Tc trade off, σ(i) grows


@pytest.mark.parametrize("how", ["read", "options", "cli"])
def test_the_power_law_is_selectable(tmp_path, rng, how):
    path = _write(tmp_path, _series_csv(rng))
    if how == "read":
        law = tcfit.read(path, series_law="power")["series_law"]
    elif how == "options":
        law = tcfit.fit(path, tcfit.FitOptions(series_law="power")).data["series_law"]
    else:
        out = runner.invoke(app, ["validate", str(path), "--series-law", "power", "--json"])
        assert out.exit_code == 0, out.output
        law = [r["series_law"] for r in json.loads(out.output)["rows"]]
        fitted = runner.invoke(app, ["fit", str(path), "--series-law", "power", "--json"])
        assert fitted.exit_code == 0, fitted.output
    assert set(law) == {"power"}


def test_series_law_is_checked():
    with pytest.raises(tcfit.InputError, match="`series_law` parameter must be one of"):
        tcfit.FitOptions(series_law="bcs")
    with pytest.raises(tcfit.InputError, match="`series_law` parameter must be one of"):
        tcfit.read("table1", series_law="quadratic")


def test_fit_options_round_trip_the_new_fields():
    opts = tcfit.FitOptions(series_law="power", valences={"Nb": 5, "Sn": 4})
    assert tcfit.FitOptions.from_dict(opts.to_dict()) == opts
    assert opts.read_options()["series_law"] == "power"


@pytest.mark.parametrize("command", ["fit", "validate"])
def test_cli_reads_a_series_file(tmp_path, rng, command):
    path = _write(tmp_path, _series_csv(rng))
    out = runner.invoke(app, [command, str(path), "--json"])
    assert out.exit_code == 0, out.output


# ------------------------------------------------------------------------- series: problems


def _problem_text(path, require=("tc", "bc", "n"), **kwargs):
    with pytest.raises(tcfit.DataError) as info:
        tcfit.read(path, require=require, **kwargs)
    return str(info.value), info.value


def test_too_few_points_names_file_material_and_rows(tmp_path):
    text = "material,T [K],Bc [mT]\nAl,0.2,10.2\nAl,0.5,9.5\nPb,1,78\nPb,2,74\nPb,3,66\n"
    path = _write(tmp_path, text)
    message, err = _problem_text(path, require=SERIES_ONLY)
    assert str(path) in message
    assert "'Al' has 2 point(s); the two_fluid law needs at least 3 (rows 2, 3)" in message
    assert err.problems[0].column == "T [K]"


def test_a_rise_is_non_monotonic_and_names_its_row(tmp_path):
    rows = [(0.5, 79.0), (1.0, 78.4), (2.0, 74.6), (3.0, 90.0), (4.0, 55.6), (5.0, 41.6)]
    text = "material,T [K],Bc [mT],Bc_err [mT]\n" + "".join(f"Pb,{t},{b},0.4\n" for t, b in rows)
    message, err = _problem_text(_write(tmp_path, text), require=SERIES_ONLY)
    assert "'Pb' rises from" in message
    assert any(p.row == 5 and p.column == "Bc [mT]" for p in err.problems)


def test_a_poor_fit_names_the_material_and_its_rows(tmp_path):
    t = np.linspace(0.5, 6.5, 8)
    bc = 80.3 * (1 - (t / 7.196) ** 2) + np.where(np.arange(8) % 2, 1.5, -1.5)
    text = "material,T [K],Bc [mT],Bc_err [mT]\n" + "".join(
        f"Pb,{float(a)!r},{float(b)!r},0.3\n" for a, b in zip(t, bc, strict=True)
    )
    message, _ = _problem_text(_write(tmp_path, text), require=SERIES_ONLY)
    assert "'Pb' is poorly fitted" in message
    assert "(rows 2, 3, 4, 5, 6, 7, 8, 9)" in message
    assert "--series-law power" in message


def test_an_unreadable_cell_is_named_with_the_series_problems(tmp_path):
    text = "material,T [K],Bc [mT]\nAl,0.2,ten\nAl,0.5,9.5\nPb,1,78\nPb,2,74\nPb,3,66\n"
    message, err = _problem_text(_write(tmp_path, text), require=SERIES_ONLY)
    assert any(p.row == 2 and p.column == "Bc [mT]" for p in err.problems)
    assert "'Al' has 1 point(s)" in message


def test_skip_invalid_drops_a_bad_series_and_says_why(tmp_path):
    text = "material,T [K],Bc [mT],n\nAl,0.2,10.2,1.8e29\nAl,0.5,9.5,1.8e29\n" + "".join(
        f"Pb,{t},{float(80.3 * (1 - (t / 7.196) ** 2) + d)!r},1.32e29\n"
        for t, d in ((1, 0.4), (2, -0.4), (3, 0.4), (4, -0.4))
    )
    df = tcfit.read(_write(tmp_path, text), skip_invalid=True)
    assert df["material"].tolist() == ["Pb"]
    assert df.attrs["dropped"][0]["material"] == "Al"
    assert "needs at least 3" in df.attrs["dropped"][0]["reason"]


def test_a_repeated_material_without_a_t_column_is_still_refused(tmp_path):
    path = _write(tmp_path, "material,Tc,Bc,n\nAl,1.1,0.0105,1.8e29\nAl,1.2,0.0104,1.8e29\n")
    message, err = _problem_text(path)
    assert "each material may appear only once" in message
    assert "temperature column 'T'" in message
    assert err.problems[0].row == 3


def test_a_tc_column_in_a_long_table_is_refused(tmp_path):
    text = "material,T,Tc,Bc\nPb,1,7.2,0.078\nPb,2,7.2,0.074\nPb,3,7.2,0.066\n"
    message, _ = _problem_text(_write(tmp_path, text), require=SERIES_ONLY)
    assert "which fit_series derives" in message


# ------------------------------------------------------------------------- series: figure, report


def test_plot_series_draws_points_curve_and_bc0(tmp_path, rng):
    from tcfit import plot

    data = tcfit.read(_write(tmp_path, _series_csv(rng)))
    with plot.offscreen():
        ax = plot.series(data)
    curves = [line for line in ax.get_lines() if len(line.get_xdata()) == 200]
    assert len(curves) == 2
    x, y = curves[0].get_data()
    assert x[0] == 0.0
    assert y[0] == pytest.approx(data.bc[0] * 1e3)
    assert x[-1] == pytest.approx(data.tc[0])
    assert y[-1] == pytest.approx(0.0, abs=1e-9)
    assert [t.get_text() for t in ax.texts] == ["Pb", "Sn"]
    with pytest.raises(tcfit.InputError, match="needs data read from Bc"):
        plot.series(tcfit.read("table1"))


def test_the_report_has_a_series_section_for_series_data_only(tmp_path, rng):
    from tcfit.analysis import analyse
    from tcfit.reports import build

    path = _write(tmp_path, _series_csv(rng))
    analysis = analyse(path, n_null=19)
    paths = build(analysis, tmp_path / "out", formats="html", timestamp=False)
    html = paths.html.read_text(encoding="utf-8")
    assert '<section id="series"' in html
    assert '<figure id="fig-series"' in html
    summary = paths.summary["series"]
    assert summary["law"] == "two_fluid"
    pb = summary["materials"]["Pb"]
    data = tcfit.read(path)
    assert pb["bc0"] == pytest.approx(data.bc[0])
    assert pb["correlation"] == pytest.approx(data.tc_bc_corr[0])
    assert pb["rows"] == list(range(2, 16))
    from tcfit.reports.sections import series

    assert series.SECTION.context(analyse("table1", n_null=19), None) is None


# ------------------------------------------------------------------------- compounds

#: Standard atomic weights (IUPAC 2013/CIAAW, abridged), g/mol, typed by hand.
MASS = {"Nb": 92.90637, "Sn": 118.710, "V": 50.9415, "Si": 28.085, "Mg": 24.305, "B": 10.81}
COMPOUNDS = {  # formula: (atoms, density g/cm^3, valence per formula unit)
    "Nb3Sn": ({"Nb": 3, "Sn": 1}, 8.92, 19),
    "V3Si": ({"V": 3, "Si": 1}, 5.67, 19),
    "MgB2": ({"Mg": 1, "B": 2}, 2.57, 8),
}


def _compound_csv(tmp_path, *, valence=True):
    head = "material,Tc [K],Bc [mT],density [g/cm^3]" + (",valence" if valence else "")
    lines = [head]
    for name, (_, rho, z) in COMPOUNDS.items():
        lines.append(f"{name},18,500,{rho}" + (f",{z}" if valence else ""))
    return _write(tmp_path, "\n".join(lines) + "\n", "compounds.csv")


def test_compounds_get_m_from_their_formula_and_n_by_hand(tmp_path):
    import periodictable

    df = tcfit.read(_compound_csv(tmp_path))
    rows = {r["material"]: r for r in df.attrs["derived"]["n"]["rows"]}
    for name, (atoms, rho, z) in COMPOUNDS.items():
        by_hand = sum(c * MASS[e] for e, c in atoms.items()) * 1e-3  # kg/mol
        record = rows[name]
        assert record["molar_mass"] == pytest.approx(periodictable.formula(name).mass * 1e-3)
        assert record["molar_mass"] == pytest.approx(by_hand, rel=1e-4)
        assert record["valence"] == z
        assert record["valence_from"] == "file"
        assert record["density"] == pytest.approx(rho * 1e3)
        assert record["density_from"] == "file"
        assert "formula" in record["molar_mass_from"]
        n = df.loc[df.material == name, "n"].item()
        assert n == pytest.approx(z * rho * 1e3 * N_A / by_hand, rel=1e-4)
    assert df["n_derived"].all()


def test_validate_derives_compounds_with_no_molar_mass(tmp_path):
    out = runner.invoke(app, ["validate", str(_compound_csv(tmp_path)), "--json"])
    assert out.exit_code == 0, out.output
    assert "Nb3Sn" in out.output


@pytest.mark.parametrize("how", ["read", "cli"])
def test_valences_per_element_give_the_valence_per_formula_unit(tmp_path, how):
    path = _compound_csv(tmp_path, valence=False)
    valences = {"Nb": 5, "Sn": 4, "V": 5, "Si": 4, "Mg": 2, "B": 3}
    if how == "read":
        df = tcfit.read(path, valences=valences)
    else:
        text = ",".join(f"{k}={v}" for k, v in valences.items())
        out = runner.invoke(app, ["validate", str(path), "--valences", text])
        assert out.exit_code == 0, out.output
        df = tcfit.read(path, valences=valences)
    rows = {r["material"]: r for r in df.attrs["derived"]["n"]["rows"]}
    assert rows["Nb3Sn"]["valence"] == 3 * 5 + 4
    assert rows["MgB2"]["valence"] == 2 + 2 * 3
    assert rows["V3Si"]["valence"] == 3 * 5 + 4
    assert "3×Nb(5) + 1×Sn(4) = 19" in rows["Nb3Sn"]["valence_from"]


def test_a_missing_density_is_named_as_such(tmp_path):
    path = _write(tmp_path, "material,Tc,Bc,valence\nNb3Sn,18.3,0.52,19\n", "c.csv")
    message, err = _problem_text(path)
    assert "missing the density" in message
    assert "molar mass" not in message
    assert err.problems[0].row == 2


def test_a_present_density_is_not_called_missing(tmp_path):
    """The old message said density missing when only the valence was."""
    path = _write(tmp_path, "material,Tc,Bc,density\nNb3Sn,18.3,0.52,8920\n", "c.csv")
    message, _ = _problem_text(path, valences={"Nb": 5})
    assert "missing the valence (valences= gives no valence for 'Sn')" in message
    assert "density" not in message.split("missing", 1)[1]


def test_a_name_that_is_no_formula_says_molar_mass(tmp_path):
    path = _write(tmp_path, "material,Tc,Bc,density,valence\nalloy-7,9,0.2,8000,5\n", "c.csv")
    message, _ = _problem_text(path)
    assert "missing the molar mass" in message
    assert "the density" not in message


def test_valences_are_checked():
    with pytest.raises(tcfit.InputError, match="`valences` parameter"):
        tcfit.read("table1", valences={"Xx": 5})
    with pytest.raises(tcfit.InputError, match="`valences` parameter"):
        tcfit.FitOptions(valences={"Nb": -1})
    out = runner.invoke(app, ["validate", "x.csv", "--valences", "Nb=five"])
    assert out.exit_code == 2
    assert "ELEMENT=NUMBER" in out.output


# ------------------------------------------------------------------------- Hall coefficient

E_CHARGE = 1.602176634e-19  # C, CODATA 2018, exact


def test_n_from_the_hall_coefficient_by_hand_with_its_sign_and_a_warning(tmp_path):
    path = _write(
        tmp_path,
        "material,Tc [K],Bc [mT],R_H [cm^3/C]\nAl,1.175,10.5,-3.5e-5\nZn,0.85,5.4,3.3e-5\n",
        "hall.csv",
    )
    with pytest.warns(tcfit.TcfitWarning, match="effective density") as caught:
        df = tcfit.read(path)
    assert len([w for w in caught if "Hall" in str(w.message)]) == 1
    assert df.n[0] == pytest.approx(1.0 / (E_CHARGE * 3.5e-11), rel=1e-12)  # cm³ = 1e-6 m³
    assert df.n[1] == pytest.approx(1.0 / (E_CHARGE * 3.3e-11), rel=1e-12)
    assert df.r_h.tolist() == pytest.approx([-3.5e-11, 3.3e-11])  # the sign is kept
    assert df["n_derived"].all()
    rows = df.attrs["derived"]["n_hall"]["rows"]
    assert df.attrs["derived"]["n_hall"]["formula"] == "n = 1 / (e * |R_H|)"
    assert [r["carriers"] for r in rows] == ["electron-like", "hole-like"]
    assert rows[0]["e"] == E_CHARGE
    assert "electron-like (R_H < 0) for Al" in df.attrs["warnings"][0]
    again = tcfit.datasets.provenance(df)  # the record reads back
    assert again.derived["n_hall"].rows[1].r_h == pytest.approx(3.3e-11)


def test_a_given_n_wins_over_the_hall_coefficient(tmp_path):
    path = _write(tmp_path, "material,Tc,Bc,n,R_H\nAl,1.175,0.0105,1.81e29,-3.5e-11\n", "h.csv")
    df = tcfit.read(path)
    assert df.n[0] == 1.81e29
    assert not df["n_derived"][0]
    assert "n_hall" not in df.attrs["derived"]


def test_a_hall_coefficient_of_zero_is_named(tmp_path):
    path = _write(tmp_path, "material,Tc,Bc,R_H\nAl,1.175,0.0105,0\n", "h.csv")
    message, err = _problem_text(path)
    assert "No value for the required column 'n' of 'Al': n is empty and R_H is 0" in message
    assert err.problems[0].row == 2


# ------------------------------------------------------------------------- type-II fields


def _gl_fields(bc, kappa):
    """Hc2 and Hc1 (T) of a GL superconductor from Hc and κ, the high-κ relations by hand."""
    return math.sqrt(2) * kappa * bc, bc * math.log(kappa) / (math.sqrt(2) * kappa)


def test_bc_from_bc2_and_kappa_and_from_hc1_and_hc2(tmp_path):
    bc2_a, _ = _gl_fields(0.2, 2.0)
    bc2_b, bc1_b = _gl_fields(0.1, 50.0)
    text = (
        "material,Tc [K],Hc2 [kOe],kappa,Hc1 [Oe],n,Bc [T]\n"
        f"A,9,{bc2_a * 10!r},2,,1e29,\n"  # 1 kOe ≙ 0.1 T (μ0·H)
        f"B,18,{bc2_b * 10!r},,{bc1_b * 1e4!r},1e29,\n"
        "C,3,,,,1e29,0.03\n"
    )
    path = _write(tmp_path, text.replace("kappa,", "κ,"), "t2.csv")  # the Greek header too
    df = tcfit.read(path)
    assert df.bc[2] == 0.03  # a type-I row beside them keeps its Bc
    assert df.bc[0] == pytest.approx(0.2, rel=1e-12)
    assert df.bc[1] == pytest.approx(0.1, rel=1e-12)
    assert df.attrs["derived"]["bc"]["rows"][1]["kappa"] == pytest.approx(50.0, rel=1e-12)
    assert df.bc2[0] == pytest.approx(bc2_a)  # Hc2 kept in its own column, never read as Bc
    assert df.bc_derived.tolist() == [True, True, False]
    assert [r["row"] for r in df.attrs["derived"]["bc"]["rows"]] == [2, 3]
    assert "Bc = Bc2 / (sqrt(2) * kappa)" in df.attrs["derived"]["bc"]["formula"]


def test_a_bc_column_is_not_replaced_by_bc2(tmp_path):
    path = _write(tmp_path, "material,Tc,Bc,Bc2,kappa,n\nNb,9.25,0.199,0.4,1.5,2.2e29\n", "t.csv")
    df = tcfit.read(path)
    assert df.bc[0] == 0.199
    assert not df.bc_derived[0]
    assert "bc" not in df.attrs["derived"]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("X,5,3,,,1e29", "Hc2 [T]", "give κ (Bc = Bc2/(√2·κ)) or Hc1"),
        ("X,5,3,0.5,,1e29", "kappa", "κ = 0.5 ≤ 1/√2 is a type-I superconductor"),
        ("X,5,3,,0.5,1e29", "Hc1 [T]", "Hc2/Hc1 = 6 is below 4e"),
    ],
)
def test_bc2_that_cannot_give_bc_says_what_is_needed(tmp_path, row, column, message):
    path = _write(tmp_path, f"material,Tc,Hc2 [T],kappa,Hc1 [T],n\n{row}\n", "t.csv")
    text, err = _problem_text(path)
    assert message in text
    assert [(p.row, p.column) for p in err.problems] == [(2, column)]


def test_kappa_from_the_ratio_solves_the_relation():
    from tcfit.datasets._typeii import kappa_from_ratio  # the solver, tested directly

    kappa = np.array([2.0, 5.0, 50.0, 1000.0])
    ratio = 2 * kappa**2 / np.log(kappa)
    np.testing.assert_allclose(kappa_from_ratio(ratio), kappa, rtol=1e-12)
    assert np.isnan(kappa_from_ratio(np.array([10.0]))[0])  # below 4e


# ------------------------------------------------------------------------- European CSV


def test_a_european_csv_is_read_with_its_decimal_comma(tmp_path):
    text = (
        "Material;Tc [K];Bc [mT];n [m^-3];note\n"
        "Al;1,175;10,5;1,81e29;film, 2 h\nPb;7,196;80,3;1,32e29;\n"
    )
    df = tcfit.read(_write(tmp_path, text, "eu.csv"))
    assert df.tc.tolist() == [1.175, 7.196]
    assert df.bc.tolist() == pytest.approx([0.0105, 0.0803])
    assert df.n.tolist() == [1.81e29, 1.32e29]
    assert df.note[0] == "film, 2 h"  # text keeps its comma
    assert df.attrs["delimiter"] == ";"
    assert df.attrs["decimal"] == ","


def test_a_grouped_comma_is_a_decimal_comma_when_another_cell_settles_it(tmp_path):
    text = "Material;Tc [K];Bc [G];n\nAl;1,175;105;1,81e29\nSn;3,72;305,0;1,48e29\n"
    df = tcfit.read(_write(tmp_path, text, "eu.csv"))
    assert df.tc[0] == 1.175  # '1,175' alone could be 1175; '3,72' says decimal comma


def test_an_ambiguous_european_csv_is_refused_naming_row_and_column(tmp_path):
    path = _write(tmp_path, "Material;Tc [K];Bc [G];n\nAl;1;1,050;2e29\n", "eu.csv")
    message, err = _problem_text(path)
    assert "'1,050' could be 1.050 (decimal comma) or 1050 (thousands separator)" in message
    assert [(p.file, p.row, p.column) for p in err.problems] == [(str(path), 2, "Bc [G]")]


def test_mixed_decimal_separators_are_refused(tmp_path):
    path = _write(tmp_path, "Material;Tc [K];Bc [mT];n\nAl;1,2;10.5;1.81e29\n", "eu.csv")
    message, err = _problem_text(path)
    assert "'1,2' has a decimal comma, but row 2, column 'Bc [mT]' has '10.5'" in message
    assert err.problems[0].column == "Tc [K]"


def test_a_comma_delimited_file_is_unchanged(tmp_path):
    df = tcfit.read(_write(tmp_path, 'material,Tc,Bc,n\nAl,1.175,0.0105,"1.81e29"\n', "c.csv"))
    assert "decimal" not in df.attrs
    assert df.tc[0] == 1.175
