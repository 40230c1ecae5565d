"""``ptce-mono compare``: what changed for a pole between two waves: declared scores, and the
record's facts and narratives when the data are versioned in git (word-level diff in HTML)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..analysis.declared import pole_wave_scores
from ..analysis.waves import WaveComparison, WaveLink, compare_waves, wave_link
from ..core.atomic import write_text_atomic
from ..core.errors import PtceError, UnknownWaveError
from ..core.layout import POLE_FILE
from ..core.paths import ProjectPaths
from ..corpus.answer_settings import load_settings
from ..corpus.answer_store import Wave, load_wave, wave_names
from ..corpus.record_history import Snapshot, record_at
from ..corpus.records import load_corpus
from .worddiff import changed_words, word_diff_html

FOLDER = "comparaisons"
FACTS = POLE_FILE


@dataclass(frozen=True)
class SectionChange:
    file: str
    title: str
    words: int
    diff_html: str


@dataclass(frozen=True)
class Comparison:
    pole_name: str
    scores: WaveComparison
    versioned: bool
    before: Snapshot | None
    after: Snapshot | None
    sections: tuple[SectionChange, ...]

    @property
    def link(self) -> WaveLink:
        return wave_link(self.scores.before, self.scores.after)


def wave_date(wave: Wave) -> str:
    """The day a wave closed: its latest answer's date, else the end of its month."""
    dates = [r.date for r in wave.respondents if r.date]
    if dates:
        return max(dates)
    return wave.wave if len(wave.wave) == 10 else f"{wave.wave}-28"


def compare_record(paths: ProjectPaths, slug: str, first: str, second: str) -> Comparison:
    corpus = load_corpus(paths, [slug])
    pole = corpus.pole(slug)
    names = wave_names(pole.folder)
    for wave in (first, second):
        if wave not in names:
            raise UnknownWaveError(slug, wave, names)
    if first == second:
        raise PtceError(f"deux vagues différentes sont attendues (« {first} » donnée deux fois).")
    from ..checks.answers import require_valid_waves
    from ..corpus.answer_settings import load_vocabulary

    require_valid_waves(pole.folder, corpus.referentiels, load_vocabulary(paths))
    settings = load_settings(paths)
    waves = {w.wave: w for ref in corpus.referentiels.values()
             for w in pole_wave_scores(pole, ref, settings)}  # fmt: skip
    before, after = waves[first], waves[second]
    if before.version != after.version:
        raise PtceError(
            f"les vagues {first} et {second} suivent deux versions du référentiel "
            f"({before.version}, {after.version}) : leurs scores ne se comparent pas."
        )
    scores = compare_waves(before, after, corpus.referentiels[after.version])
    snap_a = record_at(pole.folder, wave_date(load_wave(pole.folder, first)))
    snap_b = record_at(pole.folder, wave_date(load_wave(pole.folder, second)))
    titles = {s.filename: f"{s.number}. {s.title}" for s in corpus.grid.sections}
    titles[FACTS] = "Fiche du pôle (faits)"
    sections = []
    if snap_a and snap_b:
        for name in sorted(set(snap_a.files) | set(snap_b.files), key=lambda n: (n != FACTS, n)):
            old, new = snap_a.files.get(name, ""), snap_b.files.get(name, "")
            if old != new:
                sections.append(SectionChange(name, titles.get(name, name),
                                              changed_words(old, new), word_diff_html(old, new)))  # fmt: skip
    return Comparison(pole.name, scores, bool(snap_a and snap_b), snap_a, snap_b, tuple(sections))


def render_comparison(comparison: Comparison, templates: Path) -> str:
    from markupsafe import Markup

    from ..render.templating import french_environment

    env = french_environment(templates)
    css = (templates / "restitution.css").read_text(encoding="utf-8")
    diffs = [Markup(s.diff_html) for s in comparison.sections]  # escaped by word_diff_html
    return env.get_template("comparaison.html").render(
        c=comparison, s=comparison.scores, css=Markup(css), diffs=diffs
    )


def comparison_path(monographs: Path, slug: str, first: str, second: str) -> Path:
    return monographs / FOLDER / f"{slug}-{first}-{second}.html"


def write_comparison(paths: ProjectPaths, comparison: Comparison, first: str, second: str) -> Path:
    out = comparison_path(paths.monographs, comparison.scores.slug, first, second)
    write_text_atomic(out, render_comparison(comparison, paths.templates))
    return out
