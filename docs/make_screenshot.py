"""Regenerate docs/report-screenshot.png: the first screen of `tcfit report table1` in Chromium.

Run from the repository root with tcfit installed and Debian's chromium present::

    python docs/make_screenshot.py

The report is built without a timestamp; Chromium runs headless with no network and the flags
of the browser tests, and captures a 1280 × 900 window.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from tcfit.reports import build

OUT = Path(__file__).resolve().parent / "report-screenshot.png"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--hide-scrollbars",
    "--window-size=1280,900",
]


def main() -> int:
    chromium = sys.argv[1] if len(sys.argv) > 1 else "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp:
        html = build("table1", Path(tmp) / "report", formats="html", timestamp=False).html
        subprocess.run(
            [
                chromium,
                *FLAGS,
                f"--user-data-dir={Path(tmp) / 'profile'}",
                f"--screenshot={OUT}",
                html.as_uri(),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
