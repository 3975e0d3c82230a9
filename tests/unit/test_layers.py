"""Dependencies point one way: cli -> library (apps, cost, terraform, workbench) -> dynamo, aws,
errors, outputs. Walks the imports of every module of the package (ast, so imports inside
functions count too) and fails naming the module and the import that runs the wrong way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tooling

PACKAGE = Path(tooling.__file__).parent
HARNESS = ("tooling.cli", "tooling.dev", "tooling.__main__")  # command line, development harness
IO = ("tooling.dynamo", "tooling.aws", "tooling.errors", "tooling.outputs")  # the bottom layer


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_only(tree: ast.Module) -> set[ast.AST]:
    """The nodes under `if TYPE_CHECKING:`: annotations only, no dependency at run time."""
    guarded: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            guarded.update(n for stmt in node.body for n in ast.walk(stmt))
    return guarded


def imports(path: Path) -> list[str]:
    names = []
    tree = ast.parse(path.read_text(), str(path))
    skip = _type_only(tree)
    for node in ast.walk(tree):
        if node in skip:
            continue
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.extend(f"{node.module}.{a.name}" for a in node.names)
    return [n for n in names if n.startswith("tooling")]


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


MODULES = {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_the_walk_sees_every_layer() -> None:
    assert len(MODULES) > 50
    assert any(_within(m, ("tooling.cli",)) for m in MODULES)
    assert "tooling.dynamo.writer" in MODULES and "tooling.apps.catalog" in MODULES


@pytest.mark.parametrize("module", [m for m in MODULES if not _within(m, HARNESS)])
def test_the_runtime_imports_neither_the_cli_nor_the_harness(module: str) -> None:
    wrong = [n for n in MODULES[module] if _within(n, HARNESS)]
    assert not wrong, f"{module} imports {', '.join(wrong)}"


@pytest.mark.parametrize("module", [m for m in MODULES if _within(m, IO)])
def test_the_io_layer_imports_no_library_module(module: str) -> None:
    wrong = [n for n in MODULES[module] if not _within(n, (*IO, "tooling.__version__"))]
    assert not wrong, f"{module} imports {', '.join(wrong)}"
