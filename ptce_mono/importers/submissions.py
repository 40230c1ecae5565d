"""What an answers file holds: the submissions of its respondents, read by the answer formats'
readers (:mod:`ptce_mono.importers.readers`): the filled XLSX questionnaire, a KoboToolbox export (CSV or
XLSX, « XML values and headers ») and a LimeSurvey CSV export.

Only the known columns are read (pole, wave, version, category, structure type, date, indicator
ids, the submission id): a name or an e-mail column in an export is never looked at. Tables are
read by the one bounded tabular reader (:mod:`ptce_mono.importers.tables`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import AnswersImportError, FieldworkError
from ..core.limits import excerpt
from ..core.problems import Problem, located
from .importcheck import clean_text
from .readers import CERTAIN, NOT_MINE, Source
from .tables import XLSX_SUFFIXES, Table, cell_text
from .workbook import (
    ANSWER_COL,
    CATEGORY_CELL,
    DATE_CELL,
    HEADER_ROW,
    ID_COL,
    MARK,
    META,
    STRUCTURE_CELL,
)
from .workbook import SHEET as FORM_SHEET

INDICATOR_RE = re.compile(r"^[a-z][0-9]{1,2}$")
BRACKET_RE = re.compile(r"^[A-Za-z0-9_]*\[([A-Za-z0-9_]+)\]$")
FIELD_ALIASES = {
    "pole": "pole", "vague": "vague", "version": "version", "categorie": "categorie",
    "type_structure": "type_structure", "typestructure": "type_structure", "date": "date",
}  # fmt: skip


@dataclass(frozen=True)
class Cell:
    """Where a value was read: the file, its row (header = 1) or line, its column, the cell
    of a sheet. ``str()`` is the place in a notice; :meth:`problem` a problem there."""

    path: Path
    line: int | None = None
    column: str = ""
    cell: str = ""

    def __str__(self) -> str:
        text = str(self.path) + (f", ligne {self.line}" if self.line else "")
        text += f", colonne « {self.column} »" if self.column else ""
        return text + (f" (cellule {self.cell})" if self.cell else "")

    def problem(self, message: str) -> Problem:
        where = f"cellule {self.cell}" if self.cell else ""
        return Problem(self.path, self.line, self.column, message, where=where)


@dataclass(frozen=True)
class Submission:
    """One respondent's answers as read from a file, not yet checked. ``values`` are raw."""

    key: str
    duplicate_label: str  # how the submission is named in a « doublon » message
    where: Cell  # the file and the row
    format: str
    fields: Mapping[str, Any]
    values: Mapping[str, tuple[Cell, Any]]  # indicator id -> (where, raw value)
    cells: Mapping[str, Cell] = field(default_factory=dict)  # field -> where its cell is

    @property
    def respondent_id(self) -> str:
        return respondent_id(self.key)


def respondent_id(key: str) -> str:
    """The pseudonymous id stored for a submission key (``kobo:<_uuid>``, ``xlsx:<sha256>``…)."""
    return "r-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


@dataclass
class ReadContext:
    """What every answers reader is given: the problems and notices of the whole import (a
    reader appends to them; a problem that stops the file raises
    :class:`~ptce_mono.core.errors.AnswersImportError`)."""

    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


# --- what is never read: names and e-mails ----------------------------------------------------

# Columns that may carry who answered: never read, each one named in a notice.
IDENTITY_COLUMN = re.compile(
    r"^_?(nom|noms|prenom|prénom|prenoms|prénoms|name|names|first_?name|last_?name|full_?name|"
    r"surname|nom_?complet|nom_?prenom|identite|identité|e-?mail|email_?address|courriel|mail|"
    r"adresse_?(e-?)?mail|telephone|téléphone|tel|tél|phone|portable|submitted_?by|username|"
    r"utilisateur|auteur|author|respondent_?name|repondant_?nom)$",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
PHONE = re.compile(r"^\+?[\d .()-]+$")
NAME_LIKE = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:[ '’.-]+[^\W\d_][^\W\d_'’.-]*)*$")


def is_identity_column(header: str) -> bool:
    """A column that may carry a name, an e-mail or a phone number (its header, any tool)."""
    last = header.strip().split("/")[-1]
    return bool(IDENTITY_COLUMN.match(last)) or any(
        w in last.casefold() for w in ("courriel", "email", "e-mail")
    )


def looks_like_identity(value: str) -> bool:
    """Free text where a scale value, a date or a category id is expected that may be a name or
    an e-mail: it is never echoed in a message nor stored."""
    text = value.strip()
    if EMAIL.search(text) or (sum(c.isdigit() for c in text) >= 9 and PHONE.match(text)):
        return True
    # « Camille Martin », « de La Fontaine Jean » : two words or more, one capital at least
    return bool(NAME_LIKE.match(text)) and len(text.split()) >= 2 and any(c.isupper() for c in text)


def quoted(value: str) -> str:
    """« value » for a message, unless it may be a name or an e-mail (then not copied)."""
    if looks_like_identity(value):
        return "(texte qui pourrait être un nom ou une adresse : non recopié)"
    return f"« {excerpt(value)} »"  # a short excerpt, never a whole oversized value


# --- reading the files -------------------------------------------------------------------------


def plain_text(value: Any) -> str:
    """A cell as the table reader gives it (:func:`~ptce_mono.importers.tables.cell_text`),
    without surrounding spaces."""
    return cell_text(value).strip()


def _column_name(header: str) -> str:
    """``objectif_a/a1`` -> ``a1``; ``REF[a1]`` -> ``a1``; ``repondant/categorie`` -> ``categorie``."""
    name = header.strip().split("/")[-1]
    match = BRACKET_RE.match(name)
    return match.group(1) if match else name


def column_names(source: Source) -> list[str]:
    """The column names of a table export as its readers read them (« objectif_a/a1 » → « a1 »)."""
    return [_column_name(plain_text(h)) for h in source.table().header] if source.is_table else []


def checked_rows(table: Table, problems: list[Problem]) -> list[tuple[int, tuple[str, ...]]]:
    """The rows of a table with every cell checked: a CSV record wider than its header (a
    stray quote or separator) or a control character is a located problem (every bad
    record is named, not only the first)."""
    width = len(table.header)
    for line, cells in table.rows:
        where = table.where(line)
        if not table.sheet and any(c.strip() for c in cells[width:]):
            problems.append(located(
                table.path, f"{len(cells)} cellules au lieu de {width} (guillemet en trop ?)",
                where,
            ))  # fmt: skip
            continue
        for cell in cells:
            try:
                clean_text(table.path, cell, where)
            except FieldworkError as exc:
                problems.extend(exc.problems)
                break
    return list(table.rows)


def unanswered_referentiel(path: Path, fmt: str, names: Sequence[str]) -> Problem | None:
    """The problem of an export with no indicator column at all: a survey built on another
    questionnaire, whose rows would otherwise all be dropped as empty ones."""
    if any(INDICATOR_RE.match(n) for n in names):
        return None
    fields = {FIELD_ALIASES[n] for n in names if n in FIELD_ALIASES}
    missing = [f"« {c} »" for c in ("categorie", "pole", "vague") if c not in fields]
    return Problem(
        path, 1, "",
        f"{FORMAT_NAMES[fmt]} sans aucune colonne d'indicateur du référentiel "
        "(« a1 », « b2 »… : les questions du questionnaire de ptce-mono) ; ce fichier répond à "
        "un autre questionnaire, rien n'en est importé"
        + (f" ; colonnes manquantes aussi : {', '.join(missing)}" if missing else "")
        + f" (colonnes du fichier : {', '.join(f'« {excerpt(n)} »' for n in names[:12])}"
        + (" …)" if len(names) > 12 else ")"),
    )  # fmt: skip


def table_submissions(
    source: Source, context: ReadContext, fmt: str, id_column: str
) -> list[Submission]:
    """The submissions of a table export (one respondent a row); ``id_column`` names the
    column of the submission id."""
    path = source.path
    table = source.table()
    if table.other_sheets:  # answers there would be dropped in silence
        context.problems.append(Problem(
            path, None, "",
            f"seule la première feuille (« {table.sheet} ») est lue, mais le classeur a "
            f"d'autres feuilles remplies ({', '.join(f'« {t} »' for t in table.other_sheets)})"
            " : placez toutes les réponses sur la première feuille, ou une feuille par fichier",
        ))  # fmt: skip
        return []
    context.notices.extend(table.notices)
    local = list(source.problems or [])  # bad cells of a workbook, read as empty
    rows = checked_rows(table, local)
    if local:
        raise AnswersImportError(local)
    if not rows:
        context.problems.append(Problem(path, None, "", "fichier vide"))
        return []
    headers = [plain_text(h) for h in rows[0][1]]
    names = [_column_name(h) for h in headers]
    if id_column not in names:  # a format named by --format that the file is not in
        context.problems.append(Problem(
            path, 1, "",
            f"colonne « {id_column} » absente : ce fichier n'est pas un {FORMAT_NAMES[fmt]}",
        ))  # fmt: skip
        return []
    id_col = names.index(id_column)
    unanswered = unanswered_referentiel(path, fmt, names)
    if unanswered is not None:
        context.problems.append(unanswered)
        return []
    for header in headers:
        if is_identity_column(header):
            context.notices.append(
                f"{path}, ligne 1 : colonne « {header} » ignorée (elle peut porter un nom, une "
                "adresse ou un numéro) : rien n'en est lu ni enregistré"
            )
    submissions = []
    for number, row in rows[1:]:
        cells = [plain_text(v) for v in row]
        if not any(cells):
            continue
        cells += [""] * (len(names) - len(cells))
        where = Cell(path, number)
        fields: dict[str, Any] = {}
        values: dict[str, tuple[Cell, Any]] = {}
        for name, header, value in zip(names, headers, cells, strict=False):
            if name in FIELD_ALIASES:
                fields[FIELD_ALIASES[name]] = value
            elif INDICATOR_RE.match(name):
                values[name] = (Cell(path, number, header), value)
        if fmt == "limesurvey" and not fields.get("date"):
            fields["date"] = cells[names.index("submitdate")][:10] if "submitdate" in names else ""
        ident = cells[id_col]
        if fmt == "kobo":
            key, label = f"kobo:{ident}", f"_uuid « {excerpt(ident)} »"
        else:
            scope = f"{fields.get('pole', '')}:{fields.get('vague', '')}"
            key, label = (
                f"{fmt}:{scope}:{ident}",
                f"identifiant de réponse « {excerpt(ident)} »",
            )
        if not ident:
            context.problems.append(
                Cell(path, number, headers[id_col]).problem("identifiant de soumission vide")
            )
            continue
        submissions.append(Submission(key, label, where, fmt, fields, values))
    return submissions


FORMAT_NAMES = {"kobo": "export KoboToolbox", "limesurvey": "export LimeSurvey"}


class KoboReader:
    """A KoboToolbox export, CSV or XLSX (« XML values and headers »): one row a submission,
    identified by ``_uuid``."""

    name = "kobo"
    label = "export KoboToolbox (colonne « _uuid »)"

    def detect(self, source: Source) -> float:
        return CERTAIN if "_uuid" in column_names(source) else NOT_MINE

    def read(self, source: Source, context: ReadContext) -> list[Submission]:
        return table_submissions(source, context, "kobo", "_uuid")


class LimeSurveyReader:
    """A LimeSurvey CSV export: one row a response, identified by ``id`` within its pole and
    wave, recognised by ``submitdate`` or ``lastpage``."""

    name = "limesurvey"
    label = "export LimeSurvey (colonnes « id » et « submitdate »)"

    def detect(self, source: Source) -> float:
        names = column_names(source)
        if "id" in names and ("submitdate" in names or "lastpage" in names):
            return CERTAIN
        return NOT_MINE

    def read(self, source: Source, context: ReadContext) -> list[Submission]:
        return table_submissions(source, context, "limesurvey", "id")


# --- the questionnaire of ptce-mono, filled ---------------------------------------------------


def _workbook(path: Path, read_only: bool) -> Any:
    """The workbook, checked as an archive first; formulas kept as written (a computed cell is
    then refused, never read as empty)."""
    from openpyxl import load_workbook

    from .importcheck import check_spreadsheet

    check_spreadsheet(path)
    try:
        return load_workbook(path, read_only=read_only, data_only=False)
    except Exception as exc:  # zipfile, XML or openpyxl errors: the file is not a workbook
        raise AnswersImportError(
            [Problem(path, None, "", f"classeur XLSX illisible ({excerpt(type(exc).__name__)})")]
        ) from exc


def _is_questionnaire(source: Source) -> bool:
    if source.suffix not in XLSX_SUFFIXES or not source.is_zip:
        return False
    book = _workbook(source.path, read_only=True)
    try:
        if META not in book.sheetnames or FORM_SHEET not in book.sheetnames:
            return False
        mark = next(book[META].iter_rows(min_row=1, max_row=1, min_col=2, max_col=2,
                                         values_only=True), (None,))[0]  # fmt: skip
        return bool(mark == MARK)
    finally:
        book.close()


def _questionnaire_submission(path: Path, wb: Any) -> Submission:
    meta = {str(r[0].value): r[1].value for r in wb[META].iter_rows(max_col=2) if r[0].value}
    ws = wb[FORM_SHEET]
    values: dict[str, tuple[Cell, Any]] = {}
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        indicator = plain_text(ws.cell(row=row, column=ID_COL).value)
        if indicator:
            values[indicator] = (Cell(path, row), ws.cell(row=row, column=ANSWER_COL).value)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    fields = {
        "pole": plain_text(meta.get("pole")), "vague": plain_text(meta.get("vague")),
        "version": plain_text(meta.get("version")), "categorie": plain_text(ws[CATEGORY_CELL].value),
        "type_structure": plain_text(ws[STRUCTURE_CELL].value), "date": plain_text(ws[DATE_CELL].value),
    }  # fmt: skip
    where = Cell(path, ws[CATEGORY_CELL].row)
    cells = {name: Cell(path, ws[cell].row, cell=cell)
             for name, cell in (("categorie", CATEGORY_CELL), ("type_structure", STRUCTURE_CELL),
                                ("date", DATE_CELL))}  # fmt: skip
    return Submission(f"xlsx:{digest}", "ce questionnaire rempli", where, "xlsx", fields, values,
                      cells)  # fmt: skip


class QuestionnaireReader:
    """The XLSX questionnaire written by ``ptce-mono questionnaire``, filled by one respondent."""

    name = "questionnaire"
    label = "questionnaire XLSX de ptce-mono"

    def detect(self, source: Source) -> float:
        return (
            CERTAIN if source.memo("questionnaire", lambda: _is_questionnaire(source)) else NOT_MINE
        )

    def read(self, source: Source, context: ReadContext) -> list[Submission]:
        if not source.memo("questionnaire", lambda: _is_questionnaire(source)):
            context.problems.append(Problem(
                source.path, None, "",
                f"ce n'est pas un questionnaire XLSX de ptce-mono (feuilles « {FORM_SHEET} » et "
                f"« {META} » attendues)",
            ))  # fmt: skip
            return []
        wb = _workbook(source.path, read_only=False)
        return [_questionnaire_submission(source.path, wb)]


KOBO_READER = KoboReader()
LIMESURVEY_READER = LimeSurveyReader()
QUESTIONNAIRE_READER = QuestionnaireReader()
