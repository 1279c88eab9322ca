"""A report on many materials in a real browser: the page opens with a bounded DOM, the
searchable view pages through every material, finds by name and sorts, and a hostile name in
the embedded data runs no script."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tcfit
from tcfit.analysis import analyse
from tcfit.reports import build
from tcfit.reports.sections.materials import PAGE_ROWS, WORST_ROWS

from .test_report_page import _click_header, _open, _problems, _requests

pytestmark = pytest.mark.browser

N = 1200


def synthetic(n: int, seed: int = 11) -> pd.DataFrame:
    """Materials whose i are integers, 5 % scatter; two names that try to be markup."""
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
def long_html(tmp_path_factory):
    analysis = analyse(synthetic(N), n_null=50)
    return build(analysis, tmp_path_factory.mktemp("long"), formats="html", timestamp=False).html


def _texts(browser, session, selector, column=0):
    return browser.evaluate(
        f"Array.from(document.querySelectorAll('{selector} tbody tr'))"
        f".map(r => r.cells[{column}].textContent)",
        session=session,
    )


def test_the_long_page_opens_with_a_bounded_table(browser, long_html):
    session = _open(browser, long_html)
    assert _problems(browser) == []
    # Nothing from anywhere: the page itself and inline data: images (the hexbin's colour bar).
    requests = _requests(browser)
    assert requests[0] == long_html.resolve().as_uri()
    assert all(r.startswith("data:image/png;base64,") for r in requests[1:])
    assert len(_texts(browser, session, "#material-table")) == WORST_ROWS
    assert len(_texts(browser, session, "#material-all")) == PAGE_ROWS
    rows = browser.evaluate("document.querySelectorAll('tr').length", session=session)
    assert rows < 600, f"{rows} table rows in the DOM for {N} materials"
    count = browser.evaluate(
        "document.getElementById('material-count').textContent", session=session
    )
    assert count == f"{N} of {N} materials; page 1 of {-(-N // PAGE_ROWS)}"


def test_pages_search_and_sort(browser, long_html):
    session = _open(browser, long_html)
    first = _texts(browser, session, "#material-all")
    assert first[:5] == [f"m{k}" for k in range(5)]  # table order, page by page
    assert len(first) == PAGE_ROWS
    browser.evaluate("document.getElementById('material-next').click()", session=session)
    second = _texts(browser, session, "#material-all")
    assert second[0] == f"m{PAGE_ROWS}"
    assert not set(first) & set(second)
    browser.evaluate(
        """(() => { const s = document.getElementById('material-search');
                   s.value = 'm119'; s.dispatchEvent(new Event('input')); })()""",
        session=session,
    )
    found = _texts(browser, session, "#material-all")
    assert sorted(found) == sorted(f"m{k}" for k in range(N) if f"m{k}".startswith("m119"))
    browser.evaluate(
        """(() => { const s = document.getElementById('material-search');
                   s.value = ''; s.dispatchEvent(new Event('input')); })()""",
        session=session,
    )
    _click_header(browser, session, "Material", "material-all")
    names = sorted((f"m{k}" for k in range(N) if k not in (5, 6)), key=str.lower)
    names = sorted([*names, "</script><script>alert(1)</script>", "A & B <i>"], key=str.lower)
    assert _texts(browser, session, "#material-all") == names[:PAGE_ROWS]
    assert _problems(browser) == []


def test_a_hostile_name_in_the_data_is_text(browser, long_html):
    session = _open(browser, long_html)
    browser.evaluate(
        """(() => { const s = document.getElementById('material-search');
                   s.value = 'script'; s.dispatchEvent(new Event('input')); })()""",
        session=session,
    )
    assert _texts(browser, session, "#material-all") == ["</script><script>alert(1)</script>"]
    assert browser.evaluate("document.scripts.length", session=session) == 2
    assert _problems(browser) == []
