"""What a code means: a grid section, a guiding question, a référentiel objective or indicator,
or a researcher's own code mapped in ``data/codes.yaml``. Pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import FieldworkError
from ..core.inert import FORMULA_STARTS
from ..core.layout import CODES_FILE
from ..core.problems import Problem
from ..core.suggest import did_you_mean
from ..core.yamlio import load_yaml
from .grid import Grid
from .referentiel import Referentiel

REF_PREFIX = "ref-"


@dataclass(frozen=True)
class CodeMeaning:
    """Where a code files an excerpt: one section, and indicators (or objectives) it evidences."""

    section: str | None
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeMap:
    """Codes of the grid and référentiel, plus the researcher's mapping."""

    meanings: Mapping[str, CodeMeaning]

    def resolve(self, code: str) -> CodeMeaning | None:
        key = normalise(code)
        if key[:1] == "'" and key[1:2] in FORMULA_STARTS:  # a tag of our inert codebook CSV
            key = key[1:]
        if key in self.meanings:
            return self.meanings[key]
        # Hierarchical paths (« grille/finalites », « grille\finalites ») from some tools.
        for sep in ("/", "\\", "::", ">"):
            if sep in key:
                tail = key.rsplit(sep, 1)[1].strip()
                if tail in self.meanings:
                    return self.meanings[tail]
        return None

    def names(self) -> list[str]:
        """Every known code, as a researcher would type it."""
        return sorted(self.meanings)


def normalise(code: str) -> str:
    return " ".join(str(code).split()).lower()


def section_for_objective(grid: Grid, objective: str) -> str | None:
    """The first grid section that crosses this principal objective of the référentiel."""
    return next((s.id for s in grid.sections if objective in s.objectives), None)


def grid_meanings(grid: Grid, ref: Referentiel) -> dict[str, CodeMeaning]:
    """Codes written by ``ptce-mono codebook``: section ids, question ids, ``ref-b``, ``ref-b2``."""
    meanings: dict[str, CodeMeaning] = {}
    for section in grid.sections:
        meanings[section.id] = CodeMeaning(section.id)
        for question in section.questions:
            meanings[normalise(question.id)] = CodeMeaning(section.id)
    for objective in ref.objectives:
        home = section_for_objective(grid, objective.id)
        meanings[REF_PREFIX + objective.id] = CodeMeaning(home, (objective.id,))
        for indicator in objective.indicators:
            meaning = CodeMeaning(home, (indicator.id,))
            meanings[REF_PREFIX + indicator.id] = meaning
            meanings.setdefault(indicator.id, meaning)
    return meanings


def load_code_map(data_dir: Path, grid: Grid, ref: Referentiel) -> CodeMap:
    """Grid codes plus ``data/codes.yaml`` (optional), checked against the grid and référentiel."""
    meanings = grid_meanings(grid, ref)
    path = data_dir / CODES_FILE
    if not path.is_file():
        return CodeMap(meanings)
    loaded = load_yaml(path)
    data = loaded.data or {}
    codes = data.get("codes") if isinstance(data, dict) else None
    if codes is None:
        codes = {}
    if not isinstance(codes, dict):
        raise FieldworkError(path, "« codes » doit associer chaque code à une section", "ligne 1")
    sections = set(grid.section_ids)
    known_ids = {o.id for o in ref.objectives} | {i.id for i in ref.indicators}
    problems: list[Problem] = []  # every bad code of the file, not only the first
    for name, raw in codes.items():
        line = loaded.line_of(f"codes.{name}")
        if not isinstance(raw, dict) or raw.get("section") not in sections:
            given = str(raw.get("section") or "") if isinstance(raw, dict) else ""
            hint = did_you_mean(given, grid.section_ids) if given else ""
            problems.append(Problem(
                path, line, "",
                f"le code « {name} » doit avoir une « section » de la grille "
                f"({', '.join(grid.section_ids)})" + (f" ; {hint}" if hint else ""),
            ))  # fmt: skip
            continue
        indicators = raw.get("indicateurs") or []
        if not isinstance(indicators, list):
            problems.append(
                Problem(path, line, "", f"« indicateurs » du code « {name} » : liste attendue")
            )
            continue
        unknown = [str(i) for i in indicators if str(i) not in known_ids]
        if unknown:
            hint = did_you_mean(unknown[0], sorted(known_ids))
            problems.append(Problem(
                path, line, "",
                f"le code « {name} » cite un indicateur inconnu du référentiel {ref.version} : "
                + ", ".join(unknown)
                + (f" ; {hint}" if hint else ""),
            ))  # fmt: skip
            continue
        meanings[normalise(name)] = CodeMeaning(
            str(raw["section"]), tuple(str(i) for i in indicators)
        )
    if problems:
        raise FieldworkError.collected(problems)
    return CodeMap(meanings)
