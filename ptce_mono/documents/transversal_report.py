"""The framing parts that make the transversal analysis a research report: research questions,
the sample (which poles, why, from which sources, with n), the method and how the document was
made, a discussion against the sources it cites, its limits and « Pour citer ». The findings
themselves are in :mod:`ptce_mono.documents.transversal`; these parts only frame them.

Everything said here is computed from the corpus (counts, dates, genres of the pole documents);
the questions restate the 2013 plan of action, quoted in the title part.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..analysis.corpus_facts import document_basis, reviewed_on
from ..analysis.genre import Genre, pole_genre
from ..core.fr import count_or_none, format_number, plural, typography, words
from ..corpus.identity import ProjectIdentity, load_identity
from .citation import DocumentCitation, cite_block, to_mapping
from .display import escape_markdown_html, show_document, show_markdown
from .transversal import TransversalContext, _cite, _table

TITLE = "Analyse transversale des PTCE"
TABLE_MARK = "§§TABLEAU-DES-DOCUMENTS§§"  # where show_framing puts the numbered table
GENRE = "Analyse transversale"


@dataclass(frozen=True)
class Sample:
    """The poles of the analysis and what their documents rest on (pure data)."""

    n: int
    temoins: int  # pôles témoins of 2012
    laureats: int  # winners of a call for projects
    genres: Counter[Genre]
    with_fieldwork: int
    interviews: int
    answers: int
    sources: dict[str, tuple[str, int | None, int]]  # title → (title, year, poles citing it)
    readings: int
    sections_missing: int
    sections_total: int


def sample_of(ctx: TransversalContext) -> Sample:
    genres: Counter[Genre] = Counter()
    sources: dict[str, tuple[str, int | None, int]] = {}
    fieldwork = interviews = answers = readings = missing = total = 0
    for pole in ctx.poles:
        basis = document_basis(pole, ctx.corpus)
        genres[pole_genre(basis, reviewed_on(pole))] += 1
        fieldwork += basis.has_fieldwork
        interviews += len(basis.interviews)
        answers += basis.answers
        readings += basis.readings
        missing += basis.sections_missing
        total += basis.sections_total
        for title, year in dict.fromkeys(basis.documents):  # not a set: the order is the files'
            _, _, count = sources.get(title, (title, year, 0))
            sources[title] = (title, year, count + 1)
    return Sample(
        n=len(ctx.poles),
        temoins=sum(1 for p in ctx.poles if p.get("statut.pole_temoin_2012") is True),
        laureats=sum(1 for p in ctx.poles if p.get("statut.laureat_aap")),
        genres=genres, with_fieldwork=fieldwork, interviews=interviews, answers=answers,
        sources=sources, readings=readings, sections_missing=missing, sections_total=total,
    )  # fmt: skip


def _genres_phrase(genres: Counter[Genre]) -> str:
    parts = []
    for genre in Genre:
        if genres[genre]:
            word = genre.value if genres[genre] == 1 else _plural_genre(genre)
            parts.append(f"{format_number(genres[genre])} {word}")
    return ", ".join(parts) if parts else "aucun document de pôle"


def _plural_genre(genre: Genre) -> str:
    return {
        Genre.DOSSIER: "dossiers documentaires",
        Genre.MONOGRAPHIE: "monographies",
        Genre.RELUE: "monographies relues par le pôle",
    }[genre]


def _fieldwork_phrase(sample: Sample) -> str:
    if not sample.with_fieldwork:
        return "aucun pôle n'a encore de travail de terrain (ni entretien ni questionnaire rempli)"
    return (
        f"{plural(sample.with_fieldwork, 'pôle a', 'pôles ont')} un travail de terrain "
        f"({count_or_none(sample.interviews, 'entretien')}, "
        f"{count_or_none(sample.answers, 'réponse', feminine=True)} au questionnaire)"
    )


def framing(ctx: TransversalContext, identity: ProjectIdentity, sample: Sample) -> str:
    """« Questions, échantillon et méthode », with « Comment ce document a été fait »."""
    n = sample.n
    docs = sorted(sample.sources.values(), key=lambda s: (s[1] or 0, s[0]))
    years = sorted({y for _, y, _ in docs if y is not None})
    span = f" ({years[0]} à {years[-1]})" if len(years) > 1 else f" ({years[0]})" if years else ""
    team = escape_markdown_html(identity.authors)
    if identity.institution:
        team += f" ; institution : {escape_markdown_html(identity.institution)}"
    why = []
    if sample.temoins:
        why.append(f"{plural(sample.temoins, 'pôle témoin', 'pôles témoins')} de 2012")
    if sample.laureats:
        why.append(f"{plural(sample.laureats, 'lauréat', 'lauréats')} d'un appel à projets")
    why_text = (
        f" ; parmi eux, {' et '.join(why)}, tels que les nomment les documents publiés"
        if why
        else ""
    )
    lines = [
        "## Questions, échantillon et méthode",
        "",
        "### Questions de recherche",
        "",
        "1. Quelles formes prennent les pôles du corpus au regard des "
        f"{words(len(ctx.corpus.grid.sections), 'catégorie')} de la grille d'analyse commune des "
        "monographies ?",
        f"2. La typologie publiée en 2014 {_cite(ctx, 'podlewski-2014')} se retrouve-t-elle dans "
        "les faits publics rassemblés dans les fiches ?",
        "3. Que disent les sources publiques des pôles au regard du référentiel d'action "
        f"(version {ctx.referentiel.version}), et que ne disent-elles pas ?",
        "4. Jusqu'où un corpus de documents publiés permet-il d'aller, et que reste-t-il à "
        "documenter sur le terrain ?",
        "",
        "### Échantillon",
        "",
        f"L'analyse porte sur {plural(n, 'pôle')} (n = {format_number(n)}), ceux dont la fiche "
        f"est valide dans le corpus du projet{why_text}. Ce n'est pas un échantillon "
        "représentatif des PTCE : ce sont les pôles que des documents publiés nomment et "
        "décrivent. Leurs documents sont aujourd'hui "
        f"{_genres_phrase(sample.genres)} ; {_fieldwork_phrase(sample)}.",
        "",
        f"Les fiches citent {plural(len(docs), 'document publié', 'documents publiés')}{span} ; "
        f"le tableau {ctx.numbering.next_table} dit combien de pôles chacun documente."
        if docs
        else "Aucune fiche ne cite de document publié.",
    ]
    lines += [TABLE_MARK]
    lines += [
        "",
        "### Méthode",
        "",
        "Chaque fiche de pôle est remplie à partir de documents publiés, fait par fait, chaque "
        "fait citant son document et son passage ; ce qu'aucune source ne dit reste vide et "
        "n'est jamais compté comme zéro. Les identifications, inférences et codages de l'équipe "
        "sont marqués comme des lectures du projet. Les parts sont calculées sur les seuls pôles "
        "dont la fiche documente le fait, et chaque chiffre donne son effectif n.",
        "",
        "### Comment ce document a été fait",
        "",
        f"- **Corpus** : {plural(n, 'fiche de pôle', 'fiches de pôles')}, "
        f"{plural(len(docs), 'document publié', 'documents publiés')}{span}, "
        f"{count_or_none(sample.interviews, 'entretien')}, "
        f"{count_or_none(sample.answers, 'réponse', feminine=True)} au questionnaire.",
        f"- **Équipe** : {team}.",
        f"- **Méthode** : {escape_markdown_html(ctx.corpus.grid.title)} (version "
        f"{ctx.corpus.grid.version}) ; référentiel d'action des PTCE, version "
        f"{ctx.referentiel.version}.",
    ]
    return typography("\n".join(lines))


def discussion(ctx: TransversalContext, sample: Sample) -> str:
    """« Discussion au regard des sources »: what the findings owe to the few documents they
    rest on, against what the cited sources set out to do."""
    docs = sorted(sample.sources.values(), key=lambda s: (-s[2], s[0]))  # ties: by title
    lines = ["## Discussion au regard des sources", ""]
    if docs:
        title, year, count = docs[0]
        lines.append(
            f"Les constats qui précèdent dépendent d'un petit nombre de documents : le plus cité, "
            f"*{escape_markdown_html(title)}*{f' ({year})' if year else ''}, documente "
            f"{plural(count, 'pôle')} sur {format_number(sample.n)}. Ce que l'analyse compte est "
            "d'abord ce que ces documents ont choisi de dire des pôles : une caractéristique "
            "absente d'une fiche est une question que la source ne traitait pas, non un trait "
            "absent du pôle."
        )
        lines.append("")
    lines.append(
        "Le plan d'action de 2013 attendait des monographies et de leur analyse transversale "
        f"« une définition stabilisée et une typologie des PTCE » {_cite(ctx, 'labo-ess-2013', 'axe 2, action 2.1')}."
        " Reproduite depuis les fiches, la typologie publiée en 2014 "
        f"{_cite(ctx, 'podlewski-2014', '§ II.1')} se confronte ici à des faits "
        "publics partiels : la partie qui la reproduit dit, catégorie par catégorie, ce qui se retrouve et ce "
        "qui ne peut pas être vérifié faute de documentation. Une définition stabilisée "
        "demanderait le travail de terrain que la partie sur la complétude de la documentation "
        "décrit comme restant à mener."
    )
    return typography("\n".join(lines))


def limits(sample: Sample) -> str:
    """« Limites de l'analyse », generated from what the corpus lacks."""
    parts = [
        f"l'échantillon ({plural(sample.n, 'pôle')}) n'est pas représentatif : il réunit les "
        "pôles que des documents publiés décrivent"
    ]
    if sample.with_fieldwork == 0:
        parts.append(
            "aucun pôle n'a encore de travail de terrain (entretien, questionnaire, comptes) : "
            "l'analyse ne rapporte que ce que disent des documents publiés"
        )
    else:
        parts.append(
            "un seul pôle a un travail de terrain"
            if sample.with_fieldwork == 1
            else f"seuls {format_number(sample.with_fieldwork)} pôles ont un travail de terrain"
        )
    if sample.sections_total:
        parts.append(
            f"{format_number(sample.sections_missing)} sections sur "
            f"{format_number(sample.sections_total)} (toutes fiches confondues) n'ont aucune source"
        )
    if sample.readings:
        parts.append(
            f"{plural(sample.readings, 'valeur est une lecture', 'valeurs sont des lectures')} du "
            "projet (identification, inférence, codage), non un énoncé des sources"
        )
    years = sorted({y for _, y, _ in sample.sources.values() if y is not None})
    if years:
        parts.append(
            f"les sources datent de {years[0]} à {years[-1]} : les pôles ont pu changer depuis"
            if len(years) > 1
            else f"les sources datent de {years[0]} : les pôles ont pu changer depuis"
        )
    reviewed = sample.genres[Genre.RELUE]
    parts.append(
        "aucun pôle n'a relu ce qui est dit de lui"
        if reviewed == 0
        else f"{plural(reviewed, 'pôle a', 'pôles ont')} relu ce qui est dit d'eux, sur "
        f"{format_number(sample.n)}"
    )
    text = " ; ".join(parts)
    return typography(f"## Limites de l'analyse\n\n{text[:1].upper()}{text[1:]}.")


def _citation(ctx: TransversalContext, identity: ProjectIdentity) -> DocumentCitation:
    today = dt.date.today()
    return DocumentCitation("analyse-transversale", TITLE, GENRE, identity, ctx.year,
                            today.isoformat())  # fmt: skip


def show_framing(ctx: TransversalContext) -> None:
    identity = load_identity(ctx.paths.data)
    show_document({"surtitre": GENRE, "citation": to_mapping(_citation(ctx, identity))})
    sample = sample_of(ctx)
    before, after = framing(ctx, identity, sample).split(TABLE_MARK)
    show_markdown(before.rstrip())
    docs = sorted(sample.sources.values(), key=lambda s: (s[1] or 0, s[0]))
    if docs:
        _table(
            ctx, ["Document", "Année", "Pôles qui le citent"],
            [[escape_markdown_html(t), str(y or ""), format_number(c)] for t, y, c in docs],
            "documents-publies", f"Documents publiés sur lesquels reposent les fiches (n = {sample.n} pôles)",
            align="lrr",
        )  # fmt: skip
    show_markdown(after.strip())
    show_how_to_cite(ctx, identity)  # at the front, as a report's verso: the sources close it


def show_discussion(ctx: TransversalContext) -> None:
    sample = sample_of(ctx)
    show_markdown(discussion(ctx, sample))
    show_markdown(limits(sample))


def show_how_to_cite(ctx: TransversalContext, identity: ProjectIdentity | None = None) -> None:
    identity = identity or load_identity(ctx.paths.data)
    # one level down: a part of « Questions, échantillon et méthode »
    show_markdown(cite_block(_citation(ctx, identity)).replace("## ", "### ", 1))
