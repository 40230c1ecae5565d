"""Benchmark of ptce-mono (``make bench``): prints the figures and writes benchmarks/results/.

Measures, on N fictional poles (ptce_mono.importers.fictional_corpus):
  (a) the full build (execute + HTML + PDF) of N = 20, N = 100 and N = 1,000 poles
      (time per pole and peak memory of the 1,000-pole build);
  (b) a no-op rebuild of the 100 and of the 1,000 poles, and ``site`` on the 1,000 poles;
  (c) a rebuild after one pole's narrative changed;
  (d) the baseline a researcher would otherwise write: a sequential loop of
      papermill.execute_notebook, each followed by `jupyter nbconvert --to html`;
  (e) `ptce-mono preview` of one pole against the build of a single monograph;
  (f) `ptce-mono preview --suivre`: from a narrative's save to the served page showing it, and
      to its PDF (medians of 10 saves; ``--apercu-suivi`` runs only this part and prints it);
and the peak memory of the whole process tree (of the 100- and 1,000-pole builds; the timed
comparisons run without the sampler), and where the time of one monograph goes.
Not a test: nothing here asserts; targets are reported as met or not. Writes only under
benchmarks/ (results/, work/), both git-ignored: README.md is written by `make bench-readme`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results"
BIN = Path(sys.executable).parent


class PeakMemory:
    """Samples the resident memory of this process and all its children."""

    def __init__(self, interval: float = 0.05) -> None:
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        import psutil

        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            time.sleep(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def make_project(dest: Path, n: int) -> Path:
    from ptce_mono.importers.fictional_corpus import write_fictional_corpus

    if dest.exists():
        shutil.rmtree(dest)
    (dest / "data").mkdir(parents=True)
    for folder in ("templates", "notebooks"):
        shutil.copytree(ROOT / folder, dest / folder)
    shutil.copy2(ROOT / "data" / "grille.yaml", dest / "data" / "grille.yaml")
    # every reference folder of the project (not the demo poles): référentiels, geography,
    # participation settings, published figures…
    for folder in sorted(p for p in (ROOT / "data").iterdir() if p.is_dir()):
        if folder.name not in ("poles", "prive", "export", "recensement"):
            shutil.copytree(folder, dest / "data" / folder.name)
    write_fictional_corpus(dest / "data", n, seed=2013)
    return dest


def cli(project: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([str(BIN / "ptce-mono"), "--racine", str(project), *args], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - start


def baseline(project: Path, slugs: list[str], cohort: Path) -> dict[str, float]:
    """What a researcher would write without ptce-mono: papermill then nbconvert, one by one."""
    import papermill

    out = project / "baseline"
    out.mkdir(exist_ok=True)
    execute = convert = 0.0
    for slug in slugs:
        nb = out / f"{slug}.ipynb"
        start = time.perf_counter()
        papermill.execute_notebook(
            str(project / "templates" / "monographie.ipynb"), str(nb), progress_bar=False,
            parameters={"slug": slug, "data_dir": str(project / "data"), "cohort_file": str(cohort)},
            cwd=str(project / "templates"),
        )  # fmt: skip
        execute += time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(nb)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        convert += time.perf_counter() - start
    return {"execution": execute, "conversion": convert, "total": execute + convert}


def live_preview(project: Path, slug: str, saves: int = 10) -> dict[str, float]:
    """`ptce-mono preview SLUG --suivre`: from the save of a narrative to the served page that
    shows it (what the reloaded browser page gets), and to its PDF; medians of ``saves`` saves,
    each made once the previous PDF is done."""
    import statistics
    import urllib.request

    def get(url: str) -> bytes:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read()

    def state(url: str) -> dict:
        return json.loads(get(url + "etat.json"))

    def wait(predicate, timeout: float = 120.0) -> float:  # polls; returns the time it held
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if predicate():
                return time.perf_counter()
            time.sleep(0.01)
        raise TimeoutError("aperçu en direct : délai dépassé")

    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [str(BIN / "ptce-mono"), "--racine", str(project), "preview", slug, "--suivre",
             "--sans-navigateur"], stdout=subprocess.PIPE, stderr=errors, text=True,
        )  # fmt: skip
        html_times, pdf_times = [], []
        stopped: float | None = None
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            url = line[line.index("http://") :].strip()
            # what it prints next is drained, so that a full pipe never blocks it
            threading.Thread(target=process.stdout.read, daemon=True).start()
            wait(lambda: state(url)["pdf"] in ("à jour", "échec"))  # the first update is done
            narrative = project / "data" / "poles" / slug / "finalites.md"
            for i in range(saves):
                mark = f"Phrase ajoutée par le banc numéro {i}."
                text = narrative.read_text(encoding="utf-8")
                seen = state(url)["version"]
                start = time.perf_counter()
                narrative.write_text(text + "\n" + mark + "\n", encoding="utf-8")

                def reloaded(seen: int = seen, mark: bytes = mark.encode()) -> bool:
                    return state(url)["version"] != seen and mark in get(url)

                html_times.append(wait(reloaded) - start)
                pdf_times.append(wait(lambda: state(url)["pdf"] != "en cours") - start)
        finally:
            start = time.perf_counter()
            process.send_signal(signal.SIGINT)  # Ctrl-C
            try:
                process.wait(timeout=60)
                stopped = time.perf_counter() - start
            except subprocess.TimeoutExpired:  # the figure is left out; what it was doing is shown
                process.send_signal(signal.SIGUSR1)  # its threads' stacks (ptce-mono's main)
                time.sleep(2)
                process.kill()
                process.wait()
                errors.seek(0)
                print("aperçu en direct : toujours là 60 s après Ctrl-C ; ses fils d'exécution :\n"
                      + errors.read()[-6000:], flush=True)  # fmt: skip
    return {"apercu_suivi_s": statistics.median(html_times),
            "apercu_suivi_pdf_s": statistics.median(pdf_times),
            "apercu_suivi_arret_s": stopped}  # fmt: skip


CELLS_PROFILE = """
import contextlib, io, json, sys, time
from IPython.core.interactiveshell import InteractiveShell
from ptce_mono.documents import display
from ptce_mono.documents.charts import svg
shell = InteractiveShell.instance()
spent = [0.0]
original = svg.figure_svg
def timed(fig):
    start = time.perf_counter()
    try:
        return original(fig)
    finally:
        spent[0] += time.perf_counter() - start
# the one SVG writer, under both names it is called by (display, and charts.memory at call time)
display.figure_svg = svg.figure_svg = timed
template, parameters = sys.argv[1], json.loads(sys.argv[2])
cells = ["".join(c["source"]) for c in json.load(open(template))["cells"] if c["cell_type"] == "code"]
cells[0] = "\\n".join(f"{k} = {v!r}" for k, v in parameters.items())
runs = []
with contextlib.redirect_stdout(io.StringIO()):
    for _ in range(4):  # the first one imports matplotlib and loads fonts: left out
        spent[0] = 0.0
        start = time.perf_counter()
        for cell in cells:
            shell.run_cell(cell, store_history=False).raise_error()
        runs.append((time.perf_counter() - start, spent[0]))
total, figures = min(runs[1:])
print(json.dumps({"cellules_en_processus": total, "cellules_figures": figures}))
"""


def cells_profile(project: Path, slug: str) -> dict[str, float]:
    """Where the cells' time goes, in one process (no kernel messaging): all the cells of the
    template for one pole, and the part spent turning figures into SVG (best of 3 warm runs)."""
    parameters = {"slug": slug, "data_dir": str(project / "data"), "referentiel_version": "2012",
                  "cohort_file": str(project / ".cache" / "cohorte-2012.json"),
                  "inputs_hash": "banc", "template_version": "banc"}  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-c", CELLS_PROFILE, str(project / "templates" / "monographie.ipynb"),
         json.dumps(parameters)], check=True, capture_output=True, text=True, cwd=project / "templates",
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def breakdown(project: Path) -> dict[str, float]:
    """Where the time of one monograph goes: kernel start, imports, cells, render, writing."""
    code = (
        "import time, json\n"
        "t0 = time.perf_counter()\n"
        "from jupyter_client.manager import KernelManager\n"
        "km = KernelManager(kernel_name='python3'); km.start_kernel(); kc = km.blocking_client(); kc.start_channels()\n"
        "kc.wait_for_ready(timeout=60); t1 = time.perf_counter()\n"
        "kc.execute_interactive('import pandas, matplotlib.pyplot, ptce_mono.documents.monograph', timeout=120); t2 = time.perf_counter()\n"
        "kc.stop_channels(); km.shutdown_kernel(now=True)\n"
        "print(json.dumps({'demarrage_noyau': t1 - t0, 'imports': t2 - t1}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    manifests = [
        json.loads(p.read_text()) for p in (project / "monographs").glob("pole-*.manifest.json")
    ]
    for key in ("execution", "rendu", "ecriture"):
        values = [m.get("timings", {}).get(key, 0.0) for m in manifests]
        result[f"{key}_moyenne"] = sum(values) / max(len(values), 1)
    result.update(cells_profile(project, "pole-fictif-050"))
    return result


def interview_reads() -> dict[str, int]:
    """How many times one full build parses each interview file, counted in every process
    (validation, workers, kernels) through the log of ``fieldwork.excerpts``; on the fictional
    demonstration pole of data/ (the generated poles have no interviews). Goal: once."""
    from ptce_mono.corpus.excerpts import READS_LOG_ENV

    project = WORK / "entretiens"
    if project.exists():
        shutil.rmtree(project)
    for folder in ("templates", "notebooks"):
        shutil.copytree(ROOT / folder, project / folder)
    for folder in ("referentiels", "geo", "participation", "poles/pole-fictif-demonstration"):
        shutil.copytree(ROOT / "data" / folder, project / "data" / folder)
    for item in ("grille.yaml", "bibliographie.yaml"):
        shutil.copy2(ROOT / "data" / item, project / "data" / item)
    log = project / "lectures.log"
    figures = {}
    for key, extra in (("lectures_par_entretien", ()),
                       ("lectures_par_entretien_cache_a_jour", ("--force",))):  # fmt: skip
        log.unlink(missing_ok=True)
        subprocess.run([str(BIN / "ptce-mono"), "--racine", str(project), "build", *extra],
                       check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, READS_LOG_ENV: str(log)})  # fmt: skip
        lines = log.read_text(encoding="utf-8").splitlines() if log.is_file() else []
        figures[key] = max(Counter(line.split("\t", 1)[-1] for line in lines).values(), default=0)
        if not extra:  # the most one process (pid, file) parsed one file
            figures["lectures_par_entretien_par_processus"] = max(
                Counter(lines).values(), default=0
            )
    return figures


def live_only() -> None:
    """``python benchmarks/run.py --apercu-suivi``: only the one-pole figures (a monograph,
    ``preview``, the live preview), printed and not written to the results: a quick look at a
    change, not a measure for the README."""
    single = make_project(WORK / "n1", 1)
    results: dict[str, float] = {
        "monographie_seule": cli(single, "build", "--sans-transversale", "-j", "1")
    }
    slug = next((single / "data" / "poles").iterdir()).name
    results.update(live_preview(single, slug))
    results.update(cells_profile(single, slug))
    print(json.dumps(results, indent=1, ensure_ascii=False))


def ratio_runs(project: Path, results: dict[str, object]) -> None:
    """The ratios to the reference: the full build, the execution alone and the reference, in
    turns, twice (a new project for each of our builds); the best of two kept, both written."""
    n = len(list((project / "data" / "poles").iterdir()))
    slugs = sorted(p.name for p in (project / "data" / "poles").iterdir())
    builds, executions, references = [], [], []
    for k in range(2):
        print(f"— {n} pôles, essai {k + 1} sur 2 : construction complète (exécution + HTML + PDF), "
              "exécution seule, référence papermill + nbconvert…", flush=True)  # fmt: skip
        built = project if k == 0 else make_project(WORK / "n20-bis", n)
        builds.append(cli(built, "build", "--sans-transversale"))
        executions.append(cli(make_project(WORK / f"n20-exec-{k}", n), "build",
                              "--sans-transversale", "--to", ""))  # fmt: skip
        references.append(baseline(project, slugs, project / ".cache" / "cohorte-2012.json"))
    results["construction_20"], results["construction_20_essais"] = min(builds), builds
    results["execution_seule_20"], results["execution_seule_20_essais"] = (
        min(executions), executions)  # fmt: skip
    results["reference_20"] = min(references, key=lambda r: r["total"])
    results["reference_20_essais"] = [r["total"] for r in references]


def single_pole_runs(results: dict[str, object]) -> None:
    """One pole: its build alone, ``preview``, and the live preview."""
    single = make_project(WORK / "n1", 1)
    results["monographie_seule"] = cli(single, "build", "--sans-transversale", "-j", "1")
    narrative = next((single / "data" / "poles").iterdir()) / "finalites.md"
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\nAjout.\n", encoding="utf-8")
    results["apercu"] = cli(single, "preview", narrative.parent.name, "--sans-navigateur")
    print("— aperçu en direct : 10 enregistrements d'un récit…", flush=True)
    results.update(live_preview(single, narrative.parent.name))


def main() -> None:
    sys.path.insert(0, str(ROOT))
    # A bench started in the background inherits Ctrl-C ignored, and so would the live preview
    # it starts, which it stops with Ctrl-C: Ctrl-C is delivered as a terminal delivers it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if "--apercu-suivi" in sys.argv[1:]:
        live_only()
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    # as an installed copy would run: bytecode of the package up to date (this machine may set
    # PYTHONDONTWRITEBYTECODE, and then every worker and kernel would compile it again)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ptce_mono")], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    results: dict[str, object] = {"coeurs": os.cpu_count()}
    large = int(os.environ.get("PTCE_BENCH_GRAND", "1000"))
    # The timed comparisons run outside the memory sampler: it polls every process of the
    # machine twenty times a second, on the cores the build uses and the reference leaves idle.
    project = make_project(WORK / "n20", 20)
    ratio_runs(project, results)
    single_pole_runs(results)
    with PeakMemory() as memory:
        project = make_project(WORK / "n100", 100)
        print("— 100 pôles : construction complète (exécution + HTML + PDF)…", flush=True)
        results["construction_100"] = cli(project, "build", "--sans-transversale")
        print("— reconstruction sans changement (100 pôles)…", flush=True)
        results["reconstruction_vide_100"] = cli(project, "build", "--sans-transversale")
        narrative = project / "data" / "poles" / "pole-fictif-050" / "finalites.md"
        narrative.write_text(
            narrative.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8"
        )
        results["un_recit_modifie_100"] = cli(project, "build", "--sans-transversale")
        results["repartition"] = breakdown(project)
        results.update(interview_reads())  # how many times a build parses each interview file
    results["memoire_max_gio"] = memory.peak / 2**30
    if large:
        grand = make_project(WORK / f"n{large}", large)
        print(f"— {large} pôles : construction complète…", flush=True)
        with PeakMemory() as memory_large:
            results[f"construction_{large}"] = cli(grand, "build", "--sans-transversale")
        results[f"memoire_max_{large}_gio"] = memory_large.peak / 2**30
        print(f"— reconstruction sans changement ({large} pôles, meilleure de 3)…", flush=True)
        results[f"reconstruction_vide_{large}"] = min(
            cli(grand, "build", "--sans-transversale") for _ in range(3)
        )
        print(f"— site ({large} pôles)…", flush=True)
        results[f"site_{large}"] = cli(grand, "site")
        results[f"site_{large}_sans_changement"] = cli(grand, "site")
    ref = results["reference_20"]
    assert isinstance(ref, dict)
    per_pole_100 = float(results["construction_100"]) / 100
    ratios = {
        "execution_vs_papermill_sequentiel": ref["execution"]
        / float(results["execution_seule_20"]),
        "construction_vs_reference": ref["total"] / float(results["construction_20"]),
        "un_recit_vs_une_monographie": float(results["un_recit_modifie_100"])
        / float(results["monographie_seule"]),
        "apercu_vs_une_monographie": float(results["apercu"]) / float(results["monographie_seule"]),
    }
    targets = {
        "exécution ≥ 5× plus rapide que papermill séquentiel": ratios[
            "execution_vs_papermill_sequentiel"
        ]
        >= 5,
        "construction complète ≥ 7× plus rapide que papermill + nbconvert": ratios[
            "construction_vs_reference"
        ]
        >= 7,
        "reconstruction sans changement de 100 pôles < 2 s": float(
            results["reconstruction_vide_100"]
        )
        < 2,
        "un récit modifié < 1,5× une monographie": ratios["un_recit_vs_une_monographie"] < 1.5,
        "aperçu ≤ 1,3× une monographie": ratios["apercu_vs_une_monographie"] <= 1.3,
        "aperçu en direct : page rechargée ≤ 1,5 s après l'enregistrement d'un récit": float(
            results["apercu_suivi_s"]
        )
        <= 1.5,
        "aperçu en direct : arrêté par Ctrl-C en moins de 5 s": (
            results.get("apercu_suivi_arret_s") is not None
            and float(results["apercu_suivi_arret_s"]) < 5
        ),
        "mémoire maximale < 2 Gio": float(results["memoire_max_gio"]) < 2,
    }
    if large:
        per_pole_large = float(results[f"construction_{large}"]) / large
        ratios[f"temps_par_pole_{large}_vs_100"] = per_pole_large / per_pole_100
        targets[f"temps par pôle à {large} pôles ≤ 1,15× celui à 100"] = (
            per_pole_large <= 1.15 * per_pole_100
        )
        targets[f"mémoire maximale à {large} pôles < 2 Gio"] = (
            float(results[f"memoire_max_{large}_gio"]) < 2
        )
        targets[f"reconstruction sans changement de {large} pôles < 1 s"] = (
            float(results[f"reconstruction_vide_{large}"]) < 1
        )
    results["ratios"] = ratios
    results["objectifs"] = targets
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"bench-{stamp}.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    print(json.dumps(results, indent=1, ensure_ascii=False))
    for label, met in targets.items():
        print(f"{'atteint ' if met else 'MANQUÉ  '} {label}")


if __name__ == "__main__":
    main()
