"""Check the executed tour (``nox -s notebook``): ``python check_tour.py tour.html``.

Exit 1, naming what is missing, unless the HTML holds the rich display (``_repr_html_``) of
the fit, the lattice test, the profile and the check, at least two figures drawn through
``tcfit.plot`` (inline PNG images), and no error output.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

#: The heading of each result's rich display (tcfit._display).
DISPLAYS = (
    "tcfit fit of table1",
    "tcfit lattice test",
    "tcfit profile of alpha (i re-assigned)",
    "tcfit check",
)
MIN_IMAGES = 2


def problems(html: str) -> list[str]:
    """What the executed notebook's HTML lacks (empty when it is complete)."""
    found = []
    for title in DISPLAYS:
        pattern = r"<div class=.tcfit-result.><h4>" + re.escape(title) + "</h4>"
        if not re.search(pattern, html):
            found.append(f"no rich display of {title!r}")
    images = re.findall(r"<img[^>]+src=\"data:image/png;base64,", html)
    if len(images) < MIN_IMAGES:
        found.append(f"{len(images)} inline images, expected at least {MIN_IMAGES}")
    if "Traceback (most recent call last)" in html or 'class="ansi-red-fg">' in html:
        found.append("a cell raised an error")
    return found


def main(argv: list[str]) -> int:
    html = Path(argv[1]).read_text(encoding="utf-8")
    missing = problems(html)
    for line in missing:
        print(f"check_tour: {line}", file=sys.stderr)
    if not missing:
        print(f"check_tour: {len(DISPLAYS)} rich displays and the figures found")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
