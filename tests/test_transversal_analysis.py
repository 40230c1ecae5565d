"""The transversal analysis over the demo corpus (data/poles), executed by papermill in a real
kernel: no figure below 3 poles, no share without its base, no 0 % for missing data, verbatim
quotations, the 2014 typology reproduced, provisional lessons each with an n."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import papermill
import pytest

from ptce_mono.analysis.typology import (
    PUBLICATION_FILE,
    PUBLICATIONS_DIR,
    TAKEN,
    UNVERIFIABLE,
    load_publication,
    reproduce,
)
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.records import load_corpus

from .conftest import REPO

pytestmark = pytest.mark.slow

SEEDS = Path(os.environ.get("PTCE_MONO_SOURCES") or REPO.parent / "shared" / "seeds")
PUBLICATION = REPO / "data" / PUBLICATIONS_DIR / PUBLICATION_FILE
QUOTE = re.compile(r"«\s*(.+?)\s*»", re.DOTALL)


def normalise(text: str) -> str:
    """Same reading as the verbatim test: NFC, straight apostrophes, spaces, no OCR emphasis."""
    text = unicodedata.normalize("NFC", text)
    for old, new in (("’", "'"), ("\u00a0", " "), ("\u202f", " "), ("*", "")):
        text = text.replace(old, new)
    text = re.sub(r"\s*\[sic\]", "", text)  # a kept misprint is marked, not part of it
    return re.sub(r"\s+", " ", text).strip()


def seeds() -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"documents sources absents ({SEEDS}) : vérification des citations sautée")
    return " ".join(normalise(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt")))


def found(quote: str, text: str) -> bool:
    quote = normalise(quote)
    return quote in text or (quote[:1].swapcase() + quote[1:]) in text


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    out = tmp_path_factory.mktemp("transversale") / "analyse-transversale.ipynb"
    notebook = REPO / "notebooks" / "analyse-transversale.ipynb"
    papermill.execute_notebook(
        str(notebook), str(out), kernel_name="python3",
        parameters={"data_dir": str(REPO / "data"), "referentiel_version": "2012",
                    "export_dir": ""},
        cwd=str(notebook.parent), progress_bar=False,
    )  # fmt: skip
    nb = json.loads(out.read_text(encoding="utf-8"))
    outs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    assert not [o for o in outs if o["output_type"] in ("error", "stream")]
    return outs


def meta(output: dict) -> dict:
    return output.get("metadata", {}).get("ptce", {})


def markdown_texts(outs: list[dict]) -> list[str]:
    return ["".join(o["data"]["text/markdown"]) for o in outs
            if meta(o).get("kind") == "markdown"]  # fmt: skip


def tables(outs: list[dict]) -> dict[str, tuple[str, list[list[str]]]]:
    """table id -> (caption, rows of cells), header row first."""
    out = {}
    for o in outs:
        if meta(o).get("kind") == "table":
            lines = "".join(o["data"]["text/markdown"]).splitlines()
            rows = [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
                    for i, line in enumerate(lines) if i != 1]  # fmt: skip
            out[meta(o)["id"]] = (meta(o)["caption"], rows)
    return out


def figures(outs: list[dict]) -> list[dict]:
    return [meta(o) for o in outs if meta(o).get("kind") == "figure"]


def test_no_figure_from_fewer_than_three_poles(outputs) -> None:
    drawn = figures(outputs)
    assert drawn, "aucune figure"
    for fig in drawn:
        bases = [int(n) for n in re.findall(r"n = (\d+)", fig["caption"])]
        assert bases and min(bases) >= 3, fig["caption"]
    text = "\n".join(markdown_texts(outputs))
    assert "Pas de graphique pour les statuts juridiques" in text  # 1 pole: a sentence instead
    # no alt text describes a chart that was not drawn
    ids = {f["id"] for f in drawn}
    assert "fig-statuts" not in ids and "fig-indicateurs" not in ids


def test_every_share_has_its_base_and_no_zero_percent_stands_for_missing(outputs) -> None:
    zero = re.compile(r"(?<![\d,])0\s?%")
    for ident, (caption, rows) in tables(outputs).items():
        for row in rows[1:]:
            for index, cell in enumerate(row):
                if ident == "tbl-enquete-2017" and index == 1:
                    continue  # the survey's published figures, quoted as published
                assert not zero.search(cell), (ident, row)
                if "%" in cell:
                    assert re.search(r"n = \d|\bsur \d", cell + " " + caption), (ident, row)
    for text in markdown_texts(outputs):
        outside = QUOTE.sub("", text)
        assert not zero.search(outside), text
        for paragraph in outside.split("\n\n"):
            if "%" in paragraph:
                assert re.search(r"n = \d|\bsur \d|de douze", paragraph), paragraph


def test_undocumented_is_not_zero(outputs) -> None:
    rows = dict((r[0], r) for r in tables(outputs)["tbl-enquete-2017"][1][1:])
    assert rows["Mutualisation de lieux"][2].startswith("non documenté")
    assert rows["Statut associatif"][2].startswith("effectif trop faible")


def test_every_quotation_is_verbatim_in_the_sources(outputs) -> None:
    corpus = seeds()
    texts = markdown_texts(outputs)
    for caption, rows in tables(outputs).values():
        texts.append(caption)
        texts += [" | ".join(r) for r in rows]
    texts += [f["caption"] + " " + f["alt"] for f in figures(outputs)]
    quotes = [q for t in texts for q in QUOTE.findall(t)]
    assert len(quotes) > 20
    wrong = [q for q in quotes if not found(q, corpus)]
    assert not wrong, wrong
    whole = "\n".join(texts)
    assert "le [renforcement du] lien social et la solidarité" in whole


def test_published_extracts_are_verbatim_in_seed_004() -> None:
    corpus = seeds()
    publication = load_publication(PUBLICATION)
    for dimension in publication.dimensions:
        for extract in dimension.extracts:
            assert found(extract.text, corpus), extract.text


def test_published_counts_are_stored_as_printed() -> None:
    """A published count is the number of entries the article prints: the poles it names plus
    the entries that name no pole (« Nord pas ce Calais », a région), each found in the
    extract; never fewer counted than named."""
    publication = load_publication(PUBLICATION)
    territoire = next(d for d in publication.dimensions if d.id == "territoire")
    assert territoire.unnamed_entries == {"desindustrialise": ("Nord pas ce Calais",)}
    for dimension in publication.dimensions:
        text = " ".join(e.text for e in dimension.extracts)
        for key, entries in dimension.unnamed_entries.items():
            assert all(entry in text for entry in entries), (dimension.id, key)
            named = len(dimension.named.get(key, ()))
            assert dimension.values[key] == named + len(entries), (dimension.id, key)
        for key, slugs in dimension.named.items():
            assert len(slugs) <= dimension.values.get(key, max(dimension.values.values()))


def test_typology_reproduced_for_the_twelve_poles() -> None:
    paths = ProjectPaths.at(REPO)
    rep = reproduce(load_publication(PUBLICATION), load_corpus(paths).poles)
    assert rep.n == 12 and not rep.missing
    famille = rep.comparison("famille")
    # the records were coded from the article itself: agreement confirms nothing
    assert famille is not None and famille.n == 12 and famille.raw_agrees
    assert famille.status == TAKEN and famille.agrees is None
    groupements = rep.comparison("groupements")
    # five poles counted, four named: the fifth cannot be checked against any record
    assert groupements is not None and groupements.n == 4 and groupements.agrees is None
    assert groupements.status == UNVERIFIABLE and "le dernier n'est pas nommé" in groupements.reason
    origine = rep.comparison("origine")  # one documented pole: too small a base to compare
    assert origine is not None and origine.n == 1 and origine.status == UNVERIFIABLE
    assert "effectif trop faible" in origine.reason
    territoire = rep.comparison("territoire")  # four entries printed, the fourth a région
    assert territoire is not None and territoire.dimension.values["desindustrialise"] == 4
    assert territoire.status == UNVERIFIABLE
    assert not [c for c in rep.comparisons if c.is_comparison]
    lieu = rep.comparison("lieu")
    assert lieu is not None and lieu.recomputed.startswith("non documenté")


def test_typology_table_shows_published_beside_recomputed(outputs) -> None:
    caption, rows = tables(outputs)["tbl-typologie-2014"]
    header, body = rows[0], rows[1:]
    assert header[1].startswith("Publié") and header[2] == "Recalculé depuis les fiches"
    assert len(body) == 8 and all(r[1] and r[2] for r in body)
    by_dimension = {r[0]: r for r in body}
    lieu = by_dimension["Lieu partagé"]
    assert "60 %" in lieu[1].replace("\u202f", " ") and "non documenté" in lieu[2]
    groupements = by_dimension["Groupements d'employeurs"]
    assert groupements[1].startswith("5 pôles") and groupements[2].startswith("4 pôles sur 12")
    assert "n = 12 pôles" in caption
    poles = tables(outputs)["tbl-typologie-poles"][1]
    assert len(poles) == 13  # header and the 12 poles of the paper
    assert header[4].startswith("D'où viennent") and header[5] == "Comparaison"
    assert by_dimension["Famille d'activité"][5] == "reprise de la source, non indépendante"
    assert by_dimension["Famille d'activité"][4] == "l'article lui-même : 12"
    assert groupements[5] == "non vérifiable" and "écart" not in {r[5] for r in body}
    text = "\n".join(markdown_texts(outputs))
    assert "L'article donne 5 pôles, les fiches en documentent 4." in text
    assert "Nord pas ce Calais [sic]" in text
    lessons = next(t for t in markdown_texts(outputs) if "Enseignements provisoires" in t)
    assert "Aucune des 8 dimensions de la typologie de 2014 ne peut encore être comparée" in lessons
    assert "diffèrent" not in lessons


def test_provisional_lessons_each_carry_an_n(outputs) -> None:
    part = next(t for t in markdown_texts(outputs) if "Enseignements provisoires" in t)
    assert "provisoire" in part.split("\n\n")[1].lower()
    items = [line[2:] for line in part.splitlines() if line.startswith("- ")]
    assert len(items) >= 3
    for item in items:
        for sentence in re.split(r"(?<=\.)\s+(?=[A-ZÉ])", item):
            assert re.search(r"n = \d", sentence), sentence


def test_figures_and_tables_are_numbered_listed_and_referred_to(outputs) -> None:
    texts = markdown_texts(outputs)
    whole = "\n".join(texts)
    lists = next(t for t in texts if "### Liste des figures" in t)
    drawn, shown = figures(outputs), list(tables(outputs))
    assert len(re.findall(r"^\d+\. ", lists.split("### Liste des tableaux")[0], re.M)) == len(drawn)
    assert len(re.findall(r"^\d+\. ", lists.split("### Liste des tableaux")[1], re.M)) == len(shown)
    for number in range(1, len(drawn) + 1):
        assert re.search(rf"\bfigure {number}\b", whole), number
    referred = {int(n) for n in re.findall(r"\btableaux? (\d+)", whole)}
    referred |= {int(n) + 1 for n in re.findall(r"\btableaux (\d+) et", whole)}
    assert len(referred) >= len(shown) * 0.6


def test_completeness_has_poles_as_rows_and_splits_the_sections(outputs) -> None:
    found_tables = tables(outputs)
    first, second = found_tables["tbl-completude-1"][1], found_tables["tbl-completude-2"][1]
    assert first[0][0] == second[0][0] == "Pôle"
    assert len(first[0]) + len(second[0]) - 2 == 7  # the 7 sections of the grid, split in two
    poles = sum(not p.fictional for p in load_corpus(ProjectPaths.at(REPO)).poles)
    assert len(first) == len(second) == poles + 2  # header, one row per pole, the count row


def test_citations_go_through_citeproc_with_one_bibliography(outputs) -> None:
    """Every citation is a pandoc citation of an entry of the one bibliography printed at the
    end (citeproc formats them as in the monographs); none is formatted by hand."""
    bibliographies = [o for o in outputs if meta(o).get("kind") == "bibliography"]
    assert len(bibliographies) == 1
    items = bibliographies[0]["data"]["application/vnd.citationstyles.csl+json"]
    keys = {item["id"] for item in items}
    assert {"labo-ess-2013", "podlewski-2014", "ash-2017"} <= keys
    assert outputs.index(bibliographies[0]) == len(outputs) - 1  # printed at the end
    texts = markdown_texts(outputs)
    for caption, rows in tables(outputs).values():
        texts += [caption, *(" | ".join(r) for r in rows)]
    texts += [f["caption"] for f in figures(outputs)]
    whole = "\n".join(texts)
    cited = set(re.findall(r"\[@([A-Za-z0-9_.:-]+)", whole))
    assert cited == keys  # each entry is cited, each citation has its entry
    corpus = load_corpus(ProjectPaths.at(REPO))
    for doc in corpus.bibliography.values():
        assert f"({doc.short}" not in whole, doc.short  # no author-date written by hand
    assert "(ASH, 2017)" not in whole and "\\@" not in whole
    assert not re.search(r"\d{3}_[0-9a-f]{16}|\.txt\b", json.dumps(items))
