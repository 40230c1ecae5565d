"""XLSForm of a questionnaire (sheets survey, choices, settings; French labels) for
KoboToolbox or ODK. Its exports (« XML values and headers ») come back through ``answers``."""

from __future__ import annotations

from io import BytesIO

from ..core.inert import inert_workbook
from ..corpus.questionnaire import Questionnaire

SCALE_LIST = "echelle"
CATEGORY_LIST = "categorie"
STRUCTURE_LIST = "type_structure"
RESPONDENT_GROUP = "repondant"
# Hidden fields every submission carries: which pole, wave and référentiel version it answers.
HIDDEN = ("pole", "vague", "version")


def objective_group(objective_id: str) -> str:
    return f"objectif_{objective_id}"


def xlsform_rows(q: Questionnaire) -> dict[str, list[list[str]]]:
    """The three sheets as rows (first row: column names)."""
    survey: list[list[str]] = [["type", "name", "label", "hint", "required", "calculation",
                                "appearance"]]  # fmt: skip
    for name, value in zip(HIDDEN, (q.slug, q.wave, q.version), strict=True):
        survey.append(["calculate", name, "", "", "", f"'{value}'", ""])
    survey.append(["note", "consigne", q.instructions, "", "", "", ""])
    survey.append(["note", "echelle_expliquee", q.scale_explanation, "", "", "", ""])
    survey.append(["begin_group", RESPONDENT_GROUP, "Vous", "", "", "", "field-list"])
    survey.append([f"select_one {CATEGORY_LIST}", "categorie", "Vous répondez en tant que",
                   "", "yes", "", ""])  # fmt: skip
    survey.append([f"select_one {STRUCTURE_LIST}", "type_structure",
                   "Type de votre structure", "", "yes", "", ""])  # fmt: skip
    survey.append(["date", "date", "Date de la réponse", "", "yes", "", ""])
    survey.append(["end_group", "", "", "", "", "", ""])
    for section in q.sections:
        survey.append(["begin_group", objective_group(section.id),
                       f"Objectif {section.id} : {section.label}", "", "", "", "field-list"])  # fmt: skip
        for item in section.items:
            hint = (
                "" if item.label else "Indicateur sans libellé lisible : répondez « ne sait pas »."
            )
            survey.append([f"select_one {SCALE_LIST}", item.id, f"{item.id}. {item.text}", hint,
                           "", "", ""])  # fmt: skip
        survey.append(["end_group", "", "", "", "", "", ""])
    choices = [["list_name", "name", "label"]]
    choices += [[SCALE_LIST, c.id, c.label] for c in q.scale]
    choices += [[CATEGORY_LIST, c.id, c.label] for c in q.vocabulary.categories]
    choices += [[STRUCTURE_LIST, c.id, c.label] for c in q.vocabulary.structure_types]
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        [f"{q.title} — {q.pole_name} — vague {q.wave}", q.form_id, q.wave.replace("-", ""),
         "French (fr)"],
    ]  # fmt: skip
    return {"survey": survey, "choices": choices, "settings": settings}


def xlsform_bytes(q: Questionnaire) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in xlsform_rows(q).items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    inert_workbook(wb)  # a label starting with « = » stays a label, never a formula
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
