"""The plan without building: which outputs' inputs each family of edits changes, what each
output's inputs are named, and when an output is stale (fast: no notebook runs; the slow twin
tests/test_plan_inputs.py checks the same families through ``status`` and ``build``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptce_mono.checks.validate import corpus_from_report, validate_corpus
from ptce_mono.core.fingerprint import shared_inputs, write_manifest
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.pipeline.plan import TRANSVERSAL, current_inputs, is_stale, outputs_of, with_options
from tests.conftest import FIXTURES
from tests.plan_families import EVERYTHING, FAMILIES, POLES, full_project

SHARED = {
    "grille",
    "referentiels",
    "bibliographie",
    "participation",
    "paquet",
    "rendu",
    "projet",
}  # projet: the identity every document prints (issue 23)


@pytest.fixture
def project(tmp_path: Path) -> ProjectPaths:
    return full_project(tmp_path / "projet")


def plan(paths: ProjectPaths) -> dict[str, dict[str, str]]:
    report = validate_corpus(paths)
    assert not report.errors, [p.format() for p in report.errors]
    return current_inputs(paths, corpus_from_report(paths, report)).by_stem


def test_each_output_has_its_named_inputs(project: ProjectPaths) -> None:
    inputs = plan(project)
    assert set(inputs) == EVERYTHING
    for slug in POLES:
        # prive: the pole's private table, by digest (issue 28)
        assert set(inputs[slug]) == SHARED | {"modele", "pole", "cohorte", "prive"}
        assert "absent" not in inputs[slug].values()
    assert set(inputs[TRANSVERSAL]) == SHARED | {
        "modele", "poles", "geo", "publications", "recensement", "prive"
    }  # fmt: skip
    assert {k: inputs[TRANSVERSAL][k] for k in SHARED} == shared_inputs(project)
    assert inputs[TRANSVERSAL]["modele"] != inputs[sorted(POLES)[0]]["modele"]


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_changes_exactly_the_inputs_of_its_outputs(
    project: ProjectPaths, family: str
) -> None:
    edit, expected, _ = FAMILIES[family]
    before = plan(project)
    edit(project)
    after = plan(project)
    assert {stem for stem in before if before[stem] != after[stem]} == expected


def test_an_absent_template_is_named_absent(project: ProjectPaths) -> None:
    project.transversal_notebook.unlink()
    inputs = plan(project)
    assert inputs[TRANSVERSAL]["modele"] == "absent"
    assert all(inputs[slug]["modele"] != "absent" for slug in POLES)


def test_digests_given_by_validation_are_used(project: ProjectPaths) -> None:
    report = validate_corpus(project)
    corpus = corpus_from_report(project, report)
    slug = sorted(POLES)[0]
    given = current_inputs(project, corpus, {slug: "empreinte-donnee"})
    assert given.by_stem[slug]["pole"] == "empreinte-donnee"
    assert given.pole_digests[slug] == "empreinte-donnee"
    computed = current_inputs(project, corpus)
    assert computed.by_stem[slug]["pole"] != "empreinte-donnee"
    others = sorted(POLES)[1:]
    assert all(given.by_stem[s] == computed.by_stem[s] for s in others)
    assert given.by_stem[TRANSVERSAL]["poles"] != computed.by_stem[TRANSVERSAL]["poles"]


def test_options_join_the_inputs() -> None:
    assert with_options({"a": "1"}, ("html", "pdf"), "embedded") == {
        "a": "1", "formats": "html,pdf", "moteur": "embedded"
    }  # fmt: skip
    assert with_options({}, (), "quarto") == {"formats": "", "moteur": "quarto"}


def test_stale_until_the_same_key_and_every_output_are_there(project: ProjectPaths) -> None:
    report = validate_corpus(project)
    current = current_inputs(project, corpus_from_report(project, report))
    slug = sorted(POLES)[0]
    outputs = outputs_of(project, slug, ("html",))
    assert [p.name for p in outputs] == [f"{slug}.ipynb", f"{slug}.html"]
    key = current.key(slug, ("html",), "embedded")
    assert is_stale(project, current, slug, None, ("html",), "embedded")
    project.monographs.mkdir(exist_ok=True)
    manifest = {"status": "ok", "key": key}
    assert is_stale(project, current, slug, manifest, ("html",), "embedded")  # no file yet
    for path in outputs:
        path.write_text("sortie", encoding="utf-8")
    write_manifest(project.monographs, slug, manifest)
    assert not is_stale(project, current, slug, manifest, ("html",), "embedded")
    assert is_stale(project, current, slug, manifest, ("html", "pdf"), "embedded")
    assert is_stale(project, current, slug, manifest, ("html",), "quarto")
    assert is_stale(project, current, slug, {**manifest, "status": "echec"}, ("html",), "embedded")
    outputs[1].unlink()
    assert is_stale(project, current, slug, manifest, ("html",), "embedded")
    assert key != current.key(sorted(POLES)[1], ("html",), "embedded")


def test_the_participation_threshold_reaches_the_cohort_of_every_pole(tmp_path: Path) -> None:
    """With answers imported, raising « effectif_minimum » leaves every pole out of the cohort:
    the comparison cohort, hence every monograph's inputs, change."""
    from ptce_mono.importers.answers import import_answers
    from tests.participation_helpers import network_project

    paths = network_project(tmp_path)
    import_answers(paths, [FIXTURES / "participation" / "exports" / "kobo.csv"])
    current = current_inputs(paths, corpus_from_report(paths, validate_corpus(paths)))
    assert set(current.cohorts) == {"2012"}
    # one pole of the Kobo export has fewer than 3 respondents: left out already
    assert (current.cohorts["2012"]["poles"], len(current.cohorts["2012"]["exclus"])) == (3, 1)
    settings = paths.data / "participation" / "reglages.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "effectif_minimum: 3", "effectif_minimum: 999"
        ),
        encoding="utf-8",
    )
    after = current_inputs(paths, corpus_from_report(paths, validate_corpus(paths)))
    assert after.cohorts["2012"]["poles"] == 0
    assert len(after.cohorts["2012"]["exclus"]) == 4
    poles = [s for s in current.by_stem if s != TRANSVERSAL]
    assert all(after.by_stem[s]["cohorte"] != current.by_stem[s]["cohorte"] for s in poles)


def test_a_name_added_to_the_private_table_changes_what_it_protects(
    project: ProjectPaths,
) -> None:
    from ptce_mono.corpus.pseudonymise import private_table_path

    slug = sorted(POLES)[0]
    before = plan(project)
    table = private_table_path(project.data, slug)
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_text("personnes:\n  - {nom: Camille Fictive, role: bénévole}\n", "utf-8")
    after = plan(project)
    assert {stem for stem in before if before[stem] != after[stem]} == {slug, TRANSVERSAL}
    assert before[slug]["prive"] != after[slug]["prive"]
    assert {k for k in before[slug] if before[slug][k] != after[slug][k]} == {"prive"}
    assert "Camille" not in str(after)  # by digest only


def test_an_output_the_manifest_records_and_that_is_gone_makes_it_stale(
    project: ProjectPaths,
) -> None:
    report = validate_corpus(project)
    current = current_inputs(project, corpus_from_report(project, report))
    slug = sorted(POLES)[0]
    project.monographs.mkdir(exist_ok=True)
    for path in outputs_of(project, slug, ("html",)):
        path.write_text("sortie", encoding="utf-8")
    pdf = project.monographs / f"{slug}.pdf"
    manifest = {"status": "ok", "key": current.key(slug, ("html",), "embedded"),
                "outputs": {"pdf": str(pdf)}}  # fmt: skip
    assert is_stale(project, current, slug, manifest, ("html",), "embedded")
    pdf.write_bytes(b"%PDF-1.7\n")
    assert not is_stale(project, current, slug, manifest, ("html",), "embedded")
