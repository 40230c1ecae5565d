"""Typed exceptions of ptce_mono; each composes its own French message."""

from __future__ import annotations

import errno
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

from .problems import Problem, located, render_report

# What a refusal says before its problems (« {n} » becomes « (3 problèmes) »).
CENSUS_REFUSED = "recensement de 2011 (data/recensement) illisible"
ANSWERS_REFUSED = "import des réponses refusé {n} ; aucune réponse n'a été enregistrée"
INTERVIEWS_REFUSED = "import des entretiens refusé {n} ; rien n'a été enregistré"
REVIEW_REFUSED = "import de la relecture refusé {n} ; rien n'a été enregistré"


class PtceError(Exception):
    """Root of every error that the CLI reports as one French line."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ProblemsError(PtceError):
    """Located problems of input files, every one of them (never only the first); whatever
    refused them stored nothing. ``intro`` says what was refused (« import des réponses
    refusé ; aucune réponse n'a été enregistrée »); the message is
    :func:`~ptce_mono.core.problems.render_report` of the problems."""

    def __init__(self, problems: Sequence[Problem], intro: str = "") -> None:
        if not problems:
            raise ValueError("ProblemsError without a problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.intro = intro
        super().__init__(render_report(self.problems, intro))


class DataFileError(ProblemsError):
    """A data file cannot be read or parsed at all (one problem, or several with
    :meth:`collected`); ``path``, ``line`` and ``detail`` are those of the first."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        super().__init__([Problem(Path(path), line, "", message)])
        self._first()

    def _first(self) -> None:
        first = self.problems[0]
        self.path = first.path
        self.line = first.line
        self.detail = first.message
        self.where = first.where

    @classmethod
    def collected(cls, problems: Sequence[Problem], intro: str = "") -> Self:
        """The error of this class carrying every problem found (all or nothing)."""
        error = cls.__new__(cls)
        ProblemsError.__init__(error, problems, intro)
        error._first()
        return error


class OutsideProjectError(DataFileError):
    """A data file or pole folder that is a link leading outside the project and its data."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(
            path,
            "lien symbolique qui mène hors du projet : refusé (seuls les fichiers du projet et "
            "du dossier de données sont lus ; copiez le fichier dans le projet)",
        )


class MissingPoleFileError(DataFileError):
    """A pole folder without its ``pole.yaml``."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(
            path,
            "fiche pole.yaml manquante dans ce dossier de pôle (créez-la, ou "
            "« ptce-mono new » pour un nouveau pôle)",
        )


class NotWritableError(PtceError):
    """An output folder where the program may not write (permission, read-only disk, full)."""

    def __init__(self, folder: Path | str, reason: str = "permission refusée") -> None:
        super().__init__(
            f"impossible d'écrire dans le dossier {folder} ({reason}) : vérifiez ses droits "
            "ou choisissez un autre dossier."
        )
        self.folder = Path(folder)

    @classmethod
    def from_os(cls, folder: Path | str, exc: OSError) -> NotWritableError:
        return cls(folder, os_reason(exc))


_ERRNO_FR = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "disque plein",
    errno.EROFS: "disque en lecture seule",
    errno.ENOENT: "dossier introuvable",
    errno.ENOTDIR: "un fichier porte le nom d'un dossier attendu",
    errno.EISDIR: "un dossier porte le nom d'un fichier attendu",
    errno.EDQUOT: "quota de disque dépassé",
    errno.ELOOP: "liens symboliques en boucle",
    errno.ENAMETOOLONG: "chemin trop long",
}


def os_reason(exc: OSError) -> str:
    """The reason of a system error, in French (never the English text of the system)."""
    return _ERRNO_FR.get(exc.errno or 0, f"erreur système n° {exc.errno}")


class UnsafeSlugError(PtceError):
    """A slug or file name that could escape its folder or is not kebab-case ASCII."""

    def __init__(self, slug: str) -> None:
        super().__init__(
            f"identifiant de pôle invalide « {slug} » : seuls les minuscules sans accent, "
            "les chiffres et les tirets sont permis (ex. « pole-du-val-fictif »)."
        )
        self.slug = slug


class UnknownPoleError(PtceError):
    """A slug given on the command line has no folder under data/poles."""

    def __init__(self, slug: str, poles_dir: Path) -> None:
        from .suggest import unknown_pole

        super().__init__(unknown_pole(slug, poles_dir))
        self.slug = slug


class UnknownReferentielError(PtceError):
    """A référentiel version with no file."""

    def __init__(self, version: str, known: list[str]) -> None:
        listed = ", ".join(known) or "aucune"
        super().__init__(
            f"version de référentiel inconnue « {version} » (versions disponibles : {listed})."
        )


class LockHeldError(PtceError):
    """Another build holds the lock of this project."""

    def __init__(self, lock_path: Path) -> None:
        super().__init__(
            f"une autre construction est en cours dans ce projet (verrou {lock_path}). "
            "Attendez qu'elle se termine, ou supprimez ce fichier si elle a été interrompue."
        )


class DataLockHeldError(PtceError):
    """Another command is still writing to ``data/`` after the wait."""

    def __init__(self, lock_path: Path, waited: float) -> None:
        super().__init__(
            f"une autre commande modifie les données de ce projet (verrou {lock_path}) et "
            f"n'a pas terminé après {waited:.0f} s d'attente : rien n'a été modifié. "
            "Relancez la commande quand elle sera terminée."
        )


class ToolMissingError(PtceError):
    """An external program is not installed or too old."""


class ToolFailedError(PtceError):
    """An external program ran and failed."""

    def __init__(self, tool: str, message: str, stderr_tail: str = "") -> None:
        text = f"{tool} a échoué : {message}"
        if stderr_tail.strip():
            text += "\n" + stderr_tail.strip()
        super().__init__(text)
        self.reason = message
        self.tool = tool
        self.stderr_tail = stderr_tail


class RenderError(PtceError):
    """A monograph could not be rendered to HTML or PDF (the previous files are kept)."""

    def __init__(self, stem: str, engine: str, message: str) -> None:
        super().__init__(f"rendu de « {stem} » (moteur {engine}) impossible : {message}")
        self.stem = stem
        self.engine = engine
        self.detail = message


class NotebookHygieneError(PtceError):
    """A notebook cannot be read or synchronised."""


class NotebookFailedError(PtceError):
    """The executed notebook holds an error output, or an output is unreadable."""


class SiteTemplatesMissingError(PtceError):
    def __init__(self, folder: Path) -> None:
        super().__init__(f"gabarits du site introuvables : le dossier {folder} n'existe pas.")


class SiteMissingError(PtceError):
    def __init__(self, root: Path) -> None:
        super().__init__(
            f"le site n'existe pas encore ({root}) : produisez-le d'abord avec « ptce-mono site »."
        )


class PortUnavailableError(PtceError):
    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(
            f"impossible d'écouter sur {host}:{port} ({reason}) : ce port est peut-être déjà "
            "utilisé ; choisissez-en un autre avec --port."
        )


class PoleExistsError(PtceError):
    """The slug of a new pole is already taken."""

    def __init__(self, slug: str, folder: Path) -> None:
        super().__init__(
            f"le pôle « {slug} » existe déjà ({folder}) : choisissez un autre identifiant, "
            "ou modifiez directement ses fichiers."
        )
        self.slug = slug


class NewPoleError(PtceError):
    """The values given for a new pole would not make a valid record."""


class UnknownSectionError(PtceError):
    """A template cell names a grid section that the grid does not define."""

    def __init__(self, section_id: str) -> None:
        super().__init__(
            f"section « {section_id} » inconnue dans la grille (data/grille.yaml) : "
            "vérifiez l'identifiant de section dans la cellule du modèle."
        )
        self.section_id = section_id


class KernelResetError(PtceError):
    """A warm kernel could not be reset before a monograph (the kernel is then replaced)."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"réinitialisation du noyau impossible {detail}".strip())


class UnknownFormatError(PtceError):
    """An output format that no rendering engine knows."""

    exit_code = 2

    def __init__(self, fmt: str) -> None:
        super().__init__(f"format inconnu : {fmt} (formats : html, pdf)")


class CensusError(ProblemsError):
    """The files of the 2011 census (data/recensement) are missing or have bad rows: every
    problem, each with its file, row and column."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems, "" if len(problems) == 1 else CENSUS_REFUSED)
        first = self.problems[0]
        self.path = first.path
        self.row = first.line
        self.column = first.field


class FieldworkError(DataFileError):
    """A coded-interview export, the codes mapping or the private table cannot be used.

    ``where`` names the row (``ligne 4``, ``feuille « x », ligne 4, cellule B4``: the line
    becomes the problem's line) or the XML element (``<PlainTextSelection guid=…>``); nothing
    is stored when it is raised. A reader raises it with every problem of the export
    (:meth:`collected`) and ``export``, what it could read, so that the importer adds the
    problems of the codes and poles to the same report."""

    export: Any = None  # what could be read of the export (rows or elements without problem)

    def __init__(self, path: Path | str, message: str, where: str = "") -> None:
        ProblemsError.__init__(self, [located(path, message, where)])
        self._first()


class AccountsError(DataFileError):
    """A pole's accounts (comptes.yaml) do not add up or hold an impossible value."""


class AnswersImportError(ProblemsError):
    """Answers to the référentiel questionnaire refused; nothing was stored. Each problem
    names the file and the row (and the column)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems, ANSWERS_REFUSED)


class UnknownWaveError(PtceError):
    """A wave (dated campaign) that a pole has no answers for."""

    def __init__(self, slug: str, wave: str, known: list[str]) -> None:
        listed = ", ".join(known) or "aucune"
        super().__init__(
            f"vague « {wave} » inconnue pour le pôle « {slug} » (vagues enregistrées : {listed})."
        )


class ReviewError(DataFileError):
    """A returned review document or a review round file cannot be used; nothing was stored.

    ``where`` names the place when there is one: ``ligne 12`` becomes the line of the file
    (``fichier:12: …``), any other place is written before the message."""

    def __init__(self, path: Path | str, message: str, where: str = "") -> None:
        ProblemsError.__init__(self, [located(path, message, where)])
        self._first()


class ProjectIdentityError(DataFileError):
    """``data/projet.yaml`` (the project's identity) has a missing or malformed field."""

    def __init__(self, path: Path | str, field: str, message: str, line: int | None = None) -> None:
        super().__init__(path, f"champ « {field} » : {message}", line)
        self.field = field
