"""notebooks/analyse-transversale.ipynb executed by papermill (real kernel)."""

from __future__ import annotations

import json
from pathlib import Path

import papermill
import pytest

from .conftest import make_project

pytestmark = pytest.mark.slow

EXPECTED_FIGURES = {
    "fig-carte", "fig-statuts", "fig-mutualisations", "fig-animation", "fig-indicateurs",
    "fig-objectifs", "fig-completude", "fig-poles-cohorte",
}  # fmt: skip
EXPECTED_TABLES = {
    "tbl-regions", "tbl-anciennete", "tbl-statuts", "tbl-mutualisations", "tbl-valeurs",
    "tbl-animation", "tbl-emplois", "tbl-enquete-2017", "tbl-indicateurs", "tbl-objectifs",
    "tbl-completude-1", "tbl-completude-2", "tbl-donnees",
    *(f"tbl-grille-{s}" for s in ("finalites", "origine", "structuration", "leadership",
                                  "gouvernance", "modele-economique", "impacts")),
}  # fmt: skip


def execute(project, export_dir: Path) -> list[dict]:
    out = export_dir.parent / "analyse-transversale.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(project.transversal_notebook), str(out), kernel_name="python3",
        parameters={"data_dir": str(project.data), "referentiel_version": "2012",
                    "export_dir": str(export_dir)},
        cwd=str(project.transversal_notebook.parent), progress_bar=False,
    )  # fmt: skip
    nb = json.loads(out.read_text(encoding="utf-8"))
    return [o for c in nb["cells"] for o in c.get("outputs", [])]


def kinds(outs: list[dict]) -> dict[str, dict]:
    return {
        o["metadata"]["ptce"]["id"]: o
        for o in outs
        if o.get("metadata", {}).get("ptce", {}).get("kind") in ("figure", "table")
    }


def markdown(outs: list[dict]) -> str:
    return "\n".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outs)


def test_fictional_corpus(project, tmp_path) -> None:
    import shutil

    from .conftest import REPO

    shutil.copytree(REPO / "data" / "recensement", project.data / "recensement")
    outs = execute(project, tmp_path / "export" / "donnees")
    assert not [o for o in outs if o["output_type"] in ("error", "stream")]
    found = kinds(outs)
    assert set(found) >= EXPECTED_FIGURES, EXPECTED_FIGURES - set(found)
    assert set(found) >= EXPECTED_TABLES, EXPECTED_TABLES - set(found)
    for out in found.values():
        meta = out["metadata"]["ptce"]
        assert meta["caption"]
        if meta["kind"] == "figure":
            assert out["data"]["image/svg+xml"] and meta["alt"] == "".join(
                out["data"]["text/plain"]
            )
        else:
            assert "".join(out["data"]["text/markdown"]).startswith("|")
            assert out["data"]["text/html"]
    text = markdown(outs)
    assert "## 1. Panorama des pôles" in text and "## 7. Complétude" in text
    assert "## 8. Enseignements provisoires" in text
    # no publication file in the fictional project: said, not failed
    assert "fichier data/publications/podlewski-2014.yaml absent" in text
    # hand-computed in tests/test_aggregate.py: median share of animation 12.5 %
    assert "médiane 12,5\u202f%" in found["tbl-animation"]["metadata"]["ptce"]["caption"]
    assert "n = 3 pôles" in found["tbl-objectifs"]["metadata"]["ptce"]["caption"]
    assert "en dessous de 5 pôles" in text  # 4 poles < 5: no clustering, a sentence says why
    package = (tmp_path / "export" / "donnees" / "datapackage.json").read_text(encoding="utf-8")
    assert json.loads(package)["name"] == "ptce-monographies"
    # The 2011 census, next to the pôles témoins of the corpus (2 in the fictional corpus).
    assert "fig-carte-recensement" in found
    census = "".join(found["tbl-recensement"]["data"]["text/markdown"])
    assert "| Île-de-France | Île-de-France | 40 | 53 | écart | " in census
    assert "| Centre | Centre-Val de Loire | 1 | non citée | écart | 0 | non comparable |" in census
    assert "annexe 2 paraît ne pas compter les pôles témoins" in text
    assert "n = 2 pôles témoins localisés" in text and "dont 5 nationales" in text
    assert (tmp_path / "export" / "donnees" / "recensement_initiatives.csv").is_file()
    assert "Camille Fictive-Privée" not in json.dumps(outs, ensure_ascii=False)


def test_sparse_corpus_of_two_minimal_poles(tmp_path) -> None:
    source = tmp_path / "clairseme" / "poles"
    for slug, name in (("pole-un", "Pôle un"), ("pole-deux", "Pôle deux")):
        (source / slug).mkdir(parents=True)
        (source / slug / "pole.yaml").write_text(
            f"schema: 1\nidentite:\n  nom: {name}\n", encoding="utf-8"
        )
    project = make_project(tmp_path / "projet", source.parent)
    outs = execute(project, tmp_path / "export" / "donnees")
    assert not [o for o in outs if o["output_type"] == "error"]
    text = markdown(outs)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "en dessous de 5 pôles" in text
    assert "n = 2 pôles ; effectif trop faible (n = 2)" in text
    assert "Pôles par région : non documenté pour les 2 pôles (n = 0)" in text
    assert "non documenté" in json.dumps(outs, ensure_ascii=False)
    figures = [k for k, o in kinds(outs).items() if o["metadata"]["ptce"]["kind"] == "figure"]
    assert figures == []  # 2 poles: nothing is charted, sentences instead
    assert "Pas de graphique pour la carte des pôles" in text
    assert "Recensement 2011 non disponible" in text
