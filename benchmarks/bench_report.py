"""Timing of ``tcfit report`` on many materials: ``nox -s bench`` or
``python benchmarks/bench_report.py [--rows 10000]``.

Synthetic materials (integer i, 5 % log-normal scatter, seeded) are analysed once
(:func:`tcfit.analysis.analyse`) and laid out as HTML and PDF (:func:`tcfit.reports.build`),
with a stage breakdown: the imports, the read, the analyses, the sections (figures drawn and
rendered), the HTML, the PDF (WeasyPrint) and the files beside them. ``--dataset table1``
breaks down ``tcfit report table1`` instead (in a fresh interpreter: a cold start). Also
printed: the size of the HTML, the number of table rows in its DOM and the number of PDF pages —
what decides whether a browser opens the page quickly and the PDF stays readable. One run (a
report on 10⁴ rows takes about 20 s on two idle cores);
``--check`` exits 1 when the total exceeds the target.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

#: Upper bound in seconds of analyses + report (HTML and PDF) on ``--rows`` materials.
TARGET_SECONDS = 240.0


def synthetic(rows: int, seed: int = 0) -> Any:
    import numpy as np
    import pandas as pd

    import tcfit

    rng = np.random.default_rng(seed)
    i = rng.integers(1, 6, rows)
    n = 10 ** rng.uniform(28.5, 29.5, rows)
    tc = 10 ** rng.uniform(-1, 1, rows)
    bc = tc * n ** (1 / 6) * np.sqrt(i) / tcfit.PREFACTOR * np.exp(rng.normal(0, 0.05, rows))
    return pd.DataFrame({"material": [f"m{k}" for k in range(rows)], "tc": tc, "bc": bc, "n": n})


def run(rows: int, dataset: str | None = None) -> dict[str, Any]:
    """Time each stage on ``rows`` synthetic materials (or a built-in ``dataset``); seconds and
    sizes by name. The first stage, the imports, is a cold start only in a fresh interpreter."""
    from pypdf import PdfReader

    stages: dict[str, float] = {}
    started = time.perf_counter()
    import tcfit
    from tcfit.analysis import analyse
    from tcfit.reports import _build, build

    stages["imports"] = time.perf_counter() - started
    started = time.perf_counter()
    data = synthetic(rows) if dataset is None else tcfit.read(dataset)
    stages["read"] = time.perf_counter() - started
    started = time.perf_counter()
    analysis = analyse(data)
    stages["analyses"] = time.perf_counter() - started

    marks: list[tuple[str, float]] = []
    real_present, real_section, real_page, real_pdf = (
        _build.sections.present, _build.render_section, _build.render_page, _build.write_pdf,
    )  # fmt: skip

    def timed(name: str, func: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                marks.append((name, time.perf_counter() - start))

        return wrapper

    _build.sections.present = timed("sections and figures", real_present)
    _build.render_section = timed("HTML (templates)", real_section)
    _build.render_page = timed("HTML (templates)", real_page)
    _build.write_pdf = timed("PDF (WeasyPrint)", real_pdf)
    try:
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            paths = build(analysis, Path(folder) / "report", timestamp=False)
            total_build = time.perf_counter() - start
            html = paths.html.read_text(encoding="utf-8")
            pages = len(PdfReader(paths.pdf).pages)
    finally:
        _build.sections.present, _build.render_section, _build.render_page, _build.write_pdf = (
            real_present, real_section, real_page, real_pdf,
        )  # fmt: skip
    for name, seconds in marks:
        stages[name] = stages.get(name, 0.0) + seconds
    stages["files and the rest"] = total_build - sum(s for _, s in marks)
    return {
        "rows": len(data),
        "dataset": dataset or "synthetic",
        "seconds": stages,
        "total": stages["imports"] + stages["read"] + stages["analyses"] + total_build,
        "html_mb": len(html.encode("utf-8")) / 1e6,
        "html_table_rows": html.count("<tr"),
        "pdf_pages": pages,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--dataset", help="a built-in dataset (e.g. table1) instead of --rows")
    parser.add_argument("--json", action="store_true", help="print the timings as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args(argv)
    result = run(args.rows, args.dataset)
    missed = result["total"] > TARGET_SECONDS
    if args.json:
        print(json.dumps({**result, "target": TARGET_SECONDS, "missed": missed}, indent=2))
    else:
        print(f"tcfit report on {result['rows']} materials ({result['dataset']}):")
        for name, seconds in result["seconds"].items():
            print(f"  {name:24s} {seconds:8.1f} s")
        flag = "  MISSED" if missed else ""
        print(f"  {'total':24s} {result['total']:8.1f} s   (target < {TARGET_SECONDS:.0f} s){flag}")
        print(
            f"  HTML {result['html_mb']:.1f} MB with {result['html_table_rows']} table rows; "
            f"PDF {result['pdf_pages']} pages"
        )
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
