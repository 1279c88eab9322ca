"""The tour notebook is stored without outputs, runs each result type and draws through
tcfit.plot; the checker of its executed HTML (``nox -s notebook``) finds what is missing.

Executing it needs Jupyter, so that is ``nox -s notebook`` (run by ``.ci/run``), not this file.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "docs" / "notebooks"


def _check_tour():
    spec = importlib.util.spec_from_file_location("check_tour", NOTEBOOKS / "check_tour.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_tour_is_stored_without_outputs_and_runs_every_result():
    nb = json.loads((NOTEBOOKS / "tour.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    source = "\n".join("".join(c["source"]) for c in code)
    for call in ("tcfit.fit(", "tcfit.lattice_test(", "tcfit.profile(", "tcfit.check("):
        assert call in source
    assert source.count("tcfit.plot.") + source.count(".plot(kind=") >= 2
    assert "%matplotlib" not in source  # figures must show without it (a user's first notebook)


def test_the_checker_names_what_the_executed_notebook_lacks():
    check = _check_tour()
    display = "<div class='tcfit-result'><h4>{}</h4><table></table></div>"
    image = '<img alt="a figure" src="data:image/png;base64,AAA">'
    complete = "".join(display.format(t) for t in check.DISPLAYS) + 2 * image
    assert check.problems(complete) == []
    missing = complete.replace(display.format("tcfit check"), "")
    assert check.problems(missing) == ["no rich display of 'tcfit check'"]
    assert check.problems(complete.replace(image, "", 1)) == [
        "1 inline images, expected at least 2"
    ]
    assert check.problems(complete + "Traceback (most recent call last)") == [
        "a cell raised an error"
    ]
