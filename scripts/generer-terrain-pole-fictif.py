"""Regenerate the fieldwork of the FICTIONAL demo pole (data/poles/pole-fictif-demonstration):
its two coded interviews and its two waves of answers, from the fictional test material.

Run from the project root: .venv/bin/python scripts/generer-terrain-pole-fictif.py [RACINE]
The record, the narratives and the accounts are written by hand; this script writes
``entretiens/`` (imported like a Taguette export of the Val de Brume interviews, names replaced
through the fictional private table, which is removed afterwards) and ``referentiel/`` (the
fictional KoboToolbox answers of one pole). Nothing here describes a real person or place.
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
from pathlib import Path

from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.referentiel import DEFAULT_VERSION, load_referentiel
from ptce_mono.importers.answers import import_answers
from ptce_mono.importers.fictional_answers import fictional_answers, kobo_csv
from ptce_mono.importers.interviews import import_interviews
from ptce_mono.importers.qdpx import read_qdpx

SLUG = "pole-fictif-demonstration"
TERRAIN = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "terrain"
# The team's own codes of the fixture, written as grid codes (the demo has no data/codes.yaml).
HOME_CODES = {
    "voix des habitants": ("gouvernance", "ref-f1"),
    "financements publics": ("modele-economique", "ref-g2"),
}
EXPORT_NAME = "surlignages-fictifs-taguette.csv"
INTERVIEW_HEADER = (
    "# Entretien FICTIF du pôle de démonstration : personnes, lieux et propos inventés.\n"
)
ANSWERS_HEADER = "# Réponses FICTIVES du pôle de démonstration : répondants et scores inventés.\n"
NOT_RETAINED = "Odile Vernasque"  # flagged name left in its excerpt: shown as not publishable


def write_export(dest: Path) -> Path:
    export = read_qdpx(TERRAIN / "exports" / "val-de-brume.qdpx")
    path = dest / EXPORT_NAME
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "document", "tag", "content"])
        for number, segment in enumerate(export.segments, start=1):
            tags = [t for code in segment.codes for t in HOME_CODES.get(code, (code,))]
            for tag in dict.fromkeys(tags):
                writer.writerow([number, segment.document, tag, segment.text])
    return path


def generate(root: Path) -> None:
    paths = ProjectPaths.at(root)
    pole = paths.pole_dir(SLUG)
    private = paths.data / "prive" / SLUG
    if private.exists():
        raise SystemExit(f"{private} existe déjà : ce script n'y touche pas.")
    shutil.rmtree(pole / "entretiens", ignore_errors=True)
    shutil.rmtree(pole / "referentiel", ignore_errors=True)
    with tempfile.TemporaryDirectory() as work:
        shutil.copytree(TERRAIN / "prive" / "val-de-brume", private)
        try:
            import_interviews(paths, write_export(Path(work)), pole=SLUG)
        finally:
            shutil.rmtree(private)
        for path in sorted((pole / "entretiens").glob("*.yaml")):
            blocks = path.read_text(encoding="utf-8").split("\n- id: ")
            kept = [b if NOT_RETAINED in b else b.replace("retenu: false", "retenu: true")
                    for b in blocks]  # fmt: skip
            path.write_text(INTERVIEW_HEADER + "\n- id: ".join(kept), encoding="utf-8")
        ref = load_referentiel(paths.referentiels, DEFAULT_VERSION)
        answers = Path(work) / "kobo.csv"
        answers.write_text(kobo_csv(fictional_answers([SLUG], ref, seed=26), ref), "utf-8")
        import_answers(paths, [answers])
    for path in sorted((pole / "referentiel").glob("*.yaml")):
        path.write_text(ANSWERS_HEADER + path.read_text(encoding="utf-8"), encoding="utf-8")


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
