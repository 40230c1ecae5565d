"""« Pour citer ce document »: the entry as French text and as BibTeX, RIS and CSL-JSON files,
read back by pandoc (an independent reader of all three formats)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ptce_mono.corpus.identity import ProjectIdentity
from ptce_mono.documents.citation import (
    DocumentCitation,
    citation_files,
    cite_block,
    document_citation,
    french_text,
    from_mapping,
    to_mapping,
)
from ptce_mono.render.embedded import pandoc_path

IDENTITY = ProjectIdentity(
    title="Monographies des PTCE",
    team=("Fictive, Camille", "Équipe {fictive} & associés"),
    institution="Laboratoire fictif d'études_coopératives (50 %)",
    licence="CC BY 4.0",
    site="https://exemple.invalid/ptce",
    doi="",
)
CITATION = DocumentCitation("pole-fictif", "Pôle fictif : monographie", "Monographie", IDENTITY,
                            2026, "2026-12-04")  # fmt: skip


def pandoc_csl(path: Path, reader: str) -> list[dict]:
    out = subprocess.run(
        [pandoc_path(), str(path), "-f", reader, "-t", "csljson"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    "suffix,reader", [("bib", "bibtex"), ("ris", "ris"), ("csl.json", "csljson")]
)
def test_every_citation_file_reads_back_the_same_entry(
    tmp_path: Path, suffix: str, reader: str
) -> None:
    path = tmp_path / f"pole-fictif.{suffix}"
    path.write_text(citation_files(CITATION)[suffix], encoding="utf-8")
    [item] = json.loads(json.dumps(pandoc_csl(path, reader), ensure_ascii=False).replace("’", "'"))
    assert item["title"] == "Pôle fictif : monographie"
    assert item["issued"]["date-parts"][0][0] == 2026
    names = [a.get("literal") or ", ".join(filter(None, (a.get("family"), a.get("given"))))
             for a in item["author"]]  # fmt: skip
    assert names == ["Fictive, Camille", "Équipe {fictive} & associés"]
    assert item["publisher"] == "Laboratoire fictif d'études_coopératives (50 %)"
    assert item["URL"] == "https://exemple.invalid/ptce/monographies/pole-fictif.html"


def test_the_french_text_and_the_block_link_the_files() -> None:
    text = french_text(CITATION)
    assert text.startswith("Fictive, Camille et Équipe {fictive} & associés (2026). *Pôle fictif")
    assert "<https://exemple.invalid/ptce/monographies/pole-fictif.html>" in text
    block = cite_block(CITATION)
    assert block.startswith("## Pour citer ce document")
    for link in (
        "[BibTeX](pole-fictif.bib)",
        "[RIS](pole-fictif.ris)",
        "[CSL-JSON](pole-fictif.csl.json)",
    ):
        assert link in block
    assert "Licence du document : CC BY 4.0." in block


def test_a_doi_replaces_the_address() -> None:
    with_doi = DocumentCitation("x", "X", "Monographie", ProjectIdentity("T", ("A",), doi="10.5281/zenodo.1"),
                                2026, "2026-01-01")  # fmt: skip
    assert "DOI : <https://doi.org/10.5281/zenodo.1>" in french_text(with_doi)
    assert "doi = {10.5281/zenodo.1}" in citation_files(with_doi)["bib"]


def test_the_citation_travels_in_the_notebook_metadata() -> None:
    nb = {"cells": [{"outputs": [{"data": {"text/plain": ""}, "metadata": {"ptce": {
        "kind": "document", "citation": to_mapping(CITATION)}}}]}]}  # fmt: skip
    assert document_citation(nb) == CITATION
    assert from_mapping(json.loads(json.dumps(to_mapping(CITATION)))) == CITATION
    assert document_citation({"cells": [{"outputs": []}]}) is None
