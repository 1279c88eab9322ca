"""``tcfit.predict`` and ``tcfit predict``: Eq. (5) solved for its one unknown."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from fractions import Fraction

import pint
import pytest
from typer.testing import CliRunner
from uncertainties import ufloat

import tcfit
from tcfit import PAPER_PREFACTOR, PREFACTOR, Prediction, predict
from tcfit.cli import app

UREG = pint.UnitRegistry()
runner = CliRunner()

AL_BC, AL_N = 0.0099, 1.812e29  # Table-1, row 1


def _eq5(bc, n, i, c=PREFACTOR):
    return c * bc / (n ** (1 / 6) * math.sqrt(i))


@pytest.mark.parametrize(("prefactor", "printed"), [(PREFACTOR, 2.055), (PAPER_PREFACTOR, 2.053)])
def test_done_when_al_at_i_1(prefactor, printed):
    """The paper: "if i = 1, Tc = 2.06 K" for Al."""
    result = predict("Al", i=1, prefactor=prefactor)
    assert result.quantity == "tc"
    assert result.value == pytest.approx(_eq5(AL_BC, AL_N, 1, prefactor), rel=1e-14)
    assert round(result.value, 3) == printed
    assert result.sources == {"bc": "table1", "n": "table1", "i": "given"}
    assert str(result) == f"Tc = {printed} K"


@pytest.mark.parametrize("i", [0.25, "1/4", " 1/4 ", Fraction(1, 4), "0.25"])
def test_fractions_of_i(i):
    assert predict(bc=AL_BC, n=AL_N, i=i).value == pytest.approx(_eq5(AL_BC, AL_N, 0.25))


def test_nb_at_one_hundredth():
    nb = tcfit.read("table1").set_index("material").loc["Nb"]
    assert predict("Nb", i="1/100").value == pytest.approx(_eq5(nb.bc, nb.n, 0.01), rel=1e-14)


@pytest.mark.parametrize(
    "bc", ["99 G", "99G", "9.9 mT", "99 Oe", "0.0099", "0.0099 T", 9.9 * UREG.mT, 99 * UREG.G]
)
@pytest.mark.parametrize(
    "n", ["1.812e29 m^-3", "1.812e29m^-3", "1.812e23 cm^-3", "1.812e23 cm⁻³", 1.812e29]
)
def test_units_as_in_files(bc, n):
    assert predict(bc=bc, n=n, i=1).value == pytest.approx(_eq5(AL_BC, AL_N, 1), rel=1e-12)


def test_temperature_text_and_quantity():
    for tc in ("1190 mK", "1.19 K", 1.19 * UREG.K, 1.19):
        result = predict(tc=tc, bc=AL_BC, n=AL_N)
        assert result.quantity == "i"
        assert result.value == pytest.approx(tcfit.implied_i(1.19, AL_BC, AL_N), rel=1e-12)


def test_solving_for_bc_and_n_round_trips():
    tc = _eq5(AL_BC, AL_N, 3)
    assert predict(tc=tc, n=AL_N, i=3).value == pytest.approx(AL_BC, rel=1e-12)
    assert predict(tc=tc, bc=AL_BC, i=3).value == pytest.approx(AL_N, rel=1e-12)
    bc = predict("Al", tc=tc, i=3, solve_for="bc")
    assert bc.quantity == "bc"
    assert bc.unit == "T"
    assert bc.value == pytest.approx(AL_BC, rel=1e-12)
    assert bc.sources == {"tc": "given", "n": "table1", "i": "given"}
    assert predict("al", tc=tc, i=3, solve_for="n").value == pytest.approx(AL_N, rel=1e-12)


def test_uncertainties_propagate():
    text = predict(bc="99 ± 2 G", n="1.812e29 m^-3", i="1/4")
    pair = predict(bc=("99 G", "2 G"), n=AL_N, i=0.25)
    given = predict(bc=ufloat(0.0099, 0.0002), n=AL_N, i=0.25)
    other = predict(bc="99+/-2 G", n=AL_N, i=0.25)
    for result in (text, pair, given, other):
        assert result.nominal_value == pytest.approx(_eq5(AL_BC, AL_N, 0.25), rel=1e-12)
        assert result.std_dev / result.nominal_value == pytest.approx(2 / 99, rel=1e-9)
    assert str(text) == "Tc = 4.11 ± 0.08 K"
    n_err = predict(tc=(1.19, 0.01), bc=AL_BC, i=3)  # n ∝ (Bc/Tc)⁶: six times the relative error
    assert n_err.std_dev / n_err.nominal_value == pytest.approx(6 * 0.01 / 1.19, rel=1e-9)
    assert predict(bc=(AL_BC, 0.0), n=AL_N, i=1).std_dev == 0.0  # a zero error stays a float


def test_to_dict_is_json():
    payload = predict("Al", i=1).to_dict()
    assert json.loads(json.dumps(payload)) == payload
    assert payload["inputs"]["bc"] == {
        "value": 0.0099,
        "std_dev": 0.0,
        "unit": "T",
        "source": "table1",
    }
    assert payload["unit"] == "K"


def test_prediction_is_frozen():
    result = predict("Al", i=1)
    assert isinstance(result, Prediction)
    with pytest.raises(AttributeError):
        result.value = 1.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"bc": AL_BC}, tcfit.InputError, "give exactly three of them .* got bc"),
        ({"tc": 1, "bc": 1, "n": 1, "i": 1}, tcfit.InputError, "got tc, bc, n, i"),
        ({"material": "Al"}, tcfit.InputError, r"give exactly three .* got bc, n\."),
        ({"material": "Xx", "i": 1}, tcfit.InputError, "'Xx' is not in the dataset 'table1'"),
        (
            {"material": "Al", "i": 1, "bc": 1, "solve_for": "bc"},
            tcfit.InputError,
            "`bc` is both given and asked for",
        ),
        ({"bc": 1, "n": 1, "i": 1, "solve_for": "Tc"}, tcfit.InputError, "The `solve_for`"),
        ({"bc": "9.9 s", "n": AL_N, "i": 1}, tcfit.UnitError, "The `bc` argument: .*wrong dim"),
        ({"bc": "9.9 blorp", "n": AL_N, "i": 1}, tcfit.UnitError, "pint does not understand"),
        ({"bc": AL_BC, "n": "1e29 T", "i": 1}, tcfit.UnitError, "The `n` argument"),
        ({"bc": 9.9 * UREG.s, "n": AL_N, "i": 1}, tcfit.UnitError, "The `bc` argument is in"),
        ({"bc": AL_BC, "n": AL_N, "i": "1 K"}, tcfit.UnitError, "`i` argument is a pure number"),
        ({"bc": "-9.9 mT", "n": AL_N, "i": 1}, tcfit.InputError, "`bc` argument must be finite"),
        ({"bc": -1.0, "n": AL_N, "i": 1}, tcfit.InputError, "`bc` argument must be finite"),
        ({"bc": "lots", "n": AL_N, "i": 1}, tcfit.InputError, "like '99 G', '99 ± 2 G'"),
        ({"bc": AL_BC, "n": AL_N, "i": "1/0"}, tcfit.InputError, "a fraction like '1/4'"),
        (
            {"bc": (ufloat(1, 0.1), 0.1), "n": AL_N, "i": 1},
            tcfit.InputError,
            "plain number or text in a",
        ),
    ],
)
def test_errors(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        predict(**kwargs)


def test_cli_done_when_al_at_i_1():
    result = runner.invoke(app, ["predict", "Al", "--i", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Tc = 2.055 K"
    result = runner.invoke(app, ["predict", "Al", "--i", "1", "--paper-prefactor"])
    assert result.output.splitlines()[0] == "Tc = 2.053 K"
    assert "1.560000 × 10⁷" in result.output


def test_cli_units_fractions_and_json():
    args = ["predict", "--bc", "99 ± 2 G", "--n", "1.812e29m^-3", "--i", "1/4", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["value"] == pytest.approx(_eq5(AL_BC, AL_N, 0.25))
    assert payload["std_dev"] / payload["value"] == pytest.approx(2 / 99)
    solved = runner.invoke(app, ["predict", "Nb", "--tc", "20K", "--i", "1", "--solve", "bc"])
    assert solved.exit_code == 0, solved.output
    assert solved.output.startswith("Bc = ")


def test_cli_errors_exit_2():
    result = runner.invoke(app, ["predict", "--bc", "9.9s", "--n", "1e29", "--i", "1"])
    assert result.exit_code == 2
    assert "Error: The `bc` argument" in result.output
    result = runner.invoke(app, ["predict", "Al"])
    assert result.exit_code == 2
    assert "give exactly three" in result.output


def test_cli_as_a_subprocess():
    out = subprocess.run(
        [sys.executable, "-m", "tcfit", "predict", "Al", "--i", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "Tc = 2.055 K" in out.stdout


def test_doctests():
    import doctest

    import tcfit.prediction

    assert doctest.testmod(tcfit.prediction, optionflags=doctest.ELLIPSIS).failed == 0
