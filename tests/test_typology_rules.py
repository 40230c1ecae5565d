"""The 2014 typology recomputed (ptce_mono/analysis/typology.py), on synthetic records and publications.

Every expected value (categories, counts, French sentences, statuses and their reasons) is
written by hand from the rules of docs/architecture.md — published figures beside figures
recomputed from the records; a difference is called one only between the paper and values
independent of it on at least 3 poles — never computed by the code under test."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptce_mono.analysis.typology import (
    AGREES,
    DIFFERS,
    FROM_SOURCE,
    INDEPENDENT,
    READING,
    TAKEN,
    UNVERIFIABLE,
    CasePole,
    Comparison,
    Extract,
    Publication,
    PublishedDimension,
    cell,
    load_publication,
    provenance,
    reading_of,
    reproduce,
    unnamed,
)
from ptce_mono.core.errors import DataFileError
from ptce_mono.core.yamlio import LoadedYaml
from ptce_mono.corpus.records import Pole

SOURCE = "article-2014"  # the publication compared with
OTHER = "autre-source"  # an independent source
EXTRACT = (Extract("texte", "p. 1"),)
FIELD = {"famille": "classification.famille_activite",
         "territoire": "classification.type_territoire", "origine": "classification.origine",
         "groupements": "mutualisations", "lieu": "mutualisations",
         "laureats": "statut.laureat_aap",
         "anciennete": "identite.annee_debut_cooperation"}  # fmt: skip


def pole(slug: str, name: str | None = None, cite: dict | None = None, **facts) -> Pole:
    """A record; ``cite`` maps a dimension id to its citation entry."""
    facts = {"identite": {"nom": name or slug.capitalize()}} | facts
    if "identite_debut" in facts:
        facts["identite"]["annee_debut_cooperation"] = facts.pop("identite_debut")
    if cite:
        facts["citations"] = {FIELD[d]: entry for d, entry in cite.items()}
    return Pole(slug, Path(slug), facts, LoadedYaml(Path(slug) / "pole.yaml", facts))


def dimension(ident: str, values: dict, **kwargs) -> PublishedDimension:
    title = kwargs.pop("title", "Titre de la dimension")
    return PublishedDimension(ident, title, kwargs.pop("published", "publié"), values, EXTRACT,
                              **kwargs)  # fmt: skip


def publication(slugs: list[str], *dimensions: PublishedDimension, year: int = 2011):
    return Publication(SOURCE, "§ 1", year, tuple(CasePole(s, s.upper(), "") for s in slugs),
                       dimensions)  # fmt: skip


def compare(poles: list[Pole], dim: PublishedDimension, slugs: list[str] | None = None):
    slugs = slugs if slugs is not None else [p.slug for p in poles]
    return reproduce(publication(slugs, dim), poles).comparisons[0]


FROM_PAPER = {"source": SOURCE, "passage": "p. 2"}
FROM_OTHER = {"source": OTHER, "passage": "p. 9"}


def read(kind: str = "codage") -> dict:
    return {"source": OTHER, "passage": "p. 9", "lecture": kind}


# --- how each dimension is read from a record ---------------------------------------------------

CODING_CASES = [
    # (dimension, facts of the record, categories recomputed; None = non documenté)
    ("famille", {"classification": {"famille_activite": "production"}}, ("production",)),
    ("famille", {"classification": {"famille_activite": ""}}, None),
    ("famille", {"classification": {}}, None),
    ("territoire", {"classification": {"type_territoire": ["rural", "urbain"]}},
     ("rural", "urbain")),
    ("territoire", {"classification": {"type_territoire": []}}, None),
    ("territoire", {}, None),
    ("origine", {"classification": {"origine": "collectivite"}}, ("collectivite",)),
    ("origine", {}, None),
    ("groupements", {"mutualisations": ["lieux", "groupement-employeurs"]},
     ("groupement-employeurs",)),
    ("groupements", {"mutualisations": ["lieux"]}, None),
    ("groupements", {}, None),
    ("lieu", {"mutualisations": ["groupement-employeurs", "lieux"]}, ("lieux",)),
    ("lieu", {"mutualisations": ["groupement-employeurs"]}, None),
    ("lieu", {}, None),
    ("laureats", {"statut": {"laureat_aap": [2014, 2013]}}, ("laureat",)),
    ("laureats", {"statut": {"laureat_aap": [2014, 2015]}}, None),
    ("laureats", {"statut": {}}, None),
    ("anciennete", {"identite_debut": 2001}, ("10",)),  # in 2011
    ("anciennete", {"identite_debut": "2001"}, None),  # not a year
    ("anciennete", {}, None),
    ("structures", {"mutualisations": ["lieux"]}, None),  # the records hold no member count
    ("inconnue", {"classification": {"famille_activite": "production"}}, None),
]  # fmt: skip


@pytest.mark.parametrize(("ident", "facts", "expected"), CODING_CASES)
def test_each_dimension_is_coded_from_its_own_field(ident, facts, expected) -> None:
    record = pole("a", **facts)
    result = reproduce(publication(["a"], dimension(ident, {"x": 1})), [record])
    assert result.coding == {"a": {ident: expected}}


def test_age_is_counted_at_the_reference_year() -> None:
    record = pole("a", identite_debut=2000)
    result = reproduce(publication(["a"], dimension("anciennete", {}), year=2014), [record])
    assert result.coding["a"]["anciennete"] == ("14",)


# --- provenance of a value and the project's readings --------------------------------------------

PROVENANCE_CASES = [
    # (citations of the record, dimension, provenance, reading)
    ({"famille": FROM_PAPER}, "famille", FROM_SOURCE, None),
    ({"famille": FROM_OTHER}, "famille", INDEPENDENT, None),
    ({"famille": {"passage": "p. 3"}}, "famille", INDEPENDENT, None),  # no source named
    ({"famille": read("inference")}, "famille", READING, "inference"),
    ({"famille": {"source": SOURCE, "lecture": "identification"}}, "famille", READING,
     "identification"),  # a reading of the paper itself is a reading, never the paper
    ({"famille": {"source": OTHER, "lecture": ""}}, "famille", INDEPENDENT, None),
    ({"territoire": FROM_PAPER}, "famille", None, None),  # another field's citation
    ({}, "famille", None, None),
    ({"laureats": read()}, "laureats", READING, "codage"),
    ({"lieu": FROM_PAPER}, "groupements", FROM_SOURCE, None),  # both read mutualisations
    ({"famille": FROM_OTHER}, "structures", None, None),  # no field for the member count
]  # fmt: skip


@pytest.mark.parametrize(("cites", "ident", "origin", "reading"), PROVENANCE_CASES)
def test_provenance_and_reading_of_a_value(cites, ident, origin, reading) -> None:
    record = pole("a", cite=cites)
    assert provenance(record, ident, SOURCE) == origin
    assert reading_of(record, ident) == reading


@pytest.mark.parametrize(
    ("citations", "ident"),
    [
        (["classification.famille_activite"], "famille"),
        ("texte", "famille"),
        ({FIELD["famille"]: "p. 3"}, "famille"),
        ({None: {"source": OTHER, "lecture": "codage"}}, "structures"),  # a YAML « ~: » key
        ({"": {"source": OTHER, "lecture": "codage"}}, "inconnue"),
    ],
)
def test_citations_that_are_not_entries_give_no_provenance(citations, ident) -> None:
    record = pole("a", citations=citations)
    assert provenance(record, ident, SOURCE) is None
    assert reading_of(record, ident) is None


# --- the figures recomputed, sentence by sentence ------------------------------------------------


def test_categories_counted_on_the_documented_base_only() -> None:
    poles = [
        pole("a", "Alpha", cite={"famille": FROM_OTHER},
             classification={"famille_activite": "production"}),
        pole("b", "Bêta", cite={"famille": FROM_OTHER},
             classification={"famille_activite": "industries-culturelles-creatives"}),
        pole("c", "Gamma", cite={"famille": FROM_OTHER},
             classification={"famille_activite": "production"}),
        pole("d", "Delta"),  # undocumented: out of the base, never a « no »
    ]  # fmt: skip
    dim = dimension("famille", {"production": 2, "services-ingenierie": 1})
    c = compare(poles, dim)
    assert c.recomputed == (
        "Production : 2 pôles sur 3 documentés ; Industries culturelles et créatives : 1 pôle "
        "sur 3 documentés (n = 3 sur 4)"
    )
    assert c.documented == ("a", "b", "c") and c.undocumented == ("d",) and c.n == 3
    assert c.counts == {"production": 2, "industries-culturelles-creatives": 1}
    assert c.differences == (
        "Services et ingénierie de développement : l'article donne 1, les fiches 0 (sur 3 pôles "
        "documentés).",
        "1 fiche sur 4 ne documente pas cette dimension : la comparaison ne porte que sur 3 pôles.",
    )
    assert c.raw_agrees is False
    assert (c.status, c.agrees, c.is_comparison) == (DIFFERS, False, True)
    assert c.reason == "valeurs indépendantes de l'article sur 3 pôles"
    assert c.provenance == {"a": INDEPENDENT, "b": INDEPENDENT, "c": INDEPENDENT}
    assert c.independent == ("a", "b", "c")


def test_categories_that_agree_on_three_independent_poles() -> None:
    poles = [
        pole(s, cite={"origine": FROM_OTHER}, classification={"origine": o})
        for s, o in [("a", "collectivite"), ("b", "citoyenne-associative"), ("c", "collectivite")]
    ]
    dim = dimension("origine", {"collectivite": 2, "citoyenne-associative": 1, "autre": 0})
    c = compare(poles, dim)
    assert c.recomputed == (
        "Collectivité territoriale : 2 pôles sur 3 documentés ; Citoyenne et associative : "
        "1 pôle sur 3 documentés (n = 3 sur 3)"
    )
    assert c.differences == () and c.raw_agrees is True
    assert (c.status, c.agrees, c.is_comparison) == (AGREES, True, True)


def test_several_differences_on_a_base_missing_two_records() -> None:
    poles = [
        pole("a", cite={"famille": FROM_OTHER}, classification={"famille_activite": "production"}),
        pole("b"),
        pole("c"),
    ]  # fmt: skip
    c = compare(poles, dimension("famille", {"production": 3, "inconnue": 2},
                                 labels={"inconnue": "Libellé de l'article"}))  # fmt: skip
    assert c.recomputed == "Production : 1 pôle sur 1 documenté (n = 1 sur 3)"
    assert c.differences == (
        "Production : l'article donne 3, les fiches 1 (sur 1 pôle documenté).",
        "Libellé de l'article : l'article donne 2, les fiches 0 (sur 1 pôle documenté).",
        "2 fiches sur 3 ne documentent pas cette dimension : la comparaison ne porte que sur "
        "1 pôle.",
    )
    assert c.status == UNVERIFIABLE
    assert c.reason == "effectif trop faible (n = 1) : rien n'est comparé"
    assert c.agrees is None and not c.is_comparison


def test_named_poles_against_their_coding_with_labels_and_readings() -> None:
    poles = [
        pole("a", "Alpha", cite={"territoire": FROM_OTHER},
             classification={"type_territoire": ["rural"]}),
        pole("b", "Bêta", cite={"territoire": FROM_PAPER},
             classification={"type_territoire": ["urbain"]}),
        pole("c", "Gamma", cite={"territoire": read("inference")},
             classification={"type_territoire": ["rural", "urbain"]}),
        pole("d", "Delta", classification={"type_territoire": ["rural"]}),  # no citation
        pole("e", "Epsilon", cite={"territoire": FROM_OTHER},
             classification={"type_territoire": ["rural"]}),
    ]  # fmt: skip
    dim = dimension("territoire", {"rural": 2, "urbain": 1}, labels={"rural": "ruraux"},
                    named={"rural": ("b", "a", "f")})  # fmt: skip
    c = compare(poles, dim)
    assert c.recomputed == (
        "ruraux : 4 pôles sur 5 documentés ; Urbain : 2 pôles sur 5 documentés (n = 5 sur 5)"
    )
    assert c.differences == (
        "ruraux : l'article donne 2, les fiches 4 (sur 5 pôles documentés).",
        "Urbain : l'article donne 1, les fiches 2 (sur 5 pôles documentés).",
        "ruraux : nommé par l'article mais non codé ainsi dans sa fiche : Bêta et f.",
        "ruraux : codé dans la fiche sans être nommé à ce titre par l'article : Delta et Epsilon.",
        "ruraux : Gamma n'est pas nommé à ce titre par l'article ; sa fiche l'y rattache par une "
        "lecture du projet (inférence), qui ne peut ni confirmer ni contredire l'article.",
    )
    # 2 independent values only: the figures differ, but nothing is contradicted
    assert c.status == TAKEN and c.agrees is None
    assert c.reason == (
        "1 fiche sur 5 reprend l'article lui-même ; 1 valeur est une lecture du projet ; "
        "1 valeur sans source citée ; 2 valeurs seulement d'une autre source : l'accord ne confirme rien et un écart ne "
        "contredit rien"
    )
    assert c.provenance == {"a": INDEPENDENT, "b": FROM_SOURCE, "c": READING, "d": None,
                            "e": INDEPENDENT}  # fmt: skip
    assert c.independent == ("a", "e")


def test_named_poles_all_coded_as_named_agree() -> None:
    poles = [
        pole(s, cite={"territoire": FROM_OTHER}, classification={"type_territoire": [t]})
        for s, t in [("a", "rural"), ("b", "rural"), ("c", "periurbain")]
    ]
    dim = dimension("territoire", {"rural": 2, "periurbain": 1},
                    named={"rural": ("a", "b"), "periurbain": ("c",)})  # fmt: skip
    c = compare(poles, dim)
    assert c.differences == () and c.status == AGREES


def test_categories_without_a_label_are_printed_by_their_key() -> None:
    poles = [
        pole("a", "Alpha", cite={"territoire": FROM_OTHER},
             classification={"type_territoire": ["montagne"]}),
        pole("b", "Bêta", cite={"territoire": read("inference")},
             classification={"type_territoire": ["montagne"]}),
        pole("c", "Gamma", classification={"type_territoire": ["littoral"]}),
    ]  # fmt: skip
    dim = dimension("territoire", {"montagne": 1, "ile": 1}, named={"montagne": ("z",)})
    c = compare(poles, dim)
    assert c.recomputed == (
        "montagne : 2 pôles sur 3 documentés ; littoral : 1 pôle sur 3 documentés (n = 3 sur 3)"
    )
    assert c.differences == (
        "montagne : l'article donne 1, les fiches 2 (sur 3 pôles documentés).",
        "ile : l'article donne 1, les fiches 0 (sur 3 pôles documentés).",
        "montagne : nommé par l'article mais non codé ainsi dans sa fiche : z.",
        "montagne : codé dans la fiche sans être nommé à ce titre par l'article : Alpha.",
        "montagne : Bêta n'est pas nommé à ce titre par l'article ; sa fiche l'y rattache par une "
        "lecture du projet (inférence), qui ne peut ni confirmer ni contredire l'article.",
    )


def test_two_documented_poles_agree_in_the_plural() -> None:
    poles = [
        pole(s, cite={"famille": FROM_OTHER}, classification={"famille_activite": "production"})
        for s in "ab"
    ] + [pole("c")]
    c = compare(poles, dimension("famille", {"production": 3}))
    assert c.differences == (
        "Production : l'article donne 3, les fiches 2 (sur 2 pôles documentés).",
        "1 fiche sur 3 ne documente pas cette dimension : la comparaison ne porte que sur 2 pôles.",
    )


def test_a_reading_without_a_french_label_is_printed_as_written() -> None:
    poles = [
        pole("a", "Alpha", cite={"territoire": read("autre-lecture")},
             classification={"type_territoire": ["rural"]}),
    ]  # fmt: skip
    c = compare(poles, dimension("territoire", {"rural": 1}, named={"rural": ()}))
    assert c.differences == (
        "Rural : Alpha n'est pas nommé à ce titre par l'article ; sa fiche l'y rattache par une "
        "lecture du projet (autre-lecture), qui ne peut ni confirmer ni contredire l'article.",
    )


TAKEN_REASONS = [
    # (provenance of each of the documented poles, reason of the status « reprise »)
    ([FROM_PAPER] * 3, "3 fiches sur 3 reprennent l'article lui-même"),
    ([FROM_PAPER, FROM_OTHER, FROM_OTHER, None],
     "1 fiche sur 4 reprend l'article lui-même ; 1 valeur sans source citée ; 2 valeurs "
     "seulement d'une autre source"),
    ([read(), read("identification"), FROM_OTHER],
     "2 valeurs sont une lecture du projet ; 1 seule valeur d'une autre source"),
    ([None, None, None], "3 valeurs sans source citée"),
    ([FROM_PAPER, FROM_PAPER, read(), read(), FROM_OTHER, FROM_OTHER],
     "2 fiches sur 6 reprennent l'article lui-même ; 2 valeurs sont une lecture du projet ; "
     "2 valeurs seulement d'une autre source"),
]  # fmt: skip


@pytest.mark.parametrize(("cites", "reason"), TAKEN_REASONS)
def test_values_that_repeat_the_paper_are_never_a_comparison(cites, reason) -> None:
    poles = [
        pole(f"p{i}", cite={"famille": c} if c else None,
             classification={"famille_activite": "production"})
        for i, c in enumerate(cites)
    ]  # fmt: skip
    c = compare(poles, dimension("famille", {"production": 1}))
    assert c.status == TAKEN and c.agrees is None and not c.is_comparison
    assert c.raw_agrees is False  # the figures differ, yet nothing is contradicted
    assert c.reason == reason + " : l'accord ne confirme rien et un écart ne contredit rien"


STATUS_BOUNDARY = [
    # (independent poles, poles read by the project, published count, status)
    (3, 0, 3, AGREES),
    (3, 0, 4, DIFFERS),
    (2, 1, 3, TAKEN),
    (4, 0, 4, AGREES),
    (2, 0, 2, UNVERIFIABLE),  # fewer than 3 documented
]


@pytest.mark.parametrize(("independent", "readings", "count", "status"), STATUS_BOUNDARY)
def test_three_independent_values_make_a_comparison(independent, readings, count, status) -> None:
    cites = [FROM_OTHER] * independent + [read()] * readings
    poles = [
        pole(f"p{i}", cite={"famille": c}, classification={"famille_activite": "production"})
        for i, c in enumerate(cites)
    ]  # fmt: skip
    assert compare(poles, dimension("famille", {"production": count})).status == status


def test_too_few_documented_poles_even_when_independent() -> None:
    poles = [
        pole(s, cite={"famille": FROM_OTHER}, classification={"famille_activite": "production"})
        for s in ("a", "b")
    ] + [pole("c"), pole("d")]
    c = compare(poles, dimension("famille", {"production": 2}))
    assert c.recomputed == "Production : 2 pôles sur 2 documentés (n = 2 sur 4)"
    assert c.raw_agrees is True and c.status == UNVERIFIABLE
    assert c.reason == "effectif trop faible (n = 2) : rien n'est comparé"
    assert c.provenance == {"a": INDEPENDENT, "b": INDEPENDENT}


# --- members counted but not named ----------------------------------------------------------------

UNNAMED_CASES = [
    # (dimension, what unnamed() returns, reason of the status)
    (dimension("territoire", {"desindustrialise": 4, "rural": 2},
               named={"desindustrialise": ("a", "b", "c"), "rural": ("a", "b")}),
     [("desindustrialise", 4, 3)],
     "l'article compte 4 pôles (Territoire désindustrialisé) et en nomme 3 : le dernier n'est "
     "pas nommé, aucune fiche ne peut lui être opposée"),
    (dimension("territoire", {"rural": 5}, labels={"rural": "ruraux"},
               named={"rural": ("a", "b", "c")}),
     [("rural", 5, 3)],
     "l'article compte 5 pôles (ruraux) et en nomme 3 : 2 ne sont pas nommés, aucune fiche ne "
     "peut lui être opposée"),
    (dimension("groupements", {"poles": 4}, title="Groupements d'Employeurs",
               named={"groupement-employeurs": ("a", "b", "c")}),
     [("groupement-employeurs", 4, 3)],
     "l'article compte 4 pôles (groupements d'employeurs) et en nomme 3 : le dernier n'est pas "
     "nommé, aucune fiche ne peut lui être opposée"),
    (dimension("famille", {"production": 4, "services-ingenierie": 5},
               named={"production": ("a",), "services-ingenierie": ("b", "c")}),
     [("production", 4, 1), ("services-ingenierie", 5, 2)],
     "l'article compte 4 pôles (Production) et en nomme 1 : 3 ne sont pas nommés, aucune fiche "
     "ne peut lui être opposée ; l'article compte 5 pôles (Services et ingénierie de "
     "développement) et en nomme 2 : 3 ne sont pas nommés, aucune fiche ne peut lui être "
     "opposée"),
]  # fmt: skip


@pytest.mark.parametrize(("dim", "expected", "reason"), UNNAMED_CASES)
def test_members_counted_but_not_named_make_a_count_unverifiable(dim, expected, reason) -> None:
    assert unnamed(dim) == expected
    poles = [
        pole(s, cite={dim.id: FROM_OTHER}, classification={"famille_activite": "production",
             "type_territoire": ["rural"]}, mutualisations=["groupement-employeurs"])
        for s in ("a", "b", "c")
    ]  # fmt: skip
    c = compare(poles, dim)
    assert c.status == UNVERIFIABLE and c.agrees is None
    assert c.reason == reason


@pytest.mark.parametrize(
    "dim",
    [
        dimension("territoire", {"rural": 2}, named={"rural": ("a", "b")}),
        dimension("territoire", {"rural": 1}, named={"rural": ("a", "b")}),
        dimension("territoire", {"rural": 2, "periurbain": 1}, named={"urbain": ("a",)}),
        dimension("laureats", {"laureats": 5, "non_laureats": 7}, named={"laureat": ("a",)}),
    ],
)
def test_every_member_named_or_no_single_count(dim) -> None:
    assert unnamed(dim) == []


def test_unnamed_counts_are_whole_numbers() -> None:
    (row,) = unnamed(dimension("groupements", {"poles": 5.0}, named={"g": ("a",)}))
    assert row == ("g", 5, 1) and type(row[1]) is int


# --- the dimensions with their own rule -----------------------------------------------------------


def _aged(starts: list[int | str | None]) -> list[Pole]:
    return [
        pole(f"p{i}", cite={"anciennete": FROM_OTHER},
             **({"identite_debut": s} if s is not None else {}))
        for i, s in enumerate(starts)
    ]  # fmt: skip


def test_age_range_and_poles_over_ten_years() -> None:
    poles = _aged([2000, 2004, 1991, 2001, "2001", None])  # in 2011: 11, 7, 20, 10
    published = "de 7 à 20 ans ; 2 pôles de plus de 10 ans"
    dim = dimension("anciennete", {"minimum": 7, "maximum": 20, "plus_de_10_ans": 2},
                    published=published)  # fmt: skip
    c = compare(poles, dim)
    assert c.recomputed == "de 7 à 20 ans ; 2 pôles de plus de 10 ans (n = 4 sur 6)"
    assert c.counts == {"11": 1, "7": 1, "20": 1, "10": 1}
    assert c.documented == ("p0", "p1", "p2", "p3") and c.undocumented == ("p4", "p5")
    assert c.raw_agrees is True and c.differences == () and c.status == AGREES


@pytest.mark.parametrize(
    "values",
    [
        {"minimum": 8, "maximum": 20, "plus_de_10_ans": 2},
        {"minimum": 7, "maximum": 21, "plus_de_10_ans": 2},
        {"minimum": 7, "maximum": 20, "plus_de_10_ans": 3},
        {"maximum": 20, "plus_de_10_ans": 2},
    ],
)
def test_age_differs_on_any_of_its_three_figures(values) -> None:
    poles = _aged([2000, 2004, 1991, 2001])
    dim = dimension("anciennete", values, published="de 8 à 21 ans ; 3 pôles")
    c = compare(poles, dim)
    assert c.raw_agrees is False and c.status == DIFFERS
    assert c.differences == (
        "L'article donne de 8 à 21 ans ; 3 pôles ; les 4 fiches qui documentent l'année de début "
        "donnent de 7 à 20 ans ; 2 pôles de plus de 10 ans (n = 4 sur 4).",
    )


def test_age_of_a_single_pole() -> None:
    c = compare(_aged([2001]), dimension("anciennete", {"minimum": 10}, published="10 ans"))
    assert c.recomputed == "de 10 à 10 ans ; 0 pôle de plus de 10 ans (n = 1 sur 1)"
    assert c.differences == (
        "L'article donne 10 ans ; les 1 fiche qui documentent l'année de début donnent de 10 à "
        "10 ans ; 0 pôle de plus de 10 ans (n = 1 sur 1).",
    )


def test_shared_place_is_never_recomputed_as_a_share() -> None:
    poles = [
        pole("a", cite={"lieu": FROM_OTHER}, mutualisations=["lieux"]),
        pole("b", mutualisations=["groupement-employeurs"]),
        pole("c"),
    ]
    c = compare(poles, dimension("lieu", {"part": 60}))
    assert c.recomputed == "1 pôle sur 3 documenté avec ce fait ; 2 non documentés"
    assert c.differences == (
        "Aucune fiche ne dit qu'un pôle n'a pas de lieu partagé : la part ne peut pas être "
        "recalculée sur une base documentée (1 pôle documenté avec un lieu partagé, "
        "2 non documentés).",
    )
    assert c.counts == {"lieux": 1} and c.raw_agrees is False and c.status == UNVERIFIABLE
    assert c.documented == ("a",) and c.undocumented == ("b", "c")


def test_shared_place_on_two_poles() -> None:
    poles = [pole(s, mutualisations=["lieux"]) for s in "ab"]
    c = compare([*poles, pole("c")], dimension("lieu", {"part": 60}))
    assert c.recomputed == "2 pôles sur 3 documentés avec ce fait ; 1 non documenté"
    assert c.differences == (
        "Aucune fiche ne dit qu'un pôle n'a pas de lieu partagé : la part ne peut pas être "
        "recalculée sur une base documentée (2 pôles documentés avec un lieu partagé, "
        "1 non documenté).",
    )


def test_shared_place_on_many_poles() -> None:
    poles = [pole(s, cite={"lieu": FROM_OTHER}, mutualisations=["lieux"]) for s in "abc"]
    c = compare([*poles, pole("d")], dimension("lieu", {"part": 75}))
    assert c.recomputed == "3 pôles sur 4 documentés avec ce fait ; 1 non documenté"
    assert c.differences == (
        "Aucune fiche ne dit qu'un pôle n'a pas de lieu partagé : la part ne peut pas être "
        "recalculée sur une base documentée (3 pôles documentés avec un lieu partagé, "
        "1 non documenté).",
    )
    assert c.status == DIFFERS  # three independent values, a share that cannot be recomputed


def _grouped(slugs: str, members: str) -> list[Pole]:
    return [
        pole(s, s.upper() * 2, cite={"groupements": FROM_OTHER},
             mutualisations=["groupement-employeurs"] if s in members else ["lieux"])
        for s in slugs
    ]  # fmt: skip


def test_employer_groups_named_and_coded_agree() -> None:
    poles = _grouped("abcd", "abc")
    dim = dimension("groupements", {"poles": 3}, named={"groupement-employeurs": ("a", "b", "c")})
    c = compare(poles, dim)
    assert c.recomputed == "3 pôles sur 4 documentés avec ce fait ; 1 non documenté"
    assert c.documented == ("a", "b", "c") and c.counts == {"groupement-employeurs": 3}
    assert c.differences == () and c.raw_agrees is True and c.status == AGREES


def test_employer_groups_every_difference() -> None:
    poles = _grouped("abcde", "bcde")
    dim = dimension("groupements", {"poles": 6},
                    named={"groupement-employeurs": ("a", "b", "c")})  # fmt: skip
    c = compare(poles, dim)
    assert c.recomputed == "4 pôles sur 5 documentés avec ce fait ; 1 non documenté"
    assert c.differences == (
        "L'article donne 6 pôles, les fiches en documentent 4.",
        "Nommés par l'article mais non codés dans leur fiche : AA.",
        "Codés dans leur fiche sans être nommés par l'article : DD et EE.",
        "L'article nomme 3 de ces 6 pôles ; le dernier n'est pas nommé, sa fiche ne peut donc "
        "pas être codée.",
    )
    assert c.raw_agrees is False
    assert c.status == UNVERIFIABLE  # 3 of 6 members named
    assert c.reason.startswith("l'article compte 6 pôles (titre de la dimension) et en nomme 3 : ")


def test_laureates_listed_and_the_others_left_undocumented() -> None:
    poles = [
        pole(s, s.upper(), cite={"laureats": FROM_OTHER}, statut={"laureat_aap": [2013]})
        for s in "abc"
    ] + [pole("d", "D", statut={"laureat_aap": [2015]}), pole("e", "E")]  # fmt: skip
    dim = dimension("laureats", {"laureats": 3, "non_laureats": 2},
                    named={"laureat": ("a", "b", "c")})  # fmt: skip
    c = compare(poles, dim)
    assert c.recomputed == "3 pôles sur 5 documentés avec ce fait ; 2 non documentés"
    assert c.differences == (
        "Les fiches n'enregistrent que les années de lauréat : les 2 autres pôles y restent "
        "non documentés, ce qui ne contredit pas la liste des non-lauréats de l'article sans la "
        "confirmer.",
    )
    # the figures agree (a note on the others is no difference): three independent values
    assert c.raw_agrees is True and c.status == AGREES


def test_laureates_a_coded_pole_the_paper_does_not_name_is_no_difference() -> None:
    poles = [
        pole(s, s.upper(), cite={"laureats": FROM_OTHER}, statut={"laureat_aap": [2013]})
        for s in "abcd"
    ]  # fmt: skip
    dim = dimension("laureats", {"laureats": 3}, named={"laureat": ("a", "b", "x")})
    c = compare(poles, dim)
    assert c.differences == (
        "L'article donne 3 pôles, les fiches en documentent 4.",
        "Nommés par l'article mais non codés dans leur fiche : x.",
    )
    assert c.raw_agrees is False and c.status == DIFFERS


def test_no_record_documents_a_dimension() -> None:
    c = compare([pole("a"), pole("b")], dimension("famille", {"production": 2}))
    assert c.recomputed == "non documenté (n = 0 sur 2)"
    assert c.documented == () and c.undocumented == ("a", "b") and c.counts == {}
    assert c.raw_agrees is None
    assert c.differences == (
        "Aucune des 2 fiches ne documente cette dimension : le chiffre publié ne peut être ni "
        "confirmé ni contredit.",
    )
    assert c.status == UNVERIFIABLE and c.reason == "aucune fiche ne documente cette dimension"
    assert c.provenance == {}


def test_member_count_is_never_recomputed() -> None:
    poles = [pole(s, cite={"lieu": FROM_OTHER}, mutualisations=["lieux"]) for s in "abc"]
    c = compare(poles, dimension("structures", {"moyenne": 20}))
    assert c.recomputed == "non documenté (n = 0 sur 3)"
    assert c.documented == () and c.undocumented == ("a", "b", "c") and c.counts == {}
    assert c.raw_agrees is None
    assert c.differences == (
        "Les fiches ne donnent pas le nombre de structures membres de chaque pôle : la moyenne "
        "publiée ne peut pas être recalculée.",
    )
    assert c.status == UNVERIFIABLE and c.reason == "aucune fiche ne documente cette dimension"


# --- the whole reproduction ------------------------------------------------------------------


def test_reproduction_keeps_the_papers_order_and_names_missing_records() -> None:
    a = pole("a", "Alpha", cite={"famille": read("identification")},
             classification={"famille_activite": "production"})  # fmt: skip
    c = pole("c", "Gamma", classification={"origine": "autre"})
    stranger = pole("z", "Zêta", classification={"famille_activite": "production"})
    famille, origine = dimension("famille", {"production": 1}), dimension("origine", {"autre": 1})
    pub = Publication(SOURCE, "§ 1", 2011, (CasePole("c", "Gamma imprimé", "note 1"),
                      CasePole("b", "Bêta", "note 2"), CasePole("a", "Alpha", "note 3")),
                      (famille, origine))  # fmt: skip
    result = reproduce(pub, [stranger, a, c])
    assert result.publication is pub
    assert [p.slug for p in result.found] == ["c", "a"] and result.n == 2
    assert result.missing == (CasePole("b", "Bêta", "note 2"),)
    assert result.coding == {
        "c": {"famille": None, "origine": ("autre",)},
        "a": {"famille": ("production",), "origine": None},
    }
    assert result.readings == {
        "c": {"famille": None, "origine": None},
        "a": {"famille": "identification", "origine": None},
    }
    assert [x.dimension.id for x in result.comparisons] == ["famille", "origine"]
    assert result.comparison("origine").recomputed == "Autre : 1 pôle sur 1 documenté (n = 1 sur 2)"
    assert result.comparison("famille").provenance == {"a": READING}
    assert result.comparison("structures") is None
    assert pub.slugs == ("c", "b", "a")


def test_names_of_the_records_not_of_the_paper_in_the_differences() -> None:
    poles = [
        pole(s, n, cite={"groupements": FROM_OTHER}, mutualisations=["lieux"])
        for s, n in [("a", "Alpha"), ("b", "Bêta"), ("c", "Gamma")]
    ] + [pole("d", "Delta", mutualisations=["groupement-employeurs"])]  # fmt: skip
    dim = dimension("groupements", {"poles": 1}, named={"groupement-employeurs": ("a", "b", "c")})
    c = compare(poles, dim)
    assert c.differences == (
        "Nommés par l'article mais non codés dans leur fiche : Alpha, Bêta et Gamma.",
        "Codés dans leur fiche sans être nommés par l'article : Delta.",
    )


def test_comparison_agrees_only_for_a_real_comparison() -> None:
    dim = dimension("famille", {})
    base = Comparison(dim, "", ("a", "b"), (), {}, True, (),
                      provenance={"a": INDEPENDENT, "b": FROM_SOURCE})  # fmt: skip
    assert (base.status, base.agrees, base.is_comparison) == (UNVERIFIABLE, None, False)
    assert base.independent == ("a",) and base.n == 2
    from dataclasses import replace

    assert replace(base, status=AGREES).agrees is True
    assert replace(base, status=DIFFERS).agrees is False
    assert replace(base, status=TAKEN).agrees is None
    assert not replace(base, status=TAKEN).is_comparison


# --- the per-pole table cell ------------------------------------------------------------------

CELL_CASES = [
    (None, None, None, "non documenté"),
    ((), {"a": "A"}, "codage", "non documenté"),
    (("rural", "urbain"), None, None, "rural, urbain"),
    (("rural", "urbain"), {"rural": "ruraux"}, "", "ruraux, urbain"),
    (("rural",), {"rural": "ruraux"}, "codage", "ruraux (lecture du projet : codage)"),
    (("rural",), None, "inference", "rural (lecture du projet : inférence)"),
    (("rural",), None, "autre", "rural (lecture du projet : autre)"),
]


@pytest.mark.parametrize(("categories", "labels", "reading", "text"), CELL_CASES)
def test_cell_of_the_per_pole_table(categories, labels, reading, text) -> None:
    assert cell(categories, labels, reading) == text


def test_cell_without_a_reading_argument() -> None:
    assert cell(("a", "b")) == "a, b"
    assert cell(("a",), {"a": "A"}) == "A"


# --- the published figures file ---------------------------------------------------------------

PUBLICATION_YAML = """\
source: article-test
passage: "§ 2"
annee_reference: 2011
poles:
  - {fiche: a, nom: Alpha, passage: note 1}
  - {fiche: b, nom: Bêta}
dimensions:
  - id: territoire
    titre: Type de territoire
    publie: 2 ruraux
    valeurs: {rural: 2, urbain: 1.5}
    libelles: {rural: ruraux}
    nommes: {rural: [a, b]}
    remarque: Une remarque.
    non_nommes: {rural: [Ailleur]}
    extraits:
      - texte: "Deux ruraux (Alpah, Ailleur)"
        passage: p. 3
        sic: [Alpah, Ailleur]
      - {texte: "Rien d'autre", passage: p. 4}
  - id: lieu
    titre: Lieu
    publie: 60 %
    valeurs: {part: 60}
    extraits:
      - {texte: "60 %", passage: p. 5}
"""


def test_published_figures_are_read_with_their_extracts(tmp_path: Path) -> None:
    path = tmp_path / "pub.yaml"
    path.write_text(PUBLICATION_YAML, encoding="utf-8")
    expected = Publication(
        "article-test", "§ 2", 2011,
        (CasePole("a", "Alpha", "note 1"), CasePole("b", "Bêta", "")),
        (
            PublishedDimension(
                "territoire", "Type de territoire", "2 ruraux", {"rural": 2.0, "urbain": 1.5},
                (Extract("Deux ruraux (Alpah, Ailleur)", "p. 3", ("Alpah", "Ailleur")),
                 Extract("Rien d'autre", "p. 4")),
                labels={"rural": "ruraux"}, named={"rural": ("a", "b")}, remark="Une remarque.",
                unnamed_entries={"rural": ("Ailleur",)},
            ),
            PublishedDimension("lieu", "Lieu", "60 %", {"part": 60.0},
                               (Extract("60 %", "p. 5"),)),
        ),
    )  # fmt: skip
    loaded = load_publication(path)
    assert loaded == expected
    assert loaded.dimensions[0].extracts[0].shown == "Deux ruraux (Alpah [sic], Ailleur [sic])"
    assert loaded.dimensions[1].labels == {} and loaded.dimensions[1].named == {}
    assert loaded.dimensions[1].remark == "" and loaded.dimensions[1].unnamed_entries == {}


def test_optional_passages_may_be_absent(tmp_path: Path) -> None:
    path = tmp_path / "pub.yaml"
    path.write_text(PUBLICATION_YAML.replace('passage: "§ 2"\n', ""), encoding="utf-8")
    assert load_publication(path).passage == ""


# (replace this, by that) in PUBLICATION_YAML → line and message of the error
PUBLICATION_ERRORS = [
    ("source: article-test", "source: ''", 1, "champ « source » manquant ou vide"),
    ("annee_reference: 2011", "annee_reference: '2011'", 3,
     "champ annee_reference : une année attendue"),
    ("annee_reference: 2011\n", "", 1, "champ annee_reference : une année attendue"),
    ("fiche: a,", "fiche: '',", 5, "champ « poles.0.fiche » manquant ou vide"),
    ("nom: Bêta", "nom: ~", 6, "champ « poles.1.nom » manquant ou vide"),
    ("    titre: Type de territoire\n", "", 8, "champ « dimensions.0.titre » manquant ou vide"),
    ("    publie: 60 %\n", "", 21, "champ « dimensions.1.publie » manquant ou vide"),
    ("  - id: lieu\n", "  - ident: lieu\n", 21, "champ « dimensions.1.id » manquant ou vide"),
    ("valeurs: {part: 60}", "valeurs: {}", 21, "champ « dimensions.1.valeurs » manquant ou vide"),
    ("valeurs: {part: 60}", "valeurs: {part: oui}", 21,
     "champ « dimensions.1.valeurs » : des nombres attendus"),
    ("valeurs: {part: 60}", "valeurs: {part: true}", 21,
     "champ « dimensions.1.valeurs » : des nombres attendus"),
    ("valeurs: {part: 60}", "valeurs: [60]", 21,
     "champ « dimensions.1.valeurs » : des nombres attendus"),
    ("      - {texte: \"60 %\", passage: p. 5}\n", "", 21,
     "champ « dimensions.1.extraits » manquant ou vide"),
    ("{texte: \"60 %\", passage: p. 5}", "{texte: \"60 %\"}", 26,
     "champ « dimensions.1.extraits.0.passage » manquant ou vide"),
    ("{texte: \"Rien d'autre\", passage: p. 4}", "{passage: p. 4}", 20,
     "champ « dimensions.0.extraits.1.texte » manquant ou vide"),
    ("sic: [Alpah, Ailleur]", "sic: [Alpha]", 17,
     "champ « dimensions.0.extraits.0.sic » : une liste de mots tels qu'imprimés dans le texte "
     "de l'extrait est attendue"),
    ("sic: [Alpah, Ailleur]", "sic: Alpah", 17,
     "champ « dimensions.0.extraits.0.sic » : une liste de mots tels qu'imprimés dans le texte "
     "de l'extrait est attendue"),
    ("sic: [Alpah, Ailleur]", "sic: [1]", 17,
     "champ « dimensions.0.extraits.0.sic » : une liste de mots tels qu'imprimés dans le texte "
     "de l'extrait est attendue"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "line", "message"), PUBLICATION_ERRORS)
def test_a_bad_published_figures_file_names_its_field_and_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    assert old in PUBLICATION_YAML
    path = tmp_path / "pub.yaml"
    path.write_text(PUBLICATION_YAML.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_publication(path)
    assert (error.value.detail, error.value.line) == (message, line)
    assert str(error.value) == f"{path}:{line}: {message}"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("- a\n- b\n", "le fichier doit être un dictionnaire de champs", 1),
        ("source: x\nannee_reference: 2011\ndimensions: []\n",
         "champ « poles » manquant ou vide", 1),
        ("source: x\nannee_reference: 2011\n\npoles: [{fiche: a, nom: A}]\n",
         "champ « dimensions » manquant ou vide", 1),
        ("source: x\nannee_reference: 2011\npoles: [{fiche: a, nom: A}]\ndimensions: []\n",
         "champ « dimensions » manquant ou vide", 4),
        ("source: x\npoles:\n  - texte\n", "champ « poles.0.fiche » manquant ou vide", 3),
        ("source: x\n\n\npoles: []\n", "champ « poles » manquant ou vide", 4),
    ],
)  # fmt: skip
def test_a_published_figures_file_of_the_wrong_shape(tmp_path, text, message, line) -> None:
    path = tmp_path / "pub.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_publication(path)
    assert (error.value.detail, error.value.line) == (message, line)


EXTRACT_CASES = [
    (Extract("a b a", "p. 1", ("a",)), "a [sic] b a [sic]"),
    (Extract("Nord pas ce Calais", "p. 1"), "Nord pas ce Calais"),
    (Extract("x y", "p. 1", ("x", "y")), "x [sic] y [sic]"),
]


@pytest.mark.parametrize(("extract", "shown"), EXTRACT_CASES)
def test_a_kept_misprint_is_marked_sic(extract, shown) -> None:
    assert extract.shown == shown
