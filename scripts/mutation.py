"""Mutation check: small AST mutants of the build, render, site and validate modules, each run
against the tests that should catch it; prints the survival rate.

Each mutant is written into a copy of the project (never into the working tree); the tests run
there with ``PYTHONPATH`` pointing at the copy, so that worker processes, Jupyter kernels and the
``ptce-mono`` command import the mutated package too. A mutant is *killed* when its tests fail
(or time out), *survives* when they pass.

    python scripts/mutation.py                 # a sample of mutants per module (make mutation)
    python scripts/mutation.py --par-module 0  # every mutant (long)
    python scripts/mutation.py --module validate --liste   # list the mutants, run nothing
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# module → the tests that guard it (kept short: each mutant runs them, stopping at the first
# failure). In this order: the slowest (build, which executes notebooks) last.
TARGETS: dict[str, tuple[str, list[str]]] = {
    "validate": ("ptce_mono/validate.py", ["tests/test_validate.py", "tests/test_cli_validate.py"]),
    "render": ("ptce_mono/render/__init__.py", ["tests/test_render.py"]),
    "embedded": ("ptce_mono/render/embedded.py", ["tests/test_render.py"]),
    "site": ("ptce_mono/site/build.py", ["tests/test_site.py", "tests/test_site_security.py"]),
    "build": ("ptce_mono/build.py", ["tests/test_build.py"]),
}
# top-level folders left out of the copy (generated outputs, environment, history)
IGNORED = {".git", ".venv", "site", "monographs", ".cache", "benchmarks", ".pytest_cache",
           ".ruff_cache", "ptce_mono.egg-info"}  # fmt: skip

COMPARE_SWAP: dict[type, type] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE,
    ast.LtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}  # fmt: skip
BINOP_SWAP: dict[type, type] = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv}


@dataclass(frozen=True)
class Mutant:
    module: str
    index: int  # the n-th mutation point of the module (stable for a given source)
    line: int
    what: str

    def label(self) -> str:
        return f"{TARGETS[self.module][0]}:{self.line} {self.what}"


def _docstring(node: ast.AST, parent: ast.AST | None) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def mutation_points(tree: ast.Module) -> Iterator[tuple[ast.AST, str, str]]:
    """(node, kind, description) of every mutation this script knows, in source order.
    Only code inside functions is mutated (not module constants, not docstrings)."""
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Compare) and type(node.ops[0]) in COMPARE_SWAP:
                op = type(node.ops[0]).__name__
                yield node, "compare", f"comparaison {op} inversée"
            elif isinstance(node, ast.BoolOp):
                yield node, "boolop", "and ↔ or"
            elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
                yield node, "not", "« not » retiré"
            elif isinstance(node, ast.If):
                yield node, "if", "condition niée"
            elif isinstance(node, ast.Return) and node.value is not None:
                yield node, "return", "rend None"
            elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAP:
                yield node, "binop", f"opérateur {type(node.op).__name__} changé"
            elif isinstance(node, ast.Constant) and type(node.value) is bool:
                yield node, "bool", f"{node.value} → {not node.value}"
            elif (isinstance(node, ast.Constant) and type(node.value) is int
                  and node.value in (0, 1, 2)):  # fmt: skip
                yield node, "int", f"{node.value} → {node.value + 1}"
        for parent in ast.walk(func):
            for field in ("body", "orelse", "finalbody"):
                block = getattr(parent, field, None)
                if not isinstance(block, list) or len(block) < 2:
                    continue
                for stmt in block:
                    if _docstring(stmt, parent):
                        continue
                    if isinstance(stmt, ast.Expr | ast.Assign | ast.AugAssign | ast.AnnAssign):
                        yield stmt, "delete", "instruction supprimée"


def mutate(source: str, index: int) -> tuple[str, int, str]:
    """The source with the ``index``-th mutation applied; its line and description."""
    tree = ast.parse(source)
    points = list(mutation_points(tree))
    node, kind, what = points[index]
    line = getattr(node, "lineno", 0)
    if kind == "compare":
        node.ops[0] = COMPARE_SWAP[type(node.ops[0])]()
    elif kind == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "not":
        replace(tree, node, node.operand)
    elif kind == "if":
        node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
    elif kind == "return":
        node.value = ast.Constant(value=None)
    elif kind == "binop":
        node.op = BINOP_SWAP[type(node.op)]()
    elif kind == "bool":
        node.value = not node.value
    elif kind == "int":
        node.value = node.value + 1
    elif kind == "delete":
        replace(tree, node, ast.Pass())
    return ast.unparse(ast.fix_missing_locations(tree)), line, what


def replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        return
    raise ValueError("nœud introuvable")


def mutants_of(module: str, root: Path = REPO) -> list[Mutant]:
    path = root / TARGETS[module][0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        Mutant(module, i, getattr(node, "lineno", 0), what)
        for i, (node, _kind, what) in enumerate(mutation_points(tree))
    ]


def copy_project(dest: Path) -> None:
    def ignore(folder: str, names: list[str]) -> list[str]:
        top = Path(folder).resolve() == REPO
        return [n for n in names if n == "__pycache__" or (top and n in IGNORED)]

    shutil.copytree(REPO, dest, ignore=ignore)


def run_tests(copy_root: Path, tests: list[str], timeout: float) -> tuple[str, float, str]:
    env = dict(os.environ, PYTHONPATH=str(copy_root), PYTHONDONTWRITEBYTECODE="1")
    start = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
            cwd=copy_root, env=env, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return "délai", time.monotonic() - start, ""
    verdict = "passe" if done.returncode == 0 else "échoue"
    return verdict, time.monotonic() - start, done.stdout[-3000:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", choices=sorted(TARGETS),
                        help="module à muter (par défaut : tous)")  # fmt: skip
    parser.add_argument("--par-module", type=int, default=3,
                        help="mutants tirés par module (0 : tous) ; tirage fixe (graine)")  # fmt: skip
    parser.add_argument("--graine", type=int, default=17)
    parser.add_argument("--delai", type=float, default=900, help="secondes par mutant")
    parser.add_argument("--liste", action="store_true", help="liste les mutants sans les lancer")
    args = parser.parse_args(argv)

    chosen: list[Mutant] = []
    for module in args.module or list(TARGETS):
        every = mutants_of(module)  # the copy made below is identical
        rng = random.Random(f"{args.graine}-{module}")
        sample = (
            every if args.par_module <= 0 else rng.sample(every, min(args.par_module, len(every)))
        )
        chosen += sorted(sample, key=lambda m: m.index)
        print(f"{TARGETS[module][0]} : {len(every)} mutants possibles, {len(sample)} tirés")
    if args.liste:
        for mutant in chosen:
            print(f"  {mutant.label()}")
        return 0

    survivors: list[Mutant] = []
    killed = 0
    with tempfile.TemporaryDirectory(prefix="ptce-mutation-") as tmp:
        root = Path(tmp) / "projet"
        copy_project(root)
        for tests in dict.fromkeys(tuple(TARGETS[m.module][1]) for m in chosen):
            verdict, seconds, output = run_tests(root, list(tests), args.delai)
            if verdict != "passe":
                print(output)
                print(f"{' '.join(tests)} échouent sans mutation ({verdict}) : arrêt.")
                return 2
            print(f"Référence : {' '.join(tests)} verts ({seconds:.0f} s)")
        for number, mutant in enumerate(chosen, 1):
            relative, tests = TARGETS[mutant.module]
            target = root / relative  # the copy's source: the working tree may change meanwhile
            original = target.read_text(encoding="utf-8")
            mutated, _line, _what = mutate(original, mutant.index)
            target.write_text(mutated, encoding="utf-8")
            try:
                verdict, seconds, _output = run_tests(root, tests, args.delai)
            finally:
                target.write_text(original, encoding="utf-8")
            alive = verdict == "passe"
            survivors += [mutant] if alive else []
            killed += not alive
            state = "SURVIT" if alive else f"tué ({verdict})"
            print(f"[{number}/{len(chosen)}] {mutant.label()} : {state} ({seconds:.0f} s)",
                  flush=True)  # fmt: skip
    total = len(chosen)
    rate = 100 * len(survivors) / total if total else 0.0
    print(f"Mutants : {total} ; tués : {killed} ; survivants : {len(survivors)}")
    print(f"Taux de survie : {rate:.0f} %".replace(".", ","))
    for mutant in survivors:
        print(f"  survivant : {mutant.label()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
