"""``ptce-mono relecture``: the monograph as a DOCX and an ODT made for comment, and the record
of what was sent (``relectures/<round>.yaml``).

The text is the Markdown the HTML is made from (the pole's notebook executed by the same task
as ``build``, then :func:`ptce_mono.render.markdown.notebook_to_markdown`), written by pandoc.
Each level-2 section carries a stable anchor (``sec-<section>``: a Word bookmark); a first page
in French says how to comment and suggest changes, the date and the version sent. The digest
of each section is taken from the DOCX itself, read back by the same reader as the import, so
that a returned document is compared like with like.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..core.atomic import write_bytes_atomic
from ..core.errors import PtceError, ReviewError
from ..core.layout import pole_file
from ..core.paths import ProjectPaths, check_slug
from ..corpus.review_store import (
    Round,
    Sent,
    SentSection,
    load_rounds,
    round_of_version,
    round_path,
    save,
)
from ..importers.review_docx import FRONT_SECTION, anchor_of, digest, heading_key, read_docx

REVIEW_FOLDER = "relecture"  # under the monographs folder (generated, git-ignored)
_HEADING = re.compile(r"^## (?P<title>[^{\n]+?)\s*$", re.MULTILINE)
# The sections left out of the version: they carry the build date, not the text read.
_UNVERSIONED = {FRONT_SECTION, "provenance"}
# The document's apparatus, rewritten by every build (how it was made, with the review's own
# state; how to cite it, with today's date): never part of the text the pole reads.
_UNVERSIONED_HEADINGS = ("comment ce document a ete fait", "pour citer ce document")


def _versioned(section: SentSection) -> bool:
    key = heading_key(section.title)
    return section.id not in _UNVERSIONED and not key.startswith(_UNVERSIONED_HEADINGS)


@dataclass(frozen=True)
class Sending:
    round: Round
    docx: Path
    odt: Path
    new_round: bool


def with_anchors(markdown: str, grid_titles: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Every ``## Heading`` given the attribute ``{#sec-<anchor>}``; heading key → anchor."""
    anchors: dict[str, str] = {}
    taken: set[str] = set()

    def add(match: re.Match[str]) -> str:
        title = match.group("title")
        anchor = base = anchor_of(title, grid_titles)
        n = 2
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        taken.add(anchor)
        anchors[heading_key(title)] = anchor
        return f"## {title} {{#sec-{anchor}}}"

    return _HEADING.sub(add, markdown), anchors


def front_page(name: str, slug: str, version: str, date: str) -> str:
    """The first page: what this document is, how to comment and suggest, date and version."""
    from ..analysis.review_state import french_day
    from ..core.fr import typography

    lines = [
        f"**Document de relecture de la monographie {name}**",
        "",
        f"Identifiant du pôle : {slug} — version : {version} — envoyé le {french_day(date)}",
        "",
        "1. Pour **commenter**, sélectionnez un passage puis *Insertion > Commentaire* "
        "(Word, LibreOffice, OnlyOffice).",
        "2. Pour **proposer une modification**, activez le suivi des modifications (*Révision > "
        "Suivi des modifications* dans Word, *Édition > Suivi des modifications > Enregistrer* "
        "dans LibreOffice), puis modifiez le texte.",
        "3. Renvoyez le fichier à l'équipe au format Word (.docx) sans retirer cette page. "
        "Aucun nom n'est publié : vos remarques figureront dans la monographie sous votre rôle "
        "dans le pôle, avec la réponse de l'équipe.",
    ]
    return typography("\n".join(lines)).replace("\\", "")


def _escape_name(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+!<>|~^$@])", r"\\\1", text)


# The monograph starts on page 2: a page break before its first level-1 heading.
_BREAKS = {
    "word/document.xml": (
        (b'<w:pStyle w:val="Heading1" />', b'<w:pStyle w:val="Heading1" /><w:pageBreakBefore />'),
    ),
    "content.xml": (
        (b"<office:automatic-styles>", b'<office:automatic-styles><style:style style:name='
         b'"PtceSautDePage" style:family="paragraph" style:parent-style-name="Heading_20_1">'
         b'<style:paragraph-properties fo:break-before="page"/></style:style>'),
        (b'<text:h text:style-name="Heading_20_1"', b'<text:h text:style-name="PtceSautDePage"'),
    ),
}  # fmt: skip


def _page_break_before_body(document: Path) -> None:
    """Rewrite the DOCX or ODT ``document`` with the page break (members kept in order, the
    ODT ``mimetype`` first and stored, as the format requires)."""
    with zipfile.ZipFile(document) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info, data in parts:
            for old, new in _BREAKS.get(info.filename, ()):
                data = data.replace(old, new, 1)
            archive.writestr(info, data, compress_type=info.compress_type)
    write_bytes_atomic(document, out.getvalue())


def _grid_titles(paths: ProjectPaths) -> dict[str, str]:
    from ..corpus.grid import load_grid

    grid = load_grid(paths.grid_file)
    return {heading_key(s.title): s.id for s in grid.sections}


def monograph_markdown(
    paths: ProjectPaths, slug: str, work: Path, timeout: float
) -> tuple[str, Path, Path | None]:
    """(Markdown, media folder, bibliography) of the pole's monograph, executed now by the same
    task as ``build`` (into ``work``: the monographs folder is left as it is)."""
    import nbformat

    from ..checks.validate import corpus_from_report, validate_corpus
    from ..render.markdown import notebook_to_markdown
    from .build import cohort_files, pole_task
    from .execute import Task, run_task
    from .plan import current_inputs

    validation = validate_corpus(paths)
    pole = next((p for p in validation.poles if p.slug == slug), None)
    problems = validation.problems_of(paths.pole_dir(slug))
    errors = [p for p in problems if p in validation.errors]
    if pole is None or errors:
        listed = "\n".join(f"- {p.format(paths.root)}" for p in errors[:10])
        raise PtceError(
            f"la fiche du pôle « {slug} » a des erreurs : corrigez-les avant d'envoyer la "
            f"monographie en relecture (ptce-mono validate {slug}).\n{listed}".rstrip()
        )
    corpus = corpus_from_report(paths, validation)
    current = current_inputs(paths, corpus, validation.digests)
    task, _, _ = pole_task(paths, pole, current, cohort_files(paths, current), (), "embedded",
                           timeout, False)  # fmt: skip
    task = Task(**{**task.__dict__, "out_dir": str(work)})
    outcome = run_task(task)
    if not outcome.ok:
        raise PtceError(
            f"la monographie de « {slug} » n'a pas pu être produite : {outcome.message}"
        )
    nb = nbformat.read(work / f"{slug}.ipynb", as_version=4)
    media = work / "media"
    doc = notebook_to_markdown(nb, media)
    return doc.text, media, doc.bibliography


def send_for_review(
    paths: ProjectPaths, slug: str, *, today: dt.date | None = None, timeout: float = 600.0
) -> Sending:
    """Write ``<monographs>/relecture/<slug>-relecture.docx`` and ``.odt``, and record the round
    (reused when the same version was already sent: nothing is reset)."""
    from ..core.tools import run_tool
    from ..render import default_templates
    from ..render.embedded import PANDOC_FROM, citation_args, pandoc_path

    check_slug(slug)
    folder = paths.pole_dir(slug)
    if not pole_file(folder).is_file():
        from ..core.errors import UnknownPoleError

        raise UnknownPoleError(slug, paths.poles)
    rounds = load_rounds(folder)  # a broken round file stops here, before any work
    date = (today or dt.date.today()).isoformat()
    templates = paths.templates if paths.templates.is_dir() else default_templates()
    out_dir = paths.monographs / REVIEW_FOLDER
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".tmp-relecture-{slug}-", dir=out_dir) as tmp:
        work = Path(tmp)
        markdown, media, bibliography = monograph_markdown(paths, slug, work, timeout)
        body, anchors = with_anchors(markdown, _grid_titles(paths))
        name_match = re.search(r"^# (.+)$", body, re.MULTILINE)
        name = name_match.group(1).strip() if name_match else slug
        draft_version = hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]

        def write(version: str, sent_on: str) -> tuple[Path, Path]:
            text = front_page(name, slug, version, sent_on) + "\n\n" + body
            md = media / f"{slug}-relecture.md"
            md.write_text(text, encoding="utf-8")
            outputs = []
            for ext in ("docx", "odt"):
                target = work / f"{slug}-relecture.{ext}"
                argv = [
                    pandoc_path(), md.name, "-f", PANDOC_FROM, "-t", ext, "--standalone",
                    "--resource-path", str(media), *citation_args(bibliography, templates),
                    "--lua-filter", str(templates / "monographie.lua"),
                    "-M", "lang=fr-FR", "-M", f"title=Relecture de la monographie — {name}",
                    "-o", str(target),
                ]  # fmt: skip
                run_tool(argv, name="pandoc", timeout=timeout, cwd=media)
                outputs.append(target)
            for output in outputs:
                _page_break_before_body(output)
            return outputs[0], outputs[1]

        def sent_sections(docx: Path) -> list[SentSection]:
            sections = []
            for heading, text in read_docx(docx, pandoc_path()).sections.items():
                anchor = anchors.get(heading_key(heading)) or (
                    anchor_of(heading, {}) if heading else FRONT_SECTION
                )
                sections.append(SentSection(anchor, heading, digest(text)))
            return sections

        draft = sent_sections(write(draft_version, date)[0])
        version = hashlib.sha256(
            "".join(s.digest for s in draft if _versioned(s)).encode()
        ).hexdigest()[:12]
        previous = round_of_version(rounds, version)  # the same text sent before: its date
        docx, odt = write(version, previous.sent.date if previous else date)
        sections = sent_sections(docx)
        existing = round_of_version(rounds, version)
        if existing is not None:
            review, new_round = existing, False
        else:
            taken = {r.id for r in rounds}
            round_id, n = date, 2
            while round_id in taken:
                round_id, n = f"{date}-{n}", n + 1
            review = Round(
                round_id, Sent(date, version, tuple(sections)), path=round_path(folder, round_id)
            )
            new_round = True
        final_docx = out_dir / f"{slug}-relecture.docx"
        final_odt = out_dir / f"{slug}-relecture.odt"
        write_bytes_atomic(final_docx, docx.read_bytes())
        write_bytes_atomic(final_odt, odt.read_bytes())
    if new_round:
        assert review.path is not None
        save(review, review.path)
    if review.path is None:
        raise ReviewError(folder, "relecture sans fichier")
    return Sending(review, final_docx, final_odt, new_round)
