"""Hostile and careless input (issue 14), one class at a time: each test fails on the code
before the fix and passes after it. Fictional data only; real pandoc, Typst, papermill.

The end-to-end corpus holding one pole of each class, and the crash test, are in
``test_hostile_corpus.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from ptce_mono.checks.validate import Severity, corpus_from_report, validate_corpus
from ptce_mono.core.errors import DataFileError, NotWritableError, PtceError, ToolFailedError
from ptce_mono.core.limits import MAX_MARKDOWN_BYTES, MAX_YAML_BYTES, read_bounded_text
from ptce_mono.core.yamlio import parse_yaml
from ptce_mono.corpus.records import load_pole

from .conftest import run_cli

SLUG = "vallons-fictifs"
OTHER = "plateau-essai"
FORBIDDEN = ("Error:", "Try '", "Traceback", ".tmp")


def laughs(levels: int, width: int = 9) -> str:
    """The « billion laughs » pattern: each level is ``width`` aliases of the previous one."""
    lines = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


def problems_in(project, slug: str):
    report = validate_corpus(project)
    folder = project.poles / slug
    return report, [p for p in report.problems if p.path == folder or folder in p.path.parents]


def assert_isolated(project, slug: str, words: str, file: str = "pole.yaml"):
    """``slug`` is reported (its file named, in French) and every other pole is read."""
    report, found = problems_in(project, slug)
    assert found, f"aucun problème signalé pour {slug}"
    assert any(words in p.message for p in found), [p.message for p in found]
    assert any(p.path.name == file for p in found), [str(p.path) for p in found]
    others = {p.name for p in project.poles.iterdir() if p.is_dir()} - {slug, "Pole Mal Nommé"}
    assert others <= {p.slug for p in report.poles}
    valid = {p.slug for p in corpus_from_report(project, report).poles}
    assert OTHER in valid and slug not in valid
    for problem in found:
        text = problem.format(project.root)
        assert not any(bad in text for bad in FORBIDDEN), text
    return found


# --- 1. unbounded parsing ------------------------------------------------------------------------


def test_alias_bomb_is_refused_quickly_and_names_the_file(project) -> None:
    (project.poles / SLUG / "pole.yaml").write_text(laughs(9), encoding="utf-8")
    found = assert_isolated(project, SLUG, "alias")
    assert "20" in found[0].message  # the limit is named


def test_moderate_alias_expansion_is_refused_too() -> None:
    """Six levels (half a million values once expanded) are read by a plain YAML loader."""
    with pytest.raises(DataFileError, match="alias"):
        parse_yaml(laughs(6), "pole.yaml")


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(DataFileError, match="trop imbriqué"):
        parse_yaml("a: " + "[" * 10_000 + "]" * 10_000, "pole.yaml")


@pytest.mark.parametrize(
    ("name", "limit", "kind"),
    [
        ("pole.yaml", MAX_YAML_BYTES, "fichier YAML"),
        ("gouvernance.md", MAX_MARKDOWN_BYTES, "récit"),
    ],
)
def test_oversized_files_are_refused_with_the_limit(project, name, limit, kind) -> None:
    path = project.poles / SLUG / name
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n# " + "x" * (limit + 10) + "\n")
    found = assert_isolated(project, SLUG, "trop volumineux", name)
    assert kind in found[0].message and "Mio" in found[0].message


def test_a_pipe_or_device_is_never_read(project, tmp_path: Path) -> None:
    fifo = tmp_path / "tube.csv"
    os.mkfifo(fifo)
    with pytest.raises(DataFileError, match="fichier ordinaire"):
        read_bounded_text(fifo, 1000)  # would block forever if opened for reading


# --- 2. one bad file never stops another pole ---------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"nom: !!python/object/apply:os.system ['true']\n", "étiquette YAML"),
        (b"identite:\n  nom: !inconnue x\n", "étiquette YAML"),
        (b"identite:\n  nom: \xe9t\xe9\n", "UTF-8"),
        (b"identite:\n  nom: a\x00b\n", "caractère interdit"),
        (b"schema: !!int douze\n", "valeur illisible"),
        (b"a: 1\n---\nb: 2\n", "plusieurs documents"),
    ],
)
def test_unreadable_pole_is_its_own_french_problem(project, content: bytes, words: str) -> None:
    (project.poles / SLUG / "pole.yaml").write_bytes(content)
    found = assert_isolated(project, SLUG, words)
    assert not any("<unicode string>" in p.message or "Constructor" in p.message for p in found)


def test_build_of_another_pole_is_not_stopped_by_an_unreadable_one(project, runner) -> None:
    (project.poles / SLUG / "pole.yaml").write_text("nom: !etrange x\n", encoding="utf-8")
    result = run_cli(runner, project, "build", OTHER, "--to", "", "--sans-transversale")
    assert "Erreur inattendue" not in result.output, result.output
    assert not any(bad in result.output for bad in FORBIDDEN), result.output
    assert (project.monographs / f"{OTHER}.ipynb").is_file()


# --- 3. links that leave the project ------------------------------------------------------------


def outside_copy(project, tmp_path: Path) -> Path:
    outside = tmp_path / "ailleurs" / "pole-exterieur"
    shutil.copytree(project.poles / SLUG, outside)
    text = (outside / "pole.yaml").read_text(encoding="utf-8")
    (outside / "pole.yaml").write_text(
        text.replace("Pôle fictif des Vallons", "Pôle Exterieur Fictif"), encoding="utf-8"
    )
    return outside


def test_linked_pole_folder_leaving_the_project_is_refused(project, tmp_path: Path) -> None:
    link = project.poles / "pole-detourne"
    link.symlink_to(outside_copy(project, tmp_path), target_is_directory=True)
    found = assert_isolated(project, "pole-detourne", "hors du projet", "pole-detourne")
    assert found[0].path == link  # the link's own path, not where it leads
    assert "data/poles/pole-detourne" in found[0].format(project.root)


def test_linked_narrative_leaving_the_project_is_refused(project, tmp_path: Path) -> None:
    secret = tmp_path / "ailleurs" / "secret.md"
    secret.parent.mkdir(parents=True)
    secret.write_text("Texte privé venu d'ailleurs.\n", encoding="utf-8")
    narrative = project.poles / SLUG / "gouvernance.md"
    narrative.unlink()
    narrative.symlink_to(secret)
    assert_isolated(project, SLUG, "hors du projet", "gouvernance.md")
    pole = validate_corpus(project).poles
    assert all(secret not in p.input_files() for p in pole)


def test_a_link_loop_in_a_pole_folder_is_that_pole_s_problem(project) -> None:
    (project.poles / SLUG / "boucle").symlink_to(project.poles / SLUG)
    found = assert_isolated(project, SLUG, "liens symboliques en boucle", SLUG)
    assert found[0].path == project.poles / SLUG


def test_links_inside_the_project_are_read(project) -> None:
    inside = project.root / "autres-recits" / "gouvernance.md"
    inside.parent.mkdir()
    narrative = project.poles / SLUG / "gouvernance.md"
    shutil.move(narrative, inside)
    narrative.symlink_to(inside)
    _report, found = problems_in(project, SLUG)
    assert not [p for p in found if p.severity is Severity.ERROR]


def test_build_names_the_link_of_a_selected_pole(project, runner, tmp_path: Path) -> None:
    (project.poles / "pole-detourne").symlink_to(outside_copy(project, tmp_path))
    result = run_cli(runner, project, "build", "pole-detourne", "--to", "")
    assert result.exit_code == 1
    assert "pole-detourne" in result.output and "hors du projet" in result.output, result.output
    assert "identifiant de pôle invalide" not in result.output


def test_linked_pole_is_never_published(project, tmp_path: Path) -> None:
    from ptce_mono.documents.dataset import write_corpus_package
    from ptce_mono.site.build import build_site

    (project.poles / "pole-detourne").symlink_to(outside_copy(project, tmp_path))
    write_corpus_package(project, corpus_from_report(project, validate_corpus(project)))
    build_site(project, search=False)
    for path in [*project.export.rglob("*"), *project.site.rglob("*")]:
        if path.is_file() and path.suffix in (".csv", ".json", ".html"):
            text = path.read_text(encoding="utf-8")
            assert "Exterieur Fictif" not in text and "pole-detourne" not in text, path


# --- 4. narratives that break the document ------------------------------------------------------

HOSTILE_NARRATIVE = """---
questions: [gouvernance-1]
---
# Un titre de niveau 1

Texte du récit, écrit par @pole_alpen et cité [@rapport-fictif-2016, p. 10].

Un sous-titre souligné
----------------------

## Un titre de niveau 2

Fin du récit, tarif@unité, et une citation inconnue en texte : @inconnue.
"""


def test_validate_warns_about_headings_and_stray_at(project) -> None:
    (project.poles / SLUG / "gouvernance.md").write_text(HOSTILE_NARRATIVE, encoding="utf-8")
    _report, found = problems_in(project, SLUG)
    warnings = [
        p for p in found if p.severity is Severity.WARNING and p.path.name == "gouvernance.md"
    ]
    titles = [p for p in warnings if p.field == "titre"]
    cites = [p for p in warnings if p.field == "citation"]
    assert [p.line for p in titles] == [4, 8, 11]
    assert {p.message.split("»")[0] for p in cites} == {"« @pole_alpen ", "« @inconnue "}
    assert not [p for p in found if p.severity is Severity.ERROR]


def test_rendered_narrative_keeps_the_grid_outline_and_compiles(project, tmp_path: Path) -> None:
    """Real pandoc and Typst: narrative headings are below the section, outside the table of
    contents, and ``@pole_alpen`` does not break the PDF."""
    from bs4 import BeautifulSoup

    from ptce_mono.documents.monograph import load, narrative_markdown
    from ptce_mono.render.embedded import render_html, render_pdf

    (project.poles / SLUG / "gouvernance.md").write_text(HOSTILE_NARRATIVE, encoding="utf-8")
    ctx = load(str(project.data), SLUG)
    body = narrative_markdown(ctx, "gouvernance")
    md = tmp_path / "rendu" / "doc.md"
    md.parent.mkdir()
    md.write_text(f"## 3. Gouvernance\n\n{body}\n\n## 4. Suite\n\nFin.\n", encoding="utf-8")
    meta = {"title": "Essai", "slug": SLUG}
    render_html(md, md.with_suffix(".html"), meta, project.templates, 120)
    soup = BeautifulSoup(md.with_suffix(".html").read_text(encoding="utf-8"), "html.parser")
    toc = [a.get_text(" ", strip=True) for a in soup.select("nav a")]
    assert toc == ["3. Gouvernance", "4. Suite"], toc
    assert [h.get_text(strip=True) for h in soup.find_all(["h1", "h2"])][-2:] == [
        "3. Gouvernance",
        "4. Suite",
    ]
    assert soup.find("h3", string="Un titre de niveau 1")  # "####", once the title is dropped
    assert soup.find("h4", string="Un sous-titre souligné")
    text = soup.get_text(" ")
    assert "@pole_alpen" in text and "@inconnue" in text
    render_pdf(md, md.with_suffix(".pdf"), meta, project.templates, 120)
    assert md.with_suffix(".pdf").read_bytes().startswith(b"%PDF")


def test_a_fact_starting_with_at_is_text(project) -> None:
    from ptce_mono.documents.display import escape_markdown_html

    assert escape_markdown_html("@pole_alpen") == "\\@pole_alpen"


# --- 5. one French voice ------------------------------------------------------------------------

BAD_INVOCATIONS = [
    ["commande-inconnue"],
    ["bild"],
    ["--option-inconnue"],
    ["build", "--option-inconnue"],
    ["build", "--jobs", "plusieurs"],
    ["build", "--jobs", "0"],
    ["build", "--delai", "long"],
    ["build", "--engine", "latex"],
    ["build", "--to", "docx"],
    ["build", "--to"],
    ["build", "Pas Un Slug"],
    ["build", "pole-qui-n-existe-pas"],
    ["validate", "../../etc"],
    ["validate", "--avertissements=oui"],
    ["status", "en-trop"],
    ["new"],
    ["new", "pole-nouveau"],
    ["new", "pole-nouveau", "--nom", "Ligne un\nLigne deux"],
    ["new", "pole-nouveau", "--nom", "Nom", "--commune", "A\rB"],
    ["new", "Mauvais Slug", "--nom", "Nom"],
    ["new", "pole-nouveau", "--nom", "Nom", "--departement", "999"],
    ["render", "--to", "odt"],
    ["serve", "--port", "quatre-vingts"],
    ["preview"],
    ["notebooks", "--inconnue"],
    ["--racine"],
]


@pytest.mark.parametrize("args", BAD_INVOCATIONS, ids=lambda a: " ".join(a)[:40])
def test_bad_invocations_speak_french(project, runner, args) -> None:
    from ptce_mono.cli import cli

    result = runner.invoke(cli, ["--racine", str(project.root), *args], catch_exceptions=False)
    assert result.exit_code != 0, result.output
    assert result.output.strip(), "aucun message"
    for bad in FORBIDDEN:
        assert bad not in result.output, result.output
    assert "Erreur inattendue" not in result.output, result.output
    assert "Usage:" not in result.output and "Aborted" not in result.output


def test_newline_in_a_name_names_the_option(project, runner) -> None:
    result = run_cli(runner, project, "new", "pole-nouveau", "--nom", "Ligne un\nLigne deux")
    assert result.exit_code == 1
    assert "--nom" in result.output and "une ligne" in result.output
    assert "identite" not in result.output and ".tmp" not in result.output
    assert not (project.poles / "pole-nouveau").exists()


def test_real_binary_usage_error_and_closed_pipe(project) -> None:
    binary = Path(sys.executable).with_name("ptce-mono")
    proc = subprocess.run(
        [str(binary), "--racine", str(project.root), "buld"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "commande inconnue « buld »" in proc.stderr and "build" in proc.stderr
    assert not any(bad in proc.stderr + proc.stdout for bad in FORBIDDEN)
    status = subprocess.Popen(
        [str(binary), "--racine", str(project.root), "status"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    status.stdout.close()  # like `| head` that has read enough
    err = status.stderr.read().decode("utf-8")
    status.wait(timeout=120)
    assert err == "", err


def test_unwritable_output_folder_is_named_never_a_temp_file(project, runner) -> None:
    project.monographs.parent.mkdir(parents=True, exist_ok=True)
    project.monographs.write_text("un fichier là où le dossier devrait être\n", encoding="utf-8")
    result = run_cli(runner, project, "build", "--to", "")
    assert result.exit_code == 1
    assert "impossible d'écrire dans le dossier" in result.output, result.output
    assert str(project.monographs) in result.output
    assert "Erreur inattendue" not in result.output and ".tmp" not in result.output


def test_atomic_write_names_the_folder(tmp_path: Path) -> None:
    from ptce_mono.core.atomic import write_text_atomic

    blocker = tmp_path / "sortie"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(NotWritableError) as caught:
        write_text_atomic(blocker / "page.html", "<p>x</p>")
    assert str(blocker) in str(caught.value) and ".tmp" not in str(caught.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root écrit partout : droits non testables")
def test_read_only_output_folder_is_named(project, runner) -> None:
    project.monographs.mkdir(parents=True, exist_ok=True)
    project.monographs.chmod(0o555)
    try:
        result = run_cli(runner, project, "build", "--to", "")
    finally:
        project.monographs.chmod(0o755)
    assert "impossible d'écrire dans le dossier" in result.output
    assert ".tmp" not in result.output


@pytest.mark.slow
def test_cell_timeout_is_a_french_sentence_naming_the_section(tmp_path: Path, caplog) -> None:
    from ptce_mono.pipeline.execute import Task, run_task, shutdown_kernel

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("import time\ntime.sleep(120)"),
    ]
    nb.cells[1].metadata["ptce"] = {"section": "gouvernance"}
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    source = tmp_path / "lent.ipynb"
    nbformat.write(nb, source)
    task = Task(stem="lent", notebook=str(source), parameters={}, out_dir=str(tmp_path / "out"),
                meta={}, formats=(), timeout=3, cwd=str(tmp_path), reuse_kernel=False)  # fmt: skip
    try:
        outcome = run_task(task)
    finally:
        shutdown_kernel()
    assert not outcome.ok
    assert outcome.section == "gouvernance"
    assert "délai dépassé" in outcome.message and "« gouvernance »" in outcome.message
    assert "Timeout" not in outcome.message
    # nor is the kernel client's own English line printed on the terminal
    assert not [r for r in caplog.records if "Timeout waiting" in r.getMessage()]


# --- 6. a missing pole.yaml is reported as such --------------------------------------------------


def test_build_of_a_folder_without_pole_yaml_says_so(project, runner) -> None:
    (project.poles / SLUG / "pole.yaml").unlink()
    result = run_cli(runner, project, "build", SLUG, "--to", "")
    assert result.exit_code == 1
    assert "pole.yaml manquante" in result.output, result.output
    assert "pôle inconnu" not in result.output and "aucun dossier" not in result.output


# --- 7. spreadsheet formulas ---------------------------------------------------------------------


def test_formula_cells_are_neutralised_in_site_downloads_only(project) -> None:
    from ptce_mono.documents.dataset import neutralise_formulas, write_corpus_package
    from ptce_mono.site.build import build_site

    assert neutralise_formulas("a,b,c\n=1+2,-3.5,@SUM(A1)\n+33 1,-x,\t1\n") == (
        "a,b,c\n'=1+2,-3.5,'@SUM(A1)\n'+33 1,'-x,'\t1\n"
    )
    path = project.poles / SLUG / "pole.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Pôle fictif des Vallons", "'=HYPERLINK(\"x\")'"), encoding="utf-8"
    )
    report = validate_corpus(project)
    write_corpus_package(project, corpus_from_report(project, report))
    exact = (project.export / "poles.csv").read_text(encoding="utf-8")
    assert ',"=HYPERLINK(""x"")",' in exact  # the exact value, quoted by the CSV writer
    build_site(project, search=False)
    offered = (project.site / "donnees" / "poles.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in offered
    assert ",=HYPERLINK" not in offered and '"=HYPERLINK' not in offered
    descriptor = (project.export / "datapackage.json").read_text(encoding="utf-8")
    assert "formule" in descriptor


# --- 8. the PDF compile is bounded by the monograph's time limit ---------------------------------


@pytest.mark.slow
def test_typst_compile_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    from ptce_mono.render.embedded import compile_typst

    source = tmp_path / "lent.typ"
    source.write_text(
        "#let n = 0\n#for i in range(100000) { for j in range(100000) { n = n + 1 } }\n#n\n",
        encoding="utf-8",
    )
    with pytest.raises(ToolFailedError, match="délai dépassé"):  # stopped, not run for hours
        compile_typst(source, tmp_path / "lent.pdf", tmp_path, timeout=3)
    assert not (tmp_path / "lent.pdf").exists()
    # the Typst child was killed: the next PDF gets a new one and compiles
    (tmp_path / "court.typ").write_text(
        "#set document(title: [Court])\nBonjour.\n", encoding="utf-8"
    )
    compile_typst(tmp_path / "court.typ", tmp_path / "court.pdf", tmp_path, timeout=60)
    assert (tmp_path / "court.pdf").read_bytes().startswith(b"%PDF")


def test_typst_child_is_kept_between_pdfs_and_reports_errors_in_french(tmp_path: Path) -> None:
    from ptce_mono.render.embedded import compile_typst
    from ptce_mono.render.typst_compile import worker

    for name in ("un", "deux"):
        (tmp_path / f"{name}.typ").write_text(
            f"#set document(title: [{name}])\n{name}\n", encoding="utf-8"
        )
    compile_typst(tmp_path / "un.typ", tmp_path / "un.pdf", tmp_path, timeout=60)
    child = worker()._proc
    compile_typst(tmp_path / "deux.typ", tmp_path / "deux.pdf", tmp_path, timeout=60)
    assert worker()._proc is child and child is not None and child.poll() is None
    (tmp_path / "faux.typ").write_text('#image("absente.svg")\n', encoding="utf-8")
    with pytest.raises(ToolFailedError, match="PDF/UA-1 non produit"):
        compile_typst(tmp_path / "faux.typ", tmp_path / "faux.pdf", tmp_path, timeout=60)
    assert not (tmp_path / "faux.pdf").exists()


def test_loader_errors_are_ptce_errors(project) -> None:
    (project.poles / SLUG / "pole.yaml").write_text("a: *inconnu\n", encoding="utf-8")
    with pytest.raises(PtceError):
        load_pole(project.poles / SLUG, validate_corpus(project).grid)
