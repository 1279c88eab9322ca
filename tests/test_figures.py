"""The report's figures: labelled axes with units, deterministic SVG, safe with hostile names.

The figures are drawn by :mod:`tcfit.plot` (the public functions the report calls) and rendered
by the report's :func:`tcfit.reports._plotting.render`.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

import numpy as np
import pandas as pd
import pytest

import tcfit
from tcfit import plot
from tcfit.profiles import Profile
from tcfit.reports import _plotting

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def result() -> tcfit.FitResult:
    """The real fit of a small synthetic table, with a hostile and a mathtext-like name."""
    rng = np.random.default_rng(7)
    i_true = np.array([1.0, 2.0, 3.0, 5.0, 12.0])
    n = np.array([1.8e29, 1.3e29, 2.8e29, 4.6e29, 2.2e29])
    bc = np.array([0.01, 0.03, 0.08, 0.02, 0.15])
    tc = tcfit.tc(bc, n, i_true) * np.exp(rng.normal(0, 0.02, i_true.size))
    data = pd.DataFrame(
        {
            "material": ["Al", HOSTILE, "$\\frac{", "Re", "Nb"],
            "tc": tc,
            "bc": bc,
            "n": n,
            "i": i_true,
        }
    )
    return tcfit.fit(data)


@pytest.fixture(scope="module")
def table(result) -> pd.DataFrame:
    return result.table


@pytest.fixture(scope="module")
def lattice(result) -> tcfit.LatticeTest:
    """A lattice test whose evidence scan is a known bump (ln BF runs off the bottom)."""
    test = tcfit.lattice_test(result, n_sim=19)
    return dataclasses.replace(
        test, evidence=_evidence_table(), flip_scale=0.054 / 0.109, sigma_eff=0.085
    )


def _root(drawn):
    """The figure an Axes or a Figure of tcfit.plot belongs to."""
    return drawn if hasattr(drawn, "savefig") else drawn.figure


def _all_figures(result: tcfit.FitResult, lattice: tcfit.LatticeTest) -> dict[str, object]:
    table = result.table
    bcs_table = table.assign(tc_bcs=table["tc"] * 1.2, i_bcs=table["i_implied"] * 0.8)
    sources = pd.DataFrame(
        {
            "material": table["material"],
            "i_implied_a": table["i_implied"],
            "i_implied_b": table["i_implied"] * 1.3,
            "changed": [False, True, False, True, False],
        }
    )
    grid = [1, 2, 3, 4, 5, 6, 12]
    with plot.offscreen():
        drawn = {
            "parity": plot.parity(result),
            "residuals": plot.residuals(result),
            "implied_i": plot.implied_i(table, grid=grid, policy="integer"),
            "global_fit": plot.global_fit(tcfit.fit_global(result)),
            "bcs": plot.predictor(bcs_table),
            "sources": plot.sources(sources, label_a="a", label_b="b"),
            "evidence": plot.evidence(lattice, stated=0.109, modern=0.03),
            "profiles": plot.profiles([_profile()]),
            "valence": plot.valence(_valence_table(table), grid=grid),
        }
    return {name: _root(d) for name, d in drawn.items()}


def _evidence_table() -> pd.DataFrame:
    """An evidence scan shaped like LatticeTest.evidence: a bump of ln BF over log σ."""
    sigma = np.geomspace(0.02, 0.3, 57)
    x = np.log(sigma / 0.085)
    return pd.DataFrame(
        {
            "sigma_eff": sigma,
            "ln_bayes_factor": 3.2 - 40 * np.minimum(x, 0) ** 2 - 2 * np.maximum(x, 0) ** 2,
            "posterior_lattice": np.exp(-0.5 * (x / 0.2) ** 2) / 0.5,
            "posterior_continuous": np.full(sigma.size, 0.36),
        }
    )


def _profile() -> Profile:
    values = np.linspace(-0.5, 1.0, 151)
    delta = np.abs(np.sin(6 * values)) * 8 + (values - 0.4) ** 2 * 10
    delta -= delta.min()
    curve = pd.DataFrame({"value": values, "chi_square": delta, "delta_chi_square": delta})
    return Profile(
        parameter="alpha",
        curve=curve,
        best=float(values[delta.argmin()]),
        chi_square_min=0.0,
        reference=1 / 6,
        chi_square_reference=float(np.interp(1 / 6, values, delta)),
        allowed=((0.0, 0.1), (0.5, 0.6), (1.0, 1.0)),
        reference_allowed=False,
        open_ends=(False, True),
        sigma="effective variance at the trial values",
        policy="integer",
    )


def _valence_table(table: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"material": table["material"]})
    for k, c in enumerate(("data", "group", "d10")):
        out[f"i_implied_{c}"] = table["i_implied"].to_numpy() * (1 + 0.5 * k * (out.index == 1))
        out[f"changed_{c}"] = (out.index == 1) & (k > 0)
    return out


@pytest.fixture(scope="module")
def rendered(result, lattice) -> dict[str, tuple[str, bytes]]:
    return {name: _plotting.render(fig) for name, fig in _all_figures(result, lattice).items()}


def _label(ax, axis: str) -> str:
    """An axis's label, or the label of the panel it shares that axis with (stacked panels)."""
    shared = ax.get_shared_x_axes() if axis == "x" else ax.get_shared_y_axes()
    labels = [getattr(a, f"get_{axis}label")() for a in [ax, *shared.get_siblings(ax)]]
    return next((label for label in labels if label), "")


def test_every_axis_is_labelled_with_units_or_marked_dimensionless(result, lattice):
    units = ("(K)", "(%)", "dimensionless", "(1/%)", "i")
    for name, fig in _all_figures(result, lattice).items():
        for ax in fig.axes:
            label = _label(ax, "x")
            assert label, f"{name}: x axis without a label"
            assert any(u in label for u in units), f"{name}: {label!r} names no unit"
            if name in {"parity", "bcs", "sources", "evidence", "profiles"}:
                assert _label(ax, "y"), f"{name}: y axis without a label"


def test_parity_bands_and_labels(table):
    with plot.offscreen():
        ax = plot.parity(table)
    assert ax.get_xscale() == ax.get_yscale() == "log"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "±5 %" in legend
    assert "±10 %" in legend
    names = {t.get_text() for t in ax.texts}
    assert set(table["material"]) <= names


def test_evidence_is_drawn_against_the_error_scale_on_a_log_axis(lattice):
    with plot.offscreen():
        fig = plot.evidence(lattice, stated=0.109, modern=0.03)
    top, bottom = fig.axes
    assert bottom.get_xscale() == "log"
    assert top.get_ylim()[0] == plot.EVIDENCE_BOTTOM  # ln BF runs off, stated
    marked = {
        round(line.get_xdata()[0], 3) for line in top.get_lines() if len(line.get_xdata()) == 2
    }
    assert {0.109, 0.054, 0.03} <= marked
    bands = {t.get_text() for t in top.texts}
    assert {"positive", "strong", "strong against", "very strong against"} <= bands
    legend = [t.get_text() for t in bottom.get_legend().get_texts()]
    assert legend[:2] == ["lattice", "continuous"]


def test_profiles_shade_each_allowed_interval_apart():
    panel = _profile()
    with plot.offscreen():
        ax = plot.profiles([panel]).axes[0]
    spans = [p for p in ax.patches if p.get_facecolor()[3] > 0]
    assert len(spans) == len(panel.allowed) == 3
    edges = sorted((p.get_x(), p.get_x() + p.get_width()) for p in spans)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(edges))  # disjoint
    assert all(width > 0 for _, width in ((e[0], e[1] - e[0]) for e in edges))  # even [1, 1]
    assert ax.get_ylim() == (0.0, plot.PROFILE_TOP)


def test_implied_i_draws_the_allowed_grid(table):
    with plot.offscreen():
        ax = plot.implied_i(table, grid=[1, 2, 3, 4, 5, 6, 12], policy="integer")
    xs = {line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() == ":"}
    lo, hi = ax.get_xlim()
    assert xs == {v for v in (1, 2, 3, 4, 5, 6, 12) if lo <= v <= hi}


def test_svg_is_the_same_bytes_when_built_again(result, lattice, rendered):
    again = {name: _plotting.render(fig) for name, fig in _all_figures(result, lattice).items()}
    for name, (svg, png) in rendered.items():
        assert again[name][0] == svg, name
        assert again[name][1] == png, name


def test_svg_has_no_date_no_comments_no_external_reference(rendered):
    for name, (svg, _png) in rendered.items():
        assert "<dc:date>" not in svg, name
        assert "<!--" not in svg, name
        refs = re.findall(r'(?:href|src)="([^"]*)"', svg)
        assert refs, name
        assert all(r.startswith("#") for r in refs), name
        assert "url(http" not in svg


def test_png_is_a_png(rendered):
    for name, (_svg, png) in rendered.items():
        assert png[:8] == b"\x89PNG\r\n\x1a\n", name
        assert b"Software" not in png[:2000], name


def test_user_text_is_drawn_not_parsed_or_injected(rendered):
    # The names are drawn as glyph paths: neither the raw tag nor a mathtext error survives.
    for name, (svg, _png) in rendered.items():
        assert HOSTILE not in svg, name
        assert "<script" not in svg, name


def test_inline_svg_prefixes_ids_so_figures_can_share_a_page(rendered):
    pages = [
        _plotting.inline_svg(svg, prefix=f"fig-{name}", title=f"{name} <b>")
        for name, (svg, _png) in rendered.items()
    ]
    ids = [i for page in pages for i in re.findall(r'\bid="([^"]+)"', page)]
    assert len(ids) == len(set(ids))
    for page, name in zip(pages, rendered, strict=True):
        assert page.startswith("<svg")
        assert f'<title id="fig-{name}-title">{name} &lt;b&gt;</title>' in page
        local = set(re.findall(r'\bid="([^"]+)"', page))
        for ref in re.findall(r'href="#([^"]+)"', page) + re.findall(r"url\(#([^)]+)\)", page):
            assert ref in local
        assert not re.search(r'<svg[^>]*\swidth="', page)
