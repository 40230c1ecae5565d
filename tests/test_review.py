"""Review rounds (issue 24): the monograph sent as a DOCX and an ODT made for comment, returned
commented as Word writes it (python-docx comments, tracked ``w:ins``/``w:del``) and after a
round trip through LibreOffice, imported all or nothing with authors turned into roles; hostile
files refused with a French message naming the file and nothing stored. Fictional people only.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document

from ptce_mono.core.errors import PtceError, ReviewError
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.review_store import load_rounds, reviews_dir
from ptce_mono.importers.review import import_review
from tests.conftest import make_project, run_cli
from tests.review_helpers import (
    SOFFICE,
    comment,
    libreoffice_round_trip,
    track_deletion,
    track_insertion,
)

pytestmark = pytest.mark.slow
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) est absent.")

SLUG = "vallons-fictifs"
# Fictional members of a fictional pole: the private table maps them to roles.
PRESIDENT = "Maëlle Trévoux"
COORDINATOR = "Odilon Brassac"
PRESIDENT_ROLE = "présidente de l'association porteuse (fictive)"
COORDINATOR_ROLE = "coordinateur salarié du pôle (fictif)"
PEOPLE = f"""personnes:
  - nom: {PRESIDENT}
    variantes: [Maëlle]
    role: {PRESIDENT_ROLE}
  - nom: {COORDINATOR}
    role: {COORDINATOR_ROLE}
"""
ORIGIN = "La coopération est née"
ANECDOTE = "Une anecdote fictive"
AIMS = "Le pôle fictif veut créer"


def write_private_table(paths: ProjectPaths) -> None:
    folder = paths.data / "prive" / SLUG
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "personnes.yaml").write_text(PEOPLE, encoding="utf-8")


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    """The fictional corpus with the review document of one pole written by the real command."""
    from click.testing import CliRunner

    paths = make_project(tmp_path_factory.mktemp("relecture") / "projet")
    write_private_table(paths)
    result = run_cli(CliRunner(), paths, "relecture", SLUG)
    assert result.exit_code == 0, result.output
    assert "envoi enregistré" in result.output
    return paths


@pytest.fixture
def project(sent: ProjectPaths, tmp_path: Path) -> ProjectPaths:
    """A copy of the sent project that a test may change."""
    shutil.copytree(sent.root, tmp_path / "projet")
    return ProjectPaths.at(tmp_path / "projet")


def review_docx(paths: ProjectPaths) -> Path:
    return paths.monographs / "relecture" / f"{SLUG}-relecture.docx"


def round_file(paths: ProjectPaths) -> Path:
    (path,) = sorted(reviews_dir(paths.pole_dir(SLUG)).glob("*.yaml"))
    return path


def commented_as_word(paths: ProjectPaths, dest: Path) -> Path:
    """The review document commented by two fictional members, as Word saves it."""
    doc = Document(str(review_docx(paths)))
    comment(doc, ORIGIN, f"Ce n'est pas exact : {COORDINATOR} était déjà là en 2004.", PRESIDENT)
    track_insertion(doc, ANECDOTE, " Elle est racontée chaque année.", COORDINATOR, 901)
    track_deletion(doc, AIMS, "durables", COORDINATOR, 902)
    doc.save(str(dest))
    return dest


# --- what is sent ----------------------------------------------------------------------------------


def test_review_document_has_anchors_front_page_and_recorded_version(sent: ProjectPaths) -> None:
    docx = review_docx(sent)
    with zipfile.ZipFile(docx) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    for anchor in ("sec-finalites", "sec-origine", "sec-gouvernance", "sec-impacts"):
        assert f'w:name="{anchor}"' in xml  # a stable bookmark per section
    assert "<w:pageBreakBefore />" in xml  # the monograph starts after the first page
    (review,) = load_rounds(sent.pole_dir(SLUG))
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs[:8]).replace("\u00a0", " ")
    assert f"Identifiant du pôle : {SLUG} — version : {review.sent.version}" in text
    assert "Insertion > Commentaire" in text and "Suivi des modifications" in text
    assert {"finalites", "origine", "impacts"} <= {s.id for s in review.sent.sections}
    assert all(re.fullmatch(r"[0-9a-f]{16}", s.digest) for s in review.sent.sections)
    odt = docx.with_suffix(".odt")
    with zipfile.ZipFile(odt) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        content = archive.read("content.xml").decode("utf-8")
        assert archive.infolist()[0].filename == "mimetype"
    assert "Identifiant du pôle" in content
    assert 'fo:break-before="page"' in content and 'text:style-name="PtceSautDePage"' in content


def test_sending_the_same_version_again_keeps_the_round(project: ProjectPaths, runner) -> None:
    before = round_file(project).read_bytes()
    result = run_cli(runner, project, "relecture", SLUG)
    assert result.exit_code == 0, result.output
    assert "déjà envoyée" in result.output
    assert round_file(project).read_bytes() == before
    # a month later, the same text: the same round, and the first page keeps the date it was sent
    import datetime as dt

    from ptce_mono.analysis.review_state import french_day
    from ptce_mono.pipeline.review_export import send_for_review

    again = send_for_review(project, SLUG, today=dt.date(2027, 1, 5))
    assert not again.new_round and round_file(project).read_bytes() == before
    front = " ".join(p.text for p in Document(str(again.docx)).paragraphs[:4])
    assert f"envoyé le {french_day(again.round.sent.date)}" in front and "2027" not in front


@needs_soffice
@pytest.mark.parametrize("ext", ["docx", "odt"])
def test_libreoffice_opens_the_review_document(
    sent: ProjectPaths, tmp_path: Path, ext: str
) -> None:
    out = tmp_path / "pdf"
    document = review_docx(sent).with_suffix(f".{ext}")
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profil'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(document)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    pdf = out / f"{SLUG}-relecture.pdf"
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    first = pages.split("\f")[0]
    assert "Document de relecture" in first and "Identifiant du pôle" in first
    assert "Finalités" not in first  # the monograph starts on the next page
    assert "Finalités" in pages


# --- what comes back -------------------------------------------------------------------------------


def test_word_comments_and_tracked_changes_become_remarks_by_role(
    project: ProjectPaths, tmp_path: Path, runner
) -> None:
    returned = commented_as_word(project, tmp_path / "retour.docx")
    result = run_cli(runner, project, "import", "relecture", str(returned), "--pole", SLUG)
    assert result.exit_code == 0, result.output
    assert "3 remarques ajoutées" in result.output
    (review,) = load_rounds(project.pole_dir(SLUG))
    by_kind = {r.kind: r for r in review.remarks}
    assert set(by_kind) == {"commentaire", "insertion", "suppression"}
    note = by_kind["commentaire"]
    assert (note.section, note.author) == ("origine", PRESIDENT_ROLE)
    assert note.passage.startswith(ORIGIN) and note.placed == "passage"
    assert note.text == f"Ce n'est pas exact : [{COORDINATOR_ROLE}] était déjà là en 2004."
    added = by_kind["insertion"]
    assert (added.section, added.text, added.author) == (
        "origine", "Elle est racontée chaque année.", COORDINATOR_ROLE)  # fmt: skip
    assert added.date == "2026-12-02"
    assert (by_kind["suppression"].section, by_kind["suppression"].text) == (
        "finalites",
        "durables",
    )
    assert all(r.status == "ouverte" for r in review.remarks)
    stored = round_file(project).read_text(encoding="utf-8")
    for name in (PRESIDENT, COORDINATOR, "Maëlle", "Brassac", "retour.docx"):
        assert name not in stored


@needs_soffice
def test_libreoffice_round_trip_gives_the_same_remarks(
    project: ProjectPaths, tmp_path: Path
) -> None:
    word = commented_as_word(project, tmp_path / "retour.docx")
    saved = libreoffice_round_trip(word, tmp_path / "lo")
    assert saved.read_bytes() != word.read_bytes()
    from_libreoffice = import_review(project, saved, SLUG)
    assert from_libreoffice.notices == []  # the text is still the one sent
    assert len(from_libreoffice.added) == 3
    from_word = import_review(project, word, SLUG)
    assert from_word.added == [] and from_word.unchanged == 3  # the same remarks, recognised


def test_reimporting_the_same_file_changes_nothing(
    project: ProjectPaths, tmp_path: Path, runner
) -> None:
    returned = commented_as_word(project, tmp_path / "retour.docx")
    assert (
        run_cli(runner, project, "import", "relecture", str(returned), "--pole", SLUG).exit_code
        == 0
    )
    path = round_file(project)
    # the team answers one remark; a second import of the same file keeps the answer
    text = path.read_text(encoding="utf-8").replace(
        "statut: ouverte\n  reponse: ''", "statut: discutée\n  reponse: Nous en parlerons.", 1
    )
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime_ns
    result = run_cli(runner, project, "import", "relecture", str(returned), "--pole", SLUG)
    assert result.exit_code == 0, result.output
    assert "inchangé (3 remarques déjà enregistrées)" in result.output
    assert path.read_text(encoding="utf-8") == text and path.stat().st_mtime_ns == stamp


def test_text_changed_since_sending_is_placed_by_section_with_a_notice(
    project: ProjectPaths, tmp_path: Path, runner
) -> None:
    doc = Document(str(review_docx(project)))
    paragraph = next(p for p in doc.paragraphs if ANECDOTE in p.text)
    paragraph.runs[0].text = "Une autre anecdote, réécrite sans suivi des modifications."
    comment(doc, "Une autre anecdote", "D'accord avec cette version.", COORDINATOR)
    comment(doc, AIMS, "Très juste.", PRESIDENT)
    doc.save(str(tmp_path / "retour.docx"))
    result = run_cli(runner, project, "import", "relecture", str(tmp_path / "retour.docx"),
                     "--pole", SLUG)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "ne correspond plus à la version envoyée : origine" in result.output
    placed = {r.section: r.placed for r in load_rounds(project.pole_dir(SLUG))[0].remarks}
    assert placed == {"origine": "section", "finalites": "passage"}


def test_unknown_author_stops_the_import(project: ProjectPaths, tmp_path: Path, runner) -> None:
    doc = Document(str(review_docx(project)))
    comment(doc, ORIGIN, "Une remarque.", "Gaspard Inconnu-Fictif")
    doc.save(str(tmp_path / "retour.docx"))
    before = round_file(project).read_bytes()
    result = run_cli(runner, project, "import", "relecture", str(tmp_path / "retour.docx"),
                     "--pole", SLUG)  # fmt: skip
    assert result.exit_code == 1
    assert "« Gaspard Inconnu-Fictif »" in result.output and "personnes.yaml" in result.output
    assert "rien n'a été enregistré" in result.output
    assert round_file(project).read_bytes() == before


def test_every_unknown_author_is_reported_at_once(project: ProjectPaths, tmp_path: Path) -> None:
    from ptce_mono.importers.review import import_review

    doc = Document(str(review_docx(project)))
    comment(doc, ORIGIN, "Une remarque.", "Gaspard Inconnu-Fictif")
    comment(doc, AIMS, "Une autre.", "Berthe Absente-Fictive")
    comment(doc, AIMS, "Une troisième.", "Gaspard Inconnu-Fictif")
    doc.save(str(tmp_path / "retour.docx"))
    before = round_file(project).read_bytes()
    with pytest.raises(ReviewError) as caught:
        import_review(project, tmp_path / "retour.docx", SLUG)
    problems = caught.value.problems
    assert sorted(p.message.split(" absent")[0] for p in problems) == [
        "auteur « Berthe Absente-Fictive »",
        "auteur « Gaspard Inconnu-Fictif »",
    ]
    assert all(p.path == tmp_path / "retour.docx" and p.where.startswith("commentaire de la section")
               for p in problems)  # fmt: skip
    assert str(caught.value).startswith(
        "import de la relecture refusé (2 problèmes) ; rien n'a été enregistré :"
    )
    assert round_file(project).read_bytes() == before


def test_a_document_of_another_pole_is_refused(
    project: ProjectPaths, tmp_path: Path, runner
) -> None:
    returned = commented_as_word(project, tmp_path / "retour.docx")
    result = run_cli(
        runner, project, "import", "relecture", str(returned), "--pole", "scene-fictive"
    )
    assert result.exit_code == 1
    assert (
        "document de relecture du pôle « vallons-fictifs », pas du pôle « scene-fictive »"
        in result.output
    )
    assert not reviews_dir(project.pole_dir("scene-fictive")).exists()


# --- hostile files ---------------------------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _from_review(paths: ProjectPaths, dest: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(review_docx(paths)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    members.update(change)
    return _zip(dest, members)


def _hostile(kind: str, paths: ProjectPaths, folder: Path) -> tuple[Path, str]:
    path = folder / f"hostile-{kind}.docx"
    if kind == "texte":
        path.write_text("Bonjour, voici mes remarques.", encoding="utf-8")
        return path, "ce n'est pas un document Word"
    if kind == "doc":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
        return path, "ancien format (.doc)"
    if kind == "pdf":
        path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\n")
        return path, "fichier PDF"
    if kind == "vide":
        path.write_bytes(b"")
        return path, "fichier vide"
    if kind == "odt":
        return _zip(path, {"mimetype": b"application/vnd.oasis.opendocument.text",
                           "content.xml": b"<office:document-content/>"}), "OpenDocument"  # fmt: skip
    if kind == "zip":
        return _zip(path, {"notes.txt": b"rien"}), "n'est pas un document Word"
    if kind == "tronque":
        data = review_docx(paths).read_bytes()
        path.write_bytes(data[: len(data) // 2])
        return path, "illisible"
    if kind == "macros":
        types = b'<?xml version="1.0"?><Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
        return _from_review(paths, path, {"word/vbaProject.bin": b"\0" * 64,
                                          "[Content_Types].xml": types}), "macros"  # fmt: skip
    if kind == "xxe":
        with zipfile.ZipFile(review_docx(paths)) as archive:
            xml = archive.read("word/document.xml")
        evil = xml.replace(
            b"?>", b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1
        )
        return _from_review(paths, path, {"word/document.xml": evil}), "entités"
    if kind == "bombe":
        return _from_review(
            paths, path, {"word/media/bombe.xml": b"\0" * (60 * 1024 * 1024)}
        ), "bombe ZIP"
    if kind == "xxe-utf16":
        with zipfile.ZipFile(review_docx(paths)) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        evil = xml.replace(
            'encoding="UTF-8"?>', 'encoding="UTF-16"?><!DOCTYPE w:document [<!ENTITY x "x">]>', 1
        )
        return _from_review(paths, path, {"word/document.xml": evil.encode("utf-16")}), "entités"
    if kind == "activex":
        return _from_review(paths, path, {"word/activeX/activeX1.bin": b"\0" * 64}), "macros"
    if kind == "entete-menteur":  # the archive says 100 bytes, the member holds 60 Mio
        _from_review(paths, path, {"word/media/image9.png": b"\0" * (60 * 1024 * 1024)})
        data = bytearray(path.read_bytes())
        name = b"word/media/image9.png"
        for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
            at = 0
            while (at := data.find(signature, at)) != -1:
                size = struct.unpack_from(
                    "<H", data, at + (26 if signature == b"PK\x03\x04" else 28)
                )[0]
                if data[at + name_at : at + name_at + size] == name:
                    struct.pack_into("<I", data, at + offset, 100)
                at += 4
        path.write_bytes(bytes(data))
        return path, "archive"
    if kind == "enorme":
        with path.open("wb") as handle:
            handle.write(b"PK\x03\x04")
            handle.truncate(40 * 1024 * 1024)
        return path, "trop volumineux"
    raise AssertionError(kind)


HOSTILE = (
    "texte",
    "doc",
    "pdf",
    "vide",
    "odt",
    "zip",
    "tronque",
    "macros",
    "xxe",
    "bombe",
    "enorme",
    "xxe-utf16",
    "activex",
    "entete-menteur",
)


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_file_refused_by_name_nothing_stored(
    kind: str, project: ProjectPaths, tmp_path: Path, runner
) -> None:
    path, reason = _hostile(kind, project, tmp_path)
    before = round_file(project).read_bytes()
    result = run_cli(runner, project, "import", "relecture", str(path), "--pole", SLUG)
    assert result.exit_code == 1, result.output
    assert str(path) in result.output and reason in result.output
    assert "rien n'a été enregistré" in result.output or kind == "tronque"
    assert "Traceback" not in result.output
    assert round_file(project).read_bytes() == before
    assert sorted(p.name for p in reviews_dir(project.pole_dir(SLUG)).iterdir()) == [
        round_file(project).name
    ]


def test_a_document_without_the_first_page_is_refused(
    project: ProjectPaths, tmp_path: Path
) -> None:
    doc = Document(str(review_docx(project)))
    for paragraph in doc.paragraphs:
        if "Identifiant du pôle" in paragraph.text:
            paragraph._p.getparent().remove(paragraph._p)
    doc.save(str(tmp_path / "sans-page.docx"))
    with pytest.raises(ReviewError, match="Identifiant du pôle"):
        import_review(project, tmp_path / "sans-page.docx", SLUG)
    with pytest.raises(PtceError):
        import_review(project, tmp_path / "sans-page.docx", "pole-inconnu")


def test_other_names_are_masked_then_become_roles_keeping_the_answer(
    project: ProjectPaths, tmp_path: Path, runner
) -> None:
    doc = Document(str(review_docx(project)))
    comment(doc, ORIGIN, "Jean Dupont, de la mairie, a lancé la première réunion.", PRESIDENT)
    doc.save(str(tmp_path / "retour.docx"))
    args = ("import", "relecture", str(tmp_path / "retour.docx"), "--pole", SLUG)
    result = run_cli(runner, project, *args)
    assert result.exit_code == 0, result.output
    assert (
        "Noms de personnes remplacés par « [personne citée] » dans les remarques : Jean Dupont"
        in result.output
    )
    path = round_file(project)
    stored = path.read_text(encoding="utf-8")
    assert "Jean" not in stored and "Dupont" not in stored
    (first,) = load_rounds(project.pole_dir(SLUG))[0].remarks
    assert first.text == "[personne citée], de la mairie, a lancé la première réunion."
    path.write_text(
        stored.replace("statut: ouverte\n  reponse: ''", "statut: discutée\n  reponse: Vu.")
    )
    table = project.data / "prive" / SLUG / "personnes.yaml"
    table.write_text(
        PEOPLE + "  - nom: Jean Dupont\n    role: élu municipal (fictif)\n", encoding="utf-8"
    )
    result = run_cli(runner, project, *args)
    assert result.exit_code == 0, result.output
    (again,) = load_rounds(project.pole_dir(SLUG))[0].remarks
    assert again.id == first.id and (again.status, again.answer) == ("discutée", "Vu.")
    assert again.text == "[élu municipal (fictif)], de la mairie, a lancé la première réunion."


def test_a_pole_with_errors_is_not_sent(project: ProjectPaths, runner) -> None:
    record = project.pole_dir("scene-fictive") / "pole.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(
        re.sub(r"code_postal: .*", 'code_postal: "abc"', text, count=1), encoding="utf-8"
    )
    result = run_cli(runner, project, "relecture", "scene-fictive")
    assert result.exit_code == 1
    assert "la fiche du pôle « scene-fictive » a des erreurs" in result.output
    assert "data/poles/scene-fictive/pole.yaml" in result.output and "code_postal" in result.output
    assert not reviews_dir(project.pole_dir("scene-fictive")).exists()
    assert not (project.monographs / "relecture" / "scene-fictive-relecture.docx").exists()
    result = run_cli(runner, project, "relecture", "pole-absent")
    assert result.exit_code == 1 and "pôle inconnu « pole-absent »" in result.output


def test_two_members_return_two_files_into_the_same_round(
    project: ProjectPaths, tmp_path: Path
) -> None:
    files = []
    for member, text in ((PRESIDENT, "Date à vérifier."), (COORDINATOR, "D'accord.")):
        doc = Document(str(review_docx(project)))
        comment(doc, ORIGIN, text, member)
        doc.save(str(tmp_path / f"retour-{len(files)}.docx"))
        files.append(tmp_path / f"retour-{len(files)}.docx")
    for path in files:
        assert len(import_review(project, path, SLUG).added) == 1
    (review,) = load_rounds(project.pole_dir(SLUG))
    assert len(review.returns) == 2 and {r.author for r in review.remarks} == {
        PRESIDENT_ROLE,
        COORDINATOR_ROLE,
    }
    assert all(not import_review(project, path, SLUG).written for path in files)
