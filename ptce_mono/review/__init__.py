"""Review rounds: the pole's actors read their monograph in Word or LibreOffice and answer.

``export`` writes the review document (DOCX and ODT) and records what was sent; ``docx``
reads a returned document (comments, tracked insertions and deletions) after checking it is
safe to open; ``store`` keeps each round as readable YAML under the pole's folder
(``relectures/<round>.yaml``); ``state`` says, purely, where a pole's review stands;
``importer`` is the import chain; ``monograph`` the blocks shown in the monograph.
"""

from .state import ReviewSummary, pole_review_state, review_state, review_summary

__all__ = ["ReviewSummary", "pole_review_state", "review_state", "review_summary"]
