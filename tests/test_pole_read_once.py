"""A pole is read once: loading it gives one object with its facts, narratives, interviews,
accounts, answer waves and, on demand, its private table; everything downstream takes them
from there. Each interview file is parsed once by each process that needs the pole: the
build's main process (validation, nothing when the cache of checked poles is current) and the
kernel that writes the pole's monograph.

The corpus is the fictional demonstration pole of ``data/`` (interviews, accounts, two answer
waves) with a private table written here (an invented person).
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from collections import Counter
from pathlib import Path

import pytest

from ptce_mono.checks.validate import validate_corpus
from ptce_mono.core.layout import interviews_dir, private_table_file
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus import excerpts
from ptce_mono.corpus.grid import load_grid
from ptce_mono.corpus.records import load_pole
from ptce_mono.corpus.referentiel import DEFAULT_VERSION
from ptce_mono.pipeline.build import run_build
from tests.conftest import REPO, make_project

SLUG = "pole-fictif-demonstration"
INVENTED = "Albérique Fontanges-Morvel"  # in no interview: withholds nothing, read all the same
TABLE = f"""personnes:
  - nom: {INVENTED}
    role: témoin fictif
"""


def demo_project(dest: Path) -> ProjectPaths:
    source = dest.parent / "source"
    shutil.copytree(REPO / "data" / "poles" / SLUG, source / "poles" / SLUG)
    shutil.copy2(REPO / "data" / "bibliographie.yaml", source / "bibliographie.yaml")
    paths = make_project(dest, source)
    table = private_table_file(paths.data, SLUG)
    table.parent.mkdir(parents=True)
    table.write_text(TABLE, encoding="utf-8")
    return paths


def interview_files(paths: ProjectPaths) -> set[str]:
    found = {os.path.realpath(p) for p in interviews_dir(paths.pole_dir(SLUG)).glob("*.yaml")}
    assert len(found) >= 2, "the demonstration pole has interviews"
    return found


@pytest.fixture
def project(tmp_path: Path) -> ProjectPaths:
    return demo_project(tmp_path / "projet")


def test_the_loaded_pole_carries_its_files(project: ProjectPaths) -> None:
    pole = load_pole(project.pole_dir(SLUG), load_grid(project.grid_file))
    assert {str(i.path) for i in pole.interviews} == {
        str(p) for p in interviews_dir(pole.folder).glob("*.yaml")
    }
    assert pole.accounts is not None and pole.accounts.years
    assert [w.wave for w in pole.waves] == ["2024-03", "2025-03"]
    assert pole.private_names() == (INVENTED,)


def test_validation_parses_each_interview_file_once(project: ProjectPaths) -> None:
    excerpts.reset_reads()
    report = validate_corpus(project, use_cache=False)
    assert not report.errors, [p.format() for p in report.errors]
    reads = excerpts.reads_by_path()
    assert set(reads) == interview_files(project)
    assert set(reads.values()) == {1}


def test_a_monograph_parses_each_interview_file_once(project: ProjectPaths) -> None:
    """The template's cells, run here as the kernel runs them, with the cohort file the
    build writes: the pole is loaded once and every cell takes it from the context."""
    from ptce_mono.documents import monograph

    cohort = project.cohort_file(DEFAULT_VERSION)
    cohort.parent.mkdir(parents=True, exist_ok=True)
    cohort.write_text(json.dumps({"median": {}, "poles": 0}), encoding="utf-8")
    template = json.loads(project.template_notebook.read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in template["cells"] if c["cell_type"] == "code"]
    namespace: dict[str, object] = {}
    exec(cells[0], namespace)  # the parameters cell
    namespace.update(slug=SLUG, data_dir=str(project.data), cohort_file=str(cohort))
    excerpts.reset_reads()
    for cell in cells[1:]:
        exec(cell, namespace)
    assert isinstance(namespace["ctx"], monograph.MonographContext)
    reads = excerpts.reads_by_path()
    assert set(reads) == interview_files(project)
    assert set(reads.values()) == {1}


def test_the_private_table_is_read_once_and_never_pickled(project: ProjectPaths) -> None:
    pole = load_pole(project.pole_dir(SLUG), load_grid(project.grid_file))
    assert pole.private_table().names() == (INVENTED,)
    private_table_file(project.data, SLUG).unlink()  # kept with the pole: not read again
    assert pole.private_names() == (INVENTED,)
    stored = pickle.dumps(pole)  # what the cache of checked poles writes
    assert INVENTED.encode() not in stored
    assert INVENTED.encode("utf-8") not in pickle.dumps(pole, protocol=5)
    again = pickle.loads(stored)  # read back, the table is read again (here: now absent)
    assert again.private_names() == ()


def test_an_unreadable_private_table_fails_each_time_it_is_asked(project: ProjectPaths) -> None:
    from ptce_mono.core.errors import FieldworkError

    private_table_file(project.data, SLUG).write_text("personnes: [{nom: X}]\n", "utf-8")
    pole = load_pole(project.pole_dir(SLUG), load_grid(project.grid_file))
    assert pole.published_excerpts == ()  # nothing published without a usable table
    for _ in range(2):
        with pytest.raises(FieldworkError, match=r"personnes\.yaml"):
            pole.private_table()


def _logged(log: Path) -> Counter[tuple[str, str]]:
    """(pid, interview file) → parses, from the log every process of the build appends to."""
    counts: Counter[tuple[str, str]] = Counter()
    for line in log.read_text(encoding="utf-8").splitlines():
        pid, path = line.split("\t", 1)
        counts[(pid, path)] += 1
    return counts


@pytest.mark.slow
def test_a_real_build_parses_each_interview_file_once_per_process(
    project: ProjectPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``ptce-mono build`` (papermill, a real kernel): the main process validates (one parse
    of each file), the pole's kernel loads it (one parse); with the cache of checked poles
    current, the main process parses nothing and the whole build parses each file once."""
    log = tmp_path / "lectures.log"
    monkeypatch.setenv(excerpts.READS_LOG_ENV, str(log))
    files = interview_files(project)
    report = run_build(project, formats=(), jobs=1)
    assert report.ok, [o.message for o in report.failed]
    first = _logged(log)
    assert set(first.values()) == {1}, first  # never twice in one process
    assert {path for _, path in first} == files
    kernels = {pid for pid, _ in first if pid != str(os.getpid())}
    assert kernels, "the monograph's kernel read the pole"
    assert max(excerpts.logged_reads(log).values()) <= 2

    log.unlink()
    report = run_build(project, formats=(), jobs=1, force=True)
    assert report.ok, [o.message for o in report.failed]
    assert excerpts.logged_reads(log) == dict.fromkeys(files, 1)


# --- the pole knows its référentiel version ----------------------------------------------------


def _hand_pole(facts: dict[str, object]):
    from ptce_mono.core.yamlio import LoadedYaml
    from ptce_mono.corpus.records import Pole

    return Pole("p", Path("p"), facts, LoadedYaml(Path("p/pole.yaml"), facts))


@pytest.mark.parametrize(
    ("facts", "named", "used"),
    [
        ({}, None, DEFAULT_VERSION),
        ({"referentiel": {"scores": {"a": 2}}}, None, DEFAULT_VERSION),
        ({"referentiel": {"version": "2031"}}, "2031", "2031"),
        ({"referentiel": {"version": 2031}}, "2031", "2031"),  # a number typed in the YAML
    ],
)
def test_the_pole_knows_its_referentiel_version(
    facts: dict[str, object], named: str | None, used: str
) -> None:
    pole = _hand_pole(facts)
    assert pole.referentiel_version == named
    assert pole.referentiel_version_or_default == used


def test_the_default_version_is_applied_in_one_place() -> None:
    """« pole.referentiel_version or DEFAULT_VERSION » is the pole's property, not a repeat."""
    package = REPO / "ptce_mono"
    repeats = [
        f"{path.relative_to(REPO)}:{n}"
        for path in sorted(package.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "referentiel_version or DEFAULT_VERSION" in line and path.name != "records.py"
    ]
    assert repeats == []


# --- the readers sit below the pole --------------------------------------------------------------

READERS = (
    "ptce_mono.corpus.excerpts",
    "ptce_mono.corpus.accounts",
    "ptce_mono.corpus.pseudonymise",
    "ptce_mono.corpus.answer_store",
    "ptce_mono.core.layout",
)


def test_the_readers_of_a_pole_folder_sit_below_the_pole() -> None:
    """``records`` gathers what the readers of the pole's files return; no reader imports it
    back, not even inside a function (the import graph is read from the source)."""
    from tests.test_architecture import import_graph

    graph = import_graph()

    def below(module: str) -> set[str]:
        seen: set[str] = set()
        todo = [module]
        while todo:
            for target in graph[todo.pop()] - seen:
                seen.add(target)
                todo.append(target)
        return seen

    for reader in READERS:
        assert "ptce_mono.corpus.records" not in below(reader), reader
    assert set(READERS) - {"ptce_mono.core.layout"} <= graph["ptce_mono.corpus.records"]
