"""The package's shape: no import cycle, and only the command line wing talks to the user.

The import graph is read from the source (every ``import`` and ``from … import``, at module level
and inside functions), so a lazy import that climbs back up is caught as well.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ptce_mono"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def resolve(current: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    """Absolute names of the project modules that ``node`` imports."""
    if node.level == 0:
        base = node.module or ""
    else:
        parts = current.split(".")
        if not is_package:
            parts = parts[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join([*parts, node.module] if node.module else parts)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = resolve(name, is_package, node)
            for target in targets:
                if target in known and target != name and target != "ptce_mono":
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_graph_reader_sees_relative_and_lazy_imports() -> None:
    graph = import_graph()
    # module level, two dots up
    assert "ptce_mono.errors" in graph["ptce_mono.site.serve"]
    # inside a function, one dot
    assert "ptce_mono.charts.monograph" in graph["ptce_mono.monograph"]
    # a command reaching the library three levels up, lazily
    assert "ptce_mono.build" in graph["ptce_mono.cli.commands.build"]


def test_find_cycle_reports_a_loop() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "boucle d'imports : " + " → ".join(cycle or [])


def test_the_library_never_imports_the_command_line() -> None:
    graph = import_graph()
    climbing = sorted(
        f"{name} → {target}"
        for name, targets in graph.items()
        if not name.startswith("ptce_mono.cli") and name != "ptce_mono.__main__"
        for target in targets
        if target.startswith("ptce_mono.cli")
    )
    assert climbing == []


def _talks_to_the_user(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] == "click" for a in node.names
        ):
            found.append(f"{path.name}:{node.lineno}: import click")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "click":
            found.append(f"{path.name}:{node.lineno}: from click")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "print":
                found.append(f"{path.name}:{node.lineno}: print()")
            elif (
                isinstance(func, ast.Attribute)
                and func.attr == "write"
                and isinstance(func.value, ast.Attribute)
                and func.value.attr in ("stdout", "stderr")
            ):
                found.append(f"{path.name}:{node.lineno}: sys.{func.value.attr}.write")
    return found


@pytest.mark.parametrize(
    "source, expected",
    [
        ("import click\n", 1),
        ("from click import echo\n", 1),
        ("def f():\n    print('x')\n", 1),
        ("import sys\nsys.stderr.write('x')\n", 1),
        ("CODE = \"print('in a kernel')\"\n", 0),
    ],
)
def test_talk_detector(tmp_path: Path, source: str, expected: int) -> None:
    path = tmp_path / "m.py"
    path.write_text(source, encoding="utf-8")
    assert len(_talks_to_the_user(path)) == expected


def test_only_the_cli_imports_click_or_prints() -> None:
    offenders = [
        finding
        for name, path in modules().items()
        if not name.startswith("ptce_mono.cli")
        for finding in _talks_to_the_user(path)
    ]
    assert offenders == []
