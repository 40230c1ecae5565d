"""Mutation check with mutmut over the rule, import, privacy and plan modules; prints
« Taux de survie : N % » and writes the figures into docs/tests.md.

Each module runs in its own copy of the project (never the working tree) with its own mutmut
session, whose tests are the module's test files only (fast tests: ``-m "not slow"``; a kernel
or a ``ptce-mono`` subprocess would import the unmutated package anyway). mutmut mutates every
function of the module (operators, constants, strings, arguments, return values) and runs, for
each mutant, only the tests of that selection that call the mutated function.

    python scripts/mutation.py                      # every module of TARGETS (make mutation)
    python scripts/mutation.py --module coverage    # some modules (repeat --module)
    python scripts/mutation.py --sans-docs          # do not rewrite docs/tests.md

A mutant is *killed* when a test fails (a timeout or a crash counts as a failure), *survives*
when they all pass, has *no test* when no selected test calls its function; the survival rate
counts survivors and mutants without tests over all mutants checked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "tests.md"
BEGIN, END = "<!-- mutation:debut -->", "<!-- mutation:fin -->"
RESULTS = REPO / ".cache" / "mutation"  # last result per module, and the survivors' diffs

# module → (file mutated, its test files). Each mutant runs only these files.
TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "coverage": (
        "ptce_mono/analysis/coverage.py",
        ("tests/test_rules.py", "tests/test_evidence.py"),
    ),
    "typology": (
        "ptce_mono/analysis/typology.py",
        ("tests/test_typology_rules.py", "tests/test_findings.py", "tests/test_rules.py"),
    ),
    "census": ("ptce_mono/corpus/census.py", ("tests/test_rules.py", "tests/test_census.py")),
    "scores": (
        "ptce_mono/analysis/scores.py",
        ("tests/test_rules.py", "tests/test_participation_answers.py"),
    ),
    "waves": ("ptce_mono/analysis/waves.py", ("tests/test_rules.py",)),
    "sanitize": ("ptce_mono/site/sanitize.py", ("tests/test_rules.py",)),
    "pseudonymise": (
        "ptce_mono/corpus/pseudonymise.py",
        ("tests/test_privacy_rules.py", "tests/test_fieldwork.py"),
    ),
    "excerpts": (
        "ptce_mono/corpus/excerpts.py",
        ("tests/test_excerpt_rules.py", "tests/test_privacy_rules.py", "tests/test_fieldwork.py"),
    ),
    "plan": ("ptce_mono/pipeline/plan.py", ("tests/test_plan_families.py",)),
}
COPIED = ("ptce_mono", "tests", "data", "templates", "notebooks", "pyproject.toml",
          "jupytext.toml")  # fmt: skip
COUNTED = ("killed", "survived", "no tests", "timeout", "suspicious", "segfault")
ALIVE = ("survived", "no tests", "suspicious")
MAX_DIFFS = 80  # survivors shown with their diff (mutmut show) per module; the others by name


@dataclass
class Outcome:
    module: str
    path: str
    statuses: Counter = field(default_factory=Counter)
    survivors: list[str] = field(default_factory=list)
    when: str = ""
    minutes: float = 0.0

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        data = {"module": self.module, "path": self.path, "statuses": dict(self.statuses),
                "survivors": self.survivors, "when": self.when, "minutes": self.minutes}  # fmt: skip
        (folder / f"{self.module}.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8"
        )

    @classmethod
    def load(cls, path: Path) -> Outcome:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["module"], data["path"], Counter(data["statuses"]), data["survivors"],
                   data["when"], data["minutes"])  # fmt: skip

    @property
    def checked(self) -> int:
        return sum(self.statuses[s] for s in COUNTED)

    @property
    def alive(self) -> int:
        """Survivors and mutants no test runs; a timeout or a crash is a failing test."""
        return sum(self.statuses[s] for s in ALIVE)


def setup_cfg(path: str, tests: tuple[str, ...]) -> str:
    lines = ["[mutmut]", "source_paths = ptce_mono", f"only_mutate = {path}"]
    lines.append("pytest_add_cli_args_test_selection =")
    lines += [f"    {t}" for t in tests]
    lines += ["pytest_add_cli_args =", "    -m", "    not slow", "    -p", "    no:cacheprovider"]
    lines += ["also_copy =", *(f"    {c}" for c in COPIED if c not in ("ptce_mono", "tests"))]
    lines += ["use_git_change_detection = false", "timeout_multiplier = 5.0", ""]
    return "\n".join(lines)


def run_module(module: str, work: Path) -> Outcome:
    path, tests = TARGETS[module]
    copy = work / module
    copy.mkdir(parents=True)
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, copy / name)
    # mutmut reads setup.cfg when pyproject.toml has no [tool.mutmut]
    (copy / "setup.cfg").write_text(setup_cfg(path, tests), encoding="utf-8")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    mutmut = [sys.executable, "-m", "mutmut"]
    print(f"== {module} ({path}) : tests {', '.join(tests)}", flush=True)
    done = subprocess.run(
        [*mutmut, "run", "--max-children", "1"], cwd=copy, env=env, capture_output=True, text=True
    )
    log = copy / "mutmut.log"
    log.write_text(done.stdout + done.stderr, encoding="utf-8")
    meta = copy / "mutants" / f"{path}.meta"
    if done.returncode != 0 or not meta.is_file():
        sys.exit(f"mutmut a échoué pour {module} (journal : {log})\n{done.stdout[-3000:]}")
    from mutmut.stats import status_by_exit_code

    outcome = Outcome(module, path)
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    for name, code in sorted(codes.items()):
        status = status_by_exit_code[code]
        outcome.statuses[status] += 1
        if status in COUNTED and status != "killed":
            diff = ""
            if status == "survived" and len(outcome.survivors) < MAX_DIFFS:  # one process each
                diff = subprocess.run(
                    [*mutmut, "show", name], cwd=copy, env=env, capture_output=True, text=True
                ).stdout.strip()
            outcome.survivors.append(f"{status} : {name}\n{diff}\n")
    return outcome


def rate(outcomes: list[Outcome]) -> float:
    checked = sum(o.checked for o in outcomes)
    return 100 * sum(o.alive for o in outcomes) / checked if checked else 0.0


def percent(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " %"


def report(outcomes: list[Outcome]) -> str:
    lines = [
        BEGIN,
        "Derniers passages de mutmut, module par module (tableau écrit par `make mutation`) :",
        "",
        "| module | passage | durée | mutants | tués | survivants | sans test | délai dépassé "
        "| survie |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        s = o.statuses
        lines.append(
            f"| `{o.path}` | {o.when} | {o.minutes:.0f} min | {o.checked} | {s['killed']} "
            f"| {s['survived']} | {s['no tests']} | {s['timeout']} | {percent(rate([o]))} |"
        )
    total = sum(o.checked for o in outcomes)
    alive = sum(o.alive for o in outcomes)
    lines += ["", f"Ensemble : {alive} mutants vivants sur {total}, **taux de survie "
              f"{percent(rate(outcomes))}**.", "", survival_line(outcomes), END]  # fmt: skip
    return "\n".join(lines)


def survival_line(outcomes: list[Outcome]) -> str:
    return f"Taux de survie : {rate(outcomes):.0f} %"


def write_doc(block: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    tmp = DOC.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(DOC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", choices=sorted(TARGETS))
    parser.add_argument("--sans-docs", action="store_true", help="ne réécrit pas docs/tests.md")
    parser.add_argument("--garder", action="store_true", help="garde les copies de travail")
    args = parser.parse_args()
    modules = args.module or list(TARGETS)
    work = Path(tempfile.mkdtemp(prefix="ptce-mutation-"))
    outcomes = []
    try:
        for module in modules:
            started = dt.datetime.now()
            outcome = run_module(module, work)
            outcome.when = started.strftime("%Y-%m-%d %H:%M")
            outcome.minutes = (dt.datetime.now() - started).total_seconds() / 60
            outcome.save(RESULTS)
            outcomes.append(outcome)
            print(f"   {module} : {dict(outcome.statuses)} ; survie {percent(rate([outcome]))}")
            if not args.sans_docs:  # written after each module: a long run stopped keeps them
                write_doc(report(saved_outcomes()))
    finally:
        if not args.garder:
            shutil.rmtree(work, ignore_errors=True)
    survivors = RESULTS / "survivants.txt"
    survivors.write_text(
        "\n".join(s for o in saved_outcomes() for s in o.survivors) or "Aucun.\n",
        encoding="utf-8",
    )
    print(report(saved_outcomes()))
    print(f"Mutants vivants et leurs différences : {survivors}")
    print(f"Ce passage ({', '.join(modules)}) : survie {percent(rate(outcomes))}")
    print(survival_line(saved_outcomes()))  # every module of the table, this run or earlier


def saved_outcomes() -> list[Outcome]:
    """The last result of each module of TARGETS (in their order), from earlier runs too: the
    one kept in .cache/mutation/, else the row that an earlier run wrote in docs/tests.md (with
    its date), so that a run of some modules never drops the others from the table."""
    written = documented_outcomes()
    outcomes = []
    for module in TARGETS:
        saved = RESULTS / f"{module}.json"
        if saved.is_file():
            outcomes.append(Outcome.load(saved))
        elif module in written:
            outcomes.append(written[module])
    return outcomes


def documented_outcomes(text: str | None = None) -> dict[str, Outcome]:
    """The rows of the table in docs/tests.md, by module (what ``report`` wrote)."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    block = text[text.find(BEGIN) : text.find(END)] if BEGIN in text and END in text else ""
    by_path = {path: module for module, (path, _) in TARGETS.items()}
    outcomes = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 9 or cells[0].strip("`") not in by_path:
            continue
        path = cells[0].strip("`")
        checked, killed, survived, no_tests, timeout = (int(c) for c in cells[3:8])
        statuses = Counter({"killed": killed, "survived": survived, "no tests": no_tests,
                            "timeout": timeout})  # fmt: skip
        if checked > sum(statuses.values()):  # not shown in the table: counted alive
            statuses["suspicious"] = checked - sum(statuses.values())
        outcomes[by_path[path]] = Outcome(by_path[path], path, statuses, [], cells[1],
                                          float(cells[2].split()[0]))  # fmt: skip
    return outcomes


if __name__ == "__main__":
    main()
