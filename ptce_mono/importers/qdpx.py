"""REFI-QDA project files (``.qdpx``): a ZIP holding ``project.qde`` and a sources folder.

Reads ``TextSource`` (``PlainTextContent`` or ``plainTextPath="internal://…"``),
``PlainTextSelection`` with ``startPosition``/``endPosition`` and their ``Coding``/``CodeRef``,
and ``Cases`` with ``VariableValue`` for the interviewee's role, the interview date and consent.
Exporters disagree on whether ``endPosition`` is inclusive: see :func:`detect_end_inclusive`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from ..core.errors import FieldworkError
from ..core.limits import excerpt
from ..core.problems import Problem, located
from .importcheck import clean_text, open_archive, read_member
from .readers import CERTAIN, FALLBACK, NOT_MINE, Source
from .segments import Export, ExportOptions, Interview, Segment, refused
from .tables import decode

NAMESPACE = "urn:QDA-XML:project:1.0"
NS = {"q": NAMESPACE}
PROJECT_FILE = "project.qde"
ROLE_VARIABLES = ("role", "rôle", "fonction", "statut")
DATE_VARIABLES = ("date", "date_entretien", "date de l'entretien", "date entretien")
CONSENT_VARIABLES = ("consentement", "consent", "accord_citation", "consentement_citation")
END_CONVENTIONS = ("auto", "exclusive", "inclusive")
ARCHIVE = "archive QDPX"
_TRUE = {"oui", "true", "vrai", "1", "yes", "o"}


def _element(el: Any) -> str:
    """``<PlainTextSelection guid="…"> (ligne 12)`` for messages."""
    tag = etree.QName(el).localname
    ident = excerpt(el.get("guid") or el.get("name") or "")
    attr = f' guid="{ident}"' if el.get("guid") else (f' name="{ident}"' if ident else "")
    line = f" (ligne {el.sourceline})" if el.sourceline else ""
    return f"élément <{tag}{attr}>{line}"


def _open_archive(path: Path) -> zipfile.ZipFile:
    """The archive, its members' declared sizes and ratios checked before any decompression."""
    return open_archive(path, ARCHIVE)


def _member(archive: zipfile.ZipFile, wanted: str) -> str | None:
    """The archive member named ``wanted``, whatever its case."""
    names = {n.lower(): n for n in archive.namelist()}
    return names.get(wanted.lower())


def _parse(path: Path, data: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise FieldworkError(
            path, f"XML non valide ({exc.msg})", f"{PROJECT_FILE}, ligne {line} (dans l'archive)"
        ) from exc


def _variables(root: Any) -> dict[str, str]:
    return {
        v.get("guid"): (v.get("name") or "").strip().lower()
        for v in root.iterfind("q:Variables/q:Variable", NS)
    }


def _value(vv: Any) -> str:
    for child in vv:
        if etree.QName(child).localname.endswith("Value") and child.text is not None:
            return child.text.strip()
    return ""


def _interview_fields(values: dict[str, str]) -> tuple[str, str, bool | None]:
    role = next((values[k] for k in ROLE_VARIABLES if values.get(k)), "")
    date = next((values[k] for k in DATE_VARIABLES if values.get(k)), "")
    consent_raw = next((values[k] for k in CONSENT_VARIABLES if k in values), None)
    consent = None if consent_raw is None else consent_raw.strip().lower() in _TRUE
    return role, date, consent


def _cases(root: Any, variables: dict[str, str]) -> dict[str, Interview]:
    """Source guid → what its case says (role, date, consent)."""
    found: dict[str, Interview] = {}
    for case in root.iterfind("q:Cases/q:Case", NS):
        values = {
            variables.get(vv.find("q:VariableRef", NS).get("targetGUID"), ""): _value(vv)
            for vv in case.iterfind("q:VariableValue", NS)
            if vv.find("q:VariableRef", NS) is not None
        }
        role, date, consent = _interview_fields(values)
        for ref in case.iterfind("q:SourceRef", NS):
            found[ref.get("targetGUID")] = Interview(
                document="", case=case.get("name") or "", role=role, date=date, consent=consent
            )
    return found


def _source_text(path: Path, archive: zipfile.ZipFile, source: Any, notices: list[str]) -> str:
    content = source.find("q:PlainTextContent", NS)
    if content is not None:
        return content.text or ""
    target = source.get("plainTextPath") or ""
    if not target:
        raise FieldworkError(
            path,
            "ni PlainTextContent ni plainTextPath : texte de l'entretien absent",
            _element(source),
        )
    if not target.startswith("internal://"):
        raise FieldworkError(
            path,
            f"plainTextPath « {excerpt(target)} » pointe hors de l'archive (seul internal:// est lu)",
            _element(source),
        )
    name = target.removeprefix("internal://")
    member = _member(archive, f"sources/{name}")
    if member is None:
        raise FieldworkError(
            path, f"le fichier « sources/{name} » manque dans l'archive", _element(source)
        )
    text, said = decode(path, read_member(path, archive, member, ARCHIVE), member)
    notices.extend(n for n in said if "BOM" not in n)  # a BOM is usual in a source file
    return text


def _document_name(path: Path, source: Any) -> str:
    return clean_text(path, source.get("name") or source.get("guid") or "", _element(source))


def unique_problems(path: Path, root: Any) -> list[Problem]:
    """Every ``guid`` once in the project, every source name once: a repeated one would
    silently recode an excerpt or merge two interviews into one (every repetition named)."""
    problems: list[Problem] = []
    seen: dict[str, Any] = {}
    for el in root.iter():
        guid = el.get("guid") if isinstance(el.tag, str) else None
        if not guid:
            continue
        key = guid.strip().lower()
        if key in seen:
            first = seen[key]
            problems.append(located(
                path,
                f"identifiant guid « {excerpt(guid)} » en double (déjà porté par "
                f"{_element(first)}) : chaque élément du projet doit avoir le sien ; "
                "réexportez le projet depuis l'outil",
                _element(el),
            ))  # fmt: skip
            continue
        seen[key] = el
    names: dict[str, Any] = {}
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        name = " ".join((source.get("name") or "").split())
        if name and name in names:
            problems.append(located(
                path,
                f"nom de document « {excerpt(name)} » en double (déjà porté par "
                f"{_element(names[name])}) : renommez l'un des deux dans l'outil",
                _element(source),
            ))  # fmt: skip
            continue
        names[name] = source
    return problems


def _position(path: Path, sel: Any, attr: str) -> int:
    raw = sel.get(attr)
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise FieldworkError(
            path, f"{attr} « {excerpt(raw)} » n'est pas un nombre entier", _element(sel)
        ) from exc


def detect_end_inclusive(selections: list[tuple[str, int, int, str]]) -> bool:
    """Guess the ``endPosition`` convention from selections whose ``name`` holds their text.

    Each item is (text, start, end, name). Some exporters write the selected text in ``name``:
    the convention under which it matches wins. Without such evidence: exclusive, the reading
    of QualCoder and Taguette.
    """
    inclusive = exclusive = 0
    for text, start, end, name in selections:
        label = " ".join(name.split())
        if not label:
            continue
        as_exclusive = " ".join(text[start:end].split())
        as_inclusive = " ".join(text[start : end + 1].split())
        if as_exclusive == as_inclusive:
            continue
        if as_inclusive == label:
            inclusive += 1
        elif as_exclusive == label:
            exclusive += 1
    return inclusive > exclusive


def read_qdpx(path: Path, end: str = "auto") -> Export:
    """Read a ``.qdpx`` file; its problems (every bad element, not only the first) raise one
    :class:`FieldworkError` in French."""
    if end not in END_CONVENTIONS:
        raise ValueError(end)
    notices: list[str] = []
    with _open_archive(path) as archive:
        member = _member(archive, PROJECT_FILE)
        if member is None:
            raise FieldworkError(
                path,
                f"l'archive ne contient pas de {PROJECT_FILE} : ce n'est pas un projet REFI-QDA",
            )
        root = _parse(path, read_member(path, archive, member, ARCHIVE))
        qname = etree.QName(root)
        if qname.namespace != NAMESPACE or qname.localname != "Project":
            raise FieldworkError(
                path,
                f"espace de noms « {excerpt(qname.namespace or 'aucun')} » au lieu de « {NAMESPACE} » : "
                "ce fichier n'est pas un projet REFI-QDA 1.0",
                f"élément racine <{qname.localname}> de {PROJECT_FILE}",
            )
        problems = unique_problems(path, root)
        codes = {c.get("guid"): c.get("name") or "" for c in root.iter(f"{{{NAMESPACE}}}Code")}
        cases = _cases(root, _variables(root))
        texts: dict[str, tuple[Any, str]] = {}
        for source in root.iterfind("q:Sources/q:TextSource", NS):
            try:  # a source that cannot be read is one problem; the others are still read
                text = clean_text(
                    path, _source_text(path, archive, source, notices), _element(source), notices
                )
            except FieldworkError as exc:
                problems += exc.problems
                continue
            texts[source.get("guid")] = (source, text)
    raw: list[tuple[Any, Any, str, int, int]] = []
    for source, text in texts.values():
        for sel in source.iterfind("q:PlainTextSelection", NS):
            try:
                start = _position(path, sel, "startPosition")
                stop = _position(path, sel, "endPosition")
            except FieldworkError as exc:
                problems += exc.problems
                continue
            raw.append((source, sel, text, start, stop))
    if end == "auto":
        inclusive = detect_end_inclusive(
            [(t, s, e, sel.get("name") or "") for _, sel, t, s, e in raw]
        )
    else:
        inclusive = end == "inclusive"
    segments, uncoded = [], []
    interviews: dict[str, Interview] = {}
    documents: dict[str, str] = {}
    for guid, (source, _text) in texts.items():
        try:
            name = documents[guid] = _document_name(path, source)
        except FieldworkError as exc:
            problems += exc.problems
            continue
        case = cases.get(source.get("guid"), Interview(document=name))
        interviews[name] = Interview(name, case.case, case.role, case.date, case.consent)
    for source, sel, text, start, stop in raw:
        document = documents.get(source.get("guid"))
        if document is None:  # its name is already a problem
            continue
        stop_exclusive = stop + 1 if inclusive else stop
        if start < 0 or stop_exclusive > len(text) or start >= stop_exclusive:
            problems.append(located(
                path,
                f"positions {start}–{stop} hors du texte de « {excerpt(document)} » "
                f"({len(text)} caractères ; fin {'incluse' if inclusive else 'exclue'})",
                _element(sel),
            ))  # fmt: skip
            continue
        names = []
        for ref in sel.iterfind("q:Coding/q:CodeRef", NS):
            target = ref.get("targetGUID")
            if target not in codes:
                problems.append(located(
                    path, f"CodeRef vers un code absent du CodeBook ({target})", _element(ref)
                ))  # fmt: skip
                continue
            names.append(codes[target])
        where = _element(sel)
        if not names:
            uncoded.append(where)
            continue
        segments.append(
            Segment(
                document,
                tuple(names),
                text[start:stop_exclusive],
                where,
                f"{start}-{stop_exclusive}",
            )
        )
    export = Export(
        str(path), "REFI-QDA", tuple(segments), interviews, tuple(uncoded), tuple(notices)
    )
    if problems:  # every bad element at once; nothing of the file is imported
        raise refused(problems, export)
    return export


class QdpxReader:
    """REFI-QDA project files, as QualCoder, MAXQDA, ATLAS.ti and NVivo export them."""

    name = "qdpx"
    label = "projet REFI-QDA (.qdpx)"

    def detect(self, source: Source) -> float:
        if source.is_zip and PROJECT_FILE in source.members():
            return CERTAIN
        return FALLBACK if source.suffix == ".qdpx" else NOT_MINE

    def read(self, source: Source, context: ExportOptions) -> Export:
        return read_qdpx(source.path, context.end)


READER = QdpxReader()
