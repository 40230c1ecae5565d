"""``ptce-mono status``: one row per pole, from manifests, validation and current cache keys.

The table is built by pure functions; ``current`` maps each slug either to its current cache
key (compared with the manifest's ``key``) or to a dict of its current inputs
(:func:`ptce_mono.pipeline.plan.current_inputs`, the same that ``build`` hashes) (compared with
the manifest's ``inputs``, name by name, so the status can say what changed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from ..analysis.coverage import StatusCounts, pole_counts
from ..core.fingerprint import STATUS_FAILED, STATUS_OK
from ..core.fr import format_date
from .withdraw import STATUS_WITHDRAWN

INPUT_LABELS = {
    "pole": "fiche ou récits du pôle",
    "modele": "modèle de monographie",
    "grille": "grille d'analyse",
    "referentiels": "référentiels",
    "bibliographie": "bibliographie",
    "paquet": "code de ptce_mono",
    "rendu": "gabarits de rendu (filtre, style de citation, polices)",
    "cohorte": "autres pôles (cohorte de comparaison)",
    "participation": "réglages de la participation (data/participation)",
    "poles": "fiches des pôles",
    "geo": "fonds de carte (data/geo)",
    "publications": "chiffres publiés (data/publications)",
    "recensement": "recensement 2011 (data/recensement)",
    "formats": "formats de sortie",
    "moteur": "moteur de rendu",
    "prive": "table privée des personnes",
    "cle": "entrées",
    "fiche": "fiche du pôle (pole.yaml)",
    "vagues": "réponses au questionnaire du référentiel",
    "vague": "vague restituée",
    "gabarits": "gabarits de la fiche de restitution",
    "sorties": "fichiers produits manquants",
}


class BuildState(Enum):
    UP_TO_DATE = "à jour"
    STALE = "périmée"
    FAILED = "en échec"
    NEVER = "jamais construite"
    WITHDRAWN = "retirée (confidentialité)"


@dataclass(frozen=True)
class PoleStatus:
    slug: str
    name: str
    valid: bool
    build: BuildState
    documented: StatusCounts | None  # sections per status (coverage.section_coverage)
    sections: int
    built_at: str | None
    error: str | None = None
    section: str | None = None
    reasons: tuple[str, ...] = ()


def french_datetime(iso: str | None) -> str | None:
    """``2026-11-22T23:40:05`` → ``22 novembre 2026 à 23 h 40``."""
    if not iso:
        return None
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{format_date(when.year, when.month, when.day)} à {when.hour} h {when.minute:02d}"


def build_state(
    manifest: Mapping[str, Any] | None,
    current: str | Mapping[str, str] | None,
    outputs_present: bool = True,
) -> tuple[BuildState, tuple[str, ...]]:
    """State of one monograph and, when stale, the French names of what changed."""
    if manifest is None:
        return BuildState.NEVER, ()
    if manifest.get("status") == STATUS_FAILED:
        return BuildState.FAILED, ()
    if manifest.get("status") == STATUS_WITHDRAWN:
        return BuildState.WITHDRAWN, ()
    if manifest.get("status") != STATUS_OK:
        return BuildState.NEVER, ()
    reasons: list[str] = []
    if isinstance(current, str):
        if manifest.get("key") != current:
            reasons.append(INPUT_LABELS["cle"])
    elif isinstance(current, Mapping):
        old = manifest.get("inputs") or {}
        reasons += [INPUT_LABELS.get(k, k) for k, v in current.items() if old.get(k) != v]
    if not outputs_present:
        reasons.append(INPUT_LABELS["sorties"])
    return (BuildState.STALE if reasons else BuildState.UP_TO_DATE), tuple(reasons)


def outputs_present(manifest: Mapping[str, Any] | None, base: Path | None = None) -> bool:
    """Every output the manifest lists still exists (relative names are taken under ``base``)."""
    if not manifest:
        return False
    outputs = manifest.get("outputs") or {}
    for value in outputs.values():
        path = Path(value)
        if not path.is_absolute() and base is not None:
            path = base / path
        if not path.is_file():
            return False
    return True


def pole_status(
    slug: str,
    name: str,
    valid: bool,
    manifest: Mapping[str, Any] | None,
    current: str | Mapping[str, str] | None,
    documented: StatusCounts | None,
    sections: int,
    present: bool = True,
) -> PoleStatus:
    state, reasons = build_state(manifest, current, present)
    failed = state in (BuildState.FAILED, BuildState.WITHDRAWN)
    return PoleStatus(
        slug=slug,
        name=name,
        valid=valid,
        build=state,
        documented=documented,
        sections=sections,
        built_at=french_datetime((manifest or {}).get("built_at")),
        error=(manifest or {}).get("error") if failed else None,
        section=(manifest or {}).get("section") if failed else None,
        reasons=reasons,
    )


def status_table(
    report: Any,
    manifests: Mapping[str, Mapping[str, Any] | None],
    current: Mapping[str, str | Mapping[str, str]],
    grid: Any,
    present: Mapping[str, bool] | None = None,
    unreadable: Sequence[str] = (),
) -> list[PoleStatus]:
    """Rows for every pole of a :class:`~ptce_mono.checks.validate.ValidationReport`, sorted by slug.

    ``unreadable`` lists the slugs whose files could not be parsed (no Pole in the report).
    """
    invalid = report.invalid_slugs()
    total = len(grid.sections) if grid is not None else 0
    present = present or {}
    rows = [
        pole_status(
            pole.slug,
            pole.name,
            pole.slug not in invalid,
            manifests.get(pole.slug),
            current.get(pole.slug),
            pole_counts(pole, grid) if grid is not None else None,
            total,
            present.get(pole.slug, True),
        )
        for pole in report.poles
    ]
    rows += [
        pole_status(
            slug, slug, False, manifests.get(slug), None, None, total, present.get(slug, True)
        )
        for slug in unreadable
    ]
    return sorted(rows, key=lambda r: r.slug)


HEADERS = (
    "Pôle", "Fiche", "Monographie", "Sections (doc./part./à doc.)", "Dernière construction",
)  # fmt: skip


def table_cells(row: PoleStatus) -> tuple[str, ...]:
    c = row.documented
    sections = "—" if c is None else f"{c.documented}/{c.partial}/{c.missing}"
    return (
        row.slug,
        "valide" if row.valid else "invalide",
        row.build.value,
        sections,
        row.built_at or "—",
    )


def format_table(rows: Sequence[PoleStatus]) -> str:
    """A plain-text table with aligned columns, then one line per failure or stale pole."""
    cells = [HEADERS, *(table_cells(r) for r in rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADERS))]
    lines = ["  ".join(c[i].ljust(widths[i]) for i in range(len(HEADERS))).rstrip() for c in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for row in rows:
        if row.build is BuildState.FAILED:
            where = f" [section {row.section}]" if row.section else ""
            lines.append(f"Échec : {row.slug}{where} : {row.error or 'erreur inconnue'}")
        elif row.build is BuildState.WITHDRAWN:
            lines.append(
                f"Retirée : {row.slug} : {row.error or 'non publiable'} (monographie et pages "
                "du site supprimées ; relancez « ptce-mono build » puis « ptce-mono site »)"
            )
        elif row.build is BuildState.STALE and row.reasons:
            lines.append(f"Périmée : {row.slug} (changé : {', '.join(row.reasons)})")
    return "\n".join(lines)


def count_summary(rows: Sequence[PoleStatus]) -> str:
    counts = {state: sum(1 for r in rows if r.build is state) for state in BuildState}
    invalid = sum(1 for r in rows if not r.valid)
    plurals = {BuildState.STALE: "périmées", BuildState.NEVER: "jamais construites",
               BuildState.WITHDRAWN: "retirées (confidentialité)"}  # fmt: skip
    parts = [
        f"{counts[s]} {plurals.get(s, s.value) if counts[s] > 1 else s.value}"
        for s in BuildState
        if counts[s]
    ]
    text = f"{len(rows)} pôle{'s' if len(rows) > 1 else ''} : " + ", ".join(parts or ["aucun"])
    if invalid:
        text += (
            f" ; {invalid} fiche{'s' if invalid > 1 else ''} invalide{'s' if invalid > 1 else ''}"
        )
    return text


def transversal_line(
    manifest: Mapping[str, Any] | None, current: Mapping[str, str] | None, present: bool
) -> str:
    """« Analyse transversale : périmée (changé : recensement 2011 (data/recensement)) »."""
    state, reasons = build_state(manifest, current, present)
    line = f"Analyse transversale : {state.value}"
    if state is BuildState.FAILED:
        line += f" : {(manifest or {}).get('error') or 'erreur inconnue'}"
    elif reasons:
        line += f" (changé : {', '.join(reasons)})"
    return line


def sheet_lines(
    manifests: Mapping[str, Mapping[str, Any] | None],
    current: Mapping[str, Mapping[str, str]],
    present: Mapping[str, bool],
) -> list[str]:
    """The restitution sheets (one per pole with answers, ``current`` its inputs): a count, then
    one line per sheet that is not up to date, saying why."""
    if not current:
        return []
    lines = []
    counts: dict[BuildState, int] = {}
    for slug in sorted(current):
        state, reasons = build_state(manifests.get(slug), current[slug], present.get(slug, False))
        counts[state] = counts.get(state, 0) + 1
        if state is BuildState.FAILED:
            error = (manifests.get(slug) or {}).get("error") or "erreur inconnue"
            lines.append(f"  Échec : {slug} : {error}")
        elif state is BuildState.STALE:
            lines.append(f"  Périmée : {slug} (changé : {', '.join(reasons)})")
        elif state is BuildState.NEVER:
            lines.append(f"  Jamais construite : {slug}")
    parts = [f"{n} {state.value}" for state, n in counts.items()]
    return [f"Fiches de restitution ({len(current)}) : " + ", ".join(parts), *lines]
