"""Charts of the transversal analysis build on the fictional corpus and on empty or sparse ones."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import PathPatch

from ptce_mono.analysis import aggregate as agg
from ptce_mono.analysis.cohort import compute_cohort
from ptce_mono.core.yamlio import LoadedYaml
from ptce_mono.corpus.records import Pole, load_corpus
from ptce_mono.corpus.referentiel import load_referentiel
from ptce_mono.documents.charts import radar
from ptce_mono.documents.charts import transversal as charts

REPO = Path(__file__).resolve().parents[1]
GEO = REPO / "data" / "geo"


def sparse_poles() -> list[Pole]:
    facts = {"identite": {"nom": "Pôle peu documenté"}}
    return [Pole("peu", Path("peu"), facts, LoadedYaml(Path("peu/pole.yaml"), facts))]


@pytest.fixture(scope="module")
def ref():
    return load_referentiel(REPO / "data" / "referentiels", "2012")


@pytest.fixture
def corpora(project):
    corpus = load_corpus(project)
    return {"fictif": list(corpus.poles), "vide": [], "clairseme": sparse_poles()}, corpus.grid


def build_all(poles, grid, ref) -> list:
    rows, summary = agg.animation_shares(poles)
    names = {p.slug: p.name for p in poles}
    cohort = compute_cohort(poles, ref)
    profiles = agg.profiles(poles, ref)
    first = next(iter(profiles.values()), {})
    return [
        charts.build_map({s.key: s.count for s in agg.poles_by_departement(poles).items}, GEO),
        charts.build_distribution(agg.legal_statuses(poles), "Statuts"),
        charts.build_distribution(agg.mutualisations(poles), "Mutualisations"),
        charts.build_distribution(agg.poles_by_region(poles), "Régions", percent=False),
        charts.build_animation(rows, summary),
        charts.build_indicator_means(agg.indicator_means(poles, ref), ref),
        charts.build_objective_profile(agg.objective_summaries(poles, ref), ref),
        radar.build_radar(ref, first, cohort),
        charts.build_small_multiples(ref, [(names[s], p) for s, p in profiles.items()], cohort),
        charts.build_dendrogram(agg.cluster_poles(poles, ref), names),
        charts.build_coverage_heatmap(agg.coverage_matrix(poles, grid), {}, names),
    ]


def marks(fig) -> int:
    """Data drawn on the figure: bars, lines, patches, images."""
    return sum(len(ax.patches) + len(ax.lines) + len(ax.collections) + len(ax.images)
               for ax in fig.axes)  # fmt: skip


def words(fig) -> str:
    """Every text shown on the figure: titles, annotations, notices."""
    texts = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        texts += [ax.get_title(loc=loc) for loc in ("left", "center", "right")]
        texts += [t.get_text() for t in ax.texts]
    return "\n".join(t for t in texts if t)


# What each chart of build_all shows on the fictional corpus (tests/fixtures/corpus/README.md).
FICTIONAL_WORDS = [
    None,  # the map: no title, coloured departements (tested below)
    "Statuts (n = 16 structures)",
    "Mutualisations (n = 4 pôles)",
    "Régions (n = 4 pôles)",
    "Part des ETP consacrée à l'animation (n = 4 pôles)",
    "Score moyen par indicateur (n = 3 pôles)",
    "Profil moyen par objectif principal (n = 3 pôles)",
    None,  # the radar of one pole (tested below)
    "Pôle fictif des Vallons",
    "pas de classification (n = 4)",  # 4 poles documented on the typology, fewer than 5
    None,  # the coverage heatmap
]


def test_every_chart_draws_the_fictional_corpus(corpora, ref) -> None:
    corpora_, grid = corpora
    figures = build_all(corpora_["fictif"], grid, ref)
    assert len(figures) == len(FICTIONAL_WORDS)
    for index, (fig, expected) in enumerate(zip(figures, FICTIONAL_WORDS, strict=True)):
        fig.canvas.draw()
        if expected is not None:
            assert expected in words(fig), (index, words(fig))
        if index != 9:  # the dendrogram declines to classify four poles
            assert marks(fig) > 0, index
        else:
            assert marks(fig) == 0
        plt.close(fig)


@pytest.mark.parametrize("which", ["vide", "clairseme"])
def test_every_chart_of_an_undocumented_corpus_says_so(corpora, ref, which) -> None:
    """No bar or line is drawn from nothing: each chart shows a French notice with n = 0 (the
    map keeps the outline of the departements; the heatmap shows the one sparse pole)."""
    corpora_, grid = corpora
    figures = build_all(corpora_[which], grid, ref)
    for index, fig in enumerate(figures):
        fig.canvas.draw()
        text = words(fig)
        if index == 0:
            assert "aucun département documenté (n = 0)" in text
        elif index == 7:
            assert text == "non noté"
        elif index == 10 and which == "clairseme":
            assert marks(fig) == 1  # one row of the coverage matrix
            plt.close(fig)
            continue
        else:
            assert "(n = 0" in text, (index, text)
        assert marks(fig) == (96 if index == 0 else 0), index
        plt.close(fig)


def test_map_has_one_patch_per_departement(ref) -> None:
    features = json.loads((GEO / charts.GEOJSON).read_text(encoding="utf-8"))["features"]
    fig = charts.build_map({"26": 1, "59": 2, "974": 1}, GEO)
    patches = [p for p in fig.axes[0].patches if isinstance(p, PathPatch)]
    assert len(patches) == len(features) == 96
    colours = {p.get_gid(): p.get_facecolor() for p in patches}
    assert colours["dep-26"] != colours["dep-35"]  # a pole in Drôme, none in Ille-et-Vilaine
    assert colours["dep-59"] != colours["dep-26"]  # two poles are darker than one
    texts = [t.get_text() for t in fig.texts]
    assert any("Outre-mer" in t for t in texts)
    plt.close(fig)


def test_low_base_and_empty_notices_in_french(ref) -> None:
    fig = charts.build_distribution(agg.legal_statuses(sparse_poles()), "Statuts")
    title = fig.axes[0].get_title(loc="left")
    assert "n = 0" in title and "effectif trop faible (n = 0)" in title
    assert any("non documenté" in t.get_text() for t in fig.axes[0].texts)
    plt.close(fig)
    fig = charts.build_dendrogram(agg.cluster_poles([], ref), {})
    assert any("pas de classification (n = 0)" in t.get_text() for t in fig.axes[0].texts)
    plt.close(fig)


def test_radar_compares_pole_and_median(project, ref) -> None:
    poles = load_corpus(project).poles
    cohort = compute_cohort(poles, ref)
    fig = radar.build_radar(ref, agg.profiles(poles, ref)["vallons-fictifs"], cohort)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["médiane des pôles (n = 3)", "ce pôle"]
    assert len(fig.axes[0].get_xticklabels()) == 9
    plt.close(fig)


def test_map_legend_and_paris_inset() -> None:
    fig = charts.build_map({"75": 2, "93": 1, "35": 3}, GEO)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["1 pôle", "2 pôles", "3 pôles ou plus", "aucun pôle documenté"]
    inset = fig.axes[1]
    assert inset.get_title() == "Île-de-France agrandie"
    assert {t.get_text() for t in inset.texts} == {"Paris : 2", "Seine-Saint-Denis : 1"}
    plt.close(fig)


def test_heatmap_labels_are_full_pole_names_at_print_size(corpora, ref) -> None:
    poles, grid = corpora[0]["fictif"], corpora[1]
    names = {p.slug: p.name for p in poles}
    fig = charts.build_coverage_heatmap(agg.coverage_matrix(poles, grid), {}, names)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == sorted(names.values(), key=str.lower)
    assert fig.get_figwidth() <= 6.3  # printed at most at its own size: 8 pt stays >= 7 pt
    # printed at 88 % of a 16.4 cm text width: 5.7 in for at most 6.3 in drawn
    assert min(t.get_fontsize() for t in ax.get_yticklabels()) * 5.68 / 6.3 >= 7
    plt.close(fig)


def test_apostrophes_are_typographic_without_drawing_first() -> None:
    """Category names, fixed labels and labels of a function all get ’, computed at draw time
    by the formatters (the figure is not drawn beforehand); numbers are untouched."""
    from matplotlib.ticker import FuncFormatter

    from ptce_mono.documents.charts.typographic import french_apostrophes

    fig, (left, right) = plt.subplots(1, 2)
    left.barh(["Groupement d'employeurs", "Lieu"], [2, 1])
    left.set_title("Mutualisations d'un pôle")
    right.bar([0, 1], [3, 4])
    right.set_xticks([0, 1], ["l'un", "l'autre"])
    right.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f} d'ETP"))
    french_apostrophes(fig)
    fig.canvas.draw()
    texts = [
        t.get_text() for ax in (left, right) for t in ax.get_xticklabels() + ax.get_yticklabels()
    ]
    texts.append(left.get_title())
    plt.close(fig)
    assert (
        "Groupement d’employeurs" in texts
        and "l’autre" in texts
        and "Mutualisations d’un pôle" in texts
    )
    assert any(t.endswith("d’ETP") for t in texts)
    assert not any("'" in t for t in texts)
    assert "0.0" in texts or "0" in texts or any(t.startswith("0") for t in texts)  # numbers stay


def svg_and_draws(fig):
    """The figure's SVG by the one SVG writer, and every drawing of the figure it made."""
    from matplotlib.figure import Figure

    from ptce_mono.documents.charts.svg import figure_svg

    draws = []
    original = Figure.draw

    def counted(self, renderer):
        draws.append(renderer)
        return original(self, renderer)

    Figure.draw = counted
    try:
        return figure_svg(fig), draws
    finally:
        Figure.draw = original


def test_figure_svg_draws_once_and_shows_what_lies_outside_the_axes(ref) -> None:
    """One drawing per SVG (``bbox_inches="tight"`` drew twice), and the same extent as a
    tight box: a legend set beside the radar is inside the view box, on a white ground, with
    the margin of the tight box; two SVGs of the same figure are byte-identical."""
    import io
    import re

    from ptce_mono.documents.charts.svg import FIGURE_PAD_INCHES, figure_svg

    cohort = {"median": {o.id: 2.0 for o in ref.objectives}, "poles": 5}
    fig = radar.build_radar(ref, {o.id: 3.0 for o in ref.objectives}, cohort)
    svg, draws = svg_and_draws(fig)
    assert len(draws) == 1
    size = re.compile(r'width="([\d.]+)pt" height="([\d.]+)pt"')
    buffer = io.StringIO()  # what a tight box gives, drawn twice
    fig.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=FIGURE_PAD_INCHES)
    tight = [float(v) for v in size.search(buffer.getvalue()).groups()]
    drawn = [float(v) for v in size.search(svg).groups()]
    assert all(abs(a - b) < 0.01 for a, b in zip(drawn, tight, strict=True)), (drawn, tight)
    # the legend (bbox_to_anchor 1.35 of the axes) lies beyond the figure's own canvas
    x, y, w, h = (float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split())
    assert x + w > 72 * fig.get_figwidth()
    ground = re.search(r'<g id="patch_1">\s*<path d="M ([^"]+) z', svg).group(1)
    corners = [tuple(float(v) for v in p.split()) for p in ground.replace("L", ",").split(",")]
    assert {round(c[0], 3) for c in corners} == {round(x, 3), round(x + w, 3)}
    assert {round(c[1], 3) for c in corners} == {round(y, 3), round(y + h, 3)}
    assert figure_svg(fig) == svg
    plt.close(fig)


def test_figure_svg_draws_a_tight_layout_figure_once() -> None:
    """After ``fig.tight_layout()`` (a placeholder engine is left on the figure), the SVG is
    still one drawing, and the figure keeps its engine."""
    from ptce_mono.documents.charts.monograph import build_employment

    fig = build_employment([{"annee": 2014, "etp": 3.0, "etp_animation": 1.0},
                            {"annee": 2015, "etp": 4.5, "etp_animation": 1.5}])  # fmt: skip
    engine = fig.get_layout_engine()
    assert engine is not None  # what tight_layout leaves
    svg, draws = svg_and_draws(fig)
    assert len(draws) == 1 and "<svg" in svg
    assert fig.get_layout_engine() is engine
    plt.close(fig)
