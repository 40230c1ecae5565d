# ptce-mono — atelier de monographies des PTCE.
# `make help` liste les cibles.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := requirements/constraints.txt
PIP := $(BIN)/python -m pip
STAMP_RUN := $(VENV)/.installe-execution
STAMP_TEST := $(VENV)/.installe-tests
# make mutation MODULES="coverage plan" : quelques modules seulement (voir scripts/mutation.py)
MODULES ?=
# make test TEST_WORKERS=0 : la suite dans un seul processus (auto : un processus par cœur ; les
# tests d'un même fichier restent dans le même processus, qui fait une fois ses fixtures de module)
TEST_WORKERS ?= auto
# Taguette (serveur d'un test) a ses propres versions épinglées, incompatibles avec les nôtres.
TAGUETTE_VENV := .venv-taguette
TAGUETTE_PINS := requirements/taguette.txt
STAMP_TAGUETTE := $(TAGUETTE_VENV)/.installe

.DEFAULT_GOAL := help
.PHONY: help demo test lint bench bench-readme mutation install install-test system-deps clean taguette

help: ## Affiche cette aide
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP_RUN): $(BIN)/python $(CONSTRAINTS) pyproject.toml
	$(PIP) install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ptce-mono)" >/dev/null
	@# bytecode written once, even where PYTHONDONTWRITEBYTECODE is set: every process (workers, kernels) starts faster
	$(BIN)/python -m compileall -q ptce_mono >/dev/null
	@touch $@

$(STAMP_TEST): $(STAMP_RUN)
	$(PIP) install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[test]"
	@touch $@

$(STAMP_TAGUETTE): $(TAGUETTE_PINS)
	$(PYTHON) -m venv $(TAGUETTE_VENV)
	$(TAGUETTE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r $(TAGUETTE_PINS)
	@touch $@

install: $(STAMP_RUN) ## Crée .venv et installe les dépendances épinglées

taguette: $(STAMP_TAGUETTE) ## Installe Taguette (.venv-taguette) pour « ptce-mono coder »

install-test: $(STAMP_TEST) $(STAMP_TAGUETTE) system-deps ## Installe aussi les dépendances de test

system-deps: ## Installe les paquets système des tests (chromium, poppler-utils, LibreOffice)
	@bash scripts/install-system-deps.sh

demo: $(STAMP_RUN) ## Valide le corpus de démonstration, construit les monographies et le site
	$(BIN)/ptce-mono demo

test: install-test ## Lance les tests (en parallèle : un processus par cœur)
	$(BIN)/python -m pytest -q -rs -n $(TEST_WORKERS) --dist loadfile

lint: install-test ## Vérifie le style (ruff)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

mutation: install-test ## mutmut sur les modules de règles, d'import, de confidentialité et le plan ; taux de survie (long)
	$(BIN)/python scripts/mutation.py $(foreach m,$(MODULES),--module $(m))

bench: $(STAMP_TEST) ## Mesure les performances (résultats dans benchmarks/results/ ; aucun fichier suivi modifié)
	$(BIN)/python benchmarks/run.py

bench-readme: $(STAMP_RUN) ## Écrit le tableau des performances de README.md depuis la dernière mesure (make bench)
	$(BIN)/python benchmarks/readme.py

clean: ## Supprime les sorties générées (pas .venv)
	rm -rf monographs/*.ipynb monographs/*.html monographs/*.pdf monographs/*.json site .cache
