"""``ptce-mono status``: pure table building, then the real thing on a built fictional corpus."""

from __future__ import annotations

import json

import pytest

from ptce_mono.analysis.coverage import StatusCounts
from ptce_mono.pipeline.status import (
    BuildState,
    build_state,
    count_summary,
    format_table,
    french_datetime,
    pole_status,
)

from .conftest import run_cli

OK = {"slug": "p", "key": "k1", "status": "ok", "built_at": "2026-03-05T09:07:00",
      "error": None, "section": None, "inputs": {"pole": "a", "modele": "m"},
      "outputs": {}}  # fmt: skip


def test_build_state_from_manifest_and_current_key():
    assert build_state(None, "k1") == (BuildState.NEVER, ())
    assert build_state(OK, "k1") == (BuildState.UP_TO_DATE, ())
    assert build_state(OK, "k2")[0] is BuildState.STALE
    failed = {**OK, "status": "echec", "error": "boum", "section": "gouvernance"}
    assert build_state(failed, "k1")[0] is BuildState.FAILED
    assert build_state(OK, "k1", outputs_present=False)[0] is BuildState.STALE


def test_build_state_names_what_changed():
    state, reasons = build_state(OK, {"pole": "b", "modele": "m"})
    assert state is BuildState.STALE
    assert reasons == ("fiche ou récits du pôle",)
    assert build_state(OK, {"pole": "a", "modele": "m"}) == (BuildState.UP_TO_DATE, ())


def test_rows_and_table_in_french():
    failed = {**OK, "status": "echec", "error": "NameError : x", "section": "gouvernance"}
    rows = [
        pole_status("alpha", "Alpha", True, OK, "k1", StatusCounts(7, 0, 0), 7),
        pole_status("beta", "Beta", False, failed, "k1", StatusCounts(1, 2, 4), 7),
        pole_status("gamma", "Gamma", True, None, "k3", StatusCounts(0, 0, 7), 7),
    ]
    assert rows[0].built_at == "5\u00a0mars 2026 à 9 h 07"
    assert french_datetime("pas une date") == "pas une date"
    text = format_table(rows)
    lines = text.splitlines()
    assert lines[0].split() == [
        "Pôle",
        "Fiche",
        "Monographie",
        "Sections",
        "(doc./part./à",
        "doc.)",
        "Dernière",
        "construction",
    ]
    assert lines[2].split()[:5] == ["alpha", "valide", "à", "jour", "7/0/0"], lines[2]
    assert lines[3].split()[:2] == ["beta", "invalide"], lines[3]
    assert "en échec" in lines[3] and "1/2/4" in lines[3]
    assert "jamais construite" in lines[4] and "—" in lines[4]
    assert "Échec : beta [section gouvernance] : NameError : x" in text
    assert count_summary(rows) == (
        "3 pôles : 1 à jour, 1 en échec, 1 jamais construite ; 1 fiche invalide"
    )


@pytest.mark.slow
def test_status_after_build_edit_and_failure(project, runner):
    result = run_cli(runner, project, "status")
    assert result.exit_code == 0, result.output
    assert "4 pôles : 4 jamais construites" in result.output
    built = run_cli(runner, project, "build", "--to", "", "-j", "2")
    assert built.exit_code == 0, built.output

    result = run_cli(runner, project, "status")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.output.splitlines()[2:6]}
    assert set(rows) == {"bassin-imaginaire", "plateau-essai", "scene-fictive", "vallons-fictifs"}
    for line in rows.values():
        assert line.split()[1:4] == ["valide", "à", "jour"], line
    assert "4 pôles : 4 à jour" in result.output

    # Edit one narrative: that pole is stale, and says why; the others stay up to date.
    narrative = project.poles / "scene-fictive" / "finalites.md"
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\nUne phrase de plus.\n",
                         encoding="utf-8")  # fmt: skip
    result = run_cli(runner, project, "status")
    rows = {line.split()[0]: line for line in result.output.splitlines()[2:6]}
    assert "périmée" in rows["scene-fictive"], result.output
    assert "Périmée : scene-fictive (changé : fiche ou récits du pôle)" in result.output
    assert all(
        "à jour" in rows[s] for s in ("bassin-imaginaire", "plateau-essai", "vallons-fictifs")
    )

    # A failing cell in one section: « en échec », with the section and the message.
    template = project.template_notebook
    nb = json.loads(template.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("ptce", {}).get("section") == "gouvernance":
            cell["source"] = 'if slug == "plateau-essai":\n    raise RuntimeError("panne voulue")\n'
    template.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    built = run_cli(runner, project, "build", "plateau-essai", "--to", "")
    assert built.exit_code == 1
    result = run_cli(runner, project, "status")
    rows = {line.split()[0]: line for line in result.output.splitlines()[2:6]}
    assert "en échec" in rows["plateau-essai"], result.output
    assert "Échec : plateau-essai [section gouvernance]" in result.output
    assert "panne voulue" in result.output

    # An invalid record shows « invalide ».
    (project.poles / "vallons-fictifs" / "pole.yaml").write_text("schema: 1\nidentite: {}\n",
                                                                   encoding="utf-8")  # fmt: skip
    result = run_cli(runner, project, "status")
    rows = {line.split()[0]: line for line in result.output.splitlines()[2:6]}
    assert "invalide" in rows["vallons-fictifs"], result.output
