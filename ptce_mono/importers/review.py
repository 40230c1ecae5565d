"""``ptce-mono import relecture``: a returned DOCX into the pole's review round, all or nothing.

Authors become roles through the pole's private table (``data/prive/<slug>/personnes.yaml``,
the same as for interviews): a name the table does not know stops the import (nothing is
stored), so that no name is ever written outside the table. The names of the table and the
authors' names are replaced by roles in the remarks' text too. A section whose original text no
longer matches the version sent gets its remarks placed by section, with a notice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import REVIEW_REFUSED, ReviewError, UnknownPoleError
from ..core.layout import pole_file
from ..core.paths import ProjectPaths, check_slug
from ..core.problems import Problem
from ..corpus.pseudonymise import (
    Person,
    load_private_table,
    person_names,
    private_table_path,
    replace_names,
)
from ..corpus.review_store import (
    PLACED_BY_SECTION,
    PLACED_EXACT,
    Remark,
    Return,
    Round,
    load_rounds,
    merge,
    round_of_version,
    save,
)
from .review_docx import (
    FRONT_SECTION,
    RawRemark,
    ReturnedDocument,
    anchor_of,
    digest,
    heading_key,
    read_docx,
)

UNNAMED_ROLE = "membre du pôle (auteur non indiqué)"
CITED_PERSON = "personne citée"  # a person named in a remark and absent from the private table
# What word processors write when the user gave no name.
ANONYMOUS = {"", "auteur inconnu", "unknown author", "author", "auteur", "anonymous", "anonyme",
             "utilisateur", "user", "utilisateur inconnu"}  # fmt: skip


@dataclass
class ReviewImport:
    round: Round
    path: Path
    added: list[str] = field(default_factory=list)
    unchanged: int = 0
    written: bool = False
    notices: list[str] = field(default_factory=list)
    masked: list[str] = field(default_factory=list)  # names replaced: shown, never stored


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().replace(".", " ").split())


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def remark_id(kind: str, section: str, passage: str, text: str, role: str, date: str) -> str:
    raw = "\0".join((kind, section, " ".join(passage.split()), " ".join(text.split()), role, date))
    return "r-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:10]


def author_roles(path: Path, doc: ReturnedDocument, people: tuple[Person, ...],
                  table: Path) -> tuple[dict[str, str], list[Problem]]:  # fmt: skip
    """Author as written → role, and one problem per author the private table does not know
    (placed at the author's first remark)."""
    forms = {_key(form): p.role for p in people for form in p.forms}
    roles: dict[str, str] = {}
    problems: list[Problem] = []
    unknown: set[str] = set()
    for remark in doc.remarks:
        author = remark.author.strip()
        if author in roles or author in unknown:
            continue
        if _key(author) in ANONYMOUS:
            roles[author] = UNNAMED_ROLE
        elif _key(author) in forms:
            roles[author] = forms[_key(author)]
        else:
            unknown.add(author)
            where = f"{remark.kind} de la section « {remark.section or 'début'} »"
            problems.append(Problem(
                path, None, "",
                f"auteur « {author} » absent de la table privée du pôle : ajoutez la personne "
                f"avec son rôle dans {table} (nom, variantes, role), puis réimportez",
                where=where,
            ))  # fmt: skip
    return roles, problems


def _sections(review: Round, doc: ReturnedDocument) -> tuple[dict[str, str], dict[str, bool]]:
    """Heading as read → section id, and section id → True when its text is the one sent."""
    by_title = {heading_key(s.title): s for s in review.sent.sections}
    ids: dict[str, str] = {}
    same: dict[str, bool] = {}
    for heading, text in doc.sections.items():
        sent = by_title.get(heading_key(heading))
        if sent is None:
            ident = anchor_of(heading, {}) if heading else FRONT_SECTION
            ids[heading], same[ident] = ident, False
            continue
        ids[heading] = sent.id
        same[sent.id] = sent.digest == digest(text)
    return ids, same


def import_review(paths: ProjectPaths, file: Path, slug: str,
                  today: dt.date | None = None) -> ReviewImport:  # fmt: skip
    """Read ``file``, check it belongs to ``slug``'s latest matching round, store its remarks."""
    from ..render.embedded import pandoc_path

    check_slug(slug)
    folder = paths.pole_dir(slug)
    if not pole_file(folder).is_file():
        raise UnknownPoleError(slug, paths.poles)
    doc = read_docx(file, pandoc_path())
    if not doc.slug:
        raise ReviewError(file, "ce document ne porte pas la ligne « Identifiant du pôle : … — "
                          "version : … » de sa première page : ce n'est pas un document "
                          "envoyé par « ptce-mono relecture » (ou cette page a été retirée) ; "
                          "rien n'a été enregistré")  # fmt: skip
    if doc.slug != slug:
        raise ReviewError(file, f"document de relecture du pôle « {doc.slug} », pas du pôle "
                          f"« {slug} » : vérifiez le fichier ou l'option --pole ; rien n'a été "
                          "enregistré")  # fmt: skip
    rounds = load_rounds(folder)
    review = round_of_version(rounds, doc.version)
    problems: list[Problem] = []  # every problem of the document at once
    if review is None or review.path is None:
        sent = ", ".join(f"{r.sent.version} ({r.id})" for r in rounds) or "aucune"
        problems.append(Problem(file, None, "", f"la version « {doc.version} » de ce document "
                                f"n'a jamais été envoyée au pôle « {slug} » (versions envoyées : "
                                f"{sent})"))  # fmt: skip
    table = load_private_table(paths.data, slug)
    roles, unknown = author_roles(file, doc, table.people, private_table_path(paths.data, slug))
    problems += unknown
    if problems:
        raise ReviewError.collected(problems, REVIEW_REFUSED)
    assert review is not None and review.path is not None
    pseudonyms = [*table.people, *(Person(a, (), r) for a, r in roles.items() if a.strip()
                                   and r != UNNAMED_ROLE)]  # fmt: skip
    ids, same = _sections(review, doc)
    date = (today or dt.date.today()).isoformat()
    remarks: list[Remark] = []
    notices: list[str] = []
    moved = sorted(
        {ids[r.section] for r in doc.remarks if not same.get(ids.get(r.section, ""), False)}
    )
    if moved:
        notices.append(
            "le texte de " + ("la section" if len(moved) == 1 else "ces sections") + " ne "
            f"correspond plus à la version envoyée : {', '.join(moved)} ; leurs remarques sont "
            "placées par section (placement: section), sans position dans le texte"
        )
    taken: set[str] = set()
    masked: list[str] = []
    for raw in doc.remarks:
        remarks.append(_remark(raw, ids, same, roles, pseudonyms, date, taken, masked))
    ret = Return(file_digest(file), date, len(remarks), tuple(notices))
    merged = merge(review, remarks, ret)
    known = {r.id for r in review.remarks}
    result = ReviewImport(merged, review.path, notices=notices, masked=masked)
    result.added = [r.id for r in remarks if r.id not in known]
    result.unchanged = len(remarks) - len(result.added)
    result.written = save(merged, review.path, previous=review)
    return result


def mask_people(text: str, people: list[Person], masked: list[str]) -> str:
    """Names of the private table → their roles; any other person name the French model finds
    → « [personne citée] » (added to ``masked``, which is shown, never stored)."""
    text = replace_names(text, people)
    if not text.strip():
        return text
    found = person_names(text)
    masked.extend(n for n in found if n not in masked)
    return replace_names(text, [Person(n, (), CITED_PERSON) for n in found])


def _remark(raw: RawRemark, ids: dict[str, str], same: dict[str, bool], roles: dict[str, str],
            people: list[Person], date: str, taken: set[str], masked: list[str]) -> Remark:  # fmt: skip
    section = ids.get(raw.section, FRONT_SECTION)
    role = roles.get(raw.author.strip(), UNNAMED_ROLE)
    passage = mask_people(raw.passage, people, masked)
    text = mask_people(raw.text, people, masked)
    when = raw.date[:10] if raw.date[:4].isdigit() else date
    # the identity comes from the document as written, so that it stays the same when the
    # private table later gives a role to a name (the text is then updated, the answer kept);
    # a digest of the raw text is stored, never the text itself
    ident = base = remark_id(raw.kind, section, raw.passage, raw.text, raw.author, when)
    n = 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    taken.add(ident)
    placed = PLACED_EXACT if same.get(section, False) else PLACED_BY_SECTION
    return Remark(ident, raw.kind, section, passage, text, role, when, placed=placed)
