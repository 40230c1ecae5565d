"""No private value and no live injected markup reaches any file under site/."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Comment

from ptce_mono.core.errors import UnsafeSlugError
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.site.build import build_site
from tests.test_site import monograph_markdown, write_document

SLUG = "vallons-fictifs"
SCRIPT = "<script>alert(1)</script>"
ONERROR = "<img src=x onerror=alert(1)>"
PRIVATE = (
    "Camille Fictive-Privée",  # contacts.nom, entretiens.personne (fixture)
    "NOTE-PRIVEE-VALLONS",  # entretiens.notes (fixture)
    "NOTE-PRIVEE-COMMENTAIRE",  # HTML comment of a narrative (fixture)
    "CONTACT-SECRET-TEL-FICTIF",
    "ENTRETIEN-SECRET-XYZ",
    "CHAMP-NOTES-SECRET",
    "COMMENTAIRE-SECRET-ABC",
    "COMMENTAIRE-EMBARQUE-SECRET",
)


def poison(project: ProjectPaths) -> None:
    """Private values and injection strings in the fictional pole's record and narratives."""
    folder = project.poles / SLUG
    record = yaml.safe_load((folder / "pole.yaml").read_text(encoding="utf-8"))
    record["identite"]["nom"] = f"Pôle {SCRIPT} des Vallons"
    record["identite"]["commune"] = f"Die {ONERROR}"
    record["identite"]["site_web"] = "javascript:alert(1)"
    record["structures"][0]["nom"] = f"Atelier {ONERROR}"
    record["gouvernance"]["place_citoyens"] = f"Un collège {SCRIPT}"
    record["contacts"].append({"nom": "CONTACT-SECRET-TEL-FICTIF", "role": "x"})
    record["entretiens"].append({"personne": "x", "notes": "ENTRETIEN-SECRET-XYZ"})
    record["notes"] = "CHAMP-NOTES-SECRET"
    record["bibliographie"] = [
        {"id": "doc-piege", "titre": f"Titre {SCRIPT}", "url": "javascript:alert(1)"}
    ]
    record.setdefault("citations", {})["valeurs"] = {"source": "doc-piege", "passage": "p. 1"}
    (folder / "pole.yaml").write_text(yaml.safe_dump(record, allow_unicode=True), "utf-8")
    narrative = folder / "finalites.md"
    narrative.write_text(
        narrative.read_text(encoding="utf-8")
        + f"\n\nTexte {SCRIPT} et {ONERROR} ici.\n\n<!-- COMMENTAIRE-SECRET-ABC -->\n"
        '\n[clic](javascript:alert(1)) <a href="#" onclick="alert(1)">x</a>\n',
        encoding="utf-8",
    )


def hostile_document(project: ProjectPaths, stem: str) -> None:
    """A rendered monograph that itself carries live markup: the site must neutralise it."""
    html = f"""<!DOCTYPE html><html lang="fr"><head><title>x</title>
<script>alert(1)</script></head><body><main id="contenu">
<h2 onclick="alert(1)">1. Finalités</h2><p>Texte {SCRIPT} {ONERROR}</p>
<!-- COMMENTAIRE-EMBARQUE-SECRET -->
<a href="javascript:alert(1)">lien</a><a href="data:text/html,alert(1)">d</a>
<svg onload="alert(1)"></svg><iframe src="https://example.org"></iframe>
<style>body{{display:none}}</style><form action="x"><input autofocus onfocus="alert(1)"></form>
</main></body></html>"""
    (project.monographs / f"{stem}.html").write_text(html, encoding="utf-8")


def file_texts(site: Path) -> list[tuple[Path, str]]:
    """Text of every file of the site (gzip files of the search index decompressed)."""
    out = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        out.append((path, data.decode("utf-8", errors="replace")))
    return out


@pytest.fixture
def site(project: ProjectPaths) -> Path:
    poison(project)
    project.monographs.mkdir(parents=True, exist_ok=True)
    # The pole's monograph made with pandoc, raw HTML disabled (as the embedded renderer does).
    write_document(project.monographs, SLUG, "Pôle des Vallons", monograph_markdown(project, SLUG))
    hostile_document(project, "bassin-imaginaire")
    hostile_document(project, "analyse-transversale")
    build_site(project)
    return project.site


def test_no_private_value_anywhere(site: Path) -> None:
    texts = file_texts(site)
    assert len(texts) > 20
    for path, text in texts:
        for value in PRIVATE:
            assert value not in text, f"{value} dans {path}"


def test_no_live_injection(site: Path) -> None:
    pages = [p for p in site.rglob("*.html")]
    assert len(pages) >= 11
    for page in pages:
        text = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        for script in soup.find_all("script"):
            assert "alert" not in script.get_text(), page
            assert script.get("src", "").endswith(".js"), page
        for element in soup.find_all(True):
            for attr, value in element.attrs.items():
                assert not attr.lower().startswith("on"), f"{page}: {element.name} {attr}"
                if attr in ("href", "src", "action"):
                    assert not str(value).strip().lower().startswith(("javascript:",
                           "data:text")), f"{page}: {value}"  # fmt: skip
        assert not soup.find_all(["iframe", "style", "object", "embed"]), page
        for embedded in soup.select(".document"):
            assert not embedded.find_all(["form", "input", "svg"]), page
        assert not soup.find_all(string=lambda s: isinstance(s, Comment)), page
        assert SCRIPT not in text and "onerror=" not in text.replace("onerror=alert(1)&gt;", "")


def test_injections_show_as_text(site: Path) -> None:
    page = BeautifulSoup((site / f"poles/{SLUG}.html").read_text("utf-8"), "html.parser")
    assert SCRIPT in page.find("h1").get_text()
    assert ONERROR in page.find("aside", class_="fiche").get_text()
    assert "Texte <script>alert(1)</script> et" in page.find(class_="document").get_text()
    listing = BeautifulSoup((site / "poles/index.html").read_text("utf-8"), "html.parser")
    assert SCRIPT in listing.find("a", href=f"{SLUG}.html").get_text()
    sources = BeautifulSoup((site / "sources.html").read_text("utf-8"), "html.parser")
    entry = sources.find(id=f"source-{SLUG}-doc-piege")
    assert SCRIPT in entry.get_text()
    assert all(not a["href"].startswith("javascript") for a in entry.find_all("a"))


def test_bad_slugs_are_refused(project: ProjectPaths) -> None:
    with pytest.raises(UnsafeSlugError):
        project.monograph("../x", ".html")
    (project.poles / "Mauvais_Nom").mkdir()
    (project.poles / "Mauvais_Nom" / "pole.yaml").write_text("schema: 1\n")
    with pytest.raises(UnsafeSlugError):
        build_site(project)
    assert not project.site.exists() or not any(project.site.rglob("*.html"))
