"""One plan: the build reads and validates the corpus once, writes the data package once, and
``status`` agrees with ``build`` on what is stale after each kind of edit.

The counters below wrap the real functions (they still run); nothing is faked.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from ptce_mono.checks import validate
from ptce_mono.checks.validate import corpus_from_report, validate_corpus
from ptce_mono.corpus import records
from ptce_mono.documents import dataset
from ptce_mono.pipeline import build as build_module
from ptce_mono.pipeline.build import run_build
from ptce_mono.pipeline.plan import TRANSVERSAL, current_inputs
from ptce_mono.pipeline.status import BuildState, status_table

pytestmark = pytest.mark.slow


def spy(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, calls: Counter) -> None:
    real: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


def test_build_loads_validates_and_exports_once(project, monkeypatch) -> None:
    calls: Counter = Counter()
    spy(monkeypatch, build_module, "validate_corpus", calls)
    spy(monkeypatch, validate, "load_pole", calls)
    spy(monkeypatch, validate, "load_grid", calls)
    spy(monkeypatch, validate, "load_all_referentiels", calls)
    spy(monkeypatch, validate, "load_bibliography", calls)
    spy(monkeypatch, records, "load_grid", calls)
    spy(monkeypatch, dataset, "write_datapackage", calls)
    poles = sorted(p.name for p in project.poles.iterdir() if p.is_dir())
    report = run_build(project, formats=(), jobs=2)
    assert report.ok, [o.message for o in report.failed]
    assert sorted(o.stem for o in report.built) == sorted([*poles, TRANSVERSAL])
    assert calls["validate_corpus"] == 1
    assert calls["load_pole"] == len(poles)  # each pole read once
    assert calls["load_grid"] == 1
    assert calls["load_all_referentiels"] == 1
    assert calls["load_bibliography"] == 1
    assert calls["write_datapackage"] == 1
    package = json.loads((project.export / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "ptce-monographies"


def _stale_by_status(project) -> set[str]:
    report = validate_corpus(project)
    current = current_inputs(project, corpus_from_report(project, report)).by_stem
    manifests = {
        p.slug: json.loads(project.output(p.slug, "manifest.json").read_text(encoding="utf-8"))
        for p in report.poles
    }
    rows = status_table(report, manifests, current, report.grid)
    return {r.slug for r in rows if r.build is not BuildState.UP_TO_DATE}


def _rebuilt_by_build(project) -> set[str]:
    report = run_build(project, formats=(), transversal=False, jobs=2)
    assert report.ok, [o.message for o in report.failed]
    return {o.stem for o in report.built}


def test_status_and_build_agree_after_each_kind_of_edit(project) -> None:
    poles = {p.name for p in project.poles.iterdir() if p.is_dir()}
    first = run_build(project, formats=(), transversal=False, jobs=2)
    assert {o.stem for o in first.built} == poles

    # no change: nothing is stale, nothing is rebuilt
    assert _stale_by_status(project) == set()
    assert _rebuilt_by_build(project) == set()

    # one narrative edited: that pole only
    slug = sorted(poles)[0]
    narrative = sorted((project.poles / slug).glob("*.md"))[0]
    narrative.write_text(
        narrative.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8"
    )
    assert _stale_by_status(project) == {slug}
    assert _rebuilt_by_build(project) == {slug}

    # the template edited: every pole
    template = project.template_notebook
    nb = json.loads(template.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "Note ajoutée."})
    template.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    assert _stale_by_status(project) == poles
    assert _rebuilt_by_build(project) == poles

    # the grid edited: every pole
    grid = project.grid_file
    grid.write_text(grid.read_text(encoding="utf-8") + "\n# commentaire ajouté\n", encoding="utf-8")
    assert _stale_by_status(project) == poles
    assert _rebuilt_by_build(project) == poles
    assert _stale_by_status(project) == set()


def test_fast_and_plain_paths_give_byte_identical_outputs(project) -> None:
    """Warm kernels, two workers and the cache of checked poles change nothing in the outputs:
    a build made with them and one made without (fresh kernel per pole, one worker, no cache)
    give the same bytes for every notebook, HTML and PDF."""
    fast = run_build(project, jobs=2)
    assert fast.ok, [o.message for o in fast.failed]
    outputs = sorted(
        p for p in project.monographs.iterdir() if p.suffix in (".ipynb", ".html", ".pdf")
    )
    assert {p.suffix for p in outputs} == {".ipynb", ".html", ".pdf"}
    first = {p.name: p.read_bytes() for p in outputs}
    for path in outputs:
        path.unlink()
    plain = run_build(project, jobs=1, reuse_kernel=False, use_cache=False, force=True)
    assert plain.ok, [o.message for o in plain.failed]
    second = {p.name: p.read_bytes() for p in outputs}
    assert [name for name in first if first[name] != second[name]] == []


def test_render_templates_are_inputs(project) -> None:
    """A new citation style, filter or font renders every document again; site pages do not."""
    report = validate_corpus(project)
    corpus = corpus_from_report(project, report)
    before = current_inputs(project, corpus).by_stem
    (project.templates / "site" / "base.html").write_text("{# autre gabarit #}", encoding="utf-8")
    assert current_inputs(project, corpus).by_stem == before
    csl = project.templates / "ptce-auteur-date.csl"
    csl.write_text(csl.read_text(encoding="utf-8") + "<!-- modifié -->", encoding="utf-8")
    after = current_inputs(project, corpus).by_stem
    assert all(after[stem]["rendu"] != before[stem]["rendu"] for stem in before)
