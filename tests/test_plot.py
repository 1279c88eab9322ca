"""tcfit.plot: every report figure drawn from Python, onto a given or a new Axes/Figure.

The report draws through these same functions: a figure drawn here is the report's file, byte
for byte. ``result.plot(kind=...)`` on the four result classes picks the function by name.
"""

from __future__ import annotations

import doctest
import subprocess
import sys

import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import tcfit
from tcfit import plot
from tcfit.analysis import Analysis, analyse
from tcfit.reports import build
from tcfit.reports._plotting import render


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse("table1", n_null=200)


@pytest.fixture(autouse=True)
def _close_pyplot_figures():
    """Every pyplot figure a test made is closed after it (pyplot warns beyond 20)."""
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def test_import_loads_neither_matplotlib_nor_seaborn():
    code = (
        "import sys, tcfit.plot; "
        "print(','.join(m for m in ('matplotlib', 'seaborn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_facade_exports_the_module():
    assert "plot" in tcfit.__all__
    assert tcfit.plot is plot


#: (function, what it draws from, Axes or Figure) of every figure of the report.
AXES_FUNCTIONS = ("parity", "residuals", "implied_i")
FIGURE_FUNCTIONS = ("predictor",)


@pytest.mark.parametrize("name", AXES_FUNCTIONS)
def test_axes_figures_draw_onto_the_axes_given(analysis, name):
    fig = Figure()
    ax = fig.add_subplot()
    drawn = getattr(plot, name)(analysis.result, ax=ax)
    assert drawn is ax
    assert ax.get_title()
    assert ax.get_xlabel()
    assert fig.axes == [ax]


def test_figure_figures_draw_into_the_figure_given(analysis):
    fig = Figure()
    for draw, part in [
        (plot.predictor, analysis.result),
        (plot.evidence, analysis.lattice),
        (plot.profiles, analysis.profiles),
        (plot.global_fit, analysis.global_fit),
    ]:
        target = Figure()
        assert draw(part, fig=target) is target
        assert len(target.axes) >= 2
    sub = fig.subfigures(1, 2)
    assert plot.profiles(analysis.profiles, fig=sub[0]) is sub[0]
    assert len(fig.axes) == 3  # a SubFigure takes the panels: α, β and s


def test_a_new_figure_is_pyplots_outside_offscreen_and_plain_inside(analysis):
    import matplotlib.pyplot as plt

    ax = plot.parity(analysis.result)
    assert ax.figure.number in plt.get_fignums()  # shows in a notebook
    before = plt.get_fignums()
    with plot.offscreen():
        ax = plot.residuals(analysis.result)
        fig = plot.evidence(analysis.lattice)
    assert plt.get_fignums() == before  # pyplot never saw them
    assert isinstance(fig, Figure)
    assert isinstance(ax.figure, Figure)
    assert fig.get_layout_engine() is not None  # constrained, as in the report


def test_the_report_draws_its_figures_with_these_functions(analysis, tmp_path):
    """Each figure of the report, drawn again here, is the same SVG and PNG, byte for byte."""
    paths = build(analysis, tmp_path, formats="html", timestamp=False)
    kinds = {
        "evidence": "evidence",
        "profiles": "profiles",
        "global_fit": "global_fit",
        "bcs": "predictor",
        "valence": "valence",
        "parity": "parity",
        "residuals": "residuals",
        "implied_i": "implied_i",
    }
    assert set(paths.figures) == set(kinds)
    for name, kind in kinds.items():
        with plot.offscreen():
            drawn = analysis.plot(kind)
        fig = drawn if isinstance(drawn, Figure) else drawn.figure
        svg, png = render(fig)
        assert paths.figures[name]["svg"].read_text(encoding="utf-8") == svg, name
        assert paths.figures[name]["png"].read_bytes() == png, name


@pytest.mark.parametrize(
    ("owner", "kind", "returns"),
    [
        ("result", None, Axes),
        ("result", "parity", Axes),
        ("result", "residuals", Axes),
        ("result", "implied_i", Axes),
        ("result", "predictor", Figure),
        ("lattice", None, Figure),
        ("profile", None, Axes),
        ("analysis", None, Figure),
        ("analysis", "profiles", Figure),
        ("analysis", "global_fit", Figure),
        ("analysis", "valence", Axes),
    ],
)
def test_result_plot_methods(analysis, owner, kind, returns):
    obj = {
        "result": analysis.result,
        "lattice": analysis.lattice,
        "profile": analysis.profiles["beta"],
        "analysis": analysis,
    }[owner]
    with plot.offscreen():
        drawn = obj.plot() if kind is None else obj.plot(kind=kind)
    assert isinstance(drawn, returns)


def test_a_profile_panel_names_its_parameter_and_the_allowed_set(analysis):
    p = analysis.profiles["alpha"]
    with plot.offscreen():
        ax = p.plot()
    assert ax.get_title() == "α, exponent of n; Eq. (5): 1/6"
    assert ax.get_xlabel() == "α (dimensionless)"
    spans = [patch for patch in ax.patches if patch.get_facecolor()[3] > 0]
    assert len(spans) == len(p.allowed)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["allowed set", "Δχ² = 3.84", "Eq. (5)'s value", "minimum"]


def test_a_drawn_figure_can_be_customised_and_saved(analysis, tmp_path):
    with plot.offscreen():
        ax = analysis.result.plot("implied_i")
    ax.set_title("My title")
    ax.figure.savefig(tmp_path / "implied.png")
    assert (tmp_path / "implied.png").read_bytes()[:4] == b"\x89PNG"
    assert ax.get_title() == "My title"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda a: a.result.plot("evidence"), "The `kind` parameter must be one of 'parity'"),
        (lambda a: a.plot("sources"), "no 'sources' figure: analyse was given no second"),
        (lambda a: plot.draw(a.global_fit), "tcfit.plot.draw draws a FitResult"),
        (lambda a: plot.parity([1, 2, 3]), "Expected a tcfit.FitResult or its per-material"),
        (lambda a: plot.profiles([]), "The `profiles` parameter must be a tcfit.Profile"),
    ],
)
def test_refusals(analysis, call, match):
    with plot.offscreen(), pytest.raises(tcfit.InputError, match=match):
        call(analysis)


def test_the_predictor_needs_data_with_gamma():
    data = tcfit.datasets.load("table1")[["material", "tc", "bc", "n"]]
    with plot.offscreen(), pytest.raises(tcfit.InputError, match="Sommerfeld γ"):
        tcfit.fit(data).plot("predictor")


def test_the_sources_figure_of_an_analysis_with_a_second_source():
    other = tcfit.datasets.load("table1").copy()
    other["bc"] = other["bc"] * 1.25
    a = analyse("table1", compare=other, n_null=50)
    with plot.offscreen():
        ax = a.plot("sources")
    assert ax.get_xlabel() == "implied i from table1"
    assert "assignment changes" in " ".join(t.get_text() for t in ax.get_legend().get_texts())


@pytest.mark.parametrize("module", ["tcfit.plot", "tcfit.plot._style"])
def test_doctests(module, tmp_path, monkeypatch):
    import importlib

    monkeypatch.chdir(tmp_path)
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_style_keeps_interactive_mode_a_backend_turned_on_inside():
    """Jupyter's inline backend is loaded at the first figure, inside ``plot.style()``, and
    turns interactive mode on; the style's rc_context must not undo that on exit, or no later
    figure of the notebook shows (found by executing docs/notebooks/tour.ipynb). Every other
    setting is restored."""
    import matplotlib as mpl

    key = "axes.labelsize"  # 9 in the style, "medium" by default
    was, before = mpl.is_interactive(), mpl.rcParams[key]
    try:
        mpl.interactive(False)
        with plot.style():
            assert mpl.rcParams[key] == plot.RC[key]
            mpl.interactive(True)  # what the inline backend does when it is loaded
        assert mpl.is_interactive()
        assert mpl.rcParams[key] == before
        with plot.style():
            pass
        assert mpl.is_interactive()
    finally:
        mpl.interactive(was)
