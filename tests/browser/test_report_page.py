"""The HTML report in a real browser: headless Chromium, network off.

Checks what only a browser can: every figure is painted with a non-zero size, the page logs no
error (a Content-Security-Policy violation would be one), nothing is fetched from the network,
a hostile material name runs no script, and clicking a column header re-sorts the table.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tcfit
from tcfit.analysis import analyse
from tcfit.reports import build

from ._cdp import Chromium

pytestmark = pytest.mark.browser

FIGURES = [
    "fig-evidence",  # the lattice test
    "fig-profiles",  # the profiles, then the conditional fits
    "fig-global_fit",
    "fig-bcs",  # the independent predictor: table1 carries the sourced γ
    "fig-valence",
    "fig-parity",
    "fig-residuals",
    "fig-implied_i",
]


@pytest.fixture(scope="module")
def table1_html(tmp_path_factory) -> Path:
    analysis = analyse("table1", n_null=200)  # a cheap quantization test: same page, same code
    return build(analysis, tmp_path_factory.mktemp("page"), formats="html", timestamp=False).html


def _open(browser: Chromium, html: Path) -> str:
    """Open ``html`` offline in a new tab; return the session id once the page has loaded."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
        "sessionId"
    ]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.send(f"{domain}.enable", session=session)
    browser.send(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        session=session,
    )
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        session=session,
    )
    browser.send("Page.navigate", {"url": html.resolve().as_uri()}, session=session)
    browser.wait_for("Page.loadEventFired")
    browser.drain(0.5)  # late console messages or requests
    return session


def _problems(browser: Chromium) -> list[str]:
    out = []
    for event in browser.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            out.append(f"exception: {params['exceptionDetails']}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
            out.append(f"console.{params['type']}: {params.get('args')}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            out.append(f"log: {params['entry'].get('text')}")
        elif method == "Page.javascriptDialogOpening":
            out.append(f"dialog: {params.get('message')}")
    return out


def _requests(browser: Chromium) -> list[str]:
    return [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]


def test_page_loads_offline_without_errors_or_requests(browser, table1_html):
    _open(browser, table1_html)
    assert _problems(browser) == []
    assert _requests(browser) == [table1_html.resolve().as_uri()]


def test_every_figure_is_painted_with_a_non_zero_size(browser, table1_html):
    from matplotlib.image import imread

    session = _open(browser, table1_html)
    boxes = browser.evaluate(
        """Array.from(document.querySelectorAll('figure')).map(f => {
             const svg = f.querySelector('svg');
             f.scrollIntoView();
             const r = svg.getBoundingClientRect(), b = svg.getBBox();
             return {id: f.id, width: r.width, height: r.height, bbox: [b.width, b.height],
                     x: r.left + window.scrollX, y: r.top + window.scrollY};
           })""",
        session=session,
    )
    assert [b["id"] for b in boxes] == FIGURES
    for box in boxes:
        assert box["width"] > 200, box
        assert box["height"] > 100, box
        assert min(box["bbox"]) > 50, box  # the drawing inside has a size, too
        shot = browser.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {
                    "x": box["x"],
                    "y": box["y"],
                    "width": box["width"],
                    "height": box["height"],
                    "scale": 1,
                },
            },
            session=session,
        )
        pixels = imread(io.BytesIO(base64.b64decode(shot["data"])), format="png")
        colours = np.unique(pixels.reshape(-1, pixels.shape[-1]).round(2), axis=0)
        assert len(colours) > 20, f"{box['id']} looks blank ({len(colours)} colours)"


def _column(
    browser: Chromium, session: str, index: int, table: str = "material-table"
) -> list[str]:
    return browser.evaluate(
        f"""Array.from(document.querySelectorAll('#{table} tbody tr'))
              .map(r => r.cells[{index}].getAttribute('data-sort') ?? r.cells[{index}].textContent)
        """,
        session=session,
    )


def _click_header(
    browser: Chromium, session: str, label: str, table: str = "material-table"
) -> None:
    """A real mouse click (press and release) at the centre of the header's button."""
    point = browser.evaluate(
        f"""(() => {{
              const b = Array.from(document.querySelectorAll('#{table} thead button'))
                             .find(x => x.textContent.trim() === {label!r});
              b.scrollIntoView({{block: 'center'}});
              const r = b.getBoundingClientRect();
              return [r.left + r.width / 2, r.top + r.height / 2];
            }})()""",
        session=session,
    )
    for kind in ("mousePressed", "mouseReleased"):
        browser.send(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": point[0], "y": point[1], "button": "left", "clickCount": 1},
            session=session,
        )


def test_clicking_a_header_sorts_the_table(browser, table1_html):
    session = _open(browser, table1_html)
    headers = browser.evaluate(
        "Array.from(document.querySelectorAll('#material-table thead th'))"
        ".map(h => h.textContent.trim())",
        session=session,
    )
    residual = headers.index("Residual")
    materials = _column(browser, session, 0)
    before = [float(v) for v in _column(browser, session, residual)]
    assert before != sorted(before)

    _click_header(browser, session, "Residual")
    ascending = [float(v) for v in _column(browser, session, residual)]
    assert ascending == sorted(before)
    assert sorted(_column(browser, session, 0)) == sorted(materials)  # rows moved whole

    _click_header(browser, session, "Residual")
    assert [float(v) for v in _column(browser, session, residual)] == sorted(before, reverse=True)
    state = browser.evaluate(
        "document.querySelectorAll('#material-table thead th')"
        f"[{residual}].getAttribute('aria-sort')",
        session=session,
    )
    assert state == "descending"

    _click_header(browser, session, "Material")
    assert _column(browser, session, 0) == sorted(materials, key=str.lower)
    assert _problems(browser) == []


def test_the_leave_one_out_table_sorts_too(browser, table1_html):
    """The lattice section's leave-one-out table arrives sorted by ΔELPD and re-sorts on click."""
    session = _open(browser, table1_html)
    before = [float(v) for v in _column(browser, session, 3, "lattice-loo")]
    assert before == sorted(before, reverse=True)
    materials = _column(browser, session, 0, "lattice-loo")
    _click_header(browser, session, "Material", "lattice-loo")
    assert _column(browser, session, 0, "lattice-loo") == sorted(materials, key=str.lower)
    _click_header(browser, session, "ΔELPD", "lattice-loo")
    assert [float(v) for v in _column(browser, session, 3, "lattice-loo")] == sorted(before)
    assert _problems(browser) == []


def test_a_hostile_material_name_runs_no_script(browser, tmp_path):
    rng = np.random.default_rng(3)
    i_true = np.array([3.0, 2.0, 5.0])
    n = rng.uniform(1e29, 5e29, 3)
    bc = rng.uniform(0.005, 0.15, 3)
    data = pd.DataFrame(
        {
            "material": ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "Nb"],
            "tc": tcfit.tc(bc, n, i_true) * np.exp(rng.normal(0, 0.02, 3)),
            "bc": bc,
            "n": n,
        }
    )
    html = build(tcfit.fit(data), tmp_path / "hostile", formats="html", timestamp=False).html
    session = _open(browser, html)
    assert _problems(browser) == []
    assert _requests(browser) == [html.resolve().as_uri()]
    names = _column(browser, session, 0)
    assert names[:2] == ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>"]
    assert browser.evaluate("document.scripts.length", session=session) == 1


def test_every_column_of_the_materials_table_is_visible_at_1280_px(browser, table1_html):
    """At a 1280 px window no column hides behind a horizontal scroll, and a value with its
    uncertainty stays on one line."""
    session = _open(browser, table1_html)
    found = browser.evaluate(
        """(() => {
             const t = document.getElementById('material-table');
             const wrap = t.closest('.table-wrap');
             const boxes = Array.from(t.querySelectorAll('thead th, tbody td')).map(c => {
               const r = c.getBoundingClientRect();
               return [c.textContent.trim(), r.left, r.right];
             });
             const lines = Array.from(t.querySelectorAll('tbody td')).filter(
               c => c.textContent.includes('±')).map(c => {
                 const range = document.createRange();
                 range.selectNodeContents(c);
                 const rects = Array.from(range.getClientRects());
                 const tops = new Set(rects.map(r => Math.round(r.top)));
                 return [c.textContent, tops.size];
               });
             return {width: window.innerWidth, columns: t.rows[0].cells.length,
                     overflow: wrap.scrollWidth - wrap.clientWidth, boxes: boxes, lines: lines};
           })()""",
        session=session,
    )
    assert found["width"] == 1280
    assert found["columns"] == 12  # table1 has the reference column
    assert found["overflow"] <= 0, f"the table scrolls by {found['overflow']} px"
    outside = [b for b in found["boxes"] if b[1] < 0 or b[2] > found["width"]]
    assert outside == []
    assert len(found["lines"]) == 42  # Tc and implied i of 21 materials
    assert all(n == 1 for _, n in found["lines"]), [t for t, n in found["lines"] if n != 1]


def _wcag(rgb: list[float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_every_text_colour_as_painted_passes_aa(browser, table1_html):
    """For every element that holds text, its computed colour against the background it is
    painted on (the nearest ancestor's non-transparent background, else white), by the WCAG
    formula: at least 4.5:1. Every warning group is opened first, so its text counts too."""
    session = _open(browser, table1_html)
    pairs = browser.evaluate(
        """(() => {
             document.querySelectorAll('details').forEach(d => d.open = true);
             const rgba = s => (s.match(/[\\d.]+/g) || []).map(Number);
             const background = el => {
               for (let e = el; e; e = e.parentElement) {
                 const c = rgba(getComputedStyle(e).backgroundColor);
                 if (c.length === 4 ? c[3] > 0 : c.length === 3) return c.slice(0, 3);
               }
               return [255, 255, 255];
             };
             const out = {};
             document.querySelectorAll('body *').forEach(el => {
               if (el.closest('svg') || !el.getClientRects().length) return;
               const own = Array.from(el.childNodes).some(
                 n => n.nodeType === 3 && n.textContent.trim());
               if (!own) return;
               const fg = rgba(getComputedStyle(el).color), bg = background(el);
               const key = fg.join(',') + '|' + bg.join(',');
               out[key] = out[key] || [fg, bg, el.tagName + '.' + el.className];
             });
             return Object.values(out);
           })()""",
        session=session,
    )
    assert len(pairs) >= 8  # ink, muted, links, flags on white, tinted rows and panels
    ratios = []
    for fg, bg, where in pairs:
        alpha = fg[3] if len(fg) == 4 else 1.0
        fg_rgb = [alpha * f + (1 - alpha) * b for f, b in zip(fg[:3], bg, strict=True)]
        high, low = sorted((_wcag(fg_rgb), _wcag(bg)), reverse=True)
        ratios.append(((high + 0.05) / (low + 0.05), where, fg, bg))
    failing = [r for r in ratios if r[0] < 4.5]
    assert failing == [], failing
    assert min(r[0] for r in ratios) >= 4.5
