"""A FICTIONAL network answering the référentiel: deterministic answers of invented respondents
for fictional poles, over two waves, written as each tool would export them (filled XLSX
questionnaires, a KoboToolbox export, a LimeSurvey export).

Nothing here describes a real person or organisation. The export columns carrying a name or an
e-mail (``_submitted_by``, ``contact/courriel``, ``email``) hold invented values so that tests
can check they never reach any output.
"""

from __future__ import annotations

import csv
import io
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..corpus.answer_labels import DONT_KNOW
from ..corpus.questionnaire import Questionnaire
from ..corpus.referentiel import Referentiel
from .workbook import ANSWER_COL, CATEGORY_CELL, DATE_CELL, HEADER_ROW, ID_COL, STRUCTURE_CELL
from .xlsform import RESPONDENT_GROUP, objective_group

WAVES = ("2024-03", "2025-03")
FIRST_NAMES = ["Camille", "Dominique", "Alix", "Sacha", "Maxime", "Claude", "Lou", "Noa"]
# (category, structure type) of each respondent, per pole index (1-based) and wave.
PANELS: dict[int, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    1: (
        (("dirigeant", "association"), ("salarie", "association"), ("salarie", "cooperative"),
         ("habitant", "aucune"), ("habitant", "aucune")),
        (("dirigeant", "association"), ("dirigeant", "cooperative"), ("salarie", "association"),
         ("habitant", "aucune"), ("habitant", "aucune"), ("partenaire", "collectivite")),
    ),
    2: (
        (("dirigeant", "cooperative"), ("salarie", "cooperative"), ("benevole", "association"),
         ("elu", "collectivite")),
        (("dirigeant", "cooperative"), ("salarie", "cooperative"), ("benevole", "association"),
         ("elu", "collectivite"), ("partenaire", "entreprise")),
    ),
    3: (
        (("dirigeant", "entreprise"), ("salarie", "entreprise"), ("partenaire", "public")),
        (("dirigeant", "entreprise"), ("salarie", "entreprise"), ("partenaire", "public"),
         ("benevole", "association")),
    ),
    4: (
        (("dirigeant", "association"), ("benevole", "association")),
        (("dirigeant", "association"), ("habitant", "aucune")),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class FictionalAnswer:
    """One invented respondent's submission, with the identifying columns an export may carry."""

    pole: str
    wave: str
    version: str
    category: str
    structure_type: str
    date: str
    uuid: str
    name: str
    email: str
    values: dict[str, str]  # indicator id -> "1".."4", "nsp" or ""


def fictional_answers(
    slugs: Sequence[str], ref: Referentiel, seed: int = 0
) -> list[FictionalAnswer]:
    """Answers of the first four ``slugs`` (panels above) for the two waves.

    The fourth pole has two respondents per wave: below the default threshold of three. In the
    first pole, habitants and dirigeants diverge markedly on objective f; every pole gains on
    objective e between the waves."""
    rng = random.Random(seed)
    result = []
    for index, slug in enumerate(slugs[:4], start=1):
        base = {o.id: rng.randint(2, 3) for o in ref.objectives}
        for wave_index, wave in enumerate(WAVES):
            for k, (category, structure) in enumerate(PANELS[index][wave_index]):
                values = {}
                for objective in ref.objectives:
                    level = base[objective.id] + (1 if objective.id == "e" and wave_index else 0)
                    if index == 1 and objective.id == "f":
                        level = {"habitant": 1, "dirigeant": 4}.get(category, 3)
                    for indicator in objective.indicators:
                        if indicator.label is None:
                            values[indicator.id] = DONT_KNOW if rng.random() < 0.7 else ""
                            continue
                        noise = rng.choice((-1, 0, 0, 0, 1))
                        if index == 1 and objective.id == "f":
                            noise = 0
                        value = min(ref.scale.maximum, max(ref.scale.minimum, level + noise))
                        unsure = rng.random() < 0.05 and not (index == 1 and objective.id == "f")
                        values[indicator.id] = DONT_KNOW if unsure else str(value)
                first = FIRST_NAMES[(index + k + wave_index) % len(FIRST_NAMES)]
                result.append(
                    FictionalAnswer(
                        pole=slug, wave=wave, version=ref.version, category=category,
                        structure_type=structure, date=f"{wave}-{10 + k:02d}",
                        uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        name=f"{first} Fictif-{index}{k}",
                        email=f"{first.lower()}.fictif{index}{k}@exemple.invalid",
                        values=values,
                    )
                )  # fmt: skip
    return result


def _kobo_header(ref: Referentiel) -> list[str]:
    head = ["start", "end", "pole", "vague", "version", f"{RESPONDENT_GROUP}/categorie",
            f"{RESPONDENT_GROUP}/type_structure", f"{RESPONDENT_GROUP}/date"]  # fmt: skip
    head += [f"{objective_group(i.objective)}/{i.id}" for i in ref.indicators]
    tail = ["contact/courriel", "meta/instanceID", "_id", "_uuid", "_submission_time",
            "_submitted_by", "_status", "_index"]  # fmt: skip
    return head + tail


def kobo_rows(answers: Sequence[FictionalAnswer], ref: Referentiel) -> list[list[str]]:
    rows = [_kobo_header(ref)]
    for k, a in enumerate(answers, start=1):
        rows.append(
            [f"{a.date}T09:00:00.000+01:00", f"{a.date}T09:20:00.000+01:00", a.pole, a.wave,
             a.version, a.category, a.structure_type, a.date]
            + [a.values[i.id] for i in ref.indicators]
            + [a.email, f"uuid:{a.uuid}", str(1000 + k), a.uuid, f"{a.date}T09:21:00",
               a.name.split()[0].lower() + ".fictif", "submitted_via_web", str(k)]
        )  # fmt: skip
    return rows


def kobo_csv(answers: Sequence[FictionalAnswer], ref: Referentiel) -> str:
    """KoboToolbox CSV export (« XML values and headers »; KoboToolbox separates with ;)."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(kobo_rows(answers, ref))
    return out.getvalue()


def kobo_xlsx(answers: Sequence[FictionalAnswer], ref: Referentiel, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in kobo_rows(answers, ref):
        ws.append([int(v) if v.isdigit() and len(v) == 1 else v for v in row])
    wb.save(path)


def limesurvey_csv(answers: Sequence[FictionalAnswer], ref: Referentiel) -> str:
    """LimeSurvey CSV export, question codes as headings; the array question is ``REF``."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["id", "submitdate", "lastpage", "startlanguage", "seed", "firstname",
                     "lastname", "email", "pole",
                     "vague", "categorie", "typestructure"]
                    + [f"REF[{i.id}]" for i in ref.indicators])  # fmt: skip
    for k, a in enumerate(answers, start=1):
        first, last = a.name.split(" ", 1)
        writer.writerow([str(k), f"{a.date} 10:15:00", "3", "fr", str(9000 + k), first, last,
                         a.email, a.pole,
                         a.wave, a.category, a.structure_type]
                        + [a.values[i.id] for i in ref.indicators])  # fmt: skip
    return out.getvalue()


def filled_questionnaire(
    blank: bytes, answer: FictionalAnswer, q: Questionnaire, path: Path
) -> None:
    """Fill a blank XLSX questionnaire as a respondent would (labels chosen in the lists)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(blank))
    ws = wb["Questionnaire"]
    ws[CATEGORY_CELL] = q.vocabulary.category_label(answer.category)
    ws[STRUCTURE_CELL] = q.vocabulary.structure_label(answer.structure_type)
    day = answer.date.split("-")
    ws[DATE_CELL] = f"{day[2]}/{day[1]}/{day[0]}"
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        indicator = ws.cell(row=row, column=ID_COL).value
        value = answer.values.get(str(indicator), "")
        cell = ws.cell(row=row, column=ANSWER_COL)
        cell.value = (
            int(value) if value.isdigit() else ("ne sait pas" if value == DONT_KNOW else None)
        )
    wb.save(path)
