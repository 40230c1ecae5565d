"""Properties of the answers import over random input (Hypothesis): random KoboToolbox,
LimeSurvey and unknown tables (CSV and XLSX), filled XLSX questionnaires with random cells,
random scales and random respondent categories.

Whatever the input: only French problems (a :class:`PtceError`), never another exception;
when refused, nothing at all is written; when accepted, every stored wave passes ``validate``
and no name or e-mail typed anywhere reaches a stored file or a message.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptce_mono.checks.answers import check_waves
from ptce_mono.core.errors import PtceError
from ptce_mono.corpus.answer_settings import load_vocabulary
from ptce_mono.corpus.referentiel import load_all_referentiels, load_referentiel
from ptce_mono.importers.answers import import_answers

from .participation_helpers import SLUGS, network_project

pytestmark = pytest.mark.slow

NAMES = (
    "Camille Fictive",
    "Dominique Inventé",
    "alix.fictive" + "@" + "exemple.invalid",
)  # built: no address in the project
OUTCOMES: list[str] = []  # what the examples gave (checked at the end: both kinds happen)
INDICATORS = [f"{o}{k}" for o in "abcdefghi" for k in (1, 2, 3)]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return network_project(tmp_path_factory.mktemp("proprietes"))


def _snapshot(data: Path) -> dict[str, bytes]:
    """Every data file (the lock file of data/, empty and git-ignored, is not data)."""
    return {str(p.relative_to(data)): p.read_bytes() for p in sorted(data.rglob("*"))
            if p.is_file() and p.name != ".verrou-donnees"}  # fmt: skip


def _restore(data: Path, snapshot: dict[str, bytes]) -> None:
    for path in sorted(data.rglob("*"), reverse=True):
        rel = str(path.relative_to(data))
        if path.is_file() and rel not in snapshot:
            path.unlink()
    for rel, content in snapshot.items():
        target = data / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != content:
            target.write_bytes(content)


def _set_scale(project, low: int, high: int) -> None:
    path = project.referentiels / "2012.yaml"
    text = path.read_text(encoding="utf-8")
    block = (f"echelle:\n  min: {low}\n  max: {high}\n"
             f"  libelles: {{{low}: \"très peu important\", {high}: \"probabilité importante\"}}\n")  # fmt: skip
    text = re.sub(r"echelle:\n(?:  .*\n)+?(?=  source:)", block, text, count=1)
    path.write_text(text, encoding="utf-8")


def _set_categories(project, ids: list[str]) -> None:
    path = project.data / "participation" / "categories.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["categories"] = [{"id": c, "libelle": f"catégorie {c}"} for c in ids]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


cells = st.one_of(
    st.sampled_from(["", "1", "2", "3", "4", "5", "0", "-1", "2,5", "3.0", "nsp", "ne sait pas",
                     "NSP", "2025-03", "2025-03-12", "12/03/2025", "=1+1", "+33", "@x"]),
    st.sampled_from(NAMES),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(-3, 9).map(str),
)  # fmt: skip


@st.composite
def table(draw, categories: list[str], low: int, high: int) -> list[list[str]]:
    """A random export; half of them well formed (so that both outcomes are exercised)."""
    valid = draw(st.booleans())
    kind = draw(st.sampled_from(["kobo", "limesurvey"] if valid else ["kobo", "limesurvey",
                                                                       "inconnu"]))  # fmt: skip
    head = {"kobo": ["_uuid", "pole", "vague", "version", "repondant/categorie",
                     "repondant/date", "contact/courriel", "_submitted_by"],
            "limesurvey": ["id", "submitdate", "lastpage", "firstname", "email", "pole", "vague",
                           "categorie", "typestructure"],
            "inconnu": ["colonne", "nom", "pole"]}[kind]  # fmt: skip
    chosen = draw(st.lists(st.sampled_from(INDICATORS), max_size=6, unique=True))
    extra = [] if valid else draw(st.lists(st.sampled_from(["z9", "commentaire", "a10", "REF[q1]"]),
                                           max_size=2))  # fmt: skip
    scale = st.sampled_from([*[str(v) for v in range(low, high + 1)], "nsp", ""])
    indicator_head = [f"objectif_{i[0]}/{i}" if kind == "kobo" else f"REF[{i}]" for i in chosen]
    header = head + indicator_head + extra
    rows = [header]
    for k in range(draw(st.integers(0, 4))):
        row = []
        for name in header:
            if valid and name in ("_uuid", "id"):
                row.append(f"u{k}")
            elif valid and name == "pole":
                row.append(draw(st.sampled_from(SLUGS)))
            elif valid and name == "vague":
                row.append("2025-03")
            elif valid and name == "version":
                row.append("2012")
            elif valid and name.endswith("categorie"):
                row.append(draw(st.sampled_from(categories)))
            elif valid and name in ("repondant/date", "submitdate"):
                row.append(draw(st.sampled_from(["2025-03-12", "", NAMES[0], "12/03/2025"])))
            elif valid and name in ("lastpage", "typestructure"):
                row.append("")
            elif valid and name in indicator_head:
                row.append(draw(scale))
            elif name in ("_uuid", "id"):
                row.append(draw(st.sampled_from([f"u{k}", "", "u0"])))
            elif name == "pole":
                row.append(draw(st.sampled_from([*SLUGS, "", "pole-inconnu", NAMES[0]])))
            elif name == "vague":
                row.append(draw(st.sampled_from(["2025-03", "2026-01", "", "2025", NAMES[1]])))
            elif name == "version":
                row.append(draw(st.sampled_from(["2012", "", "1999"])))
            elif name.endswith("categorie"):
                row.append(draw(st.sampled_from([*categories, "", "inconnue", NAMES[0]])))
            elif name in ("contact/courriel", "email"):
                row.append(NAMES[2])
            elif name in ("_submitted_by", "firstname"):
                row.append(NAMES[0])
            else:
                row.append(draw(cells))
        rows.append(row)
    return rows


def _write_table(rows: list[list[str]], path: Path, delimiter: str) -> None:
    if path.suffix == ".csv":
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    else:
        from openpyxl import Workbook

        wb = Workbook()
        for row in rows:
            wb.active.append(row)
        wb.save(path)


def _questionnaire(project, path: Path, draw_cell, category: str, date: str) -> None:
    from openpyxl import load_workbook

    from ptce_mono.corpus.questionnaire import build_questionnaire
    from ptce_mono.importers.workbook import (  # fmt: skip
        ANSWER_COL,
        CATEGORY_CELL,
        DATE_CELL,
        HEADER_ROW,
        workbook_bytes,
    )

    ref = load_referentiel(project.referentiels, "2012")
    q = build_questionnaire(ref, load_vocabulary(project), SLUGS[0], "Pôle fictif", "2025-03")
    wb = load_workbook(io.BytesIO(workbook_bytes(q)))
    ws = wb["Questionnaire"]
    ws[CATEGORY_CELL] = category
    ws[DATE_CELL] = date
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        ws.cell(row=row, column=ANSWER_COL).value = draw_cell()
    wb.save(path)


def _check(project, files: list[Path], before: dict[str, bytes], notices_ok=True) -> None:
    try:
        plan = import_answers(project, files)
        OUTCOMES.append("ok" if plan.added else "vide")
    except PtceError as exc:
        OUTCOMES.append("refus")
        message = str(exc)
        assert message and "Traceback" not in message
        assert not any(name in message for name in NAMES), message
        assert _snapshot(project.data) == before, "a refused import wrote something"
        return
    stored = {k: v for k, v in _snapshot(project.data).items() if k not in before}
    changed = {k for k, v in _snapshot(project.data).items() if before.get(k) != v}
    assert changed <= {k for k in _snapshot(project.data) if "/referentiel/" in k}
    referentiels = load_all_referentiels(project.referentiels)
    vocabulary = load_vocabulary(project)
    for slug in SLUGS:
        assert check_waves(project.poles / slug, referentiels, vocabulary) == []
    for content in stored.values():
        assert not any(name.encode() in content for name in NAMES)
    for notice in plan.notices:
        assert not any(name in notice for name in NAMES) and ", ligne " in notice


@given(data=st.data(), low=st.integers(0, 1), span=st.integers(1, 6),
       categories=st.lists(st.from_regex(r"[a-z]{2,8}", fullmatch=True), min_size=1, max_size=4,
                           unique=True),
       suffix=st.sampled_from([".csv", ".xlsx"]), delimiter=st.sampled_from([",", ";"]))  # fmt: skip
@settings(max_examples=30, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
          HealthCheck.too_slow])  # fmt: skip
def test_random_tables_only_french_problems_and_no_partial_write(
    project, tmp_path, data, low, span, categories, suffix, delimiter
) -> None:
    original = _snapshot(project.data)
    try:
        _set_scale(project, low, low + span)
        _set_categories(project, categories)
        before = _snapshot(project.data)
        files = []
        for k in range(data.draw(st.integers(1, 2))):
            path = tmp_path / f"export-{k}{suffix}"
            _write_table(data.draw(table(categories, low, low + span)), path, delimiter)
            files.append(path)
        _check(project, files, before)
    finally:
        _restore(project.data, original)


@given(data=st.data(), low=st.integers(0, 1), span=st.integers(1, 6))
@settings(max_examples=15, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
          HealthCheck.too_slow])  # fmt: skip
def test_random_questionnaires_only_french_problems_and_no_partial_write(
    project, tmp_path, data, low, span
) -> None:
    original = _snapshot(project.data)
    try:
        _set_scale(project, low, low + span)
        before = _snapshot(project.data)
        files = []
        for k in range(data.draw(st.integers(1, 3))):
            path = tmp_path / f"q-{k}.xlsx"
            category = data.draw(st.sampled_from(["salarié·e d'une structure membre", "elu", "",
                                                  NAMES[0], "inconnue"]))  # fmt: skip
            date = data.draw(st.sampled_from(["12/03/2025", "", NAMES[1], NAMES[2], "31/02/2025"]))
            _questionnaire(project, path, lambda: data.draw(cells) or None, category, date)
            files.append(path)
        _check(project, files, before)
    finally:
        _restore(project.data, original)


def test_random_bytes_are_refused_in_french(project, tmp_path) -> None:
    """Not a workbook, not UTF-8, a CSV field larger than the csv module's limit."""
    before = _snapshot(project.data)
    cases = {"binaire.xlsx": b"PK\x03\x04pas un classeur", "latin.csv": "pôle;é".encode("latin-1"),
             "enorme.csv": b"_uuid,pole\n" + b"u1," + b'"' + b"x" * 200_000 + b'"\n'}  # fmt: skip
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(PtceError):
            import_answers(project, [path])
        assert _snapshot(project.data) == before


def test_examples_covered_accepted_and_refused_imports() -> None:
    """Runs after the properties (same module): both outcomes were exercised. The properties
    draw their examples from a fixed seed (``derandomize``), so that this holds on every run."""
    assert {"ok", "refus"} <= set(OUTCOMES), OUTCOMES


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    from .participation_helpers import EXPORTS

    project = network_project(tmp_path_factory.mktemp("retraits"))
    import_answers(project, [EXPORTS / "kobo.csv"])
    return project


@given(data=st.data())
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_withdrawals_keep_the_waves_valid_and_the_journal_exact(imported, data) -> None:
    from ptce_mono.corpus.answer_store import load_wave
    from ptce_mono.pipeline.respondent_withdrawal import withdraw

    original = _snapshot(imported.data)
    try:
        slug = data.draw(st.sampled_from(SLUGS))
        wave = data.draw(st.sampled_from(["2024-03", "2025-03"]))
        folder = imported.poles / slug
        ids = [r.id for r in load_wave(folder, wave).respondents]
        gone = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
        for ident in gone:
            withdraw(imported, ident, slug, wave)
        with pytest.raises(PtceError):  # twice: refused, nothing changed
            if not gone:
                raise PtceError("rien à retirer")
            withdraw(imported, gone[0], slug, wave)
        stored = load_wave(folder, wave)
        assert {r.id for r in stored.respondents} == set(ids) - set(gone)
        added = sum(int(e["nombre"]) for e in stored.journal if e["operation"] == "import")
        removed = sum(int(e["nombre"]) for e in stored.journal if e["operation"] == "retrait")
        assert added - removed == stored.n and removed == len(gone)
        referentiels = load_all_referentiels(imported.referentiels)
        assert check_waves(folder, referentiels, load_vocabulary(imported)) == []
    finally:
        _restore(imported.data, original)
