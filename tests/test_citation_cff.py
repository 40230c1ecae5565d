"""``CITATION.cff`` for the project (the software) and for the data package (the build)."""

from __future__ import annotations

import tomllib

import yaml

from ptce_mono.corpus.records import load_corpus
from ptce_mono.documents.dataset import (
    build_tables,
    corpus_sources,
    data_citation,
    write_datapackage,
)

from .conftest import REPO

REQUIRED = ("cff-version", "message", "title", "authors")


def test_the_project_citation_file_matches_the_package() -> None:
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert all(cff[k] for k in REQUIRED) and cff["type"] == "software"
    assert cff["version"] == project["version"]
    assert cff["license"] == project["license"]["text"]


def test_the_data_package_carries_its_citation_file(project) -> None:
    (project.data / "projet.yaml").write_text(
        "titre: T\nequipe:\n  - Fictive, Camille\n  - Équipe fictive\n"
        "site: https://exemple.invalid/p\n",
        encoding="utf-8",
    )
    corpus = load_corpus(project)
    dest = project.root / "paquet"
    write_datapackage(build_tables(corpus), dest, corpus_sources(corpus),
                      {"CITATION.cff": data_citation(project)})  # fmt: skip
    cff = yaml.safe_load((dest / "CITATION.cff").read_text(encoding="utf-8"))
    assert all(cff[k] for k in REQUIRED) and cff["type"] == "dataset"
    assert cff["authors"] == [{"family-names": "Fictive", "given-names": "Camille"},
                              {"name": "Équipe fictive"}]  # fmt: skip
    assert cff["license"] == "ODC-BY-1.0"
    assert cff["url"] == "https://exemple.invalid/p/donnees/"
    assert (dest / "datapackage.json").is_file()
