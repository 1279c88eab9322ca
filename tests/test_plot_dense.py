"""Figures of many materials (issue 13): above ``DENSE_ABOVE`` materials the report's figures
show densities (hexbin, histograms) of fixed size and label only the most extreme materials."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

import tcfit
from tcfit import plot
from tcfit.plot import DENSE_ABOVE, LABELS_AT_MOST

N = 1500


@pytest.fixture(scope="module")
def many():
    rng = np.random.default_rng(7)
    i = rng.integers(1, 6, N)
    n = 10 ** rng.uniform(28.5, 29.5, N)
    tc = 10 ** rng.uniform(-1, 1, N)
    bc = tc * n ** (1 / 6) * np.sqrt(i) / tcfit.PREFACTOR * np.exp(rng.normal(0, 0.05, N))
    frame = pd.DataFrame({"material": [f"m{k}" for k in range(N)], "tc": tc, "bc": bc, "n": n})
    return tcfit.fit(frame)


def _worst(table: pd.DataFrame, column: str, k: int = LABELS_AT_MOST) -> set[str]:
    order = np.argsort(-np.abs(table[column].to_numpy(float)), kind="stable")[:k]
    return set(table["material"].to_numpy()[order])


def test_parity_is_a_hexbin_of_every_material_with_the_worst_labelled(many):
    with plot.offscreen():
        ax = plot.parity(many)
    hexbins = [
        c for c in ax.collections if isinstance(c, PolyCollection) and c.get_array() is not None
    ]
    assert len(hexbins) == 1
    assert int(np.asarray(hexbins[0].get_array()).sum()) == N  # every material in a cell
    labels = {t.get_text() for t in ax.texts}
    assert labels == _worst(many.table, "residual")
    within5 = int((np.abs(many.table["residual"]) <= 0.05).sum())
    assert any(f"{within5} within 5 %" in t.get_text() for t in ax.get_legend().get_texts())


def test_residuals_are_a_histogram_of_fixed_size(many):
    with plot.offscreen():
        ax = plot.residuals(many)
    heights = sum(p.get_height() for c in ax.containers for p in c)
    assert heights == N
    assert ax.figure.get_figheight() == pytest.approx(plot.WIDTH * 0.55)
    box = ax.texts[0].get_text()
    assert {line.split()[0] for line in box.splitlines()[1:]} == _worst(many.table, "residual")


def test_implied_i_is_a_histogram_against_the_allowed_values(many):
    fig = Figure()
    ax = plot.implied_i(many, ax=fig.add_subplot())
    assert sum(p.get_height() for c in ax.containers for p in c) == N
    lines = [ln.get_xdata()[0] for ln in ax.lines if ln.get_linestyle() == ":"]
    assert set(lines) <= {float(v) for v in many.policy.values}
    assert {1.0, 2.0, 3.0} <= set(lines)


def test_few_materials_keep_one_mark_per_material():
    fit = tcfit.fit("table1")
    assert len(fit.table) <= DENSE_ABOVE
    with plot.offscreen():
        ax = plot.parity(fit)
        bars = plot.residuals(fit)
    assert {t.get_text() for t in ax.texts} == set(fit.table["material"])
    assert len(bars.get_yticklabels()) == len(fit.table)


def test_a_long_name_is_cut_in_the_residual_box(many):
    table = many.table.copy()
    worst = int(np.argmax(np.abs(table["residual"].to_numpy())))
    table.loc[worst, "material"] = "X" * 300
    with plot.offscreen():
        ax = plot.residuals(table)
    first = ax.texts[0].get_text().splitlines()[1]
    assert first.startswith("X" * 23 + "…")
    assert len(first.split()[0]) == 24
