"""The fictional network built end to end: the transversal analysis shows the evolution with n
per wave, build writes the restitution sheets, and no respondent's name or e-mail reaches any
output (monographs, restitutions, data package, site and its search index)."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from ptce_mono.importers.answers import import_answers

from .conftest import run_cli
from .participation_helpers import EXPORTS, network_project

pytestmark = pytest.mark.slow


def identities() -> set[str]:
    """Names and e-mails of the fictional respondents as the exports carry them."""
    found: set[str] = set()
    with (EXPORTS / "limesurvey.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found |= {row["email"], f"{row['firstname']} {row['lastname']}", row["lastname"]}
    with (EXPORTS / "kobo.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            found |= {row["contact/courriel"], row["_submitted_by"]}
    return found


def output_texts(*folders: Path) -> list[tuple[Path, str]]:
    out = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            if path.suffix == ".pdf":
                text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
            else:
                if data[:2] == b"\x1f\x8b":  # the search index is gzipped
                    data = gzip.decompress(data)
                text = data.decode("utf-8", errors="replace")
            out.append((path, text))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from click.testing import CliRunner

    project = network_project(tmp_path_factory.mktemp("sortie"))
    import_answers(project, [EXPORTS / "limesurvey.csv"])
    runner = CliRunner()
    result = run_cli(runner, project, "build")
    assert result.exit_code == 0, result.output
    result = run_cli(runner, project, "site")
    assert result.exit_code == 0, result.output
    return project


def test_transversal_shows_evolution_with_n_per_wave(built) -> None:
    nb = json.loads((built.monographs / "analyse-transversale.ipynb").read_text(encoding="utf-8"))
    outs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    captions = {o["metadata"]["ptce"]["id"]: o["metadata"]["ptce"]["caption"]
                for o in outs if o.get("metadata", {}).get("ptce", {}).get("caption")}  # fmt: skip
    assert captions["fig-evolution-vagues"] == (
        "Médiane des pôles par objectif à chaque vague (vague 2024-03 : 3 pôles ; vague 2025-03 : "
        "3 pôles)"
    )
    text = "".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outs)
    assert "À la vague 2025-03, 1 pôle sous ce seuil (effectif trop faible) en est exclu." in text


def test_build_writes_restitutions_of_poles_with_answers(built) -> None:
    folder = built.monographs / "restitutions"
    assert sorted(p.name for p in folder.iterdir()) == [
        f"pole-fictif-00{k}.{ext}" for k in range(1, 5) for ext in ("html", "manifest.json", "pdf")
    ]
    assert all(len(PdfReader(p).pages) == 2 for p in folder.glob("*.pdf"))


def test_build_plans_the_restitutions_and_status_follows_them(built) -> None:
    from click.testing import CliRunner

    runner = CliRunner()
    status = run_cli(runner, built, "status")
    assert "Fiches de restitution (4) : 4 à jour" in status.output
    again = run_cli(runner, built, "build")  # nothing changed: no sheet rewritten
    assert again.exit_code == 0, again.output
    assert "Fiches de restitution : 0 écrite ; à jour : 4" in again.output
    assert "Rien à reconstruire" in again.output


def test_no_respondent_name_or_email_in_any_output(built) -> None:
    secrets = identities()
    assert len(secrets) > 40
    texts = output_texts(built.monographs, built.site)
    kinds = {p.suffix for p, _ in texts}
    assert {".pdf", ".html", ".ipynb", ".csv", ".json"} <= kinds
    assert any("pagefind" in p.parts for p, _ in texts)
    assert any("restitutions" in p.parts for p, _ in texts)
    for path, text in texts:
        for secret in secrets:
            assert secret not in text, f"{secret} dans {path}"


def test_data_package_keeps_declared_scores_apart(built) -> None:
    import frictionless

    folder = built.monographs / "donnees"
    report = frictionless.validate(folder / "datapackage.json")
    assert report.valid
    with (folder / "scores_declares.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4 * 2 * 9  # four poles, two waves, nine objectives
    low = [r for r in rows if r["pole"] == "pole-fictif-004"]
    assert {r["statut"] for r in low} == {"effectif trop faible"}
    assert {r["mediane"] for r in low} == {""}
    assert not (folder / "scores.csv").read_text(encoding="utf-8").strip().splitlines()[1:]
