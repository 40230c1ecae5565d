"""Every name of the data layout (``pole.yaml``, ``entretiens/``, ``comptes.yaml``, ``prive/``…)
is written in one place, :mod:`ptce_mono.core.layout` (re-exported by :mod:`ptce_mono.core.paths`);
everything else asks it.

The source is read as a syntax tree, so docstrings and comments may still name the files for
the reader: only string constants that the code uses count. A file name counts wherever it is
written; a folder name counts where it builds a path (``folder / "entretiens"``, ``Path(…)``,
``glob(…)``, ``"prive/*"``) or defines a constant (``FOLDER = "referentiel"``), since the
same words are also keys of the YAML records (``referentiel.version``, ``entretiens:``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ptce_mono.core import layout

PACKAGE = Path(__file__).resolve().parents[1] / "ptce_mono"
HOME = Path(layout.__file__).resolve()

LAYOUT_FILES = frozenset(
    {
        "pole.yaml",
        "comptes.yaml",
        "codes.yaml",
        "personnes.yaml",
        "grille.yaml",
        "bibliographie.yaml",
        "projet.yaml",
        "categories.yaml",
        "reglages.yaml",
        "departements.csv",
    }
)
LAYOUT_FOLDERS = frozenset(
    {
        "entretiens",
        "referentiel",
        "referentiels",
        "prive",
        "participation",
        "recensement",
        "publications",
        "relectures",
    }
)
PATH_CALLS = frozenset({"Path", "PurePath", "joinpath", "glob", "rglob", "iglob"})


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            found.add(id(node.value))
    return found


def _is_path_string(text: str) -> bool:
    """« prive/*/.*.tmp », « poles/x/pole.yaml »: a relative path written in one string."""
    if "/" not in text or any(c.isspace() for c in text):
        return False
    return any(part in LAYOUT_FILES | LAYOUT_FOLDERS for part in text.split("/"))


def violations(source: str, filename: str = "<code>") -> list[tuple[int, str]]:
    """(line, literal) for each data-layout name written in ``source``."""
    tree = ast.parse(source, filename=filename)
    skip = _docstrings(tree)
    in_path: set[int] = set()  # constants used where a path is built
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            in_path.update({id(node.left), id(node.right)})
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in PATH_CALLS:
                in_path.update(id(arg) for arg in node.args)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id.isupper() for t in targets):
                in_path.add(id(node.value))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) in skip:
            continue
        text = node.value
        if (
            text in LAYOUT_FILES
            or (text in LAYOUT_FOLDERS and id(node) in in_path)
            or _is_path_string(text)
        ):
            found.append((node.lineno, text))
    return found


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != HOME)


def test_layout_names_are_written_only_in_paths() -> None:
    offending = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: « {text} »"
        for path in modules()
        for line, text in violations(path.read_text(encoding="utf-8"), str(path))
    ]
    assert offending == [], "\n".join(offending)


def test_paths_defines_every_layout_name() -> None:
    """The one place does hold them (the guard above would pass on a package without any)."""
    written = {text for _, text in violations(HOME.read_text(encoding="utf-8"))}
    assert written >= LAYOUT_FILES | LAYOUT_FOLDERS


@pytest.mark.parametrize(
    "source",
    [
        'path = folder / "entretiens"',
        'FOLDER = "referentiel"',
        'ACCOUNTS: str = "comptes.yaml"',
        'if (p / "pole.yaml").is_file(): pass',
        'open(f"{data}/prive/{slug}")',  # an f-string piece is a constant too
        'for tmp in data.glob("prive/*/.*.tmp"): pass',
        'Path(root).joinpath("publications", "x.yaml")',
        'names = {"codes.yaml": 1}',
        'def f():\n    return data / "recensement"\n',
    ],
)
def test_the_guard_sees_a_layout_name_written_in_code(source: str) -> None:
    assert violations(source)


@pytest.mark.parametrize(
    "source",
    [
        '"""Reads pole.yaml and the folder entretiens/."""',
        'version = pole.get("referentiel.version")',
        'keys = {"entretiens": 1, "participation": 2}',
        'facts.append("referentiel")',
        'message = "fiche pole.yaml manquante dans ce dossier"',
        'label = "réglages (data/participation)"',
        "x = 1  # comptes.yaml",
    ],
)
def test_the_guard_leaves_keys_messages_and_docstrings_alone(source: str) -> None:
    assert violations(source) == []
