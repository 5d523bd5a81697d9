# searchkit: `make run` and `make test` work on a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
N      ?= 20000

.PHONY: run test test-spark test-all test-browser test-opensearch opensearch docs install bench-big bench-relevance bench-huge bench-scale bench-startup bench-shell bench-stories bench-stories-eval bench-collapse bench-spelling bench-ingest bench-safety bench-web clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "searchkit needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per set of extras, redone when pyproject.toml changes. PYTHONWARNINGS quiets the
# "Editable installation" banner setuptools prints from its build (pip's own errors still show).
QUIET_PIP := PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(QUIET_PIP) -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(QUIET_PIP) -e '.[test]'
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(QUIET_PIP) -e '.[test,bench]'
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed

install: $(VENV)/.installed

## Build the index of seeds/ in index/ and run a sample query.
run: $(VENV)/.installed
	$(BIN)/searchkit index seeds --index index
	$(BIN)/searchkit query nitrocellulose --index index

## Regenerate the command reference (docs/reference.md) from the parser.
docs: $(VENV)/.installed
	$(BIN)/python -m searchkit.clidocs reference

## Type-check the package, then run the fast lane: every test but those marked slow (real
## terminals, real processes killed or interrupted mid-run, a real browser, real OpenSearch nodes),
## on TEST_JOBS processes (pytest-xdist; TEST_JOBS=0 runs them in this one).
TEST_JOBS ?= 2
test: $(VENV)/.installed-test
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q -m "not slow" -n $(TEST_JOBS)

## Type-check, then run every test (CI runs this: .ci/run): the fast lane as above, then the
## slow lane one test at a time (real terminals and killed processes, timed by their own clocks),
## but for the Spark suite, which has its own target (test-spark; CI runs it too).
test-all: $(VENV)/.installed-test
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q -m "not slow" -n $(TEST_JOBS) $(SPARK_SUITE:%=--ignore=%)
	$(BIN)/python -m pytest -q -m slow $(SPARK_SUITE:%=--ignore=%)

$(VENV)/.installed-spark: pyproject.toml | $(BIN)/python
	$(QUIET_PIP) -e '.[test,spark]'
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed

## The stories stage on a real Spark (local[2], local-cluster[2,1,1024], a standalone Master and
## Worker on loopback) against the in-process stage, from a local index, JSON Lines, Parquet and
## an index on real OpenSearch nodes; Java 17 and Maven needed; a missing Java, pyspark or
## OpenSearch node fails here instead of skipping (CI runs this).
SPARK_SUITE := tests/test_stories_spark.py tests/test_stories_spark_opensearch.py
test-spark: $(VENV)/.installed-spark
	SEARCHKIT_REQUIRE_SPARK=1 SEARCHKIT_REQUIRE_OPENSEARCH=1 $(BIN)/python -m pytest -q $(SPARK_SUITE)

## The OpenSearch tests on a real 3-node cluster (Java 17 and Maven needed); a missing tool
## fails here instead of skipping (CI runs this).
test-opensearch: $(VENV)/.installed-test
	SEARCHKIT_REQUIRE_OPENSEARCH=1 $(BIN)/python -m pytest -q tests/test_opensearch.py tests/test_opensearch_dsl.py

## Start one real OpenSearch node on a free loopback port and print its URL (Ctrl-C stops it).
opensearch: $(VENV)/.installed-test
	$(BIN)/python opensearch-node/cluster.py --nodes 1

$(VENV)/.installed-browser: pyproject.toml | $(BIN)/python
	$(QUIET_PIP) -e '.[test,browser]'
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed

## The real-browser suite alone: Debian's Chromium (apt-get install chromium) driven by Playwright;
## screenshots in test-artifacts/browser/. It fails rather than skips when Chromium is missing.
test-browser: $(VENV)/.installed-browser
	SEARCHKIT_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q tests/test_web_browser.py

## Ranking quality on every collection in benchmarks/data (Cranfield, CACM in two forms, CISI,
## Medline) against SQLite FTS5, bm25s and plain Whoosh, with the ranking decisions'
## significance tests and leave-one-collection-out choices.
bench-relevance: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/relevance.py

## The biggest queries a user can paste (100,000 characters, 5,000-term OR) on the seeds.
bench-huge: $(VENV)/.installed
	$(BIN)/python benchmarks/huge_queries.py

## Speed at scale against SQLite FTS5 and tantivy (N articles; default 20000).
bench-scale: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/scale.py --n $(N)

## One-shot `searchkit query` start-up against a minimal Whoosh script.
bench-startup: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/startup.py

## One 1, 5 and 45 MB article: indexing memory and time, phrase queries with snippets.
bench-big: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/big_article.py

## Time from Enter to results in the interactive shell.
bench-shell: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/shell_latency.py

## Stories (syndication grouping, credits, earliest) on the seeds and a synthetic corpus against MinHash LSH
## (STORIES=tiny|medium|large|N; default medium = 20k articles).
STORIES ?= medium
bench-stories: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/stories.py --both --corpus $(STORIES)

## Stories and credits through a real index on sets the method was not built on (issue 21): the
## dev splits of storygen2/3/4, the real pages, the seeds, the first generator, and the dev halves
## of the credit sentence sets. The held-out sets are left out on purpose: the lead runs them once,
## at the end, with `stories_eval.py --final LABEL --unseal` (benchmarks/STORIES-EVAL.md).
LABEL ?= run
bench-stories-eval: $(VENV)/.installed-bench
	for s in storygen2-dev storygen3-dev storygen4-dev real-dev seeds storygen; do $(BIN)/python benchmarks/stories_eval.py --set $$s --label $(LABEL) || exit 1; done
	$(BIN)/python benchmarks/credits_phrasings.py --set phrasings --label $(LABEL)
	$(BIN)/python benchmarks/credits_phrasings.py --set real --label $(LABEL)

## What collapsing copies of a story costs a search, on N synthetic syndicated articles.
bench-collapse: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/collapse.py --n $(N)

## Did-you-mean on misspellings drawn from benchmarks/data and the 20k synthetic corpus, this
## checkout against BASE (another checkout of searchkit): suggestions, words meant, time.
BASE ?=
bench-spelling: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/spelling.py $(if $(BASE),--baseline $(BASE))

## Ingestion: pages/s per format, HTML time against trafilatura alone, and accuracy on
## benchmarks/data/news-html-dev against htmldate and trafilatura.
bench-ingest: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/ingest.py

## What checksums, size checks and `searchkit check` cost (N articles; default 20000).
bench-safety: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/safety.py --n $(N)

## `searchkit serve`: a search page's server time against the library's search of the same
## query, and pages/s with 1, 8 and 32 clients on loopback (N articles; default 20000).
bench-web: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/web.py --n $(N)

clean:
	rm -rf $(VENV) benchmarks/work
	find index -mindepth 1 ! -name .gitignore -exec rm -rf {} +
