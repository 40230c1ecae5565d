"""The formats ``import answers`` reads: one registry of readers (:mod:`ptce_mono.importers.readers`).

A new survey tool is one module with a reader (see :mod:`.submissions` for the table helpers)
and one ``register`` line below; ``--format`` then takes its name and detection considers it.
"""

from __future__ import annotations

from . import submissions
from .readers import Registry
from .submissions import ReadContext, Submission

ANSWER_FORMATS: Registry[list[Submission], ReadContext] = Registry("l'import des réponses")
ANSWER_FORMATS.register(submissions.QUESTIONNAIRE_READER)
ANSWER_FORMATS.register(submissions.KOBO_READER)
ANSWER_FORMATS.register(submissions.LIMESURVEY_READER)
