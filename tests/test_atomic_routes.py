"""« Temp then replace » is written once, in ``ptce_mono/core/atomic.py``: no other module renames a
file or folder into place or makes its own temp file beside an output. A copy written by hand
drifts (forgotten clean-up, a message naming the temp file, a 0600 file published)."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from ptce_mono.core.atomic import (
    copy_file_atomic,
    publish_new_folder,
    replace_folder,
    staged_folder,
)
from ptce_mono.core.errors import NotWritableError

from .source_scan import REPO, package_modules

OWN_MODULE = "ptce_mono/core/atomic.py"
# Calls that rename into place or make a temp file meant to be renamed.
RENAMES = {"os.replace", "os.rename", "os.renames", "shutil.move"}
TEMP_FILES = {"tempfile.mkstemp", "tempfile.mkdtemp", "tempfile.NamedTemporaryFile"}
# The temp files that are never renamed into place: private scratch space, removed after use.
ALLOWED = {
    # the executed notebook copied for the preview's background PDF, in a private folder
    # removed once the PDF is made; the PDF itself goes through the render's move_into_place
    ("ptce_mono/pipeline/live.py", "tempfile.mkdtemp"),
    # the log of the local Taguette server (it holds the server's token), removed when the
    # server stops; nothing is published from it
    ("ptce_mono/importers/taguette.py", "tempfile.mkstemp"),
}


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def hand_written_moves(root: Path) -> list[str]:
    """``module:line: call`` for each rename into place or temp file outside atomic.py;
    ``x.replace(y)`` / ``x.rename(y)`` with one argument is ``Path.replace`` / ``Path.rename``
    (``str.replace`` takes two)."""
    found = []
    for name, tree in package_modules(root):
        if name == OWN_MODULE:
            continue
        imported = {}  # from os import replace → replace means os.replace
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("os", "shutil", "tempfile"):
                for alias in node.names:
                    imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            call = _dotted(node.func)
            call = imported.get(call, call)
            path_method = (
                isinstance(node.func, ast.Attribute)
                and node.func.attr in ("replace", "rename")
                and len(node.args) == 1
                and not node.keywords
            )
            if (call in RENAMES | TEMP_FILES or path_method) and (name, call) not in ALLOWED:
                found.append(f"{name}:{node.lineno}: {call}")
    return found


def test_no_hand_written_temp_then_replace_outside_atomic() -> None:
    found = hand_written_moves(REPO / "ptce_mono")
    assert found == [], "« fichier temporaire puis remplacement » écrit à la main :\n" + "\n".join(
        found
    )


def test_every_allowed_exception_still_exists() -> None:
    """An exception whose call is gone must leave the list (no stale permission)."""
    for module, call in ALLOWED:
        tree = ast.parse((REPO / module).read_text("utf-8"))
        calls = {_dotted(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        assert call in calls, (module, call)


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("import os\nos.replace(tmp, path)", True),
        ("from os import replace\nreplace(tmp, path)", True),
        ("import os\nos.rename(tmp, folder)", True),
        ("result.replace(target)", True),
        ("Path(tmp).rename(path)", True),
        ("import tempfile\nfd, tmp = tempfile.mkstemp(dir=folder)", True),
        ("import tempfile\ntempfile.NamedTemporaryFile(dir=folder)", True),
        ("import shutil\nshutil.move(a, b)", True),
        ('text.replace("’", "\'")', False),
        ("dataclasses.replace(item, name=new)", False),
        ("frame.rename(columns=names)", False),
        ("import tempfile\nwith tempfile.TemporaryDirectory() as tmp: pass", False),
        ("from .atomic import move_into_place\nmove_into_place(tmp, path)", False),
    ],
)
def test_the_scan_sees_a_hand_written_move(tmp_path: Path, source: str, flagged: bool) -> None:
    package = tmp_path / "ptce_mono"
    package.mkdir()
    (package / "module.py").write_text(source + "\n", encoding="utf-8")
    own = tmp_path / OWN_MODULE  # wherever atomic.py lives in the package
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text("import os\nos.replace(a, b)\n", encoding="utf-8")
    found = hand_written_moves(package)
    assert bool(found) is flagged, found
    assert all(f.startswith("ptce_mono/module.py:") for f in found)


# --- the helpers the other modules now use -----------------------------------------------------


def test_copy_file_atomic_copies_with_public_mode_and_leaves_no_temp(tmp_path: Path) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(b"\x00octets\xff")
    target = tmp_path / "out" / "copie.bin"
    copy_file_atomic(source, target)
    assert target.read_bytes() == b"\x00octets\xff"
    assert target.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in target.parent.iterdir()) == ["copie.bin"]


def test_copy_file_atomic_keeps_the_old_file_when_the_source_is_unreadable(tmp_path: Path) -> None:
    target = tmp_path / "copie.txt"
    target.write_text("ancien", encoding="utf-8")
    with pytest.raises(NotWritableError) as caught:
        copy_file_atomic(tmp_path / "absent.txt", target)
    assert str(tmp_path) in str(caught.value) and ".tmp" not in str(caught.value)
    assert target.read_text(encoding="utf-8") == "ancien"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copie.txt"]


def test_replace_folder_swaps_the_whole_folder(tmp_path: Path) -> None:
    dest = tmp_path / "donnees"
    dest.mkdir()
    (dest / "ancien.csv").write_text("a\n", encoding="utf-8")
    tmp = staged_folder(dest)
    assert tmp.parent == tmp_path and tmp.name.startswith(".donnees.") and tmp.name.endswith(".tmp")
    (tmp / "nouveau.csv").write_text("b\n", encoding="utf-8")
    replace_folder(tmp, dest)
    assert sorted(p.name for p in dest.iterdir()) == ["nouveau.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["donnees"]


def test_publish_new_folder_never_replaces_a_folder_with_content(tmp_path: Path) -> None:
    dest = tmp_path / "pole"
    tmp = staged_folder(dest)
    (tmp / "pole.yaml").write_text("nouveau\n", encoding="utf-8")
    dest.mkdir()
    (dest / "pole.yaml").write_text("existant\n", encoding="utf-8")
    with pytest.raises(NotWritableError):
        publish_new_folder(tmp, dest)
    assert (dest / "pole.yaml").read_text(encoding="utf-8") == "existant\n"
    other = staged_folder(tmp_path / "autre")
    publish_new_folder(other, tmp_path / "autre")
    assert (tmp_path / "autre").is_dir() and not other.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root écrit partout")
def test_staged_folder_names_the_folder_it_cannot_write(tmp_path: Path) -> None:
    locked = tmp_path / "verrouille"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(NotWritableError) as caught:
            staged_folder(locked / "donnees")
        assert str(locked) in str(caught.value)
    finally:
        locked.chmod(0o700)
