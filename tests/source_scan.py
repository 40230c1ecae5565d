"""Read the package's own source as syntax trees: the string constants it types, the calls it
makes. Used by the tests that keep one thing in one place (référentiel versions, counts read
from the référentiel, atomic writes)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "ptce_mono"


def package_modules(root: Path = PACKAGE) -> Iterator[tuple[str, ast.Module]]:
    """Every ``.py`` under ``root``: its path relative to ``root``'s parent, and its tree."""
    for path in sorted(root.rglob("*.py")):
        yield path.relative_to(root.parent).as_posix(), ast.parse(path.read_text("utf-8"))


def string_constants(tree: ast.AST, docstrings: bool = True) -> Iterator[tuple[int, str]]:
    """Every string typed in the code (f-string parts included), with its line; without
    ``docstrings``, a string standing alone as a statement (a docstring) is left out."""
    skipped = set()
    if not docstrings:
        skipped = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
        ):
            yield node.lineno, node.value
