"""Stored interviews and answer waves are parsed once per text: a monograph's cells and the checks
read them many times in one process. A file whose bytes changed is always read again, even when
its size and modification time are those of the text read before."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ptce_mono.core.errors import FieldworkError
from ptce_mono.corpus import answer_store as store
from ptce_mono.corpus import excerpts as excerpts_module
from ptce_mono.corpus.answer_store import Respondent, Wave, load_wave, wave_path, write_wave
from ptce_mono.corpus.excerpts import (
    Excerpt,
    InterviewExcerpts,
    excerpts_dir,
    load_interviews,
    to_yaml,
)
from ptce_mono.corpus.referentiel import load_referentiel

REPO = Path(__file__).resolve().parents[1]


def count_parses(monkeypatch: pytest.MonkeyPatch, module: object) -> list[Path]:
    parsed: list[Path] = []
    real = module.parse_yaml  # type: ignore[attr-defined]

    def counted(text, path, *rest):
        parsed.append(Path(path))
        return real(text, path, *rest)

    monkeypatch.setattr(module, "parse_yaml", counted)
    return parsed


def rewrite_keeping_size_and_time(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (same length) and give the file back its size and mtime, as an
    edit made within the file system's time resolution looks."""
    assert len(old.encode()) == len(new.encode())
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns


def interview(text: str, section: str = "gouvernance") -> InterviewExcerpts:
    return InterviewExcerpts(
        document="Entretien A", role="salariée", date="2024-03-01", consent=True,
        source_file="export.csv", tool="taguette",
        excerpts=(Excerpt(id="e1", codes=("gouvernance",), section=section, indicators=(),
                          text=text),),
    )  # fmt: skip


def test_an_interview_file_read_again_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pole = tmp_path / "pole"
    excerpts_dir(pole).mkdir(parents=True)
    (excerpts_dir(pole) / "entretien-a.yaml").write_text(
        to_yaml(interview("Le conseil se réunit.")), encoding="utf-8"
    )
    parsed = count_parses(monkeypatch, excerpts_module)
    first = load_interviews(pole)
    for _ in range(5):
        assert load_interviews(pole) == first
    assert len(parsed) == 1
    assert first[0].excerpts[0].text == "Le conseil se réunit."


def test_an_interview_file_changed_in_place_is_read_again(tmp_path: Path) -> None:
    pole = tmp_path / "pole"
    excerpts_dir(pole).mkdir(parents=True)
    path = excerpts_dir(pole) / "entretien-a.yaml"
    path.write_text(to_yaml(interview("Le conseil se réunit.")), encoding="utf-8")
    assert load_interviews(pole)[0].excerpts[0].text == "Le conseil se réunit."
    rewrite_keeping_size_and_time(path, "se réunit.", "se décide.")
    assert load_interviews(pole)[0].excerpts[0].text == "Le conseil se décide."


def test_an_interview_read_with_other_sections_is_checked_against_them(tmp_path: Path) -> None:
    pole = tmp_path / "pole"
    excerpts_dir(pole).mkdir(parents=True)
    (excerpts_dir(pole) / "entretien-a.yaml").write_text(
        to_yaml(interview("Le conseil se réunit.", section="gouvernance")), encoding="utf-8"
    )
    assert len(load_interviews(pole, ("gouvernance", "impacts"))) == 1
    with pytest.raises(FieldworkError, match="section « gouvernance » inconnue"):
        load_interviews(pole, ("impacts",))


def test_what_an_import_checked_is_what_the_next_read_gives(tmp_path: Path) -> None:
    """The importer parses the text it writes: reading the written file gives that result,
    and a file that differs from the checked text is parsed from its own bytes."""
    pole = tmp_path / "pole"
    excerpts_dir(pole).mkdir(parents=True)
    path = excerpts_dir(pole) / "entretien-a.yaml"
    text = to_yaml(interview("Le conseil se réunit."))
    checked = excerpts_module.parse_interview_text(text, path)
    path.write_text(text.replace("se réunit.", "a décidé."), encoding="utf-8")
    assert load_interviews(pole)[0].excerpts[0].text == "Le conseil a décidé."
    path.write_text(text, encoding="utf-8")
    assert load_interviews(pole) == [checked]


def wave(score: int) -> Wave:
    return Wave("pole", "2024-03", "2012", (
        Respondent("r1", "salarié", None, "2024-03-02", "kobo", {"1.1.1": score}),
    ))  # fmt: skip


def test_a_wave_read_again_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pole = tmp_path / "pole"
    write_wave(pole, wave(3))
    parsed = count_parses(monkeypatch, store)
    first = load_wave(pole, "2024-03")
    for _ in range(5):
        assert load_wave(pole, "2024-03") == first
    assert len(parsed) == 1
    assert first.respondents[0].answers == {"1.1.1": 3}


def test_a_wave_changed_in_place_is_read_again(tmp_path: Path) -> None:
    pole = tmp_path / "pole"
    write_wave(pole, wave(3))
    assert load_wave(pole, "2024-03").respondents[0].answers == {"1.1.1": 3}
    rewrite_keeping_size_and_time(wave_path(pole, "2024-03"), "1.1.1: 3", "1.1.1: 4")
    assert load_wave(pole, "2024-03").respondents[0].answers == {"1.1.1": 4}


def test_an_indicator_is_found_by_its_id_as_by_a_walk_of_the_referentiel() -> None:
    ref = load_referentiel(REPO / "data" / "referentiels", "2012")
    assert ref.indicators
    for item in ref.indicators:
        assert ref.indicator(item.id) == next(i for i in ref.indicators if i.id == item.id)
    assert ref.indicator("9.9.9") is None
    assert ref.indicator("") is None


def test_the_memo_gives_back_only_the_value_of_the_same_text_and_stays_bounded() -> None:
    from ptce_mono.core.memo import TextMemo

    memo: TextMemo[int] = TextMemo(max_chars=10)
    memo.put("a", "abcdef", 1)
    assert memo.get("a", "abcdef") == 1
    assert memo.get("a", "abcdeg") is None  # same size, other text
    assert memo.get("b", "abcdef") is None  # other key
    memo.put("a", "abcdeg", 2)  # replaces the key's text: 6 characters kept, not 12
    assert memo.get("a", "abcdeg") == 2 and memo.get("a", "abcdef") is None
    memo.put("b", "xyz", 3)
    assert memo.get("a", "abcdeg") == 2 and memo.get("b", "xyz") == 3
    memo.put("c", "uvwxy", 4)  # past 10 characters: what was kept is dropped
    assert memo.get("a", "abcdeg") is None and memo.get("b", "xyz") is None
    assert memo.get("c", "uvwxy") == 4
    memo.put("d", "x" * 11, 5)  # longer than the bound: never kept
    assert memo.get("d", "x" * 11) is None
