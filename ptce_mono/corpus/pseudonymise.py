"""Pseudonymisation: the private people → role table of a pole, names replaced by roles,
other person names flagged by a French named-entity model (spaCy ``fr_core_news_sm``).

The table lives in ``data/prive/<slug>/personnes.yaml``: outside the pole folders, so neither
monographs, the site nor the data package ever read it; ``.gitignore`` keeps it out of git.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..core import names as name_forms
from ..core.errors import FieldworkError
from ..core.layout import private_table_file
from ..core.problems import Problem, located
from ..core.yamlio import load_yaml

NER_MODEL = "fr_core_news_sm"


@dataclass(frozen=True)
class Person:
    name: str
    variants: tuple[str, ...]
    role: str

    @property
    def forms(self) -> tuple[str, ...]:
        """Every written form, longest first (« Maëlle Trévoux » before « Maëlle »)."""
        return tuple(sorted({self.name, *self.variants}, key=len, reverse=True))


@dataclass(frozen=True)
class InterviewNote:
    """What the private table says of one interview (by document name)."""

    person: str = ""
    role: str = ""
    date: str = ""
    consent: bool | None = None


@dataclass(frozen=True)
class PrivateTable:
    path: Path | None
    people: tuple[Person, ...] = ()
    interviews: dict[str, InterviewNote] = field(default_factory=dict)

    def names(self) -> tuple[str, ...]:
        return tuple(form for p in self.people for form in p.forms)

    def interview(self, document: str) -> InterviewNote | None:
        """The note of ``document``, its name written in any form (case, accents, NFD)."""
        found = self.interviews.get(document)
        if found is not None:
            return found
        return next(
            (n for d, n in self.interviews.items() if name_forms.same_name(d, document)), None
        )


def _nfc(value: Any) -> Any:
    """Every text of the table in NFC (a table typed on macOS may be decomposed)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    return value


def private_table_path(data_dir: Path, slug: str) -> Path:
    return private_table_file(data_dir, slug)


def load_private_table(data_dir: Path, slug: str) -> PrivateTable:
    """The pole's private table; an empty one when the file does not exist."""
    path = private_table_path(data_dir, slug)
    if not path.is_file():
        return PrivateTable(None)
    loaded = load_yaml(path)
    data = _nfc(loaded.data) or {}
    if not isinstance(data, dict):
        raise FieldworkError(path, "un dictionnaire (personnes, entretiens) est attendu", "ligne 1")
    people = []
    problems: list[Problem] = []  # every bad entry of the table, not only the first
    for index, raw in enumerate(data.get("personnes") or []):
        where = f"ligne {loaded.line_of(f'personnes.{index}')}"
        if not isinstance(raw, dict) or not raw.get("nom") or not raw.get("role"):
            problems.append(located(path, "chaque personne a un « nom » et un « role »", where))
            continue
        variants = raw.get("variantes") or []
        if not isinstance(variants, list):
            problems.append(located(path, "« variantes » : liste de textes attendue", where))
            continue
        people.append(Person(str(raw["nom"]), tuple(str(v) for v in variants), str(raw["role"])))
    by_name = {name_forms.fold(p.name): p for p in people}
    interviews = {}
    raw_interviews = data.get("entretiens") or {}
    if not isinstance(raw_interviews, dict):
        problems.append(Problem(path, 1, "", "« entretiens » : dictionnaire par document attendu"))
        raw_interviews = {}
    for document, raw in raw_interviews.items():
        where = f"ligne {loaded.line_of(f'entretiens.{document}')}"
        if not isinstance(raw, dict):
            problems.append(
                located(path, f"entretien « {document} » : dictionnaire attendu", where)
            )
            continue
        person = str(raw.get("personne") or "")
        if person and name_forms.fold(person) not in by_name:
            problems.append(located(
                path,
                f"entretien « {document} » : personne « {person} » absente de « personnes »",
                where,
            ))  # fmt: skip
            continue
        consent = raw.get("consentement")
        interviews[str(document)] = InterviewNote(
            person=person,
            role=str(raw.get("role") or (by_name[name_forms.fold(person)].role if person else "")),
            date=str(raw.get("date") or ""),
            consent=consent if isinstance(consent, bool) else None,
        )
    if problems:
        raise FieldworkError.collected(problems)
    return PrivateTable(path, tuple(people), interviews)


def replace_names(text: str, people: Iterable[Person]) -> str:
    """Each listed person's name (and variants) replaced by « [rôle] », whatever the way it is
    written (decomposed accents, case, typographic apostrophe: :mod:`ptce_mono.core.names`)."""
    return name_forms.substitute(
        text, [(form, f"[{person.role}]") for person in people for form in person.forms]
    )


def contains_name(text: str, names: Iterable[str]) -> list[str]:
    """The names of ``names`` that occur in ``text`` (word boundaries, any case or form)."""
    return name_forms.names_in(text, names)


_TITLES = re.compile(
    r"^((M|Mme|Mlle|Me|Dr|Pr)\.?|Monsieur|Madame|Mademoiselle)(\s+|$)", re.IGNORECASE
)


@lru_cache(maxsize=1)
def _nlp() -> Any:
    import spacy

    return spacy.load(
        NER_MODEL, exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler"]
    )


def person_names(text: str) -> list[str]:
    """Person names found by the French model, outside the « [rôle] » placeholders."""
    text = unicodedata.normalize("NFC", text)  # the model reads composed accents
    masked = re.sub(r"\[[^\]]*\]", lambda m: " " * len(m.group(0)), text)
    found: list[str] = []
    for ent in _nlp()(masked).ents:
        name = _TITLES.sub("", " ".join(ent.text.split())).strip(" ,.;:")
        if ent.label_ == "PER" and name:
            found.append(name)
    return name_forms.unique(found)
