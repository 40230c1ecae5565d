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
    assert "ptce_mono.core.errors" in graph["ptce_mono.site.serve"]
    # inside a function, one dot
    assert "ptce_mono.documents.charts.monograph" in graph["ptce_mono.documents.monograph"]
    # a command reaching the library three levels up, lazily
    assert "ptce_mono.pipeline.build" in graph["ptce_mono.cli.commands.build"]


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


# --- the folders are the layers (issue 21) ------------------------------------------------------

# From the bottom up: a folder may import its own modules and the folders before it, never one
# after it. The order is the one docs/architecture.md describes, folder by folder.
LAYERS = ["core", "render", "corpus", "analysis", "checks", "importers", "documents", "pipeline",
          "site", "cli"]  # fmt: skip
TOP_LEVEL_LIMIT = 8
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"


def folder_of(module: str) -> str | None:
    """``ptce_mono.corpus.records`` → ``corpus``; a top-level module → None."""
    parts = module.split(".")
    if len(parts) >= 3 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()):
        return parts[1]
    return None


def climbing_imports(graph: dict[str, set[str]], layers: list[str]) -> list[str]:
    found = []
    for name, targets in graph.items():
        here = folder_of(name)
        for target in targets:
            there = folder_of(target)
            if here is None or there is None or here == there:
                continue
            if layers.index(there) > layers.index(here):
                found.append(f"{name} → {target} ({here}/ importe {there}/, plus haut)")
    return sorted(found)


def folder_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    folders: dict[str, set[str]] = {}
    for name, targets in graph.items():
        here = folder_of(name)
        if here is None:
            continue
        folders.setdefault(here, set())
        for target in targets:
            there = folder_of(target)
            if there is not None and there != here:
                folders[here].add(there)
                folders.setdefault(there, set())
    return find_cycle(folders)


def test_every_folder_is_a_layer_and_the_top_level_stays_small() -> None:
    folders = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert sorted(folders) == sorted(LAYERS)
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= TOP_LEVEL_LIMIT, top


def test_no_folder_imports_a_folder_above_it() -> None:
    assert climbing_imports(import_graph(), LAYERS) == []


def test_folders_form_no_loop() -> None:
    cycle = folder_cycle(import_graph())
    assert cycle is None, "boucle entre dossiers : " + " → ".join(cycle or [])


def test_the_layer_checks_catch_a_climbing_import_and_a_loop() -> None:
    graph = {
        "ptce_mono.core.paths": {"ptce_mono.corpus.records"},  # climbs
        "ptce_mono.corpus.records": {"ptce_mono.core.errors"},
        "ptce_mono.core.errors": set(),
    }
    assert climbing_imports(graph, LAYERS) == [
        "ptce_mono.core.paths → ptce_mono.corpus.records (core/ importe corpus/, plus haut)"
    ]
    assert folder_cycle(graph) == ["core", "corpus", "core"]
    assert climbing_imports(import_graph() | {"ptce_mono.core.x": {"ptce_mono.cli.base"}},
                            LAYERS)  # fmt: skip


def _map_sections() -> dict[str, str]:
    """docs/architecture.md: the text of each ``### `folder/` `` section."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    sections: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("### `") and line.rstrip().endswith("/`"):
            current = line.split("`")[1].rstrip("/")
            sections[current] = ""
        elif line.startswith("## ") or line.startswith("### "):
            current = None
        elif current is not None:
            sections[current] += line + "\n"
    return sections


def test_the_map_names_every_module_in_its_folder() -> None:
    sections = _map_sections()
    assert sorted(sections) == sorted(LAYERS), "une section « ### `dossier/` » par couche"
    missing = []
    for name, path in modules().items():
        folder = folder_of(name)
        if folder is None or path.name == "__init__.py":
            continue
        shown = path.relative_to(PACKAGE / folder).as_posix()
        if f"`{shown}`" not in sections[folder]:
            missing.append(f"{folder}/{shown}")
    assert missing == [], "modules absents de docs/architecture.md : " + ", ".join(missing)


def test_every_file_named_in_the_map_exists() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    where = text[text.index("## Où ajouter") :]
    named = set()
    for chunk in where.split("`")[1::2]:
        if chunk.endswith((".py", ".yaml", ".ipynb", ".html", ".typ", ".md", ".lua")):
            named.add(chunk.split("#")[0])
    absent = []
    for name in sorted(named):
        candidates = [PACKAGE.parent / name, PACKAGE / name]
        if "<" in name:
            continue
        if not any(c.exists() for c in candidates):
            absent.append(name)
    assert absent == [], "fichiers nommés dans « Où ajouter » introuvables : " + ", ".join(absent)


def test_only_the_package_root_locates_files_from_its_own_path() -> None:
    """A module that finds the project's files from ``__file__`` breaks when it moves to another
    folder: every such path starts at ``ptce_mono.PACKAGE_DIR``."""
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{n}"
        for path in PACKAGE.rglob("*.py")
        if path != PACKAGE / "__init__.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "__file__" in line
    ]
    assert offenders == []
