"""Figures kept by a kernel of the live preview: drawn again only when their data changed."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from matplotlib.figure import Figure

from ptce_mono.corpus.referentiel import load_referentiel
from ptce_mono.documents.charts import memory
from ptce_mono.documents.charts import monograph as charts

REPO = Path(__file__).resolve().parents[1]
EVENTS = [{"annee": 2004, "libelle": "Premières rencontres"}, {"annee": 2012, "mois": 3,
          "libelle": "Formalisation de la coopération"}]  # fmt: skip


@pytest.fixture(scope="module")
def ref():
    return load_referentiel(REPO / "data" / "referentiels", "2012")


@pytest.fixture
def draws(monkeypatch):
    """The figures drawn (one entry per drawing), with an empty memory."""
    InteractiveShell.instance()
    memory.forget()
    drawn: list[int] = []
    original = Figure.draw

    def counted(self, renderer):
        drawn.append(id(self))
        return original(self, renderer)

    monkeypatch.setattr(Figure, "draw", counted)
    yield drawn
    memory.forget()


def shown(call) -> list[str]:
    with capture_output() as captured:
        call()
    return [o.data["image/svg+xml"] for o in captured.outputs if "image/svg+xml" in o.data]


def test_a_kept_figure_is_not_drawn_again_and_has_the_same_bytes(draws, ref, monkeypatch):
    cohort = {"median": {o.id: 2.0 for o in ref.objectives}, "poles": 5}
    profile = {o.id: 3.0 for o in ref.objectives}
    drawn = shown(lambda: charts.show_radar(ref, profile, cohort))
    monkeypatch.setenv(memory.ENV_VAR, "1")
    first = shown(lambda: charts.show_radar(ref, profile, cohort))
    assert len(draws) == 2
    again = shown(lambda: charts.show_radar(ref, dict(profile), cohort))  # same content
    assert len(draws) == 2 and again == first == drawn
    changed = shown(lambda: charts.show_radar(ref, {**profile, "a": 1.0}, cohort))
    assert len(draws) == 3 and changed != first
    shown(lambda: charts.show_timeline(EVENTS, "du pôle"))
    shown(lambda: charts.show_timeline([{**EVENTS[0], "mois": 2}, EVENTS[1]], "du pôle"))
    assert len(draws) == 5  # a month added is another figure


def test_without_the_preview_every_figure_is_drawn(draws, monkeypatch):
    monkeypatch.delenv(memory.ENV_VAR, raising=False)
    shown(lambda: charts.show_timeline(EVENTS, "du pôle"))
    shown(lambda: charts.show_timeline(EVENTS, "du pôle"))
    assert len(draws) == 2


def test_arguments_without_a_canonical_form_are_drawn_each_time(draws, monkeypatch):
    monkeypatch.setenv(memory.ENV_VAR, "1")

    class Opaque:  # its content cannot be read: never looked up
        def __init__(self, year: int) -> None:
            self.year = year

    def build(value: Opaque) -> Figure:
        fig = Figure()
        fig.add_subplot().set_title(str(value.year))
        return fig

    assert memory.figure_key(build, (Opaque(2004),)) is None
    assert memory.figure_svg_of(build, Opaque(2004)) != memory.figure_svg_of(build, Opaque(2012))
    assert len(draws) == 2
    assert memory.figure_key(build, ({"a": 1.0, "b": 2},)) != memory.figure_key(
        build, ({"b": 2, "a": 1.0},)
    )  # the order of a mapping may change what is drawn
    assert memory.figure_key(build, (1,)) != memory.figure_key(build, (1.0,))
