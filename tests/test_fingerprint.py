"""Cache keys: what changes a key, what does not."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from ptce_mono.core.fingerprint import (
    is_up_to_date,
    key_of,
    notebook_digest,
    read_manifest,
    stale_reasons,
    tree_digest,
    write_manifest,
)


def write_nb(path: Path, source: str, outputs: bool = False) -> None:
    cell = new_code_cell(source, execution_count=3 if outputs else None)
    if outputs:
        cell.outputs = [new_output("stream", name="stdout", text="bruit")]
    nb = new_notebook(cells=[cell])
    nb.cells[0]["id"] = "a" if outputs else "b"
    nbformat.write(nb, path)


def test_notebook_digest_ignores_outputs_ids_and_counts(tmp_path: Path) -> None:
    write_nb(tmp_path / "a.ipynb", "x = 1")
    write_nb(tmp_path / "b.ipynb", "x = 1", outputs=True)
    write_nb(tmp_path / "c.ipynb", "x = 2")
    assert notebook_digest(tmp_path / "a.ipynb") == notebook_digest(tmp_path / "b.ipynb")
    assert notebook_digest(tmp_path / "a.ipynb") != notebook_digest(tmp_path / "c.ipynb")


def test_tree_digest_sees_content_and_names(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "a.md").write_text("un", encoding="utf-8")
    first = tree_digest(tmp_path / "p")
    (tmp_path / "p" / "a.md").write_text("deux", encoding="utf-8")
    second = tree_digest(tmp_path / "p")
    (tmp_path / "p" / "a.md").rename(tmp_path / "p" / "b.md")
    assert len({first, second, tree_digest(tmp_path / "p")}) == 3


def test_up_to_date_needs_same_key_success_and_outputs(tmp_path: Path) -> None:
    out = tmp_path / "x.ipynb"
    out.write_text("{}", encoding="utf-8")
    inputs = {"pole": "1", "modele": "2"}
    manifest = {"status": "ok", "key": key_of(inputs), "inputs": inputs}
    assert is_up_to_date(manifest, key_of(inputs), [out])
    assert not is_up_to_date(manifest, key_of({**inputs, "pole": "3"}), [out])
    assert not is_up_to_date({**manifest, "status": "echec"}, key_of(inputs), [out])
    assert not is_up_to_date(manifest, key_of(inputs), [out, tmp_path / "x.pdf"])
    assert stale_reasons(manifest, {**inputs, "pole": "3"}) == ["pole"]
    assert stale_reasons(None, inputs) == ["jamais construit"]
    # a manifest written then read back is the same record (the file is JSON, sorted keys)
    write_manifest(tmp_path, "x", manifest)
    assert read_manifest(tmp_path, "x") == manifest
    assert json.loads((tmp_path / "x.manifest.json").read_text(encoding="utf-8")) == manifest
    (tmp_path / "x.manifest.json").write_text("{pas du json", encoding="utf-8")
    assert read_manifest(tmp_path, "x") is None  # a corrupt manifest means « never built »
