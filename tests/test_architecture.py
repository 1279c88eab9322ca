"""The layout holds: imports flow one way, private names stay home, functions stay short.

``docs/architecture.md`` states the rules; this file enforces them on the source tree (read with
``ast``, so it sees function-level imports too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"fit": "tcfit", "datasets": "tcfit.datasets", "reports": "tcfit.reports"}

#: Layers, lowest first: a module may import only from its own layer and the layers before it.
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "tcfit.errors",
        "tcfit._validate",
        "tcfit._json",
        "tcfit._numeric",
        "tcfit._io",
        "tcfit._display",
        "tcfit._frames",
    ),
    ("tcfit.formatting", "tcfit.model", "tcfit.bcs"),
    ("tcfit.datasets",),
    ("tcfit.policies", "tcfit.models", "tcfit.options"),
    (
        "tcfit.summary",
        "tcfit.fitting",
        "tcfit.streaming",
        "tcfit.global_fit",
        "tcfit.quantization",
        "tcfit.lattice",
        "tcfit.profiles",
        "tcfit.valence",
        "tcfit.series",
        "tcfit.prediction",
        "tcfit.sources",
        "tcfit.baseline",
        "tcfit._compare",
        "tcfit.regression",
        "tcfit.reproduction",
        "tcfit.analysis",
        "tcfit.verdict",
        "tcfit.plot",
        "tcfit.pytest_plugin",
    ),
    ("tcfit.reports",),
    ("tcfit.cli", "tcfit.__main__"),
)

#: Longest function body allowed, in lines, docstring excluded.
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join([package, *parts])] = path
    return out


MODULES = _modules()


def _layer(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (length of the matching prefix, layer)
    for index, names in enumerate(LAYERS):
        for name in names:
            if module == name or module.startswith(name + "."):
                if best is None or len(name) > best[0]:
                    best = (len(name), index)
    return None if best is None else best[1]


def _imports(module: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, imported names, line) for every import statement in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((base, [a.name for a in node.names], node.lineno))
    return found


def test_every_module_has_a_layer():
    missing = [m for m in MODULES if m != "tcfit" and _layer(m) is None]
    assert not missing, f"Add these modules to a layer in tests/test_architecture.py: {missing}"


def _imported_modules(target: str, names: list[str]) -> list[str]:
    """The tcfit modules an import statement reaches (facade names mapped to their module)."""
    import tcfit

    if not names:
        return [] if target == "tcfit" else [target]
    out = []
    for name in names:
        if target == "tcfit":
            if name in tcfit._EXPORTS:
                out.append(tcfit._EXPORTS[name])
            elif name in tcfit._EAGER:
                out.append("tcfit.errors")
        else:
            out.append(f"{target}.{name}")
    return out


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "tcfit"))
def test_imports_flow_one_way(module):
    """No module imports from a later layer (the facade ``tcfit/__init__`` is exempt)."""
    own = _layer(module)
    bad = []
    for target, names, line in _imports(module, MODULES[module]):
        if not target.startswith("tcfit"):
            continue
        for imported in _imported_modules(target, names):
            layer = _layer(imported)
            if layer is not None and own is not None and layer > own:
                bad.append(f"line {line}: {imported}")
    assert not bad, f"{module} imports from a later layer: {bad}"


def _private_module_owner(target: str) -> str | None:
    """``tcfit.datasets._read`` belongs to ``tcfit.datasets``; None for a public module."""
    parts = target.split(".")
    for k, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:k])
    return None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_crosses_a_module_border(module):
    """``from x import _name`` is refused, and a private module is imported only from inside
    the package that owns it (``tcfit._io`` belongs to the whole of tcfit)."""
    bad = []
    for target, names, line in _imports(module, MODULES[module]):
        if not target.startswith("tcfit"):
            continue
        reached = [target] if not names else []
        for n in names:
            if f"{target}.{n}" in MODULES:
                reached.append(f"{target}.{n}")  # a submodule: the module rule decides
            elif n.startswith("_") and not n.startswith("__"):
                bad.append(f"line {line}: {target}.{n}")
            else:
                reached.append(target)
        for imported in reached:
            owner = _private_module_owner(imported)
            if owner is not None and not (module == owner or module.startswith(owner + ".")):
                bad.append(f"line {line}: private module {imported}")
    assert not bad, f"{module} reaches into private names: {bad}"


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        body = node.body
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            body = body[1:]
        if not body:
            continue
        lines = body[-1].end_lineno - body[0].lineno + 1  # type: ignore[operator]
        if lines > MAX_FUNCTION_LINES:
            out.append(f"{node.name} ({lines} lines, line {node.lineno})")
    return out


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_function_is_longer_than_the_limit(module):
    assert not _long_functions(MODULES[module])


def test_the_three_former_giants_are_small():
    for path in ("datasets/_read.py", "reports/_build.py", "fit/regression.py"):
        lines = len((ROOT / path).read_text(encoding="utf-8").splitlines())
        assert lines < 400, f"{path}: {lines} lines"


def test_the_layering_rule_is_written_down():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for names in LAYERS:
        for name in names:
            if any(m == name or m.startswith(name + ".") for m in MODULES):
                assert f"`{name}`" in text, f"docs/architecture.md does not place `{name}`"
