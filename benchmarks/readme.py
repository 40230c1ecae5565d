"""Write the figures of a ``make bench`` run into README.md, between its bench markers.

``python benchmarks/readme.py [RESULTS.json]`` (default: the newest file of benchmarks/results/).
The section is generated from the measured figures only, so that the README never shows a
figure that was not measured.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ptce_mono.core.fr import format_number, format_percent  # noqa: E402

START, END = "<!-- bench:début -->", "<!-- bench:fin -->"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")  # fmt: skip


def seconds(value: float) -> str:
    if value < 0.01:
        return "moins de 0,01 s"
    return f"{format_number(value, 2 if value < 10 else 1)} s"


def stop_after_ctrl_c(results: dict) -> str:
    """How long the live preview took to end after Ctrl-C (measured since 5 December 2026)."""
    if "apercu_suivi_arret_s" not in results:
        return ""
    stopped = results["apercu_suivi_arret_s"]
    if stopped is None:
        return " ; toujours en marche 60 s après Ctrl-C"
    return f" ; arrêté {seconds(stopped)} après Ctrl-C"


def times(value: float) -> str:
    return f"{format_number(value, 2)} ×"


def figures_share(split: dict) -> str:
    """« (les mêmes cellules dans un seul processus : 0,42 s, dont 0,28 s, 67 %, pour écrire
    les figures en SVG) », from the profile of the cells when the run has it."""
    if "cellules_figures" not in split:
        return " (les figures en sont l'essentiel)"
    total, figures = split["cellules_en_processus"], split["cellules_figures"]
    share = format_percent(100 * figures / total if total else 0)
    return (f" (les mêmes cellules dans un seul processus, sans messages du noyau : "
            f"{seconds(total)}, dont {seconds(figures)}, {share}, pour dessiner les figures "
            "en SVG)")  # fmt: skip


def _tries(results: dict) -> str:
    """« : construction 12,1 s et 12,4 s ; … » — both tries of each ratio measure, when known."""
    keys = (("construction_20_essais", "construction"), ("execution_seule_20_essais", "exécution"),
            ("reference_20_essais", "référence"))  # fmt: skip
    parts = [f"{label} {seconds(results[key][0])} et {seconds(results[key][1])}"
             for key, label in keys if len(results.get(key, ())) == 2]  # fmt: skip
    return " : " + " ; ".join(parts) if parts else ""


def section(results: dict, stamp: datetime) -> str:
    ref = results["reference_20"]
    ratios, split = results["ratios"], results["repartition"]
    large = next((int(k.split("_")[1]) for k in results if re.fullmatch(r"construction_\d+", k)
                  and int(k.split("_")[1]) > 100), None)  # fmt: skip
    rows = [
        ("construction complète (exécution + HTML + PDF), 20 pôles", seconds(results["construction_20"])),
        ("construction complète, 100 pôles", seconds(results["construction_100"])),
    ]  # fmt: skip
    if large:
        per_pole = results[f"construction_{large}"] / large
        rows.append((f"construction complète, {format_number(large)} pôles",
                     f"{seconds(results[f'construction_{large}'])} ({seconds(per_pole)} par pôle)"))  # fmt: skip
    rows += [
        ("exécution seule (sans rendu), 20 pôles", seconds(results["execution_seule_20"])),
        ("référence, 20 pôles : boucle séquentielle `papermill` puis `jupyter nbconvert --to html`",
         f"{seconds(ref['total'])} ({seconds(ref['execution'])} d'exécution + "
         f"{seconds(ref['conversion'])} de conversion)"),
        ("reconstruction sans changement, 100 pôles", seconds(results["reconstruction_vide_100"])),
        ("reconstruction après modification d'un récit, 100 pôles", seconds(results["un_recit_modifie_100"])),
        ("construction d'une seule monographie (projet d'un pôle)", seconds(results["monographie_seule"])),
        ("`ptce-mono preview` d'un pôle", seconds(results["apercu"])),
    ]  # fmt: skip
    if "apercu_suivi_s" in results:
        rows.append(("`ptce-mono preview --suivre` : de l'enregistrement d'un récit à la page "
                     "rechargée (médiane de 10) ; PDF refait à côté",
                     f"{seconds(results['apercu_suivi_s'])} ; PDF "
                     f"{seconds(results['apercu_suivi_pdf_s'])}"
                     + stop_after_ctrl_c(results)))  # fmt: skip
    if "lectures_par_entretien" in results:
        rows.append(("lectures de chaque fichier d'entretien par une construction (pôle fictif "
                     "de démonstration) : en tout, dans un même processus, cache des pôles à jour",
                     f"{results['lectures_par_entretien']} ; "
                     f"{results['lectures_par_entretien_par_processus']} ; "
                     f"{results['lectures_par_entretien_cache_a_jour']}"))  # fmt: skip
    rows += [
        ("mémoire maximale (tous processus), 100 pôles", f"{format_number(results['memoire_max_gio'], 2)} Gio"),
    ]  # fmt: skip
    if large:
        rows += [
            (f"mémoire maximale, {format_number(large)} pôles",
             f"{format_number(results[f'memoire_max_{large}_gio'], 2)} Gio"),
            (f"reconstruction sans changement, {format_number(large)} pôles (meilleure de 3)",
             seconds(results[f"reconstruction_vide_{large}"])),
            (f"`ptce-mono site`, {format_number(large)} pôles", seconds(results[f"site_{large}"])),
            (f"`ptce-mono site` sans changement, {format_number(large)} pôles",
             seconds(results[f"site_{large}_sans_changement"])),
        ]  # fmt: skip
    date = f"{stamp.day} {MONTHS[stamp.month - 1]} {stamp.year}"
    lines = [
        START,
        f"Mesure du {date} (machine virtuelle de {results['coeurs']} cœurs, où rien d'autre ne "
        "tournait ; les durées varient d'une heure à l'autre avec la charge de l'hôte, d'où des "
        "essais en alternance pour les rapports ; "
        "pôles fictifs générés par `ptce_mono.importers.fictional_corpus`, monographies d'une douzaine de pages avec "
        "5 figures ; les trois mesures de 20 pôles qui font les rapports à la référence, "
        "meilleure de deux essais" + _tries(results) + ") :",
        "",
        "| mesure | durée |",
        "|---|---|",
        *[f"| {label} | {value} |" for label, value in rows],
        "",
        "Rapports et objectifs (« atteint » ou « manqué », tels que `make bench` les imprime) :",
        "",
        f"- exécution : {times(ratios['execution_vs_papermill_sequentiel'])} plus rapide que "
        "papermill séquentiel (objectif ≥ 5 ×) ;",
        f"- construction complète : {times(ratios['construction_vs_reference'])} plus rapide que "
        "la référence papermill + nbconvert (objectif ≥ 7 ×) ;",
        f"- un récit modifié : {times(ratios['un_recit_vs_une_monographie'])} une monographie "
        "(objectif < 1,5 ×) ; l'aperçu : "
        f"{times(ratios['apercu_vs_une_monographie'])} (objectif ≤ 1,3 ×) ;",
    ]
    if large:
        lines.append(
            f"- temps par pôle à {format_number(large)} pôles : "
            f"{times(ratios[f'temps_par_pole_{large}_vs_100'])} celui à 100 (objectif ≤ 1,15 ×) ;"
        )
    lines += [
        f"- {'atteint' if met else 'MANQUÉ'} : {label}"
        for label, met in results["objectifs"].items()
    ]
    lines += [
        "",
        "Où passe le temps d'une monographie : démarrage d'un noyau "
        f"{seconds(split['demarrage_noyau'])} et imports (pandas, matplotlib, ptce_mono) "
        f"{seconds(split['imports'])} — payés **une fois par processus de travail**, qui garde son "
        "noyau chaud et le client de ce noyau d'un pôle à l'autre (espace de noms, état de "
        "matplotlib et compteur d'exécution remis à zéro ; noyau neuf après tout échec) ; "
        f"exécution des cellules {seconds(split['execution_moyenne'])} en moyenne"
        f"{figures_share(split)} ; rendu HTML + PDF "
        f"{seconds(split['rendu_moyenne'])} : une seule exécution de pandoc écrit le HTML et la "
        "source Typst, puis le compilateur Typst du processus (gardé d'un PDF à l'autre, arrêté "
        "s'il dépasse le délai) écrit le PDF ; écriture "
        f"{seconds(split['ecriture_moyenne'])}. Un test vérifie qu'une monographie est identique, "
        "octet pour octet, qu'elle soit construite par le chemin rapide (noyaux chauds, deux "
        "processus, cache) ou par le chemin simple (noyau neuf par pôle, un processus, sans cache).",
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    results_dir = ROOT / "benchmarks" / "results"
    path = Path(argv[0]) if argv else max(results_dir.glob("bench-*.json"))
    results = json.loads(path.read_text(encoding="utf-8"))
    stamp = datetime.strptime(path.stem.removeprefix("bench-"), "%Y%m%d-%H%M%S")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    readme.write_text(before + section(results, stamp) + after, encoding="utf-8")
    print(f"README.md : section des performances réécrite depuis {path.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
