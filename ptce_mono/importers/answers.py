"""Answers in: the filled XLSX questionnaire, a KoboToolbox export (CSV or XLSX, « XML values
and headers ») and a LimeSurvey CSV export, checked and stored per pole and per wave.

Only the known columns are read (pole, wave, version, category, structure type, date, indicator
ids, the submission id): a name or an e-mail column in an export is never looked at. An import
is all or nothing: every problem is listed (file, row) and nothing is written when there is one.
Re-importing the same file changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import AnswersImportError, ProblemsError, PtceError
from ..core.layout import POLE_FILE
from ..core.limits import MAX_WAVE_RESPONDENTS, excerpt
from ..core.lock import data_lock
from ..core.paths import ProjectPaths, is_safe_slug
from ..core.problems import Problem
from ..corpus.answer_labels import DONT_KNOW, DONT_KNOW_LABEL
from ..corpus.answer_settings import Choice, Vocabulary, load_vocabulary
from ..corpus.answer_store import (
    Respondent,
    Wave,
    load_wave,
    parse_wave_text,
    wave_names,
    wave_path,
    wave_text,
)
from ..corpus.questionnaire import WAVE_RE
from ..corpus.referentiel import DEFAULT_VERSION, Referentiel, load_all_referentiels, pole_version
from .answer_formats import ANSWER_FORMATS
from .importstore import store_import
from .readers import Source, UnknownFormatError
from .submissions import (
    Cell,
    ReadContext,
    Submission,
    is_identity_column,
    looks_like_identity,
    quoted,
    respondent_id,
)
from .submissions import plain_text as _text

__all__ = [
    "Cell",
    "ImportPlan",
    "Submission",
    "import_answers",
    "is_identity_column",
    "looks_like_identity",
    "quoted",
    "read_submissions",
    "respondent_id",
]


@dataclass
class ImportPlan:
    """What an import would store: the waves to write, what it leaves unchanged, and the
    notices about what it dropped (file and row, never the dropped value)."""

    waves: dict[tuple[str, str], Wave] = field(default_factory=dict)
    added: dict[tuple[str, str], int] = field(default_factory=dict)
    unchanged: int = 0
    notices: list[str] = field(default_factory=list)


# --- reading the files: one registry of formats ------------------------------------------------


def read_submissions(
    path: Path, problems: list[Problem], notices: list[str] | None = None,
    format: str | None = None,
) -> list[Submission]:  # fmt: skip
    """Submissions of one file, read by the reader ``format`` (``--format``) or by the one that
    recognises the file; problems that prevent reading it (an unreadable file, its bad cells
    and records) are appended to ``problems`` (the other files are still read and checked),
    columns dropped on purpose to ``notices``."""
    notices = [] if notices is None else notices
    if not path.is_file():
        problems.append(Problem(path, None, "", "fichier introuvable"))
        return []
    source = Source(path, problems=[])
    try:
        reader = ANSWER_FORMATS.choose(source, format)
        if reader is None:
            sheet = ""
            if source.is_table and source.table().sheet:
                sheet = f" ; seule la première feuille (« {source.table().sheet} ») a été lue"
            problems.append(Problem(
                path, None, "",
                f"format non reconnu (formats pris en charge : {ANSWER_FORMATS.labels()}){sheet}",
            ))  # fmt: skip
            return []
        return reader.read(source, ReadContext(problems, notices))
    except UnknownFormatError:  # a --format no reader has: the command is wrong, not the file
        raise
    except ProblemsError as exc:  # the file itself cannot be read (bounds, encoding, archive)
        problems += exc.problems
    except PtceError as exc:
        problems.append(Problem(path, None, "", exc.message))
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
    versions: dict[str, str] = field(default_factory=dict)

    def version_of(self, slug: str) -> str:
        """The référentiel version of the pole ``slug`` (the default for an unknown pole):
        what its answers are read against when the file names no version."""
        if slug not in self.versions:
            folder = self.paths.poles / slug
            known = slug and is_safe_slug(slug) and (folder / POLE_FILE).is_file()
            self.versions[slug] = pole_version(folder) if known else DEFAULT_VERSION
        return self.versions[slug]


def is_empty(sub: Submission) -> bool:
    """No indicator answered (not even « ne sait pas »): an empty questionnaire."""
    return not any(_text(raw) for _, raw in sub.values.values())


def check_submission(
    sub: Submission, ctx: Context, pole: str | None, wave: str | None, problems: list[Problem],
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
        problems.append(
            sub.where.problem("pôle non indiqué (colonne « pole » vide ; précisez --pole)")
        )
    elif not is_safe_slug(slug) or not (ctx.paths.poles / slug / POLE_FILE).is_file():
        identity = looks_like_identity(slug)
        problems.append(sub.where.problem(
            f"pôle inconnu {quoted(slug)}"
            + ("" if identity else f" (aucun dossier {ctx.paths.poles / slug})")
            + ("" if identity else _pole_hint(slug, ctx.paths.poles))
        ))  # fmt: skip
    if not wave_id:
        problems.append(sub.where.problem(
            "vague non indiquée (colonne « vague » vide ; précisez --vague AAAA-MM)"
        ))  # fmt: skip
    elif not WAVE_RE.match(wave_id):
        problems.append(
            sub.where.problem(f"vague {quoted(wave_id)} invalide (AAAA-MM ou AAAA-MM-JJ attendu)")
        )
    version = str(sub.fields.get("version") or ctx.version_of(slug))
    ref = ctx.referentiels.get(version)
    if ref is None:
        problems.append(sub.where.problem(
            f"version de référentiel inconnue {quoted(version)} (versions "
            f"disponibles : {', '.join(sorted(ctx.referentiels)) or 'aucune'})."
        ))  # fmt: skip
        return None
    category_raw = str(sub.fields.get("categorie") or "")
    category = _choice(category_raw, ctx.vocabulary.categories) if category_raw else None
    if not category_raw:
        problems.append(sub.where.problem("catégorie de répondant manquante"))
    elif category is None:
        known = ", ".join(c.id for c in ctx.vocabulary.categories)
        problems.append(sub.where.problem(
            f"catégorie de répondant inconnue {quoted(category_raw)} (catégories : {known})"
        ))  # fmt: skip
    structure_raw = str(sub.fields.get("type_structure") or "")
    structure = _choice(structure_raw, ctx.vocabulary.structure_types) if structure_raw else None
    if structure_raw and structure is None:
        known = ", ".join(c.id for c in ctx.vocabulary.structure_types)
        problems.append(sub.where.problem(
            f"type de structure inconnu {quoted(structure_raw)} (types : {known})"
        ))  # fmt: skip
    answers: dict[str, int | None] = {}
    for indicator, (where, raw) in sub.values.items():
        if ref.indicator(indicator) is None and _text(raw):  # an empty column holds no answer
            problems.append(
                where.problem(f"indicateur « {indicator} » absent du référentiel {ref.version}")
            )
            continue
        if ref.indicator(indicator) is None:
            continue
        parsed = _value(raw, ref)
        if parsed is None:
            problems.append(where.problem(
                f"valeur {quoted(_text(raw))} hors de l'échelle "
                f"{ref.scale.minimum}–{ref.scale.maximum} (ou « {DONT_KNOW_LABEL} »)"
            ))  # fmt: skip
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
    paths: ProjectPaths, files: Iterable[Path], pole: str | None = None, wave: str | None = None,
    format: str | None = None,
) -> ImportPlan:  # fmt: skip
    """Read and check every file; raise :class:`AnswersImportError` listing every problem."""
    ctx = Context(paths, load_all_referentiels(paths.referentiels), load_vocabulary(paths))
    problems: list[Problem] = []
    notices: list[str] = []
    seen: dict[str, Cell] = {}
    checked: list[tuple[Cell, tuple[str, str, str, Respondent]]] = []
    for path in files:  # every file is read, even after an unreadable one: all problems at once
        for sub in read_submissions(Path(path), problems, notices, format):
            if sub.key in seen:
                problems.append(sub.where.problem(
                    f"soumission en double ({sub.duplicate_label} déjà lu : {seen[sub.key]})"
                ))  # fmt: skip
                continue
            seen[sub.key] = sub.where
            result = check_submission(sub, ctx, pole, wave, problems, notices)
            if result is not None:
                checked.append((sub.where, result))
    plan = ImportPlan(notices=notices)
    stored: dict[tuple[str, str], Wave] = {}
    ids: dict[tuple[str, str], dict[str, Respondent]] = {}
    added: dict[tuple[str, str], list[Respondent]] = {}
    for where, (slug, wave_id, version, respondent) in checked:
        folder = paths.poles / slug
        key = (slug, wave_id)
        if key not in stored:
            existing = load_wave(folder, wave_id) if wave_id in wave_names(folder) else None
            stored[key] = existing or Wave(slug, wave_id, version, ())
            ids[key] = {r.id: r for r in stored[key].respondents}  # linear in the wave's size
        current = stored[key]
        if current.version != version:
            problems.append(where.problem(
                f"vague {wave_id} du pôle {slug} : réponses au référentiel {version} alors que la "
                f"vague enregistrée suit le référentiel {current.version}"
            ))  # fmt: skip
            continue
        same = ids[key].get(respondent.id)
        if same == respondent:
            plan.unchanged += 1
            continue
        if same is not None:
            problems.append(where.problem(
                f"soumission déjà enregistrée dans la vague {wave_id} du pôle {slug} (répondant "
                f"{respondent.id}) avec d'autres réponses"
            ))  # fmt: skip
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
    problems: list[Problem] = []
    for (slug, wave_id), wave in sorted(plan.waves.items()):
        path = wave_path(paths.poles / slug, wave.wave)
        if wave.n > MAX_WAVE_RESPONDENTS:  # every wave past the limit is said, none written
            problems.append(Problem(
                path, None, "", f"vague {wave.wave} du pôle {slug} : {wave.n} répondants, plus "
                f"que la limite de {MAX_WAVE_RESPONDENTS} par vague"
            ))  # fmt: skip
            continue
        text = wave_text(wave.logged("import", plan.added.get((slug, wave_id), 0)))
        parse_wave_text(text, path)  # what validate and build will read
        files[path] = text
    if problems:
        raise AnswersImportError(problems)
    store_import(paths.data, files)


def _pole_hint(slug: str, poles_dir: Path) -> str:
    """« ; vouliez-vous dire `x` ? » after an unknown pole, or nothing."""
    from ..core.suggest import did_you_mean, pole_slugs

    hint = did_you_mean(slug, pole_slugs(poles_dir))
    return f" ; {hint}" if hint else ""


def import_answers(
    paths: ProjectPaths, files: Iterable[Path], pole: str | None = None, wave: str | None = None,
    format: str | None = None,
) -> ImportPlan:  # fmt: skip
    """Check every file, then store; nothing is written when a problem is found. ``format``
    names the reader of every file (``--format``); by default each file's format is detected."""
    if format is not None:
        ANSWER_FORMATS.get(format)  # an unknown name is refused before anything is read
    if pole is not None and not is_safe_slug(pole):
        raise PtceError(
            f"pôle inconnu « {excerpt(pole)} » (aucun dossier {paths.poles / excerpt(pole)})"
            + _pole_hint(pole, paths.poles)
        )
    files = list(files)
    with data_lock(paths.data):  # read the stored waves and write them while no one else does
        plan = plan_import(paths, files, pole, wave, format)
        apply_import(paths, plan)
    return plan
