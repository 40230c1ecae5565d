"""Restitution sheets are outputs of the plan (issue 21, item 2): keyed by their inputs, with a
manifest, made from the build's validated corpus and cohorts, one pole's failure isolated; one
guarded Typst compiler, one SVG writer, one Jinja environment factory. Real Typst, matplotlib
and Jinja2 on a copy of the FICTIONAL network."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from ptce_mono.core.errors import ToolFailedError

from .conftest import run_cli
from .participation_helpers import EXPORTS, SLUGS, network_project

BROKEN = "pole-fictif-003"


@pytest.fixture
def answered(tmp_path: Path):
    from ptce_mono.importers.answers import import_answers

    project = network_project(tmp_path)
    import_answers(project, [EXPORTS / "limesurvey.csv"])
    return project


def _plan(project):
    """What ``build`` has in hand when it makes the sheets: the validation report, the valid
    corpus and the plan's inputs (cohorts computed once)."""
    from ptce_mono.checks.validate import corpus_from_report, validate_corpus
    from ptce_mono.pipeline.plan import current_inputs

    validation = validate_corpus(project, use_cache=False)
    corpus = corpus_from_report(project, validation)
    return validation, corpus, current_inputs(project, corpus, validation.digests)


def _build_sheets(project):
    from ptce_mono.pipeline.build import BuildReport, _restitutions, _unreadable

    validation, corpus, current = _plan(project)
    report = BuildReport()
    report.failed += _unreadable(project, validation, None)
    _restitutions(project, corpus, current, None, False, 120.0, report)
    return report


def _break(project) -> Path:
    record = project.poles / BROKEN / "pole.yaml"
    record.write_text("nom: [Pôle fictif non fermé\nterritoire: {\n", encoding="utf-8")
    return record


def test_an_unreadable_record_stops_no_other_restitution(answered, runner) -> None:
    record = _break(answered)
    others = [s for s in SLUGS if s != BROKEN]
    # the command for another pole works (it used to fail, naming pole-fictif-003/pole.yaml)
    result = run_cli(runner, answered, "restitution", others[0])
    assert result.exit_code == 0, result.output
    assert BROKEN not in result.output
    # the build makes every other pole's sheet; the one failure names the broken file only
    report = _build_sheets(answered)
    assert sorted(report.restitutions + report.restitutions_up_to_date) == others
    assert report.restitutions_up_to_date == [others[0]]
    folder = answered.monographs / "restitutions"
    for slug in others:
        assert (folder / f"{slug}.html").is_file() and (folder / f"{slug}.pdf").is_file()
        assert (folder / f"{slug}.manifest.json").is_file()
    assert not (folder / f"{BROKEN}.html").exists()
    assert [o.stem for o in report.failed] == [BROKEN]
    message = report.failed[0].message
    assert f"{BROKEN}/pole.yaml" in message
    assert not [s for s in others if s in message]
    # the command for the broken pole names its own file, and no other pole
    result = run_cli(runner, answered, "restitution", BROKEN)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert str(record.relative_to(answered.root)) in result.output
    assert not [s for s in others if s in result.output]


def test_a_failed_sheet_keeps_the_last_good_one(answered, runner) -> None:
    slug = SLUGS[0]
    assert run_cli(runner, answered, "restitution", slug).exit_code == 0
    html = answered.monographs / "restitutions" / f"{slug}.html"
    unchanged = run_cli(runner, answered, "restitution", slug)  # the build of one output
    assert unchanged.exit_code == 0 and f"à jour : {html}" in unchanged.output
    pdf = html.with_suffix(".pdf")
    before = html.read_bytes(), pdf.read_bytes()
    typ = answered.templates / "restitution.typ"
    typ.write_text(typ.read_text(encoding="utf-8") + "\n#inconnue()\n", encoding="utf-8")
    result = run_cli(runner, answered, "restitution", slug)  # templates changed: stale
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "typst a échoué" in result.output and f"{slug}.pdf" in result.output
    assert (html.read_bytes(), pdf.read_bytes()) == before
    status = run_cli(runner, answered, "status")
    assert f"Échec : {slug} : typst a échoué" in status.output


def test_a_sheet_is_stale_when_its_own_wave_changes_and_only_then(answered, runner) -> None:
    from ptce_mono.pipeline.sheets import is_sheet_stale, read_sheet_manifest, sheet_inputs

    report = _build_sheets(answered)
    assert sorted(report.restitutions) == SLUGS and not report.failed
    status = run_cli(runner, answered, "status")
    assert f"Fiches de restitution ({len(SLUGS)}) : {len(SLUGS)} à jour" in status.output
    again = _build_sheets(answered)  # nothing changed: nothing rewritten
    assert again.restitutions == [] and sorted(again.restitutions_up_to_date) == SLUGS
    # a respondent's date corrected in one wave: that sheet only (scores, cohort unchanged)
    changed = SLUGS[1]
    wave = sorted((answered.poles / changed / "referentiel").glob("*.yaml"))[-1]
    text = wave.read_text(encoding="utf-8")
    edited = re.sub(r"(date: '?\d{4}-\d{2}-)(\d{2})", lambda m: m.group(1) + "01", text, count=1)
    assert edited != text
    wave.write_text(edited, encoding="utf-8")
    _, corpus, current = _plan(answered)
    inputs = sheet_inputs(answered, corpus, current)
    stale = [s for s in SLUGS
             if is_sheet_stale(answered, s, inputs[s], read_sheet_manifest(answered, s))]  # fmt: skip
    assert stale == [changed]
    status = run_cli(runner, answered, "status")
    assert (
        f"Périmée : {changed} (changé : réponses au questionnaire du référentiel)" in status.output
    )
    rebuilt = _build_sheets(answered)
    assert rebuilt.restitutions == [changed]


def _svg(html: str) -> str:
    return html[html.index("<svg") : html.index("</svg>") + 6]


def _visible(html: str) -> str:
    body = html[html.index("<body") :]
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_sheet_svg_and_pdf_byte_stable_with_typographic_apostrophes(
    answered, runner, monkeypatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    slug = SLUGS[0]
    folder = answered.monographs / "restitutions"
    results = []
    for _ in range(2):
        result = run_cli(runner, answered, "restitution", slug, "--force")
        assert result.exit_code == 0, result.output
        results.append(((folder / f"{slug}.html").read_text("utf-8"),
                        (folder / f"{slug}.pdf").read_bytes()))  # fmt: skip
    (html, pdf), (html2, pdf2) = results
    assert _svg(html) == _svg(html2) and pdf == pdf2
    assert 'role="img" aria-label="Graphique' in html
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html  # inline SVG, valid HTML
    text = _visible(html)
    assert "’" in text and "'" not in text  # l’échelle, d’autres pôles…
    # the PDF comes from the guarded compiler: PDF/UA-1 (tagged), dated by SOURCE_DATE_EPOCH
    reader = PdfReader(folder / f"{slug}.pdf")
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert "20260101" in str(reader.metadata.get("/CreationDate"))


def test_one_svg_writer_for_charts_and_sheets() -> None:
    import matplotlib.pyplot as plt

    from ptce_mono.documents import display, restitution
    from ptce_mono.documents.charts import svg
    from ptce_mono.documents.charts.style import style

    assert display.figure_svg is svg.figure_svg
    assert "charts.svg import figure_svg" in Path(restitution.__file__).read_text("utf-8")

    def figure():
        style()
        fig, ax = plt.subplots()
        ax.plot([1, 2], [1, 2], label="l'emploi")
        ax.set_title("Part de l'ESS")
        ax.set_yticks([1, 2])
        ax.set_yticklabels(["l'objectif", "d'autres"])
        ax.legend()
        return fig

    first, second = figure(), figure()
    out = svg.figure_svg(first), svg.figure_svg(second)
    assert out[0] == out[1]  # byte-stable
    assert first.axes[0].get_title() == "Part de l’ESS"
    assert [t.get_text() for t in first.axes[0].get_legend().get_texts()] == ["l’emploi"]
    plt.close(first)
    plt.close(second)


def test_sheet_compile_is_guarded_with_a_french_error(tmp_path: Path) -> None:
    from ptce_mono.render.sheet import compile_sheet

    template = tmp_path / "lent.typ"
    template.write_text(
        '#let d = json("d.json")\n#set document(title: d.titre)\n#let n = 0\n'
        "#for i in range(100000) { for j in range(100000) { n = n + 1 } }\n#n\n",
        encoding="utf-8",
    )
    with pytest.raises(ToolFailedError, match=r"lent\.pdf a échoué : délai dépassé \(2 s\)"):
        compile_sheet(template, {"titre": "Lent"}, "d.json", tmp_path / "lent.pdf", timeout=2)
    # a character no font draws is replaced in the data, never fails the sheet
    template.write_text(
        '#let d = json("d.json")\n#set document(title: d.titre)\n'
        '#set text(lang: "fr", font: ("Libertinus Serif",))\n#d.titre\n',
        encoding="utf-8",
    )
    pdf = compile_sheet(template, {"titre": "Pôle 𓀀 fictif"}, "d.json", tmp_path / "r.pdf")
    (tmp_path / "r.pdf").write_bytes(pdf)
    assert "(U+13000)" in PdfReader(tmp_path / "r.pdf").pages[0].extract_text()


def test_questionnaires_of_the_other_poles_are_written(answered, runner) -> None:
    _break(answered)
    result = run_cli(runner, answered, "questionnaire", "--vague", "2026-03", "--formats", "pdf")
    assert result.exit_code == 1 and "Traceback" not in result.output
    folder = answered.root / "questionnaires" / "2026-03"
    assert sorted(p.name for p in folder.iterdir()) == [f"{s}.pdf" for s in SLUGS if s != BROKEN]
    failures = [line for line in result.output.splitlines() if line.startswith("Échec")]
    assert len(failures) == 1 and f"{BROKEN}/pole.yaml" in failures[0]
    reader = PdfReader(folder / f"{SLUGS[0]}.pdf")
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # the guarded compiler: PDF/UA-1


def test_every_jinja_environment_comes_from_the_one_factory() -> None:
    package = Path(__file__).resolve().parents[1] / "ptce_mono"
    makers = sorted(
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if re.search(r"\bEnvironment\(", p.read_text(encoding="utf-8"))
    )
    assert makers == ["render/templating.py"]


def test_comparison_page_has_french_typography(tmp_path: Path) -> None:
    from ptce_mono.render.templating import french_environment

    (tmp_path / "t.html").write_text("<p>{{ x }} — {{ y|num }}</p>", encoding="utf-8")
    env = french_environment(tmp_path)
    out = env.get_template("t.html").render(x="l'écart : grand", y=None)
    assert out == "<p>l’écart\u00a0: grand — —</p>"
    comparison = Path(__file__).resolve().parents[1] / "templates" / "comparaison.html"
    literal = re.sub(r"\{[{%].*?[%}]\}", "", comparison.read_text(encoding="utf-8"))
    assert not re.search(r"\w'\w", re.sub(r"<[^>]+>", "", literal))


def test_sheets_and_monographs_compile_with_the_project_fonts(tmp_path: Path) -> None:
    """A font that only the project's ``templates/fonts`` holds is found by the guarded
    compiler (the in-process one used for sheets searched the system's fonts only)."""
    from fontTools.ttLib import TTFont

    from ptce_mono.render.sheet import compile_sheet

    templates = tmp_path / "templates"
    (templates / "fonts").mkdir(parents=True)
    font = TTFont(
        Path(__file__).resolve().parents[1] / "templates/fonts/LibertinusSerif-Regular.otf"
    )
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Police Projet Fictive"
        elif record.nameID == 6:
            record.string = "PoliceProjetFictive"
    font.save(templates / "fonts" / "police-projet.otf")
    template = templates / "essai.typ"
    template.write_text(
        '#let d = json("d.json")\n#set document(title: d.titre)\n'
        '#set text(lang: "fr", font: "Police Projet Fictive")\n#d.titre\n',
        encoding="utf-8",
    )
    (tmp_path / "r.pdf").write_bytes(
        compile_sheet(template, {"titre": "Fiche fictive"}, "d.json", tmp_path / "r.pdf")
    )
    fonts = PdfReader(tmp_path / "r.pdf").pages[0]["/Resources"]["/Font"]
    names = [str(f.get_object()["/BaseFont"]) for f in fonts.values()]
    assert any("PoliceProjetFictive" in name for name in names), names
