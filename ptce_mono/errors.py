"""Typed exceptions of ptce_mono; each composes its own French message."""

from __future__ import annotations

import errno
from pathlib import Path


class PtceError(Exception):
    """Root of every error that the CLI reports as one French line."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DataFileError(PtceError):
    """A data file cannot be read or parsed at all."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path = Path(path)
        self.line = line
        self.detail = message


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


class CensusError(PtceError):
    """A file of the 2011 census (data/recensement) is missing or has a bad row."""

    def __init__(
        self, path: Path | str, row: int | None, column: str, message: str, total: int = 1
    ) -> None:
        where = f"{path}, ligne {row}" if row else str(path)
        col = f", colonne « {column} »" if column else ""
        others = "1 autre problème" if total == 2 else f"{total - 1} autres problèmes"
        more = f" (et {others} : voir ptce-mono validate)" if total > 1 else ""
        super().__init__(f"{where}{col} : {message}{more}")
        self.path = Path(path)
        self.row = row
        self.column = column


class FieldworkError(DataFileError):
    """A coded-interview export, the codes mapping or the private table cannot be used.

    ``where`` names the row (``ligne 4``) or the XML element (``<PlainTextSelection guid=…>``);
    nothing is stored when it is raised.
    """

    def __init__(self, path: Path | str, message: str, where: str = "") -> None:
        text = f"{where} : {message}" if where else message
        super().__init__(path, text)
        self.where = where


class AccountsError(DataFileError):
    """A pole's accounts (comptes.yaml) do not add up or hold an impossible value."""


class AnswersImportError(PtceError):
    """Answers to the référentiel questionnaire refused; nothing was stored.

    ``problems`` are French sentences that each name the file and the row (or column)."""

    def __init__(self, problems: list[str]) -> None:
        lines = "\n".join(f"- {p}" for p in problems)
        count = len(problems)
        head = "un problème" if count == 1 else f"{count} problèmes"
        super().__init__(
            f"import des réponses refusé ({head}) ; aucune réponse n'a été enregistrée :\n{lines}"
        )
        self.problems = problems


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
        line = int(where[6:]) if where.startswith("ligne ") and where[6:].isdigit() else None
        text = f"{where} : {message}" if where and line is None else message
        super().__init__(path, text, line)
        self.where = where


class ProjectIdentityError(DataFileError):
    """``data/projet.yaml`` (the project's identity) has a missing or malformed field."""

    def __init__(self, path: Path | str, field: str, message: str, line: int | None = None) -> None:
        super().__init__(path, f"champ « {field} » : {message}", line)
        self.field = field
