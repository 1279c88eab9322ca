"""Write ``tour.ipynb`` (without outputs) from the cells below: ``python make_tour.py``.

The notebook is stored without outputs; ``nox -s notebook`` executes it with
``jupyter nbconvert --execute --to html`` and ``check_tour.py`` checks the HTML.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

CELLS: list[tuple[str, str]] = [
    (
        "markdown",
        "# A tour of tcfit in a notebook\n\n"
        "Each result shows itself as a small table (PDG-rounded, with its verdict and "
        "warnings), prints a text summary with `print(result)`, and draws the report's "
        "figures with `tcfit.plot` (or `result.plot(kind=...)`) onto a Matplotlib Axes you "
        "can restyle and save.",
    ),
    ("code", "import tempfile\nfrom pathlib import Path\n\nimport tcfit"),
    ("markdown", "## Fit Eq. (5) to the paper's Table 1"),
    ("code", 'result = tcfit.fit("table1")\nresult'),
    ("code", "print(result)"),
    ("markdown", "Model against measured $T_c$, drawn by `tcfit.plot.parity`:"),
    ("code", 'ax = tcfit.plot.parity(result)\nax.set_title("Eq. (5) against Table 1");'),
    ("markdown", "The relative residuals, through `result.plot`:"),
    ("code", 'result.plot(kind="residuals");'),
    ("markdown", "## Is i quantized? The lattice test"),
    ("code", "lattice = tcfit.lattice_test(result, n_sim=99, seed=0)\nlattice"),
    ("code", "tcfit.plot.evidence(lattice);"),
    ("markdown", "## A profile: the exponent of Bc, with i re-assigned at every value"),
    ("code", 'profile = tcfit.profile(result, "alpha")\nprofile'),
    ("code", "tcfit.plot.profile(profile);"),
    ("markdown", "## Regression check against a stored baseline"),
    (
        "code",
        "folder = Path(tempfile.mkdtemp())\n"
        'baseline = tcfit.write_baseline("table1", folder / "table1.yml")\n'
        'check = tcfit.check("table1", baseline)\n'
        "check",
    ),
]


def notebook() -> nbformat.NotebookNode:
    """The tour as a notebook without outputs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell(src) if kind == "markdown" else nbformat.v4.new_code_cell(src)
        for kind, src in CELLS
    ]
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{k:02d}"  # stable ids: the stored file does not change run to run
    return nb


if __name__ == "__main__":
    nbformat.write(notebook(), Path(__file__).with_name("tour.ipynb"))
