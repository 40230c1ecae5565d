"""Versioned référentiel d'action: general objectives -> principal objectives -> indicators."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import DataFileError, UnknownReferentielError
from .yamlio import load_yaml

DEFAULT_VERSION = "2012"  # used when a record names no version


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
