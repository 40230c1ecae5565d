"""A campaign that protects its respondents: small groups never shown, no pole compared with a
group holding it or with fewer than three other poles, stored answers checked, a respondent's
answers withdrawable, the scale quoted and explained, waves not read as a trend by default.

The end-to-end tests use a FICTIONAL network: the four poles of the participation fixture
(KoboToolbox export) and a fifth fictional pole filled from the XLSX questionnaire by three
salarié·es and one élu·e.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptce_mono.analysis.cells import OTHERS, publishable_groups
from ptce_mono.analysis.cohort import changed_poles, cohort_change_notes, compute_cohort
from ptce_mono.analysis.group import MIN_OTHER_POLES, comparison_group
from ptce_mono.analysis.scores import wave_scores
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.answer_settings import Settings
from ptce_mono.corpus.answer_store import Respondent, Wave
from ptce_mono.corpus.referentiel import load_referentiel

from .conftest import REPO, make_project, run_cli
from .participation_helpers import EXPORTS

REF = load_referentiel(ProjectPaths.at(REPO).referentiels, "2012")
FIFTH = "pole-fictif-005"

# --- small cells (pure) ------------------------------------------------------------------------


# Built at run time so that no e-mail address is written in the project (test_packaging).
AT = "@"


def test_three_and_one_shows_no_category() -> None:
    """3 salarié·es and 1 élu·e: showing the salarié·es beside the pole would reveal the élu·e."""
    groups = publishable_groups({"salarie": 3, "elu": 1}, 3)
    assert groups.groups == () and set(groups.pooled) == {"salarie", "elu"}


def test_small_categories_pooled_when_the_pool_reaches_the_threshold() -> None:
    groups = publishable_groups({"salarie": 4, "elu": 1, "habitant": 2}, 3)
    assert groups.groups == ("salarie", OTHERS)
    # the pool stays under 3: the smallest shown category joins it
    assert publishable_groups({"salarie": 3, "benevole": 5, "elu": 1}, 3).groups == (
        "benevole", OTHERS)  # fmt: skip
    assert publishable_groups({"salarie": 3, "benevole": 4}, 3).groups == ("benevole", "salarie")


@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(1, 9), max_size=7),
       st.integers(2, 5))  # fmt: skip
def test_no_group_under_the_threshold_and_no_remainder_revealed(counts, threshold) -> None:
    groups = publishable_groups(counts, threshold)
    sizes = {g: (sum(counts[c] for c in groups.pooled) if g == OTHERS else counts[g])
             for g in groups.groups}  # fmt: skip
    assert all(n >= threshold for n in sizes.values())
    if groups.groups:  # what the shown groups leave out is empty or itself above the threshold
        hidden = sum(counts.values()) - sum(sizes.values())
        assert hidden == 0 or hidden >= threshold
        assert len(groups.groups) >= 2 or groups.pool_shown is False


def _wave(categories: list[str], value: int = 3) -> Wave:
    respondents = tuple(
        Respondent(f"r-{k:010d}", c, None, None, "xlsx",
                   {i.id: (value + k) % 4 + 1 for i in REF.indicators if i.label})
        for k, c in enumerate(categories)
    )  # fmt: skip
    return Wave("pole", "2025-03", "2012", respondents)


@given(st.lists(st.sampled_from(["salarie", "elu", "habitant", "benevole"]), max_size=14),
       st.integers(2, 4))  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_wave_scores_hold_no_small_cell(categories, threshold) -> None:
    scores = wave_scores(_wave(categories), REF, Settings(category_threshold=threshold))
    for group, stats in scores.by_category.items():
        assert scores.category_counts[group] >= threshold
        assert all(s.median is None or s.n >= threshold for s in stats.values())
    assert all(s.median is None or s.n >= 3 for s in scores.indicators.values())
    assert {d.high for d in scores.divergences} | {d.low for d in scores.divergences} <= (
        set(scores.by_category) - {OTHERS}
    )


def test_seuil_categorie_is_read_and_one_is_refused(tmp_path: Path) -> None:
    from ptce_mono.core.errors import DataFileError
    from ptce_mono.corpus.answer_settings import load_settings

    project = make_project(tmp_path / "p")
    reglages = project.data / "participation" / "reglages.yaml"
    reglages.write_text("effectif_minimum: 3\nseuil_categorie: 4\n", encoding="utf-8")
    assert load_settings(project).category_threshold == 4
    reglages.write_text("effectif_minimum: 3\nseuil_categorie: 1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"reglages.yaml:2: seuil_categorie : 1 montrerait"):
        load_settings(project)


# --- comparison group (pure) -------------------------------------------------------------------


def _cohort(profiles: dict[str, dict[str, float]]) -> dict:
    return {"version": "2012", "poles": len(profiles), "median": dict.fromkeys("ab"),
            "profils": profiles, "repondants": dict.fromkeys(profiles, 4), "exclus": []}  # fmt: skip


def test_comparison_group_leaves_the_pole_out() -> None:
    profiles = {f"p{k}": {"a": float(k), "b": 2.0} for k in range(1, 5)}
    group = comparison_group(_cohort(profiles), "p4")
    assert group["comparable"] and group["poles"] == 3 and group["repondants"] == 12
    assert group["median"]["a"] == statistics.median([1.0, 2.0, 3.0])  # p4 (4.0) left out
    # with two other poles only: no comparison, no median
    group = comparison_group(_cohort({k: v for k, v in profiles.items() if k != "p1"}), "p4")
    assert not group["comparable"] and group["median"] == {} and group["poles"] == 2
    assert MIN_OTHER_POLES == 3


def test_build_note_names_the_pole_whose_answers_changed() -> None:
    old = _cohort({"smac-07": {"a": 2.0}, "p2": {"a": 3.0}})
    new = _cohort({"smac-07": {"a": 2.5}, "p2": {"a": 3.0}})
    assert changed_poles(old, new) == ["smac-07"]
    notes = cohort_change_notes({"2012": old}, {"2012": new}, 1, ["smac-07"])
    assert notes[0].startswith("cohorte modifiée : réponses de smac-07")
    assert cohort_change_notes({"2012": new}, {"2012": new}, 1) == []


# --- the scale ---------------------------------------------------------------------------------


def test_scale_quoted_and_explained_on_every_questionnaire(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from ptce_mono.corpus.answer_settings import DEFAULT_VOCABULARY
    from ptce_mono.corpus.questionnaire import build_questionnaire
    from ptce_mono.documents.questionnaire_paper import paper_pdf
    from ptce_mono.importers.workbook import SCALE_CELL, workbook_bytes
    from ptce_mono.importers.xlsform import xlsform_rows

    q = build_questionnaire(REF, DEFAULT_VOCABULARY, "pole-fictif-001", "Pôle fictif", "2026-03")
    source = "« niveau 4 = probabilité importante » ; « niveau 1 = très peu important »"
    project_words = "Explication du projet (ce n'est pas le texte de la source)"
    declaration = "Ce n'est pas une note donnée au pôle"
    (tmp_path / "q.xlsx").write_bytes(workbook_bytes(q))
    cell = load_workbook(tmp_path / "q.xlsx")["Questionnaire"][SCALE_CELL].value
    notes = [row[2] for row in xlsform_rows(q)["survey"] if row[0] == "note"]
    pdf = paper_pdf(q, REPO / "templates", tmp_path / "q.pdf")
    (tmp_path / "q.pdf").write_bytes(pdf)
    paper = " ".join(
        " ".join(p.extract_text() for p in PdfReader(tmp_path / "q.pdf").pages).split()
    )
    assert "'" not in cell and "'" not in notes[1]  # the project's typography
    for text in (cell, " ".join(notes), paper):
        plain = text.replace("’", "'").replace("\u202f", " ").replace("\xa0", " ")
        assert source in plain and project_words in plain and declaration in plain
    assert "2 : l'indicateur compte un peu ; 3 : l'indicateur compte assez" in (
        cell.replace("’", "'").replace("\xa0", " ").replace("\u202f", " ")
    )


# --- the fictional network with a fifth pole answered on XLSX questionnaires --------------------


def _fill_fifth(project: ProjectPaths, folder: Path) -> list[Path]:
    """Four XLSX questionnaires of the fifth pole: 3 salarié·es and 1 élu·e (fictional)."""
    from ptce_mono.corpus.answer_settings import load_vocabulary
    from ptce_mono.corpus.questionnaire import build_questionnaire
    from ptce_mono.importers import fictional_answers as f
    from ptce_mono.importers.workbook import workbook_bytes

    q = build_questionnaire(REF, load_vocabulary(project), FIFTH, "Pôle fictif 5", "2025-03")
    blank = workbook_bytes(q)
    files = []
    for k, category in enumerate(["salarie", "salarie", "salarie", "elu"]):
        values = {i.id: str(1 + (k + len(i.id)) % 4) if i.label else "" for i in REF.indicators}
        if category == "elu":  # the one élu·e answers 4 everywhere: easy to spot if leaked
            values = {i.id: "4" if i.label else "" for i in REF.indicators}
        answer = f.FictionalAnswer(FIFTH, "2025-03", "2012", category, "association",
                                   f"2025-03-1{k}", f"uuid-{k}", "Nom Fictif", "x" + AT + "exemple.invalid",
                                   values)  # fmt: skip
        path = folder / f"{FIFTH}-{k}.xlsx"
        f.filled_questionnaire(blank, answer, q, path)
        files.append(path)
    return files


@pytest.fixture(scope="module")
def network5(tmp_path_factory):
    from click.testing import CliRunner

    from ptce_mono.importers.answers import import_answers
    from ptce_mono.importers.fictional_corpus import write_fictional_corpus

    base = tmp_path_factory.mktemp("reseau5")
    write_fictional_corpus(base / "gen", 5, seed=16, scores=False)
    project = make_project(base / "projet", base / "gen")
    import_answers(project, [EXPORTS / "kobo.csv"])
    forms = base / "formulaires"
    forms.mkdir()
    files = _fill_fifth(project, forms)
    import_answers(project, files)
    runner = CliRunner()
    result = run_cli(runner, project, "build", "--to", "html")
    assert result.exit_code == 0, result.output
    result = run_cli(runner, project, "site", "--sans-recherche")
    assert result.exit_code == 0, result.output
    return project, files


def _texts(*folders: Path) -> list[tuple[Path, str]]:
    out = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.suffix in (".html", ".ipynb", ".csv", ".json", ".md", ".txt"):
                out.append((path, path.read_text(encoding="utf-8", errors="replace")))
    return out


@pytest.mark.slow
def test_single_respondent_category_shown_nowhere(network5) -> None:
    project, _ = network5
    texts = _texts(project.monographs, project.site)
    assert any("restitutions" in p.parts for p, _ in texts)
    assert any(p.name == "scores_declares.csv" for p, _ in texts)
    fifth = [(p, t) for p, t in texts if FIFTH in p.name]
    assert fifth, "the fifth pole has outputs"
    for path, text in texts:
        assert "élu·e" not in text, path  # the one élu·e's category is never named
        assert "autres catégories (n" not in text, path
        assert "(n = 1)" not in text, path
    restitution = (project.monographs / "restitutions" / f"{FIFTH}.html").read_text("utf-8")
    assert "salarié·e" not in restitution  # 3 + 1: the salarié·es would reveal the élu·e
    assert "aucune répartition par catégorie ne respecte ce seuil" in restitution
    assert "4 répondants" in restitution


@pytest.mark.slow
def test_no_sheet_compares_a_pole_with_a_group_holding_it(network5) -> None:
    project, _ = network5
    cohort = compute_cohort(
        [p for p in __import__("ptce_mono.corpus.records", fromlist=["x"]).load_corpus(project).poles],
        REF, Settings(),
    )  # fmt: skip
    above = sorted(cohort["profils"])
    assert above == ["pole-fictif-001", "pole-fictif-002", "pole-fictif-003", FIFTH]
    for slug in above:
        html = (project.monographs / "restitutions" / f"{slug}.html").read_text("utf-8")
        assert (
            "3 autres pôles au-dessus du seuil" in html and "ce pôle n’en fait pas partie" in html
        )
        others = [s for s in above if s != slug]
        expected = statistics.median(cohort["profils"][s]["a"] for s in others)
        group = comparison_group(cohort, slug)
        assert group["median"]["a"] == pytest.approx(expected)
    low = (project.monographs / "restitutions" / "pole-fictif-004.html").read_text("utf-8")
    assert "Effectif trop faible" in low  # its own profile is neither computed nor compared


@pytest.mark.slow
def test_stored_score_of_five_fails_validate_with_file_and_line(network5, tmp_path, runner) -> None:
    import shutil

    project, _ = network5
    copy = make_project(tmp_path / "copie", project.data)
    shutil.rmtree(copy.poles)
    shutil.copytree(project.poles, copy.poles)
    wave = copy.poles / "pole-fictif-002" / "referentiel" / "2025-03.yaml"
    lines = wave.read_text(encoding="utf-8").splitlines()
    k = next(i for i, line in enumerate(lines) if re.match(r"^\s+a1: [1-4]$", line))
    lines[k] = re.sub(r"[1-4]$", "5", lines[k])
    first_id = next(i for i, line in enumerate(lines) if line.startswith("- id:"))
    lines.insert(first_id + 1, "  nom: Camille Fictive")  # a name typed by hand
    wave.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli(runner, copy, "validate")
    assert result.exit_code == 1, result.output
    where = "data/poles/pole-fictif-002/referentiel/2025-03.yaml"
    assert f"{where}:{k + 2}: repondants.0.reponses.a1: réponse 5 hors de l'échelle 1–4 du " \
        "référentiel 2012" in result.output  # fmt: skip
    assert f"{where}:{first_id + 2}: repondants.0.nom: clé « nom » inconnue" in result.output
    # the value typed there is never echoed
    assert "Camille" not in result.output.split("clé « nom »")[1]


def test_validate_names_every_kind_of_stored_problem(tmp_path: Path) -> None:
    from ptce_mono.checks.answers import check_wave_file
    from ptce_mono.corpus.answer_settings import DEFAULT_VOCABULARY

    folder = tmp_path / "referentiel"
    folder.mkdir()
    path = folder / "2025-03.yaml"
    path.write_text(
        "vague: 2025-03\nversion: '2012'\nrepondants:\n"
        "- id: r-1\n  categorie: salarie\n  reponses: {a1: 2, z9: 3}\n"
        "- id: r-1\n  categorie: inconnue\n  reponses: {a1: 0, b1: deux}\n"
        "journal:\n- {date: '2025-03-02', operation: import, nombre: 2, nom: Camille}\n",
        encoding="utf-8",
    )
    found = {(p.line, p.message.split(" (")[0]) for p in
             check_wave_file(path, {"2012": REF}, DEFAULT_VOCABULARY)}  # fmt: skip
    assert (6, "indicateur « z9 » absent du référentiel 2012") in found
    assert (7, "identifiant « r-1 » en double") in found
    assert (8, "catégorie « inconnue » inconnue") in found
    assert (9, "réponse 0 hors de l'échelle 1–4 du référentiel 2012") in found
    assert (9, "réponse « deux » illisible") in found
    assert any(line == 11 and m.startswith("opération attendue") for line, m in found)


@pytest.mark.slow
def test_withdrawn_respondent_is_gone_and_the_rest_rebuilt(network5, runner) -> None:
    """Last test of the module: it changes the project."""
    from ptce_mono.corpus.answer_store import load_wave
    from ptce_mono.importers.answers import respondent_id

    project, files = network5
    folder = project.poles / FIFTH
    before = load_wave(folder, "2025-03")
    gone = next(r for r in before.respondents if r.category == "elu")
    restitution = project.monographs / "restitutions" / f"{FIFTH}.html"
    assert "4 répondants" in restitution.read_text("utf-8")
    result = run_cli(runner, project, "import", "answers", "--retirer", str(files[3]),
                     "--pole", FIFTH, "--vague", "2025-03")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"réponses du répondant {gone.id} retirées (3 réponses restantes)" in result.output
    assert "Pourquoi : cohorte modifiée : réponses de pole-fictif-005" in result.output
    after = load_wave(folder, "2025-03")
    assert [r.id for r in after.respondents if r.id == gone.id] == []
    assert [dict(e)["operation"] for e in after.journal] == ["import", "retrait"]
    assert after.journal[-1]["nombre"] == 1
    # nowhere stored or published: the id, and the restitution is rebuilt on 3 respondents
    for path in [*project.root.rglob("*")]:
        if path.is_file() and ".git" not in path.parts and path.suffix != ".pdf":
            assert gone.id.encode() not in path.read_bytes(), path
    assert "3 répondants" in restitution.read_text("utf-8")
    rows = (project.monographs / "donnees" / "scores_declares.csv").read_text("utf-8")
    assert f"{FIFTH},2025-03,2012,a," in rows and ",3," in rows.split(f"{FIFTH},2025-03")[1]
    # an unknown id changes nothing and says what to give
    again = run_cli(runner, project, "import", "answers", "--retirer", str(files[3]),
                    "--pole", FIFTH, "--vague", "2025-03", "--sans-reconstruction")  # fmt: skip
    assert again.exit_code == 1 and "rien n'a été modifié" in again.output
    assert respondent_id("kobo:x") != gone.id
    # without rebuilding: status shows what depended on the answers as stale
    later = run_cli(runner, project, "import", "answers", "--retirer", str(files[0]),
                    "--pole", FIFTH, "--vague", "2025-03", "--sans-reconstruction")  # fmt: skip
    assert later.exit_code == 0 and "la prochaine construction" in later.output
    status = run_cli(runner, project, "status")
    assert f"Périmée : {FIFTH} (changé : fiche ou récits du pôle" in status.output
    assert "Périmée : pole-fictif-001 (changé : autres pôles (cohorte de comparaison))" in (
        status.output
    )


# --- the restitution through the project's typography and figure pipeline -----------------------


def _group() -> dict:
    profiles = {f"p{k}": {o.id: 1.0 + k / 2 for o in REF.objectives} for k in range(1, 5)}
    cohort = {**_cohort(profiles), "median": dict.fromkeys(o.id for o in REF.objectives)}
    return comparison_group(cohort, "p9")


def test_restitution_typography_full_labels_and_stable_svg() -> None:
    import matplotlib.pyplot as plt

    from ptce_mono.corpus.answer_settings import DEFAULT_VOCABULARY
    from ptce_mono.documents.charts.declared import build_profile
    from ptce_mono.documents.restitution import profile_svg, restitution_content

    scores = wave_scores(_wave(["salarie"] * 4 + ["elu"] * 3), REF, Settings())
    group = _group()
    assert group["comparable"] and group["poles"] == 4
    content = restitution_content("Pôle fictif de l'Ouest", [scores], group, REF, Settings(),
                                  DEFAULT_VOCABULARY, "4 décembre 2026")  # fmt: skip

    def texts(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for item in value:
                yield from texts(item)

    every = [t for v in content.__dict__.values() for t in texts(v)]
    assert "Pôle fictif de l’Ouest" in content.title
    assert not [t for t in every if "'" in t]  # curly apostrophes everywhere
    assert any("élu·e (n = 3)" in t for t in content.categories_head)
    assert "les 4 autres pôles au-dessus du seuil, 16 répondants" in content.profile_caption
    first = profile_svg(scores, group, REF)
    assert first == profile_svg(scores, group, REF)  # byte-stable
    assert "<text" not in first  # text drawn as paths: no font needed
    fig = build_profile(REF, scores.objectives, group, scores.respondents)
    labels = [" ".join(t.get_text().split()) for t in fig.axes[0].get_yticklabels()]
    plt.close(fig)
    assert labels == [f"{o.id}. {o.short_label}" for o in REF.objectives]  # never cut


def test_record_scores_radar_names_the_other_poles() -> None:
    import matplotlib.pyplot as plt

    from ptce_mono.documents.charts.radar import build_radar

    fig = build_radar(REF, {o.id: 2.0 for o in REF.objectives}, _group())
    labels = fig.axes[0].get_legend_handles_labels()[1]
    plt.close(fig)
    assert labels[0] == "médiane des autres pôles (n = 4)"


def test_transversal_calls_it_an_evolution_only_with_the_same_poles() -> None:
    from ptce_mono.analysis.declared import WaveCohort
    from ptce_mono.documents.transversal_answers import comparable_waves

    def at(wave: str, *slugs: str) -> WaveCohort:
        return WaveCohort(wave, len(slugs), 0, {}, slugs)

    assert comparable_waves([at("2024-03", "a", "b", "c"), at("2025-03", "a", "b", "c")])
    assert not comparable_waves([at("2024-03", "a", "b", "c"), at("2025-03", "a", "b", "d")])
    assert not comparable_waves([at("2025-03", "a", "b", "c")])


def test_restitution_with_everything_fits_two_pages(tmp_path: Path) -> None:
    """Scale, comparison, two categories with a divergence, two waves: still two pages."""
    from pypdf import PdfReader

    from ptce_mono.corpus.answer_settings import DEFAULT_VOCABULARY
    from ptce_mono.documents.restitution import (  # fmt: skip
        profile_svg,
        restitution_content,
        write_restitution,
    )

    before = wave_scores(_wave(["salarie"] * 4 + ["elu"] * 3, 1), REF, Settings())
    after = wave_scores(Wave("pole", "2026-03", "2012", _wave(["salarie"] * 4 + ["elu"] * 3)
                             .respondents), REF, Settings())  # fmt: skip
    group = _group()
    content = restitution_content("Pôle fictif", [before, after], group, REF, Settings(),
                                  DEFAULT_VOCABULARY, "4 décembre 2026")  # fmt: skip
    assert content.categories_rows and content.changes_title.startswith("Évolution")
    content = type(content)(**{**content.__dict__, "figure_svg": profile_svg(after, group, REF)})
    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    write_restitution(content, REPO / "templates", html, pdf)
    assert len(PdfReader(pdf).pages) == 2


# --- notices for what is dropped ---------------------------------------------------------------


def test_notices_for_a_name_in_the_date_cell_and_an_empty_questionnaire(tmp_path: Path) -> None:
    from ptce_mono.corpus.answer_settings import load_vocabulary
    from ptce_mono.corpus.questionnaire import build_questionnaire
    from ptce_mono.importers import fictional_answers as f
    from ptce_mono.importers.answers import import_answers
    from ptce_mono.importers.fictional_corpus import write_fictional_corpus
    from ptce_mono.importers.workbook import DATE_CELL, workbook_bytes

    write_fictional_corpus(tmp_path / "gen", 1, seed=16, scores=False)
    project = make_project(tmp_path / "projet", tmp_path / "gen")
    slug = "pole-fictif-001"
    q = build_questionnaire(REF, load_vocabulary(project), slug, "Pôle fictif", "2025-03")
    blank = workbook_bytes(q)
    values = {i.id: "3" if i.label else "" for i in REF.indicators}
    named = f.FictionalAnswer(slug, "2025-03", "2012", "salarie", "association", "2025-03-10",
                              "u", "x", "x", values)  # fmt: skip
    f.filled_questionnaire(blank, named, q, tmp_path / "nom.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "nom.xlsx")
    wb["Questionnaire"][DATE_CELL] = "Camille Fictive"
    wb.save(tmp_path / "nom.xlsx")
    empty = f.FictionalAnswer(slug, "2025-03", "2012", "elu", "association", "2025-03-11", "u",
                              "x", "x", dict.fromkeys(values, ""))  # fmt: skip
    f.filled_questionnaire(blank, empty, q, tmp_path / "vide.xlsx")
    plan = import_answers(project, [tmp_path / "nom.xlsx", tmp_path / "vide.xlsx"])
    assert sum(plan.added.values()) == 1
    assert plan.notices == [
        f"{tmp_path / 'nom.xlsx'}, ligne 8 (cellule C8) : date illisible (texte qui pourrait "
        "être un nom ou une adresse) ignorée : rien n'en est enregistré",
        f"{tmp_path / 'vide.xlsx'}, ligne 6 : questionnaire vide (aucun indicateur répondu, pas "
        "même « ne sait pas ») : ignoré, rien n'en est enregistré",
    ]
    stored = (project.poles / slug / "referentiel" / "2025-03.yaml").read_text("utf-8")
    assert "Camille" not in stored and "date: null" in stored and "elu" not in stored


def test_transversal_small_multiples_compare_each_pole_with_the_others_only() -> None:
    import matplotlib.pyplot as plt

    from ptce_mono.documents.charts.transversal import build_small_multiples

    def figure(n: int):
        profiles = {f"p{k}": {o.id: 1.0 + k / 2 for o in REF.objectives} for k in range(1, n + 1)}
        cohort = {**_cohort(profiles), "median": dict.fromkeys(o.id for o in REF.objectives)}
        items = [(s, p) for s, p in profiles.items()]
        groups = [comparison_group(cohort, s) for s in profiles]
        return build_small_multiples(REF, items, cohort, groups=groups)

    fig = figure(4)  # each pole has 3 others: a median of the others in every panel
    assert [len(ax.get_lines()) for ax in fig.axes] == [2, 2, 2, 2]
    first_median = fig.axes[0].get_lines()[0].get_ydata()[0]
    assert first_median == statistics.median([1.0 + k / 2 for k in (2, 3, 4)])  # p1 left out
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "ce pôle", "médiane des autres pôles"]  # fmt: skip
    plt.close(fig)
    fig = figure(3)  # two others only: no median anywhere
    assert [len(ax.get_lines()) for ax in fig.axes] == [1, 1, 1]
    plt.close(fig)


def test_n_agrees_with_its_word() -> None:
    import matplotlib.pyplot as plt

    from ptce_mono.analysis.group import group_phrase, no_comparison_sentence
    from ptce_mono.documents.charts.declared import build_evolution

    fig = build_evolution(REF, [("2024-03", 1, {}), ("2025-03", 4, {})], "pôles")
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "vague 2024-03 (n = 1 pôle)", "vague 2025-03 (n = 4 pôles)"]  # fmt: skip
    plt.close(fig)
    assert (
        group_phrase({"poles": 3, "repondants": 1})
        == "3 autres pôles au-dessus du seuil, 1 répondant"
    )
    assert "1 autre pôle seulement est au-dessus" in no_comparison_sentence({"poles": 1})
    assert "aucun autre pôle n'est au-dessus" in no_comparison_sentence({"poles": 0})


def test_values_that_may_identify_someone_are_never_echoed() -> None:
    from ptce_mono.importers.answers import looks_like_identity, quoted

    for value in ("Camille Fictive", "Jean-Pierre Durand", "alix" + AT + "exemple.invalid",
                  "06 12 34 56" + " 78", "+33 6 12 34 56 78"):  # fmt: skip
        assert looks_like_identity(value) and value not in quoted(value)
    for value in ("3", "nsp", "7", "2,5", "2025-03-12", "salarie", "inconnue"):
        assert not looks_like_identity(value) and quoted(value) == f"« {value} »"


def test_restitution_and_compare_refuse_invalid_stored_answers(tmp_path: Path, runner) -> None:
    """A hand-edited 5 never moves a median: the pole's sheets are refused with file:line, and
    another pole's restitution leaves the invalid pole out of its comparison group."""
    from ptce_mono.importers.answers import import_answers

    from .participation_helpers import network_project

    project = network_project(tmp_path)
    import_answers(project, [EXPORTS / "kobo.csv"])
    wave = project.poles / "pole-fictif-002" / "referentiel" / "2025-03.yaml"
    text = wave.read_text(encoding="utf-8")
    wave.write_text(re.sub(r"(\n\s+a1: )[1-4]\n", r"\g<1>5\n", text, count=1), encoding="utf-8")
    for args in (["restitution", "pole-fictif-002"],
                 ["compare", "pole-fictif-002", "--vagues", "2024-03", "2025-03"]):  # fmt: skip
        result = run_cli(runner, project, *args)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "réponses enregistrées invalides pour le pôle « pole-fictif-002 »" in result.output
        assert "2025-03.yaml:" in result.output and "réponse 5 hors de l'échelle" in result.output
    result = run_cli(runner, project, "restitution", "pole-fictif-001")
    assert result.exit_code == 0, result.output
    html = (project.monographs / "restitutions" / "pole-fictif-001.html").read_text("utf-8")
    assert "1 autre pôle seulement est au-dessus du seuil" in html  # 003 only: 002 left out
