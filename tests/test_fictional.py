"""The deterministic generator of fictional poles (benchmarks and tests)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from ptce_mono.checks.validate import validate_corpus
from ptce_mono.core.yamlio import load_markdown, load_yaml
from ptce_mono.corpus.records import load_corpus, strip_comments
from ptce_mono.importers.fictional_corpus import write_fictional_corpus

from .conftest import make_project


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first = write_fictional_corpus(tmp_path / "a", 5, seed=3)
    second = write_fictional_corpus(tmp_path / "b", 5, seed=3)
    assert first == second
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_other_seed_other_corpus(tmp_path: Path) -> None:
    write_fictional_corpus(tmp_path / "a", 3, seed=0)
    write_fictional_corpus(tmp_path / "b", 3, seed=1)
    assert snapshot(tmp_path / "a") != snapshot(tmp_path / "b")


def test_n_poles_with_fictional_names_and_slugs(tmp_path: Path) -> None:
    slugs = write_fictional_corpus(tmp_path, 12)
    assert slugs == [f"pole-fictif-{i:03d}" for i in range(1, 13)]
    assert sorted(p.name for p in (tmp_path / "poles").iterdir()) == slugs
    assert (tmp_path / "bibliographie.yaml").is_file()
    for slug in slugs:
        facts = load_yaml(tmp_path / "poles" / slug / "pole.yaml").data
        assert facts["identite"]["nom"].startswith(f"Pôle fictif n° {slug[-3:]}")


def test_generated_corpus_is_valid_and_fully_filled(tmp_path: Path) -> None:
    write_fictional_corpus(tmp_path / "gen", 12, seed=7)
    project = make_project(tmp_path / "projet", tmp_path / "gen")
    report = validate_corpus(project)
    assert report.errors == ()
    assert report.warnings == ()
    corpus = load_corpus(project)
    assert len(corpus.poles) == 12
    indicators = {i.id for i in corpus.referentiels["2012"].indicators}
    for pole in corpus.poles:
        assert set(pole.scores) == indicators
        assert all(isinstance(v, int) and 1 <= v <= 4 for v in pole.scores.values())
        assert set(pole.narratives) == set(corpus.grid.section_ids)
        assert len(pole.list_of("structures")) >= 3
        shares = defaultdict(float)
        for item in pole.list_of("ressources"):
            shares[item["annee"]] += item["part"]
        assert shares and all(total == 100 for total in shares.values())
        for key in ("identite", "classification", "statut", "gouvernance"):
            assert pole.get(key)


def test_narratives_have_a_realistic_length(tmp_path: Path) -> None:
    write_fictional_corpus(tmp_path, 3)
    for md in (tmp_path / "poles").rglob("*.md"):
        doc = load_markdown(md)
        words = len(strip_comments(doc.body).split())
        assert 300 <= words <= 800, (md, words)
        assert doc.meta["questions"]
        assert "[@" in doc.body


def test_no_personal_data_pattern(tmp_path: Path) -> None:
    write_fictional_corpus(tmp_path, 20)
    text = "\n".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.*"))
    assert not re.search(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}", text)
    assert not re.search(r"(?<!\d)0[1-9](?:[ .-]?\d{2}){4}(?!\d)", text)
