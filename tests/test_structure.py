"""The layout keeps its promises: the package's modules import no one in a circle, no module (nor
a test or script) reaches for another module's private names, functions stay short, and every
public name the package offers is there."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "transcompare"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module an ``from X import ...`` names."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, path: Path, top_level_only: bool):
    """(imported module, imported names) of each import in ``path``; with ``top_level_only``,
    only the imports that run when the module is imported (not those inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    if top_level_only:  # imports inside a try: at module level run too
        nodes = [n for top in tree.body for n in ([top] if not isinstance(top, ast.Try) else top.body + [top])]
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path.name == "__init__.py", node)
            yield target, tuple(a.name for a in node.names)


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        for target, names in _imports(mod, path, top_level_only=True):
            if not target.startswith("transcompare"):
                continue
            # "from .pkg import sub" imports the submodule sub when there is one
            for name in names:
                if f"{target}.{name}" in mods:
                    graph[mod].add(f"{target}.{name}")
            if target in mods:
                graph[mod].add(target)
            # importing a.b.c runs a and a.b first
            parts = target.split(".")
            for k in range(1, len(parts)):
                parent = ".".join(parts[:k])
                if parent in mods and parent != mod and not mod.startswith(parent + "."):
                    graph[mod].add(parent)
    return graph


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                cycle = stack[stack.index(n):] + [n]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def _private_uses(path: Path, module: str | None) -> list[str]:
    """Private names ``path`` takes from another module: ``from m import _x`` and ``m._x`` on a
    module it imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _resolve(module, path.name == "__init__.py", node) if module else (node.module or "")
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__") and target != module:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {target} import {a.name}")
                if target.startswith("transcompare") or node.level:
                    aliases.add(a.asname or a.name)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("transcompare"):
                    aliases.add(a.asname or a.name.split(".")[0])
    for node in ast.walk(tree):
        # setattr(module, "_name", ...) and monkeypatch.setattr(module, "_name", ...)
        if (isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))
                and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == "setattr"
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str) and node.args[1].value.startswith("_")
                and not node.args[1].value.startswith("__")):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}")
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and isinstance(node.value, (ast.Name, ast.Attribute))):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in aliases:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_takes_another_modules_private_names():
    found = []
    for mod, path in _modules().items():
        found += _private_uses(path, mod)
    for folder in ("tests", "scripts"):
        for path in (ROOT / folder).glob("*.py"):
            found += _private_uses(path, None)
    assert not found, "\n".join(found)


def test_functions_stay_short():
    long_ones = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > 80:
                    long_ones.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {n} lines")
    assert not long_ones, "\n".join(long_ones)


def test_the_stages_are_folders():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert {"read", "text", "align", "checks", "score", "render", "backends", "batch", "review"} <= folders
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "cli.py", "errors.py", "files.py", "model.py", "pipeline.py", "signature.py",
                     "versions.py"]


def test_every_public_name_is_importable_from_the_package():
    import transcompare

    for name in transcompare.__all__:
        assert getattr(transcompare, name) is not None, name
    # importing the module that defines a function does not replace the function by the module
    import transcompare.pipeline  # noqa: F401
    from transcompare import align_files, compare, compare_bitext, get_encoder, read_bitext

    assert all(callable(f) for f in (align_files, compare, compare_bitext, get_encoder, read_bitext))
    from transcompare.render import ALIGN_FORMATS, FORMATS, render

    assert callable(render) and "html" in FORMATS and "beads" in ALIGN_FORMATS
