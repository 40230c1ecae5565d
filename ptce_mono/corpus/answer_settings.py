"""Respondent categories, structure types and scoring settings (``data/participation/``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.errors import DataFileError
from ..core.layout import CATEGORIES_FILE, SETTINGS_FILE
from ..core.paths import ProjectPaths
from ..core.yamlio import load_yaml


@dataclass(frozen=True)
class Choice:
    id: str
    label: str


@dataclass(frozen=True)
class Vocabulary:
    """What a respondent says about themself: a stakeholder category and a structure type."""

    categories: tuple[Choice, ...]
    structure_types: tuple[Choice, ...]

    def category_label(self, category_id: str) -> str:
        return next((c.label for c in self.categories if c.id == category_id), category_id)

    def structure_label(self, type_id: str) -> str:
        return next((c.label for c in self.structure_types if c.id == type_id), type_id)


@dataclass(frozen=True)
class Settings:
    """Scoring settings. ``minimum`` respondents per wave for a pole to have scores;
    ``category_minimum`` per category to count in divergences; ``divergence`` is the gap between
    two categories' medians (scale points) that makes a « divergence marquée ».

    ``category_threshold`` (« seuil_categorie ») protects the respondents of small categories:
    a category with fewer respondents has no result of its own and its count is never shown
    (see :mod:`ptce_mono.analysis.cells`)."""

    minimum: int = 3
    category_minimum: int = 2
    divergence: float = 1.0
    category_threshold: int = 3


def participation_dir(paths: ProjectPaths) -> Path:
    return paths.participation


def _choices(raw: object, path: Path, key: str) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or not raw:
        raise DataFileError(path, f"{key} : une liste non vide est attendue")
    result = []
    for k, item in enumerate(raw):
        if not isinstance(item, dict) or not item.get("id") or not item.get("libelle"):
            raise DataFileError(path, f"{key}.{k} : « id » et « libelle » sont attendus")
        result.append(Choice(str(item["id"]), str(item["libelle"])))
    return tuple(result)


# What data/participation/categories.yaml holds in a new project: used when the file is absent.
DEFAULT_VOCABULARY = Vocabulary(
    categories=(
        Choice("salarie", "salarié·e d'une structure membre"), Choice("benevole", "bénévole"),
        Choice("dirigeant", "dirigeant·e de structure membre"), Choice("elu", "élu·e"),
        Choice("partenaire", "partenaire"), Choice("habitant", "habitant·e"),
        Choice("autre", "autre"),
    ),
    structure_types=(
        Choice("association", "association"), Choice("cooperative", "coopérative (SCOP, SCIC…)"),
        Choice("entreprise", "entreprise"), Choice("collectivite", "collectivité territoriale"),
        Choice("public", "établissement public, recherche ou formation"),
        Choice("aucune", "aucune (à titre individuel)"),
    ),
)  # fmt: skip


def load_vocabulary(paths: ProjectPaths) -> Vocabulary:
    """The categories file when present, else :data:`DEFAULT_VOCABULARY` (a project without
    participation data still builds its monographs)."""
    path = participation_dir(paths) / CATEGORIES_FILE
    if not path.is_file():
        return DEFAULT_VOCABULARY
    data = load_yaml(path).data
    if not isinstance(data, dict):
        raise DataFileError(path, "un dictionnaire est attendu")
    return Vocabulary(
        categories=_choices(data.get("categories"), path, "categories"),
        structure_types=_choices(data.get("types_structure"), path, "types_structure"),
    )


def load_settings(paths: ProjectPaths) -> Settings:
    """The settings file when present, else the defaults (3 respondents, 2 per category, 1 point)."""
    path = participation_dir(paths) / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    data = load_yaml(path).data or {}
    if not isinstance(data, dict):
        raise DataFileError(path, "un dictionnaire est attendu")
    try:
        settings = Settings(
            minimum=int(data.get("effectif_minimum", 3)),
            category_minimum=int(data.get("effectif_minimum_categorie", 2)),
            divergence=float(data.get("ecart_divergence", 1.0)),
            category_threshold=int(data.get("seuil_categorie", 3)),
        )
    except (TypeError, ValueError) as exc:
        raise DataFileError(path, f"réglage non numérique ({exc})") from exc
    if settings.minimum < 1 or settings.category_minimum < 1 or settings.divergence <= 0:
        raise DataFileError(path, "les effectifs minimaux et l'écart doivent être positifs")
    if settings.category_threshold < 2:
        raise DataFileError(
            path,
            f"seuil_categorie : {settings.category_threshold} montrerait les réponses d'une "
            "seule personne ; 2 au moins (3 par défaut)",
            load_yaml(path).line_of("seuil_categorie"),
        )
    return settings
