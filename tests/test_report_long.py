"""A report on many materials (issue 13): bounded page, bounded PDF, every material still there.

Above ``LONG_TABLE`` materials the page's table holds the ``WORST_ROWS`` of largest |z|, a
searchable view is fed from embedded JSON (escaped so no name can end the script element), and
the figures are densities (tests/test_plot_dense.py)."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

import tcfit
from tcfit.analysis import analyse
from tcfit.reports import build
from tcfit.reports.sections.materials import LONG_TABLE, WORST_ROWS

N = 600


def synthetic(n: int, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    i = rng.integers(1, 6, n)
    dens = 10 ** rng.uniform(28.5, 29.5, n)
    tc = 10 ** rng.uniform(-1, 1, n)
    bc = tc * dens ** (1 / 6) * np.sqrt(i) / tcfit.PREFACTOR * np.exp(rng.normal(0, 0.05, n))
    names = [f"m{k}" for k in range(n)]
    names[5] = "</script><script>alert(1)</script>"
    names[6] = "A & B <i>"
    return pd.DataFrame({"material": names, "tc": tc, "bc": bc, "n": dens})


@pytest.fixture(scope="module")
def long_report(tmp_path_factory):
    analysis = analyse(synthetic(N), n_null=100)
    paths = build(analysis, tmp_path_factory.mktemp("long") / "r", timestamp=False)
    return analysis, paths


def _table_rows(html: str, table_id: str) -> list[str]:
    body = html.split(f'<table id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr[^>]*>\s*<td[^>]*>(.*?)</td>", body, flags=re.S)


def test_the_page_table_holds_the_worst_materials_by_z(long_report):
    analysis, paths = long_report
    assert N > LONG_TABLE
    html = paths.html.read_text(encoding="utf-8")
    shown = _table_rows(html, "material-table")
    table = analysis.result.table
    order = np.argsort(-np.abs(table["z"].to_numpy()), kind="stable")[:WORST_ROWS]
    from markupsafe import escape

    assert shown == [str(escape(m)) for m in table["material"].to_numpy()[order]]
    assert f"{N} materials: the table shows the {WORST_ROWS} with the largest |z|" in html


def test_every_material_is_embedded_as_escaped_json(long_report):
    analysis, paths = long_report
    html = paths.html.read_text(encoding="utf-8")
    block = html.split('<script type="application/json" id="material-data">', 1)[1]
    block = block.split("</script>", 1)[0]
    assert "<" not in block
    assert ">" not in block
    data = json.loads(block)
    names = [row[1][0][0] for row in data["rows"]]
    assert names == analysis.result.table["material"].astype(str).tolist()
    # Two scripts: the page's one (CSP-hashed) and the inert data block.
    assert html.count("<script") == 2


def test_results_parquet_holds_every_material(long_report):
    analysis, paths = long_report
    back = pd.read_parquet(paths.results_parquet)
    expected = analysis.result.table.reset_index(drop=True)
    pd.testing.assert_frame_equal(back[expected.columns], expected, check_dtype=False)


def test_the_pdf_stays_short(long_report):
    from pypdf import PdfReader

    _, paths = long_report
    pages = len(PdfReader(paths.pdf).pages)
    assert pages < 40, f"{pages} pages for {N} materials"


def test_each_kind_of_warning_lists_the_most_extreme_and_counts_the_rest(long_report):
    from tcfit.reports.sections.warnings import LIST_AT_MOST

    analysis, paths = long_report
    html = paths.html.read_text(encoding="utf-8")
    table = analysis.result.table
    ambiguous = table[table["posterior_assigned"] < 0.8]
    assert len(ambiguous) > LIST_AT_MOST  # the synthetic data make many
    group = html.split('data-kind="ambiguous"', 1)[1].split("</details>", 1)[0]
    items = re.findall(r'<li class="">(.*?):', group)
    lowest = ambiguous.sort_values("posterior_assigned", kind="stable")["material"]
    from markupsafe import escape

    assert items == [str(escape(m)) for m in lowest.head(LIST_AT_MOST)]
    more = len(ambiguous) - LIST_AT_MOST
    assert f"… and {more} more of this kind" in group
    assert f"({len(ambiguous)})" in group
    assert html.count("<li") < 8 * (LIST_AT_MOST + 1)
