"""From fieldwork to monograph, site and data package, on the fictional Val de Brume pole:
excerpts appear by role and date, accounts draw the revenue mix, the transversal analysis
gives the median public share with its n, and no protected name reaches any output file
(monographs, site, data package, the Pagefind search index unzipped)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli
from tests.privacy_oracle import leaks, names_in_private_tables, normalise, published_text
from tests.test_fieldwork import QDPX, SLUG, make_terrain

pytestmark = pytest.mark.slow

# Named in an interview, not in the private table: flagged by the model, never published.
UNLISTED_NAME = "Odile Vernasque"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    from click.testing import CliRunner

    runner = CliRunner()
    paths = make_terrain(tmp_path_factory.mktemp("pipeline") / "projet")
    result = run_cli(runner, paths, "import", "interviews", str(QDPX), "--pole", SLUG)
    assert result.exit_code == 0, result.output
    for path in (paths.poles / SLUG / "entretiens").glob("*.yaml"):
        blocks = path.read_text(encoding="utf-8").split("\n- id: ")
        kept = [
            b if UNLISTED_NAME in b else b.replace("retenu: false", "retenu: true") for b in blocks
        ]
        path.write_text("\n- id: ".join(kept), encoding="utf-8")
    result = run_cli(runner, paths, "validate")
    assert result.exit_code == 0, result.output
    result = run_cli(runner, paths, "build", "-j", "1", "--to", "html,pdf")
    assert result.exit_code == 0, result.output
    result = run_cli(runner, paths, "site")
    assert result.exit_code == 0, result.output
    return paths


def test_monograph_quotes_by_role_and_draws_the_accounts(built) -> None:
    notebook = json.loads((built.monographs / f"{SLUG}.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in notebook["cells"] for o in c.get("outputs", [])]
    text = "\n".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert text.count("### Paroles d'acteurs") == 7  # every grid section
    assert "— *élu local, entretien du 3\u00a0avril 2025*" in text
    assert "— *salariée d'une structure membre, entretien du 12\u00a0mars 2025*" in text
    assert "Aucun extrait d'entretien n'est retenu pour cette section." in text  # finalites
    assert "[salariée d'une structure membre], c'est moi" in text
    assert "53\u202f% en 2022, 41\u202f% en 2023, 33\u202f% en 2024 (n = 3 exercices)" in text
    figures = {o["metadata"]["ptce"]["id"] for o in outputs if "image/svg+xml" in o.get("data", {})}
    assert "fig-produits" in figures
    transversal = (built.monographs / "analyse-transversale.html").read_text(encoding="utf-8")
    assert "médiane 33" in transversal and "(n = 1 pôle)" in transversal


def test_no_protected_name_in_any_output(built) -> None:
    """Names read from the private table file itself (not through the code under test),
    compared normalised, in every published file read in its own format: HTML, PDF
    (pdftotext), notebooks, the Pagefind index decompressed, CSV (tests/privacy_oracle.py)."""
    names = names_in_private_tables(built.data / "prive")
    names |= {normalise(UNLISTED_NAME), *map(normalise, UNLISTED_NAME.split())}
    assert {"maelle", "trevoux", "bastien", "corrigou", "odile", "vernasque"} <= names
    outputs = [
        p
        for folder in (built.monographs, built.site)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".tmp-" not in str(p) and not p.name.startswith(".")  # lock files
    ]
    assert any(p.parent.name == "donnees" for p in outputs)  # the data package
    assert {".pdf", ".ipynb", ".html", ".csv"} <= {p.suffix for p in outputs}
    fragments = [p for p in outputs if "pagefind" in p.parts and p.suffix == ".pf_fragment"]
    assert fragments
    assert leaks(outputs, names) == []
    texts = {p: normalise(published_text(p) or "") for p in outputs}
    # the scan did read the quotes: in the PDF, the HTML and the search index
    assert any("elu local, entretien du" in t for p, t in texts.items() if p.suffix == ".pdf")
    assert any("elu local, entretien du" in t for p, t in texts.items() if p.suffix == ".html")
    assert any("vallee de la lisse" in texts[p] for p in fragments)


def test_coded_excerpts_reach_the_referentiel_and_accounts_close_questions(built) -> None:
    """Issue 22: excerpts coded with indicators appear in « Au regard du référentiel » (by role
    and date) and in the profile figure; the accounts answer the resources and jobs questions."""
    notebook = json.loads((built.monographs / f"{SLUG}.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in notebook["cells"] for o in c.get("outputs", [])]
    text = "\n".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    economy = text.split("## 6. ", 1)[1].split("\n## ", 1)[0]
    reading = economy.split("#### Au regard du référentiel", 1)[1]
    assert "aucun passage n'y est encore codé" not in reading
    assert "- g2 (" in reading and "Sans la subvention de la Région" in reading
    assert "— *salariée d'une structure membre, entretien du 12\u00a0mars 2025*" in reading
    impacts = text.split("## 7. ", 1)[1].split("\n## ", 1)[0]
    assert (
        "— *élu local, entretien du 3\u00a0avril 2025*"
        in impacts.split("#### Au regard du référentiel", 1)[1]
    )
    figures = {o["metadata"]["ptce"]["id"] for o in outputs if "image/svg+xml" in o.get("data", {})}
    assert "fig-preuves" in figures  # the profile figure counts the two coded passages
    figure = next(
        o for o in outputs if o.get("metadata", {}).get("ptce", {}).get("id") == "fig-preuves"
    )
    described = json.dumps(figure["metadata"], ensure_ascii=False).replace("\u00a0", " ")
    assert "(2 passages, lecture proposée" in described and "g 2" in described
    state = text.split("## État de la documentation", 1)[1]
    resources = state.split("**6. ", 1)[1].split("\n**", 1)[0]
    assert "au fil des années\u202f? — *documentée (comptes)*" in resources
    assert "**6. Modèles économiques et financements** — partielle" in state
    assert "**7. Impacts sur l'emploi et les territoires** — partielle" in state


def test_accounts_sources_are_citations_formatted_by_citeproc(built) -> None:
    html = (built.monographs / f"{SLUG}.html").read_text(encoding="utf-8")
    sources = html[html.index("Sources des comptes") :][:1500]
    assert "@comptes-brume" not in sources  # a citation, not the raw key
    assert "compte de résultat 2022" in sources
    assert "Pôle fictif du Val de Brume" in sources  # author-date by citeproc
    bibliography = html[html.rindex("Comptes annuels 2022-2024") - 400 :]
    assert "Comptes annuels 2022-2024 du pôle du Val de Brume" in bibliography
