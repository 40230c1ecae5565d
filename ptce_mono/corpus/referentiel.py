"""Versioned référentiel d'action: general objectives -> principal objectives -> indicators."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..core.errors import DataFileError, UnknownReferentielError
from ..core.fr import plural, words
from ..core.layout import pole_file
from ..core.yamlio import load_yaml

DEFAULT_VERSION = "2012"  # used when a record names no version


def version_or_default(version: str | None) -> str:
    """The version a record or a notebook names, or :data:`DEFAULT_VERSION` when it names none
    (the one place where the default is applied)."""
    return version or DEFAULT_VERSION


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str | None
    objective: str
    reconstructed: bool
    status: str  # "lisible" or "illisible"

    @property
    def display(self) -> str:
        return self.label or "(libellé illisible dans la source)"


@dataclass(frozen=True)
class Objective:
    id: str
    label: str
    short_label: str
    general: str
    reconstructed: bool
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class GeneralObjective:
    id: str
    label: str
    objectives: tuple[Objective, ...]


@dataclass(frozen=True)
class Scale:
    minimum: int
    maximum: int
    labels: dict[int, str]


@dataclass(frozen=True)
class Referentiel:
    version: str
    title: str
    note: str
    source: dict[str, str]
    scale: Scale
    general_objectives: tuple[GeneralObjective, ...]

    @cached_property
    def objectives(self) -> tuple[Objective, ...]:
        return tuple(o for g in self.general_objectives for o in g.objectives)

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for o in self.objectives for i in o.indicators)

    @cached_property
    def _indicator_by_id(self) -> dict[str, Indicator]:
        """First indicator of each id (an import looks up every answer of every respondent)."""
        found: dict[str, Indicator] = {}
        for item in self.indicators:
            found.setdefault(item.id, item)
        return found

    def indicator(self, indicator_id: str) -> Indicator | None:
        return self._indicator_by_id.get(indicator_id)

    @property
    def indicators_per_objective(self) -> int | None:
        """The number of indicators of every principal objective, when they all have as many."""
        counts = {len(o.indicators) for o in self.objectives}
        return counts.pop() if len(counts) == 1 else None

    @property
    def id_ranges(self) -> str:
        """The ids of this version, as « objectifs a à i, indicateurs a1 à i3 »."""
        objectives, indicators = self.objectives, self.indicators
        if not objectives:
            return "voir le référentiel"
        text = f"objectifs {objectives[0].id} à {objectives[-1].id}"
        if indicators:
            text += f", indicateurs {indicators[0].id} à {indicators[-1].id}"
        return text


def principal_objectives(ref: Referentiel, principal: bool = True, digits: bool = False) -> str:
    """« neuf objectifs principaux », counted in ``ref`` (never typed: a version may have more
    or fewer); « neuf objectifs » without ``principal``, « 9 objectifs principaux » with
    ``digits``."""
    singular, plural_form = (
        ("objectif principal", "objectifs principaux") if principal else ("objectif", "objectifs")
    )
    count = len(ref.objectives)
    return (plural if digits else words)(count, singular, plural_form)


def parse_referentiel(data: object, path: Path) -> Referentiel:
    if not isinstance(data, dict):
        raise DataFileError(path, "un dictionnaire est attendu")
    try:
        scale_raw = data["echelle"]
        scale = Scale(
            minimum=int(scale_raw["min"]),
            maximum=int(scale_raw["max"]),
            labels={int(k): str(v) for k, v in (scale_raw.get("libelles") or {}).items()},
        )
        generals = []
        for g in data["objectifs_generaux"]:
            objectives = []
            for o in g["objectifs"]:
                indicators = tuple(
                    Indicator(
                        id=str(i["id"]),
                        label=i.get("libelle"),
                        objective=str(o["id"]),
                        reconstructed=i.get("rattachement") == "reconstruit",
                        status=str(
                            i.get("statut") or ("lisible" if i.get("libelle") else "illisible")
                        ),
                    )
                    for i in o.get("indicateurs") or []
                )
                objectives.append(
                    Objective(
                        id=str(o["id"]),
                        label=str(o["libelle"]),
                        short_label=str(o.get("libelle_court") or o["libelle"]),
                        general=str(g["id"]),
                        reconstructed=o.get("rattachement") == "reconstruit",
                        indicators=indicators,
                    )
                )
            generals.append(
                GeneralObjective(
                    id=str(g["id"]), label=str(g["libelle"]), objectives=tuple(objectives)
                )
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(path, f"structure du référentiel invalide ({exc})") from exc
    return Referentiel(
        version=str(data.get("version", path.stem)),
        title=str(data.get("titre", "Référentiel d'action")),
        note=str(data.get("note") or ""),
        source=dict(data.get("source") or {}),
        scale=scale,
        general_objectives=tuple(generals),
    )


def available_versions(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yaml"))


def load_referentiel(folder: Path, version: str) -> Referentiel:
    """Load the référentiel ``version`` from ``folder/<version>.yaml``."""
    versions = available_versions(folder)
    if version not in versions:
        raise UnknownReferentielError(version, versions)
    path = folder / f"{version}.yaml"
    return parse_referentiel(load_yaml(path).data, path)


def load_all_referentiels(folder: Path) -> dict[str, Referentiel]:
    return {v: load_referentiel(folder, v) for v in available_versions(folder)}


def pole_version(pole_dir: Path) -> str:
    """The référentiel version a pole's record names (``referentiel.version`` of its
    ``pole.yaml``), the default when it names none: what its codes and answers are read
    against."""
    loaded = load_yaml(pole_file(pole_dir))
    data = loaded.data if isinstance(loaded.data, dict) else {}
    section = data.get("referentiel")
    version = section.get("version") if isinstance(section, dict) else None
    return version_or_default(str(version) if version is not None else None)
