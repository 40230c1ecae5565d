"""The common analysis grid (grille d'analyse) that every monograph follows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.errors import DataFileError
from ..core.yamlio import load_yaml


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    id: str
    number: int
    title: str
    description: str
    questions: tuple[Question, ...]
    fields: tuple[str, ...]
    objectives: tuple[str, ...]

    @property
    def filename(self) -> str:
        return f"{self.id}.md"


@dataclass(frozen=True)
class Grid:
    version: str
    title: str
    note: str
    source: dict[str, str]
    sections: tuple[Section, ...]

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)


def _str_list(value: object, path: Path, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(path, f"{where} : une liste de textes est attendue")
    return tuple(value)


def parse_grid(data: object, path: Path) -> Grid:
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise DataFileError(path, "sections : une liste de sections est attendue")
    sections = []
    for index, raw in enumerate(data["sections"]):
        where = f"sections.{index}"
        if not isinstance(raw, dict) or not raw.get("id") or not raw.get("titre"):
            raise DataFileError(path, f"{where} : chaque section a un id et un titre")
        questions = []
        for q_index, q in enumerate(raw.get("questions") or []):
            if not isinstance(q, dict) or not q.get("id") or not q.get("texte"):
                raise DataFileError(path, f"{where}.questions.{q_index} : id et texte requis")
            questions.append(
                Question(
                    id=str(q["id"]),
                    text=str(q["texte"]),
                    fields=_str_list(q.get("champs"), path, f"{where}.questions.{q_index}.champs"),
                )
            )
        sections.append(
            Section(
                id=str(raw["id"]),
                number=int(raw.get("numero", index + 1)),
                title=str(raw["titre"]),
                description=str(raw.get("description") or ""),
                questions=tuple(questions),
                fields=_str_list(raw.get("champs"), path, f"{where}.champs"),
                objectives=_str_list(
                    raw.get("objectifs_referentiel"), path, f"{where}.objectifs_referentiel"
                ),
            )
        )
    return Grid(
        version=str(data.get("version", "")),
        title=str(data.get("titre", "Grille d'analyse")),
        note=str(data.get("note") or ""),
        source=dict(data.get("source") or {}),
        sections=tuple(sections),
    )


def load_grid(path: Path) -> Grid:
    return parse_grid(load_yaml(path).data, path)
