"""Answers in: the filled XLSX questionnaire, a KoboToolbox export (CSV or XLSX, « XML values
and headers ») and a LimeSurvey CSV export, checked and stored per pole and per wave.

Only the known columns are read (pole, wave, version, category, structure type, date, indicator
ids, the submission id): a name or an e-mail column in an export is never looked at. An import
is all or nothing: every problem is listed (file, row) and nothing is written when there is one.
Re-importing the same file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import write_files_atomic
from ..errors import AnswersImportError, FieldworkError, PtceError
from ..importcheck import check_cell_length, check_spreadsheet, clean_text, csv_records
from ..limits import MAX_CSV_BYTES, MAX_WAVE_RESPONDENTS, excerpt, read_bounded_bytes
from ..lock import data_lock
from ..paths import ProjectPaths, is_safe_slug
from ..records import POLE_FILE
from ..referentiel import DEFAULT_VERSION, Referentiel, load_all_referentiels
from . import DONT_KNOW, DONT_KNOW_LABEL
from .questionnaire import WAVE_RE
from .settings import Choice, Vocabulary, load_vocabulary
from .store import (
    Respondent,
    Wave,
    load_wave,
    parse_wave_text,
    wave_names,
    wave_path,
    wave_text,
)
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
FORMATS = {
    "xlsx": "questionnaire XLSX",
    "kobo": "export KoboToolbox",
    "limesurvey": "export LimeSurvey",
}
FIELD_ALIASES = {
    "pole": "pole", "vague": "vague", "version": "version", "categorie": "categorie",
    "type_structure": "type_structure", "typestructure": "type_structure", "date": "date",
}  # fmt: skip


@dataclass(frozen=True)
class Submission:
    """One respondent's answers as read from a file, not yet checked. ``values`` are raw."""

    key: str
    duplicate_label: str  # how the submission is named in a « doublon » message
    where: str  # « fichier, ligne n »
    format: str
    fields: Mapping[str, Any]
    values: Mapping[str, tuple[str, Any]]  # indicator id -> (where, raw value)
    cells: Mapping[str, str] = field(default_factory=dict)  # field -> where its cell is

    @property
    def respondent_id(self) -> str:
        return respondent_id(self.key)


def respondent_id(key: str) -> str:
    """The pseudonymous id stored for a submission key (``kobo:<_uuid>``, ``xlsx:<sha256>``…)."""
    return "r-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


@dataclass
class ImportPlan:
    """What an import would store: the waves to write, what it leaves unchanged, and the
    notices about what it dropped (file and row, never the dropped value)."""

    waves: dict[tuple[str, str], Wave] = field(default_factory=dict)
    added: dict[tuple[str, str], int] = field(default_factory=dict)
    unchanged: int = 0
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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def _column_name(header: str) -> str:
    """``objectif_a/a1`` -> ``a1``; ``REF[a1]`` -> ``a1``; ``repondant/categorie`` -> ``categorie``."""
    name = header.strip().split("/")[-1]
    match = BRACKET_RE.match(name)
    return match.group(1) if match else name


def _csv_rows(path: Path) -> list[list[str]]:
    """Every record of a CSV export, bounded and read strictly (an unclosed quote, a NUL, a
    control character or an oversized cell is a located problem, never rows dropped)."""
    try:
        raw = read_bounded_bytes(path, MAX_CSV_BYTES, "export CSV")
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnswersImportError([f"{path} : fichier illisible (encodage UTF-8 attendu)"]) from exc
    except PtceError as exc:
        raise AnswersImportError([str(exc)]) from exc
    try:
        records = csv_records(path, text)
        width = len(records[0][1]) if records else 0
        for line, cells in records:
            if any(c.strip() for c in cells[width:]):
                raise FieldworkError(
                    path, f"{len(cells)} cellules au lieu de {width} (guillemet en trop ?)",
                    f"ligne {line}",
                )  # fmt: skip
            for cell in cells:
                clean_text(path, cell, f"ligne {line}")
    except FieldworkError as exc:
        raise AnswersImportError([str(exc)]) from exc
    return [cells for _, cells in records]


def _xlsx_workbook(path: Path) -> Any:
    """The workbook, checked as an archive first; formulas kept as written (a computed cell is
    then refused by :func:`_cell`, never read as empty)."""
    from openpyxl import load_workbook

    try:
        check_spreadsheet(path)
    except PtceError as exc:
        raise AnswersImportError([str(exc)]) from exc
    try:
        return load_workbook(path, data_only=False)
    except Exception as exc:  # zipfile, XML or openpyxl errors: the file is not a workbook
        raise AnswersImportError(
            [f"{path} : classeur XLSX illisible ({excerpt(type(exc).__name__)})"]
        ) from exc


def _sheet_rows(path: Path, ws: Any) -> list[list[Any]]:
    """The values of a sheet; a formula or a control character is a located problem."""
    rows = []
    problems = []
    for row in ws.iter_rows():
        values = []
        for cell in row:
            try:
                value = _cell(path, cell, ws.title)
            except FieldworkError as exc:
                problems.append(str(exc))
                value = None
            values.append(value)
        rows.append(values)
    if problems:
        raise AnswersImportError(problems)
    return rows


def _cell(path: Path, cell: Any, title: str) -> Any:
    value = cell.value
    if value is None:
        return None
    where = f"feuille « {title} », cellule {cell.coordinate}"
    if cell.data_type == "f":
        raise FieldworkError(
            path,
            f"cellule calculée par une formule (« {excerpt(value)} ») : sa valeur n'est pas "
            "enregistrée dans le fichier ; remplacez les formules par leurs valeurs",
            where,
        )
    if isinstance(value, str):
        check_cell_length(path, value, where)
        clean_text(path, value, where)
    return value


def _questionnaire_submission(path: Path, wb: Any) -> Submission:
    meta = {str(r[0].value): r[1].value for r in wb[META].iter_rows(max_col=2) if r[0].value}
    ws = wb[FORM_SHEET]
    values: dict[str, tuple[str, Any]] = {}
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        indicator = _text(ws.cell(row=row, column=ID_COL).value)
        if indicator:
            values[indicator] = (f"{path}, ligne {row}", ws.cell(row=row, column=ANSWER_COL).value)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    fields = {
        "pole": _text(meta.get("pole")), "vague": _text(meta.get("vague")),
        "version": _text(meta.get("version")), "categorie": _text(ws[CATEGORY_CELL].value),
        "type_structure": _text(ws[STRUCTURE_CELL].value), "date": _text(ws[DATE_CELL].value),
    }  # fmt: skip
    where = f"{path}, ligne {ws[CATEGORY_CELL].row}"
    cells = {name: f"{path}, ligne {ws[cell].row} (cellule {cell})"
             for name, cell in (("categorie", CATEGORY_CELL), ("type_structure", STRUCTURE_CELL),
                                ("date", DATE_CELL))}  # fmt: skip
    return Submission(f"xlsx:{digest}", "ce questionnaire rempli", where, "xlsx", fields, values,
                      cells)  # fmt: skip


def _unanswered_referentiel(path: Path, fmt: str, names: Sequence[str]) -> str | None:
    """A French problem when an export has no indicator column at all: a survey built on
    another questionnaire, whose rows would otherwise all be dropped as empty ones."""
    if any(INDICATOR_RE.match(n) for n in names):
        return None
    fields = {FIELD_ALIASES[n] for n in names if n in FIELD_ALIASES}
    missing = [f"« {c} »" for c in ("categorie", "pole", "vague") if c not in fields]
    return (
        f"{path}, ligne 1 : {FORMATS[fmt]} sans aucune colonne d'indicateur du référentiel "
        "(« a1 », « b2 »… : les questions du questionnaire de ptce-mono) ; ce fichier répond à "
        "un autre questionnaire, rien n'en est importé"
        + (f" ; colonnes manquantes aussi : {', '.join(missing)}" if missing else "")
        + f" (colonnes du fichier : {', '.join(f'« {excerpt(n)} »' for n in names[:12])}"
        + (" …)" if len(names) > 12 else ")")
    )


def _table_submissions(
    path: Path, rows: Sequence[Sequence[Any]], problems: list[str], notices: list[str]
) -> list[Submission]:
    if not rows:
        problems.append(f"{path} : fichier vide")
        return []
    headers = [_text(h) for h in rows[0]]
    names = [_column_name(h) for h in headers]
    if "_uuid" in names:
        fmt, id_col = "kobo", names.index("_uuid")
    elif "id" in names and ("submitdate" in names or "lastpage" in names):
        fmt, id_col = "limesurvey", names.index("id")
    else:
        problems.append(
            f"{path} : format non reconnu (ni questionnaire XLSX de ptce-mono, ni export "
            "KoboToolbox avec la colonne « _uuid », ni export LimeSurvey avec « id » et "
            "« submitdate »)"
        )
        return []
    unanswered = _unanswered_referentiel(path, fmt, names)
    if unanswered:
        problems.append(unanswered)
        return []
    for header in headers:
        if is_identity_column(header):
            notices.append(
                f"{path}, ligne 1 : colonne « {header} » ignorée (elle peut porter un nom, une "
                "adresse ou un numéro) : rien n'en est lu ni enregistré"
            )
    submissions = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [_text(v) for v in row]
        if not any(cells):
            continue
        cells += [""] * (len(names) - len(cells))
        where = f"{path}, ligne {number}"
        fields: dict[str, Any] = {}
        values: dict[str, tuple[str, Any]] = {}
        for name, header, value in zip(names, headers, cells, strict=False):
            if name in FIELD_ALIASES:
                fields[FIELD_ALIASES[name]] = value
            elif INDICATOR_RE.match(name):
                values[name] = (f"{where}, colonne « {header} »", value)
        if fmt == "limesurvey" and not fields.get("date"):
            fields["date"] = cells[names.index("submitdate")][:10] if "submitdate" in names else ""
        ident = cells[id_col]
        if fmt == "kobo":
            key, label = f"kobo:{ident}", f"_uuid « {excerpt(ident)} »"
        else:
            scope = f"{fields.get('pole', '')}:{fields.get('vague', '')}"
            key, label = (
                f"limesurvey:{scope}:{ident}",
                f"identifiant de réponse « {excerpt(ident)} »",
            )
        if not ident:
            problems.append(
                f"{where} : identifiant de soumission vide (colonne « {headers[id_col]} »)"
            )
            continue
        submissions.append(Submission(key, label, where, fmt, fields, values))
    return submissions


def read_submissions(
    path: Path, problems: list[str], notices: list[str] | None = None
) -> list[Submission]:
    """Submissions of one file; problems that prevent reading it are appended to ``problems``,
    columns dropped on purpose to ``notices``."""
    notices = [] if notices is None else notices
    if not path.is_file():
        problems.append(f"{path} : fichier introuvable")
        return []
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _table_submissions(path, _csv_rows(path), problems, notices)
    if suffix in (".xlsx", ".xlsm"):
        wb = _xlsx_workbook(path)
        if META in wb.sheetnames and FORM_SHEET in wb.sheetnames:
            meta_mark = wb[META]["B1"].value
            if meta_mark == MARK:
                return [_questionnaire_submission(path, wb)]
        ws = wb.worksheets[0]
        others = [w.title for w in wb.worksheets[1:] if any(
            c.value is not None for row in w.iter_rows() for c in row)]  # fmt: skip
        if others:  # answers there would be dropped in silence
            problems.append(
                f"{path} : seule la première feuille (« {ws.title} ») est lue, mais le classeur "
                f"a d'autres feuilles remplies ({', '.join(f'« {t} »' for t in others)}) : "
                "placez toutes les réponses sur la première feuille, ou une feuille par fichier"
            )
            return []
        before = len(problems)
        submissions = _table_submissions(path, _sheet_rows(path, ws), problems, notices)
        if len(problems) > before and "format non reconnu" in problems[-1]:
            problems[-1] += f" ; seule la première feuille (« {ws.title} ») a été lue"
        return submissions
    problems.append(f"{path} : extension « {path.suffix} » non prise en charge (.xlsx ou .csv)")
    return []


# --- checking ----------------------------------------------------------------------------------


def _choice(raw: str, choices: Sequence[Choice]) -> str | None:
    wanted = raw.strip().casefold()
    return next((c.id for c in choices if wanted in (c.id.casefold(), c.label.casefold())), None)


def _value(raw: Any, ref: Referentiel) -> tuple[bool, int | None] | None:
    """(present, value): (False, None) blank, (True, None) « ne sait pas », None if invalid."""
    text = _text(raw)
    if not text:
        return False, None
    if text.casefold() in (DONT_KNOW, DONT_KNOW_LABEL):
        return True, None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    if not number.is_integer() or not ref.scale.minimum <= number <= ref.scale.maximum:
        return None
    return True, int(number)


def _date(raw: str) -> str | None:
    text = raw.strip()[:10]
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class Context:
    paths: ProjectPaths
    referentiels: Mapping[str, Referentiel]
    vocabulary: Vocabulary


def is_empty(sub: Submission) -> bool:
    """No indicator answered (not even « ne sait pas »): an empty questionnaire."""
    return not any(_text(raw) for _, raw in sub.values.values())


def check_submission(
    sub: Submission, ctx: Context, pole: str | None, wave: str | None, problems: list[str],
    notices: list[str] | None = None,
) -> tuple[str, str, str, Respondent] | None:  # fmt: skip
    """(slug, wave, version, respondent), or None with the problems appended. An empty
    questionnaire is dropped with a notice (it would count a respondent who said nothing)."""
    notices = [] if notices is None else notices
    if is_empty(sub):
        notices.append(
            f"{sub.where} : questionnaire vide (aucun indicateur répondu, pas même « "
            f"{DONT_KNOW_LABEL} ») : ignoré, rien n'en est enregistré"
        )
        return None
    before = len(problems)
    slug = pole or str(sub.fields.get("pole") or "")
    wave_id = wave or str(sub.fields.get("vague") or "")
    if not slug:
        problems.append(f"{sub.where} : pôle non indiqué (colonne « pole » vide ; précisez --pole)")
    elif not is_safe_slug(slug) or not (ctx.paths.poles / slug / POLE_FILE).is_file():
        problems.append(
            f"{sub.where} : pôle inconnu {quoted(slug)}"
            + ("" if looks_like_identity(slug) else f" (aucun dossier {ctx.paths.poles / slug})")
            + ("" if looks_like_identity(slug) else _pole_hint(slug, ctx.paths.poles))
        )
    if not wave_id:
        problems.append(
            f"{sub.where} : vague non indiquée (colonne « vague » vide ; précisez --vague AAAA-MM)"
        )
    elif not WAVE_RE.match(wave_id):
        problems.append(
            f"{sub.where} : vague {quoted(wave_id)} invalide (AAAA-MM ou AAAA-MM-JJ attendu)"
        )
    version = str(sub.fields.get("version") or DEFAULT_VERSION)
    ref = ctx.referentiels.get(version)
    if ref is None:
        problems.append(
            f"{sub.where} : version de référentiel inconnue {quoted(version)} (versions "
            f"disponibles : {', '.join(sorted(ctx.referentiels)) or 'aucune'})."
        )
        return None
    category_raw = str(sub.fields.get("categorie") or "")
    category = _choice(category_raw, ctx.vocabulary.categories) if category_raw else None
    if not category_raw:
        problems.append(f"{sub.where} : catégorie de répondant manquante")
    elif category is None:
        known = ", ".join(c.id for c in ctx.vocabulary.categories)
        problems.append(
            f"{sub.where} : catégorie de répondant inconnue {quoted(category_raw)} "
            f"(catégories : {known})"
        )
    structure_raw = str(sub.fields.get("type_structure") or "")
    structure = _choice(structure_raw, ctx.vocabulary.structure_types) if structure_raw else None
    if structure_raw and structure is None:
        known = ", ".join(c.id for c in ctx.vocabulary.structure_types)
        problems.append(
            f"{sub.where} : type de structure inconnu {quoted(structure_raw)} (types : {known})"
        )
    answers: dict[str, int | None] = {}
    for indicator, (where, raw) in sub.values.items():
        if ref.indicator(indicator) is None and _text(raw):  # an empty column holds no answer
            problems.append(
                f"{where} : indicateur « {indicator} » absent du référentiel {ref.version}"
            )
            continue
        if ref.indicator(indicator) is None:
            continue
        parsed = _value(raw, ref)
        if parsed is None:
            problems.append(
                f"{where} : valeur {quoted(_text(raw))} hors de l'échelle "
                f"{ref.scale.minimum}–{ref.scale.maximum} (ou « {DONT_KNOW_LABEL} »)"
            )
        elif parsed[0]:
            answers[indicator] = parsed[1]
    if len(problems) > before or category is None:
        return None
    date_raw = str(sub.fields.get("date") or "")
    date = _date(date_raw)
    if date_raw and date is None:
        where = sub.cells.get("date", sub.where)
        notices.append(
            f"{where} : date illisible "
            + ("(texte qui pourrait être un nom ou une adresse) "
               if looks_like_identity(date_raw) else f"{quoted(date_raw)} ")
            + "ignorée : rien n'en est enregistré"
        )  # fmt: skip
    respondent = Respondent(sub.respondent_id, category, structure, date, sub.format, answers)
    return slug, wave_id, ref.version, respondent


def plan_import(
    paths: ProjectPaths, files: Iterable[Path], pole: str | None = None, wave: str | None = None
) -> ImportPlan:
    """Read and check every file; raise :class:`AnswersImportError` listing every problem."""
    ctx = Context(paths, load_all_referentiels(paths.referentiels), load_vocabulary(paths))
    problems: list[str] = []
    notices: list[str] = []
    seen: dict[str, str] = {}
    checked: list[tuple[str, str, str, Respondent]] = []
    for path in files:
        for sub in read_submissions(Path(path), problems, notices):
            if sub.key in seen:
                problems.append(
                    f"{sub.where} : soumission en double ({sub.duplicate_label} déjà lu : {seen[sub.key]})"
                )
                continue
            seen[sub.key] = sub.where
            result = check_submission(sub, ctx, pole, wave, problems, notices)
            if result is not None:
                checked.append(result)
    plan = ImportPlan(notices=notices)
    stored: dict[tuple[str, str], Wave] = {}
    ids: dict[tuple[str, str], dict[str, Respondent]] = {}
    added: dict[tuple[str, str], list[Respondent]] = {}
    for slug, wave_id, version, respondent in checked:
        folder = paths.poles / slug
        key = (slug, wave_id)
        if key not in stored:
            existing = load_wave(folder, wave_id) if wave_id in wave_names(folder) else None
            stored[key] = existing or Wave(slug, wave_id, version, ())
            ids[key] = {r.id: r for r in stored[key].respondents}  # linear in the wave's size
        current = stored[key]
        if current.version != version:
            problems.append(
                f"{slug}, vague {wave_id} : réponses au référentiel {version} alors que la vague "
                f"enregistrée suit le référentiel {current.version}"
            )
            continue
        same = ids[key].get(respondent.id)
        if same == respondent:
            plan.unchanged += 1
            continue
        if same is not None:
            problems.append(
                f"soumission déjà enregistrée dans la vague {wave_id} du pôle {slug} (répondant "
                f"{respondent.id}) avec d'autres réponses"
            )
            continue
        ids[key][respondent.id] = respondent
        added.setdefault(key, []).append(respondent)
        plan.added[key] = plan.added.get(key, 0) + 1
    for key, respondents in added.items():
        current = stored[key]
        plan.waves[key] = Wave(current.slug, current.wave, current.version,
                               (*current.respondents, *respondents), current.journal)  # fmt: skip
    if problems:
        raise AnswersImportError(problems)
    return plan


def apply_import(paths: ProjectPaths, plan: ImportPlan) -> None:
    """Write every changed wave, each logging the import in its journal (date and count, no
    name), or none (one multi-file write: a kill or a full disk leaves the waves as they were,
    or the next command finishes the write)."""
    files = {}
    for (slug, wave_id), wave in sorted(plan.waves.items()):
        if wave.n > MAX_WAVE_RESPONDENTS:
            raise AnswersImportError(
                [f"{slug}, vague {wave.wave} : {wave.n} répondants, plus que la limite de "
                 f"{MAX_WAVE_RESPONDENTS} par vague ; rien n'a été enregistré"]
            )  # fmt: skip
        path = wave_path(paths.poles / slug, wave.wave)
        text = wave_text(wave.logged("import", plan.added.get((slug, wave_id), 0)))
        parse_wave_text(text, path)  # what validate and build will read
        files[path] = text
    write_files_atomic(files, paths.data)


def _pole_hint(slug: str, poles_dir: Path) -> str:
    """« ; vouliez-vous dire `x` ? » after an unknown pole, or nothing."""
    from ..suggest import did_you_mean, pole_slugs

    hint = did_you_mean(slug, pole_slugs(poles_dir))
    return f" ; {hint}" if hint else ""


def import_answers(
    paths: ProjectPaths, files: Iterable[Path], pole: str | None = None, wave: str | None = None
) -> ImportPlan:
    """Check every file, then store; nothing is written when a problem is found."""
    if pole is not None and not is_safe_slug(pole):
        raise PtceError(
            f"pôle inconnu « {excerpt(pole)} » (aucun dossier {paths.poles / excerpt(pole)})"
            + _pole_hint(pole, paths.poles)
        )
    files = list(files)
    with data_lock(paths.data):  # read the stored waves and write them while no one else does
        plan = plan_import(paths, files, pole, wave)
        apply_import(paths, plan)
    return plan
