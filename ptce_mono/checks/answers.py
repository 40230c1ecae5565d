"""Stored answers are data: every wave file of a pole is checked by ``validate`` (pure reads).

A wave file (``data/poles/<slug>/referentiel/<vague>.yaml``) is written by ``import answers``
but may be edited by hand. Each problem names the file and its line: the wave and the version
it declares, each respondent's id (unique in the file), category and structure type (known to
``data/participation/categories.yaml``), date, and every answer (an indicator of the version,
a value of its scale or « nsp »); the log of imports and withdrawals (dates and counts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.errors import DataFileError
from ..core.limits import WRITTEN_LIMITS
from ..core.problems import Problem
from ..core.yamlio import LoadedYaml, load_yaml
from ..corpus.answer_labels import DONT_KNOW
from ..corpus.answer_settings import Vocabulary
from ..corpus.answer_store import JOURNAL, JOURNAL_ACTIONS, wave_dir
from ..corpus.questionnaire import WAVE_RE
from ..corpus.referentiel import Referentiel

RESPONDENT_KEYS = ("id", "categorie", "type_structure", "date", "format", "reponses")
WAVE_KEYS = ("vague", "version", "repondants", JOURNAL)


def _is_date(value: Any) -> bool:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _respondent_problems(
    loaded: LoadedYaml, k: int, raw: Any, ref: Referentiel | None, vocabulary: Vocabulary,
    seen: dict[str, int],
) -> list[Problem]:  # fmt: skip
    path = loaded.path
    at = f"repondants.{k}"
    out: list[Problem] = []

    def add(dotted: str, message: str) -> None:
        out.append(Problem(path, loaded.line_of(dotted), dotted, message))

    if not isinstance(raw, dict):
        add(at, "un répondant (dictionnaire avec « id », « categorie », « reponses ») est attendu")
        return out
    for key in raw:
        if key not in RESPONDENT_KEYS:
            add(f"{at}.{key}", f"clé « {key} » inconnue (clés : {', '.join(RESPONDENT_KEYS)}) : "
                "aucun nom, aucune adresse ni aucun commentaire n'est enregistré ici")  # fmt: skip
    ident = raw.get("id")
    if not isinstance(ident, str) or not ident.strip():
        add(f"{at}.id", "identifiant de répondant manquant")
    elif ident in seen:
        add(f"{at}.id", f"identifiant « {ident} » en double (déjà au répondant {seen[ident] + 1})")
    else:
        seen[ident] = k
    category = raw.get("categorie")
    known = [c.id for c in vocabulary.categories]
    if not category:
        add(f"{at}.categorie", "catégorie de répondant manquante")
    elif str(category) not in known:
        add(f"{at}.categorie",
            f"catégorie « {category} » inconnue (catégories : {', '.join(known)})")  # fmt: skip
    structure = raw.get("type_structure")
    types = [c.id for c in vocabulary.structure_types]
    if structure and str(structure) not in types:
        add(f"{at}.type_structure",
            f"type de structure « {structure} » inconnu (types : {', '.join(types)})")  # fmt: skip
    if raw.get("date") and not _is_date(raw["date"]):
        add(f"{at}.date", f"date « {raw['date']} » invalide (AAAA-MM-JJ attendu)")
    answers = raw.get("reponses") or {}
    if not isinstance(answers, dict):
        add(f"{at}.reponses", "un dictionnaire indicateur → réponse est attendu")
        return out
    for indicator, value in answers.items():
        dotted = f"{at}.reponses.{indicator}"
        if ref is not None and ref.indicator(str(indicator)) is None:
            add(dotted, f"indicateur « {indicator} » absent du référentiel {ref.version}")
            continue
        if value == DONT_KNOW:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            add(dotted, f"réponse « {value} » illisible (un entier de l'échelle ou « nsp »)")
        elif ref is not None and not ref.scale.minimum <= value <= ref.scale.maximum:
            add(dotted, f"réponse {value} hors de l'échelle {ref.scale.minimum}–"
                        f"{ref.scale.maximum} du référentiel {ref.version}")  # fmt: skip
    return out


def _journal_problems(loaded: LoadedYaml, raw: Any) -> list[Problem]:
    path = loaded.path
    if raw is None:
        return []
    if not isinstance(raw, list):
        return [
            Problem(path, loaded.line_of(JOURNAL), JOURNAL, "une liste d'opérations est attendue")
        ]
    out: list[Problem] = []
    for k, entry in enumerate(raw):
        at = f"{JOURNAL}.{k}"
        ok = (
            isinstance(entry, dict)
            and set(entry) <= {"date", "operation", "nombre"}
            and _is_date(entry.get("date"))
            and entry.get("operation") in JOURNAL_ACTIONS
            and isinstance(entry.get("nombre"), int)
        )
        if not ok:
            out.append(Problem(path, loaded.line_of(at), at,
                        "opération attendue : « date » (AAAA-MM-JJ), « operation » "
                        f"({', '.join(JOURNAL_ACTIONS)}) et « nombre » (entier), rien "
                        "d'autre"))  # fmt: skip
    return out


def check_wave_file(
    path: Path, referentiels: Mapping[str, Referentiel], vocabulary: Vocabulary
) -> list[Problem]:
    """Every problem of one stored wave, with its line."""
    try:
        loaded = load_yaml(path, WRITTEN_LIMITS)  # what an import may write
    except DataFileError as exc:
        return list(exc.problems)
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("repondants", []), list):
        return [Problem(path, 1, "", "un dictionnaire avec une liste « repondants » est attendu")]
    out: list[Problem] = []
    for key in data:
        if key not in WAVE_KEYS:
            out.append(Problem(path, loaded.line_of(str(key)), str(key),
                        f"clé « {key} » inconnue (clés : {', '.join(WAVE_KEYS)})"))  # fmt: skip
    wave = data.get("vague")
    if str(wave) != path.stem or not WAVE_RE.match(str(wave)):
        out.append(Problem(path, loaded.line_of("vague"), "vague",
                    f"vague « {wave} » : le fichier {path.name} attend « {path.stem} » "
                    "(AAAA-MM ou AAAA-MM-JJ)"))  # fmt: skip
    version = str(data.get("version") or "")
    ref = referentiels.get(version)
    if ref is None:
        out.append(Problem(path, loaded.line_of("version"), "version",
                    f"version du référentiel « {version} » inconnue (versions : "
                    f"{', '.join(sorted(referentiels))})"))  # fmt: skip
    seen: dict[str, int] = {}
    for k, raw in enumerate(data.get("repondants") or []):
        out += _respondent_problems(loaded, k, raw, ref, vocabulary, seen)
    out += _journal_problems(loaded, data.get(JOURNAL))
    return out


def check_waves(
    pole_folder: Path, referentiels: Mapping[str, Referentiel], vocabulary: Vocabulary
) -> list[Problem]:
    """Every stored wave of a pole."""
    folder = wave_dir(pole_folder)
    if not folder.is_dir():
        return []
    out: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        out += check_wave_file(path, referentiels, vocabulary)
    return out


def require_valid_waves(
    pole_folder: Path, referentiels: Mapping[str, Referentiel], vocabulary: Vocabulary
) -> None:
    """Raise a French error listing the problems of the pole's stored waves, if any (what
    ``restitution`` and ``compare`` check before computing anything from them)."""
    from ..core.errors import ProblemsError

    found = check_waves(pole_folder, referentiels, vocabulary)
    if found:
        raise ProblemsError(
            found,
            f"réponses enregistrées invalides pour le pôle « {pole_folder.name} » (corrigez-les, "
            "puis ptce-mono validate)",
        )


def with_valid_waves(
    poles: list[Any], referentiels: Mapping[str, Referentiel], vocabulary: Vocabulary
) -> list[Any]:
    """The poles whose stored waves pass the checks (the others never enter a comparison)."""
    return [p for p in poles if not check_waves(p.folder, referentiels, vocabulary)]
