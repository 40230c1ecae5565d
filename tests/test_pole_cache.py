"""The cache of checked poles: an unchanged folder is not parsed again, any change is seen."""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

from ptce_mono.checks import validate
from ptce_mono.checks.validate import validate_corpus
from ptce_mono.corpus.pole_cache import CACHE_FILE, folder_signature


def age(root: Path, seconds: float = 3600) -> None:
    """Make every file look older than the racy window (as files checked out long ago)."""
    past = time.time() - seconds
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


def counting_loads(monkeypatch) -> Counter:
    calls: Counter = Counter()
    real = validate.load_pole

    def counted(folder, grid, *rest):
        calls[folder.name] += 1
        return real(folder, grid, *rest)

    monkeypatch.setattr(validate, "load_pole", counted)
    return calls


def broken_pole(project) -> str:
    slug = sorted(p.name for p in project.poles.iterdir())[0]
    pole = project.poles / slug / "pole.yaml"
    pole.write_text(
        pole.read_text(encoding="utf-8") + "\nchamp_inconnu_du_schema: 1\n", encoding="utf-8"
    )
    return slug


def test_unchanged_poles_are_not_read_again_and_give_the_same_report(project, monkeypatch):
    broken_pole(project)
    age(project.root)
    calls = counting_loads(monkeypatch)
    first = validate_corpus(project)
    assert (project.cache / CACHE_FILE).is_file()
    n = len(first.poles)
    assert sum(calls.values()) == n
    second = validate_corpus(project)
    assert sum(calls.values()) == n  # nothing parsed the second time
    assert second.problems == first.problems and first.errors  # the error is kept
    assert [p.slug for p in second.poles] == [p.slug for p in first.poles]
    assert second.digests == first.digests


def test_an_edited_file_is_read_again(project, monkeypatch):
    age(project.root)
    validate_corpus(project)
    calls = counting_loads(monkeypatch)
    slug = broken_pole(project)
    age(project.poles / slug, 10)  # edited, but outside the racy window
    report = validate_corpus(project)
    assert dict(calls) == {slug: 1}
    assert any("champ_inconnu_du_schema" in p.format(project.root) for p in report.errors)


def test_recent_files_are_never_trusted(project, monkeypatch):
    """A file written within the timestamp tick could change again with the same mtime."""
    for path in project.poles.rglob("*"):
        os.utime(path)  # written just now
    validate_corpus(project)  # too recent to be cached
    calls = counting_loads(monkeypatch)
    validate_corpus(project)
    assert sum(calls.values()) == len(list(project.poles.iterdir()))


def test_a_grid_change_drops_the_whole_cache(project, monkeypatch):
    age(project.root)
    validate_corpus(project)
    project.grid_file.write_text(
        project.grid_file.read_text(encoding="utf-8") + "\n# note\n", encoding="utf-8"
    )
    calls = counting_loads(monkeypatch)
    validate_corpus(project)
    assert sum(calls.values()) == len(list(project.poles.iterdir()))


def test_a_corrupt_cache_is_ignored(project):
    age(project.root)
    expected = validate_corpus(project).problems
    (project.cache / CACHE_FILE).write_bytes(b"pas un pickle")
    assert validate_corpus(project).problems == expected


def test_signature_sees_size_time_and_links(tmp_path):
    folder = tmp_path / "pole"
    folder.mkdir()
    (folder / "pole.yaml").write_text("a: 1\n", encoding="utf-8")
    first = folder_signature(folder)
    (folder / "pole.yaml").write_text("a: 22\n", encoding="utf-8")
    assert folder_signature(folder) != first
    (folder / "recit.md").symlink_to(folder / "pole.yaml")
    names = {entry[0]: entry[-1] for entry in folder_signature(folder)}
    assert names == {"pole.yaml": False, "recit.md": True}
