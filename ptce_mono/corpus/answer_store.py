"""Stored answers: ``data/poles/<slug>/referentiel/<vague>.yaml``, one file per wave (a dated
campaign). Each respondent is kept under a pseudonymous id; no name, no e-mail is ever stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..core.atomic import write_text_atomic
from ..core.errors import DataFileError, UnknownWaveError
from ..core.layout import WAVES_DIR, waves_dir
from ..core.limits import WRITTEN_LIMITS
from ..core.memo import TextMemo
from ..core.yamlio import LoadedYaml, parse_yaml, read_text
from .answer_labels import DONT_KNOW

FOLDER = WAVES_DIR
HEADER = (
    "# Réponses au questionnaire du référentiel d'action, écrites par « ptce-mono import answers ».\n"
    "# Chaque répondant a un identifiant pseudonyme ; ni nom ni adresse ne sont enregistrés.\n"
    "# Valeurs : score de l'échelle, ou « nsp » (ne sait pas).\n"
    "# journal : chaque import et chaque retrait (date, nombre de réponses), jamais de nom.\n"
)
JOURNAL = "journal"
JOURNAL_ACTIONS = ("import", "retrait")


@dataclass(frozen=True)
class Respondent:
    """One respondent's answers. ``answers`` maps indicator id -> score, or None for « ne sait
    pas »; indicators left blank are absent."""

    id: str
    category: str
    structure_type: str | None
    date: str | None
    format: str
    answers: Mapping[str, int | None]


@dataclass(frozen=True)
class Wave:
    """The answers of one pole for one dated campaign."""

    slug: str
    wave: str
    version: str
    respondents: tuple[Respondent, ...] = field(default_factory=tuple)
    journal: tuple[Mapping[str, object], ...] = ()  # {date, operation, nombre}, oldest first

    @property
    def n(self) -> int:
        return len(self.respondents)

    def logged(self, operation: str, count: int, date: str | None = None) -> Wave:
        """This wave with one more entry in its journal (today by default)."""
        import datetime as dt

        entry = {"date": date or dt.date.today().isoformat(), "operation": operation,
                 "nombre": count}  # fmt: skip
        return Wave(self.slug, self.wave, self.version, self.respondents, (*self.journal, entry))


def wave_dir(pole_folder: Path) -> Path:
    return waves_dir(pole_folder)


def wave_path(pole_folder: Path, wave: str) -> Path:
    return wave_dir(pole_folder) / f"{wave}.yaml"


def wave_names(pole_folder: Path) -> list[str]:
    folder = wave_dir(pole_folder)
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def _respondent(raw: object, path: Path, k: int, line: int | None) -> Respondent:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("categorie"):
        raise DataFileError(path, f"repondants.{k} : « id » et « categorie » sont attendus", line)
    answers_raw = raw.get("reponses") or {}
    if not isinstance(answers_raw, dict):
        raise DataFileError(path, f"repondants.{k}.reponses : un dictionnaire est attendu", line)
    answers: dict[str, int | None] = {}
    for indicator, value in answers_raw.items():
        if value == DONT_KNOW:
            answers[str(indicator)] = None
        elif isinstance(value, int) and not isinstance(value, bool):
            answers[str(indicator)] = value
        else:
            raise DataFileError(
                path, f"repondants.{k}.reponses.{indicator} : valeur « {value} » illisible", line
            )
    return Respondent(
        id=str(raw["id"]), category=str(raw["categorie"]),
        structure_type=str(raw["type_structure"]) if raw.get("type_structure") else None,
        date=str(raw["date"]) if raw.get("date") else None,
        format=str(raw.get("format") or ""), answers=answers,
    )  # fmt: skip


# Waves parsed, by file: a monograph reads a pole's waves many times.
_parsed: TextMemo[Wave] = TextMemo()


def load_wave(pole_folder: Path, wave: str) -> Wave:
    path = wave_path(pole_folder, wave)
    if not path.is_file():
        raise UnknownWaveError(pole_folder.name, wave, wave_names(pole_folder))
    text = read_text(path, WRITTEN_LIMITS.max_bytes, "fichier YAML")
    known = _parsed.get(path, text)
    return known if known is not None else parse_wave_text(text, path)


def parse_wave_text(text: str, path: Path) -> Wave:
    """What :func:`load_wave` would read from ``text`` (an import checks what it writes)."""
    read = _wave(parse_yaml(text, path, WRITTEN_LIMITS), path, path.parent.parent.name, path.stem)
    _parsed.put(path, text, read)
    return read


def _wave(loaded: LoadedYaml, path: Path, slug: str, wave: str) -> Wave:
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("repondants", []), list):
        raise DataFileError(path, "un dictionnaire avec une liste « repondants » est attendu")
    respondents = tuple(
        _respondent(raw, path, k, loaded.line_of(f"repondants.{k}"))
        for k, raw in enumerate(data.get("repondants") or [])
    )
    journal = data.get(JOURNAL) or []
    entries = tuple(e for e in journal if isinstance(e, dict)) if isinstance(journal, list) else ()
    return Wave(slug, str(data.get("vague") or wave), str(data.get("version") or ""),
                respondents, entries)  # fmt: skip


def load_waves(pole_folder: Path) -> list[Wave]:
    """Every wave of a pole, oldest first."""
    return [load_wave(pole_folder, w) for w in wave_names(pole_folder)]


def wave_text(wave: Wave) -> str:
    data = {
        "vague": wave.wave,
        "version": wave.version,
        "repondants": [
            {
                "id": r.id,
                "categorie": r.category,
                "type_structure": r.structure_type,
                "date": r.date,
                "format": r.format,
                "reponses": {k: DONT_KNOW if v is None else v for k, v in r.answers.items()},
            }
            for r in sorted(wave.respondents, key=lambda r: r.id)
        ],
    }
    if wave.journal:
        data[JOURNAL] = [dict(e) for e in wave.journal]
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: same text, far faster
    return HEADER + yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


def write_wave(pole_folder: Path, wave: Wave) -> None:
    write_text_atomic(wave_path(pole_folder, wave.wave), wave_text(wave))
