"""Models as plug-ins: Eq. (5) from its coefficients, and a toy model added from this file alone
that runs end to end through fit, the global fits, the CLI and a baseline."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.constants import hbar, k, m_e, mu_0, pi
from typer.testing import CliRunner

import tcfit
from tcfit.cli import app
from tcfit.models import (
    EQ5,
    MODELS,
    LogLinearModel,
    get_model,
    parameter_sensitivities,
    register_model,
    sigma_log_parameter,
)

C_CODATA = hbar * (3 * pi**2) ** (1 / 3) / (k * math.sqrt(2 * m_e * mu_0))
runner = CliRunner()


def test_eq5_coefficients_and_sensitivities_by_hand():
    assert EQ5.log_coefficients == {"bc": 1.0, "n": -1 / 6, "i": -0.5}
    assert EQ5.requires == ("tc", "bc", "n")
    # ln i = 2 ln(C Bc / (n^{1/6} Tc)): ∂ln i/∂ln Bc = 2, /∂ln n = −1/3, /∂ln Tc = −2.
    assert parameter_sensitivities(EQ5) == pytest.approx({"bc": 2.0, "n": -1 / 3, "tc": -2.0})
    assert EQ5.reference_exponents() == pytest.approx({"alpha": 1 / 6, "beta": 1.0})


def test_the_generic_log_linear_form_equals_the_pure_eq5():
    generic = LogLinearModel(name="generic5", log_coefficients=dict(EQ5.log_coefficients))
    values = {
        "tc": np.array([1.19, 7.2]),
        "bc": np.array([0.0099, 0.0803]),
        "n": np.array([1.812e29, 1.32e29]),
    }
    np.testing.assert_allclose(
        generic.implied(values, prefactor=C_CODATA),
        EQ5.implied(values, prefactor=C_CODATA),
        rtol=1e-13,
    )
    i = np.array([3.0, 6.0])
    np.testing.assert_allclose(
        generic.predict(values, i, prefactor=C_CODATA),
        tcfit.tc(values["bc"], values["n"], i),
        rtol=1e-13,
    )


@pytest.fixture
def toy_model():
    """Eq. (5) with n^(1/4) instead of n^(1/6), registered for the test and removed after."""
    model = register_model(
        LogLinearModel(name="eq5_n4", log_coefficients={"bc": 1.0, "n": -0.25, "i": -0.5})
    )
    yield model
    MODELS.pop("eq5_n4")


def test_a_toy_model_fits_by_its_own_exponent(toy_model):
    result = tcfit.fit("table1", model="eq5_n4")
    assert result.model is toy_model
    assert result.summary.model == "eq5_n4"
    table1 = tcfit.datasets.load("table1")
    # Implied i of the toy model by hand: (C·Bc / (n^{1/4}·Tc))².
    by_hand = (C_CODATA * table1.bc / (table1.n**0.25 * table1.tc)) ** 2
    np.testing.assert_allclose(result.table["i_implied"], by_hand, rtol=1e-10)
    # σ(ln i) = sqrt((2 r_B)² + (0.5 r_n)² + (2 r_T)²) for n^{-1/4}.
    expected = math.sqrt(0.1**2 + (0.5 * 0.05) ** 2 + 0.04**2)
    assert sigma_log_parameter(toy_model, {"tc": 0.02, "bc": 0.05, "n": 0.05}) == pytest.approx(
        expected
    )
    np.testing.assert_allclose(result.table["i_implied_err"] / result.table["i_implied"], expected)
    # Its global fit frees its own exponents and reports them against its own values.
    exponents = tcfit.fit_global(result).parts["exponents"].params
    assert exponents["exponent_n"].reference == -0.25
    assert exponents["exponent_bc"].reference == 1.0


def test_a_toy_model_through_the_cli_and_a_baseline(toy_model, tmp_path):
    out = runner.invoke(app, ["fit", "table1", "--model", "eq5_n4", "--json"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    assert payload["summary"]["model"] == "eq5_n4"
    assert payload["options"]["model"] == "eq5_n4"
    path = tcfit.write_baseline("table1", tmp_path / "toy.yml", model="eq5_n4")
    assert tcfit.Baseline.read(path).options.model == "eq5_n4"
    assert tcfit.check("table1", path).ok  # the check restores the model from the baseline
    moved = tcfit.check("table1", path, model="eq5")
    assert "model" in set(moved.differences["field"])


def test_unknown_and_malformed_models_are_refused():
    with pytest.raises(tcfit.InputError, match=r"The `model` parameter must be one of 'eq5'"):
        get_model("eq6")
    with pytest.raises(tcfit.InputError, match=r"non-zero log coefficient for its parameter 'i'"):
        LogLinearModel(name="bad", log_coefficients={"bc": 1.0})
    with pytest.raises(tcfit.InputError, match=r"must be a model name or a tcfit\.models\.Model"):
        register_model(object())  # type: ignore[arg-type]


def test_bcs_is_a_reference_model_of_every_fit_with_its_inputs():
    result = tcfit.fit("elements")
    assert {"tc_bcs", "residual_bcs", "i_bcs", "gamma_ratio"} <= set(result.table.columns)
    assert result.summary.references["bcs"].n == result.summary["n_bcs"] == 8


def test_bcs_predicts_i_without_tc_and_eq5_then_predicts_tc_with_no_free_parameter():
    result = tcfit.fit("elements")
    t = result.table.set_index("material")
    al = t.loc["Al"]
    # i_BCS (no Tc used) rounded to the nearest integer in log space, then Eq. (5) by hand.
    k = min(range(1, 21), key=lambda v: abs(math.log(al.i_bcs) - math.log(v)))
    assert al.i_predicted_bcs == k
    tc_pred = C_CODATA * al.bc / (al.n ** (1 / 6) * math.sqrt(k))
    assert al.tc_predicted_bcs == pytest.approx(tc_pred, rel=1e-12)
    assert al.residual_predicted_bcs == pytest.approx(tc_pred / al.tc - 1, rel=1e-12)
    # The identity behind it: i_implied = i_BCS · (Tc_BCS/Tc)², so a continuous i_BCS gives Tc_BCS.
    assert al.i_implied == pytest.approx(al.i_bcs * (al.tc_bcs / al.tc) ** 2, rel=1e-12)
    ref = result.summary.references["bcs"]
    have = t["residual_predicted_bcs"].dropna()
    assert ref.rms_residual_predicted == pytest.approx(float(np.sqrt(np.mean(have**2))))
    assert result.summary["rms_residual_predicted_bcs"] == ref.rms_residual_predicted
    assert math.isnan(t.loc["Nb", "i_predicted_bcs"])  # no γ for Nb: nothing predicted


class _ModelSection:
    """A report section defined here: it shows which model the report fitted."""

    id = "toy-model"
    title = "Toy model"
    template = "<p class='toy'>Fitted with {{ name }}: {{ formula }}</p>"

    def context(self, analysis, fmt):
        return {"name": analysis.result.model.name, "formula": analysis.result.model.description}

    def summary(self, analysis):
        return {"toy_model": {"model": analysis.result.model.name}}


def test_a_toy_model_and_a_toy_section_run_through_the_report(toy_model, tmp_path):
    from tcfit.reports import SECTIONS, build, register_section

    saved = list(SECTIONS)
    try:
        register_section(_ModelSection(), after="model")
        paths = build(
            "table1", tmp_path, formats="html", model="eq5_n4", n_null=50, timestamp=False
        )
        cli = runner.invoke(
            app,
            ["report", "table1", "--model", "eq5_n4", "-o", str(tmp_path / "cli"),
             "--format", "html", "--no-timestamp", "--json"],
        )  # fmt: skip
    finally:
        SECTIONS[:] = saved
    html = paths.html.read_text(encoding="utf-8")
    assert "Fitted with eq5_n4: ln tc = ln C + 1·ln bc + -0.25·ln n + -0.5·ln i" in html
    assert "This report fits the model eq5_n4, not Eq. (5)" in html
    assert paths.summary["toy_model"] == {"model": "eq5_n4"}
    assert paths.summary["summary"]["model"] == "eq5_n4"
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.stdout)["summary"]["model"] == "eq5_n4"
