# searchkit: `make run` and `make test` work on a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
N      ?= 20000

.PHONY: run test install bench-relevance bench-scale bench-startup bench-shell bench-safety clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "searchkit needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per set of extras, redone when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed

install: $(VENV)/.installed

## Build the index of seeds/ in index/ and run a sample query.
run: $(VENV)/.installed
	$(BIN)/searchkit index seeds --index index
	$(BIN)/searchkit query nitrocellulose --index index

## Run the test suite.
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

## Ranking quality on Cranfield against SQLite FTS5 and bm25s.
bench-relevance: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/relevance.py

## Speed at scale against SQLite FTS5 (N articles; default 20000).
bench-scale: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/scale.py --n $(N)

## One-shot `searchkit query` start-up against a minimal Whoosh script.
bench-startup: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/startup.py

## Time from Enter to results in the interactive shell.
bench-shell: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/shell_latency.py

## What checksums, size checks and `searchkit check` cost (N articles; default 20000).
bench-safety: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/safety.py --n $(N)

clean:
	rm -rf $(VENV) benchmarks/work
	find index -mindepth 1 ! -name .gitignore -exec rm -rf {} +
