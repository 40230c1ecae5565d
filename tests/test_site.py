"""The static site on the fictional corpus: pages, relative links, HTML5, incremental writes.

Monographs are real documents made here (pandoc with the project's HTML template and Typst
for a small PDF), without running the build pipeline.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from ptce_mono.core.errors import UnsafeSlugError
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.records import load_corpus
from ptce_mono.site.build import build_site
from ptce_mono.site.write import SiteWriter
from tests.conftest import run_cli

# A 2x2 PNG (valid file): the figure of the test monographs.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGNkYPjPwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg=="
)


def monograph_markdown(paths: ProjectPaths, slug: str) -> str:
    """The Markdown of a small monograph: the grid sections with the pole's narratives."""
    corpus = load_corpus(paths, [slug])
    pole = corpus.pole(slug)
    parts = []
    for section in corpus.grid.sections:
        narrative = pole.narratives.get(section.id)
        text = narrative.text if narrative else "Section non documentée."
        parts.append(f"## {section.number}. {section.title}\n\n{text}\n")
    parts.append("![Emplois créés par année](figure-1.png)\n")
    return "\n".join(parts)


def write_document(out_dir: Path, stem: str, title: str, markdown: str, pdf: bool = True) -> None:
    """``out_dir/<stem>.html`` by pandoc (project template, raw HTML disabled as in the
    embedded renderer) and, if asked, ``<stem>.pdf`` by Typst."""
    import pypandoc
    import typst

    from ptce_mono.render.embedded import PANDOC_FROM

    templates = Path(__file__).resolve().parents[1] / "templates"
    work = out_dir / f".travail-{stem}"
    work.mkdir(parents=True, exist_ok=True)
    (work / "figure-1.png").write_bytes(PNG)
    (work / "doc.md").write_text(markdown, encoding="utf-8")
    pypandoc.convert_file(
        str(work / "doc.md"),
        "html5",
        format=PANDOC_FROM,
        outputfile=str(out_dir / f"{stem}.html"),
        extra_args=[
            "--standalone", "--template", str(templates / "monographie.html"), "--toc",
            "--section-divs", "--embed-resources", "--resource-path", str(work),
            "-M", "lang=fr-FR", "-M", f"title={title}", "-M", f"pagetitle={title}",
            "-M", "surtitre=Monographie de PTCE", "-M", "toc-title=Sommaire",
        ],
    )  # fmt: skip
    if pdf:
        source = f'#set text(lang: "fr")\n= {stem}\nMonographie de démonstration.\n'
        (out_dir / f"{stem}.pdf").write_bytes(typst.compile(source.encode("utf-8")))


def write_monographs(paths: ProjectPaths, slugs: list[str], transversal: bool = True) -> None:
    paths.monographs.mkdir(parents=True, exist_ok=True)
    corpus = load_corpus(paths, slugs)
    for slug in slugs:
        name = corpus.pole(slug).name.replace('"', "")
        write_document(paths.monographs, slug, name, monograph_markdown(paths, slug))
    if transversal:
        write_document(
            paths.monographs,
            "analyse-transversale",
            "Analyse transversale",
            "## 1. Les pôles du corpus\n\nComparaison des pôles fictifs.\n",
        )


def write_dataset(paths: ProjectPaths) -> None:
    folder = paths.export
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "poles.csv").write_text("slug,nom\nvallons-fictifs,Pôle fictif des Vallons\n")
    (folder / "structures.csv").write_text("slug,nom\nvallons-fictifs,Atelier fictif du bois\n")
    package = {
        "name": "ptce-corpus",
        "title": "Corpus des PTCE",
        "resources": [
            {
                "name": "poles",
                "path": "poles.csv",
                "title": "Pôles",
                "description": "Une ligne par pôle.",
                "schema": {"fields": [{"name": "slug", "type": "string", "description": "Id"}]},
            },
            {"name": "evasion", "path": "../../etc/passwd", "title": "Chemin refusé"},
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")


# --- crawling -------------------------------------------------------------------------------

LINK_ATTRS = (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src"))


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def check_links(site: Path) -> int:
    """Every internal link of every page is relative and names an existing file (and anchor)."""
    checked = 0
    for page in html_pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in LINK_ATTRS:
            for element in soup.find_all(tag):
                url = element.get(attr)
                if url is None:
                    continue
                parts = urlsplit(url)
                if parts.scheme in ("http", "https", "mailto"):
                    assert tag == "a", f"{page}: ressource externe {url}"
                    continue
                if parts.scheme == "data":
                    assert tag == "img", f"{page}: data: hors image {url[:30]}"
                    continue
                assert not parts.scheme and not parts.netloc, f"{page}: lien {url}"
                assert not url.startswith("/"), f"{page}: lien absolu {url}"
                target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
                assert target.is_file(), f"{page}: lien cassé {url}"
                assert site.resolve() in target.parents, f"{page}: lien hors du site {url}"
                if parts.fragment and target.suffix == ".html":
                    other = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
                    assert other.find(id=unquote(parts.fragment)), f"{page}: ancre {url}"
                checked += 1
    return checked


# --- tests ----------------------------------------------------------------------------------


@pytest.fixture
def built(project: ProjectPaths) -> ProjectPaths:
    write_monographs(project, ["vallons-fictifs", "bassin-imaginaire"])
    write_dataset(project)
    build_site(project)
    return project


def test_pages_exist_and_are_valid_french_html5(built: ProjectPaths) -> None:
    site = built.site
    expected = [
        "index.html", "poles/index.html", "poles/vallons-fictifs.html",
        "poles/plateau-essai.html", "analyse-transversale.html", "methodologie.html",
        "donnees/index.html", "sources.html", "recherche.html", "static/site.css",
        "pdf/vallons-fictifs.pdf", "pdf/analyse-transversale.pdf", "donnees/poles.csv",
        "donnees/datapackage.json", "pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css",
    ]  # fmt: skip
    for name in expected:
        assert (site / name).is_file(), name
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>"), page
        soup = BeautifulSoup(text, "html.parser")
        assert soup.html["lang"] == "fr", page
        for landmark in ("header", "nav", "main", "footer"):
            assert soup.find(landmark), f"{page}: pas de <{landmark}>"
        assert soup.find("a", class_="lien-evitement")["href"] == "#contenu-principal"
        assert len(soup.find_all("main")) == 1, page
        assert len(soup.find_all("h1")) == 1, page
        ids = [t["id"] for t in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), f"{page}: identifiants en double"
        for img in soup.find_all("img"):
            assert img.get("alt"), f"{page}: image sans texte alternatif"


def test_links_are_relative_and_resolve(built: ProjectPaths) -> None:
    assert check_links(built.site) > 100


def test_monograph_page_embeds_body_and_pdf(built: ProjectPaths) -> None:
    page = BeautifulSoup((built.site / "poles/vallons-fictifs.html").read_text(), "html.parser")
    doc = page.find(class_="document")
    assert doc.find("h2", string="1. Finalités du pôle")
    assert doc.find("img")["src"].startswith("data:image/png")
    assert page.find("a", href="../pdf/vallons-fictifs.pdf")
    toc = {" ".join(a.get_text().split()): a["href"] for a in page.find(class_="sommaire")("a")}
    assert toc["1. Finalités du pôle"] == "#finalités-du-pôle"
    assert doc.find(id="finalités-du-pôle").find("h2").get_text() == "1. Finalités du pôle"
    assert "Pôle fictif des Vallons" in page.find("h1").get_text()
    assert page.find("aside", class_="fiche").find(string="Die (26150)")
    assert "monographie non encore produite" not in page.get_text().lower()
    assert (built.site / "pdf/vallons-fictifs.pdf").read_bytes().startswith(b"%PDF")


def test_missing_monograph_is_announced(built: ProjectPaths) -> None:
    page = (built.site / "poles/plateau-essai.html").read_text(encoding="utf-8")
    assert "Monographie non encore produite" in page
    assert not (built.site / "pdf/plateau-essai.pdf").exists()
    listing = BeautifulSoup((built.site / "poles/index.html").read_text(), "html.parser")
    row = listing.find("a", href="plateau-essai.html").find_parent("tr")
    assert "non encore produite" in row.get_text()


def test_home_map_and_counts(built: ProjectPaths) -> None:
    soup = BeautifulSoup((built.site / "index.html").read_text(encoding="utf-8"), "html.parser")
    svg = soup.find("svg", class_="carte")
    assert len(svg.find_all("path")) == 96
    circles = svg.find_all("circle")
    assert len(circles) == 4
    names = {c.find("title").get_text() for c in circles}
    assert "Pôle fictif des Vallons" in names
    assert {c.find_parent("a")["href"] for c in circles} >= {"poles/vallons-fictifs.html"}
    assert "Admin Express COG 2018" in soup.get_text()
    counts = {dt.get_text(): dd.get_text() for dt, dd in zip(soup.find_all("dt"),
                                                             soup.find_all("dd"), strict=True)}  # fmt: skip
    assert counts["Pôles étudiés"] == "4"
    assert counts["Monographies produites"] == "2"


def test_pole_list_filters_markup(built: ProjectPaths) -> None:
    soup = BeautifulSoup((built.site / "poles/index.html").read_text(), "html.parser")
    rows = soup.find("table", id="liste-poles").find("tbody").find_all("tr")
    assert len(rows) == 4
    for select in soup.find_all("select"):
        assert soup.find("label", attrs={"for": select["id"]}), select["id"]
    regions = [o["value"] for o in soup.find("select", id="filtre-region").find_all("option")]
    assert "Auvergne-Rhône-Alpes" in regions
    assert soup.find(id="compte")["aria-live"] == "polite"
    vallons = soup.find("a", href="vallons-fictifs.html").find_parent("tr")
    assert vallons["data-temoin"] == "oui" and vallons["data-territoire"] == "rural"


def test_methodology_renders_grid_and_every_referentiel(built: ProjectPaths) -> None:
    (built.referentiels / "2012.yaml").read_text(encoding="utf-8")
    text = (built.referentiels / "2012.yaml").read_text(encoding="utf-8")
    (built.referentiels / "2099.yaml").write_text(
        text.replace('version: "2012"', 'version: "2099"'), encoding="utf-8"
    )
    guide = built.root / "docs" / "guide.md"
    guide.parent.mkdir(exist_ok=True)
    guide.write_text("# Guide\n\nRemplir la **fiche**. <script>alert(1)</script>\n")
    build_site(built, search=False)
    soup = BeautifulSoup((built.site / "methodologie.html").read_text(), "html.parser")
    assert soup.find(id="referentiel-2012") and soup.find(id="referentiel-2099")
    corpus = load_corpus(built)
    for section in corpus.grid.sections:
        block = soup.find(id=f"section-{section.id}")
        assert block is not None
        assert len(block.find("ol").find_all("li")) == len(section.questions)
    assert len(soup.find(id="referentiel-2012").select(".indicateurs li")) == 27
    assert len(soup.find(id="referentiel-2012").select(".indicateurs li.illisible")) == 9
    assert soup.find(id="referentiel-2012").select(".etiquette-reconstruit")
    # for readers: the tool's guide is not published, no record key, sources by their label
    assert soup.find(id="guide") is None and "Remplir la" not in soup.get_text()
    assert not soup.find_all("code")
    for part in ("corpus", "preuve", "genres", "limites"):
        assert soup.find(id=part) is not None, part
    assert "Dossier documentaire" in soup.find(id="genres").get_text()
    for link in soup.select('a[href^="sources.html#source-"]'):
        assert not re.fullmatch(r"[a-z0-9-]+-\d{4}", link.get_text(strip=True)), link
    assert not soup.find_all("script", string=lambda s: s and "alert" in s)


def test_sources_list_citing_poles(built: ProjectPaths) -> None:
    soup = BeautifulSoup((built.site / "sources.html").read_text(), "html.parser")
    entry = soup.find(id="source-rapport-fictif-2016")
    assert entry is not None
    cited_by = {a["href"] for a in entry.find_all("a")}
    assert "poles/vallons-fictifs.html" in cited_by
    # the entry as citeproc prints it at the end of a monograph (style ptce-auteur-date)
    formatted = entry.find(class_="source-titre")
    assert " ".join(formatted.get_text().split()) == (
        "Équipe de recherche fictive (2016). Rapport d’enquête fictif sur quatre pôles imaginaires."
    )
    assert (
        formatted.find("em").get_text() == "Rapport d’enquête fictif sur quatre pôles imaginaires"
    )


def test_data_page_lists_package_and_refuses_escapes(built: ProjectPaths) -> None:
    soup = BeautifulSoup((built.site / "donnees/index.html").read_text(), "html.parser")
    assert soup.find("a", href="poles.csv") and soup.find("a", href="structures.csv")
    assert "Une ligne par pôle." in soup.get_text()
    assert "Chemin refusé" not in soup.get_text()
    assert not (built.site / "etc").exists()


def test_second_run_rewrites_nothing(built: ProjectPaths) -> None:
    files = [p for p in built.site.rglob("*") if p.is_file()]
    before = {p: p.stat().st_mtime_ns for p in files}
    report = build_site(built)
    assert report.written == []
    assert report.pages_written == 0 and report.pages_unchanged >= 11
    assert not report.indexed
    assert {p: p.stat().st_mtime_ns for p in files} == before
    assert sorted(p for p in built.site.rglob("*") if p.is_file()) == sorted(files)


def test_changed_pole_rewrites_its_page_and_prunes_removed(built: ProjectPaths) -> None:
    narrative = built.poles / "vallons-fictifs" / "finalites.md"
    narrative.write_text(narrative.read_text() + "\nPhrase ajoutée.\n", encoding="utf-8")
    pdf = built.monographs / "vallons-fictifs.pdf"
    same_pdf = pdf.read_bytes()
    write_monographs(built, ["vallons-fictifs"], transversal=False)
    pdf.write_bytes(same_pdf)  # Typst stamps a date: keep the very same bytes
    pdf_before = (built.site / "pdf/vallons-fictifs.pdf").stat().st_mtime_ns
    (built.monographs / "bassin-imaginaire.pdf").write_bytes(same_pdf)  # a changed PDF
    import shutil

    shutil.rmtree(built.poles / "plateau-essai")
    report = build_site(built)
    assert "poles/vallons-fictifs.html" in report.written
    assert "pdf/vallons-fictifs.pdf" not in report.written  # same bytes: not copied again
    assert (built.site / "pdf/vallons-fictifs.pdf").stat().st_mtime_ns == pdf_before
    assert "pdf/bassin-imaginaire.pdf" in report.written
    assert (built.site / "pdf/bassin-imaginaire.pdf").read_bytes() == same_pdf
    assert not (built.site / "poles/plateau-essai.html").exists()
    assert report.indexed
    check_links(built.site)


def test_writer_refuses_paths_outside_site(tmp_path: Path) -> None:
    writer = SiteWriter(tmp_path / "site")
    for bad in ("../x.html", "poles/../../x.html", "/etc/x.html"):
        with pytest.raises(UnsafeSlugError):
            writer.write_text(bad, "x")
    assert not (tmp_path / "x.html").exists()


def test_cli_site_and_serve_errors(runner, project: ProjectPaths) -> None:
    result = run_cli(runner, project, "serve")
    assert result.exit_code == 1
    assert "ptce-mono site" in result.output
    result = run_cli(runner, project, "site", "--sans-recherche")
    assert result.exit_code == 0, result.output
    assert "pages écrites" in result.output
    assert "Pôle fictif des Vallons" in (project.site / "index.html").read_text(encoding="utf-8")

    assert (project.site / "index.html").is_file()


def test_one_typography_for_all_site_text(built: ProjectPaths) -> None:
    """Template text and data alike: typographic apostrophes, no-break space before : ; ! ?
    (code, scripts and styles excepted); pages carry a favicon. Embedded documents are typeset
    by the renderer's filter (tests/test_render.py), not by the site."""
    import re

    straight = re.compile(r"\w'\w")
    loose = re.compile(r"\w ([:;!?])(?=\s|$)")
    for path in html_pages(built.site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert soup.find("link", rel="icon")["href"].endswith("static/favicon.svg"), path
        for tag in soup.find_all(["script", "style", "code", "pre", "svg"]):
            tag.decompose()
        for tag in soup.select(".document, .sommaire"):
            tag.decompose()
        text = soup.get_text(" ")
        assert not straight.search(text), (path.name, straight.findall(text)[:5])
        found = [m.group(0) for m in loose.finditer(text)]
        assert not found, (path.name, found[:5])
    assert (built.site / "static" / "favicon.svg").is_file()


def test_pole_page_search_index_keeps_the_narrative(built: ProjectPaths) -> None:
    """Search indexes the narrative; sources and boilerplate sentences are left out."""
    soup = BeautifulSoup((built.site / "poles/vallons-fictifs.html").read_text(), "html.parser")
    assert soup.find("main").has_attr("data-pagefind-body")
    assert len(soup.find_all("h1")) == 1  # one title per page
    ignored = soup.find_all(attrs={"data-pagefind-ignore": True})
    assert any("fiche" in (tag.get("class") or []) for tag in ignored)


def test_no_working_file_name_is_published(built: ProjectPaths) -> None:
    """The file a source was read from (``fichier``) appears on no page."""
    for path in html_pages(built.site):
        assert "copie-de-travail-fictive" not in path.read_text(encoding="utf-8"), path


def test_unchanged_monographs_are_not_parsed_again(built: ProjectPaths, monkeypatch) -> None:
    """On a large corpus parsing every monograph is most of what ``site`` does: an unchanged
    one (same size, time, inode, code) is read back from .cache; a changed one is parsed."""
    import os

    from ptce_mono.site import embed

    def age(path: Path) -> None:  # older than the 2 s a fresh file is not trusted for
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 10_000_000_000))

    for html in built.monographs.glob("*.html"):
        age(html)
    build_site(built, search=False)  # fills the cache
    calls: list[str] = []
    real = embed.parse_document
    monkeypatch.setattr(embed, "parse_document", lambda text: calls.append(text) or real(text))
    build_site(built, search=False)
    assert calls == []
    html = built.monographs / "vallons-fictifs.html"
    html.write_text(
        html.read_text(encoding="utf-8").replace("</main>", "<p>Paragraphe neuf.</p></main>"),
        encoding="utf-8",
    )
    age(html)
    build_site(built, search=False)
    assert len(calls) == 1
    assert "Paragraphe neuf." in (built.site / "poles/vallons-fictifs.html").read_text("utf-8")
