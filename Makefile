# coopkg: `make demo` and `make test` work from a fresh clone (Python >= 3.11 and make).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Set-up runs again only when pyproject.toml changes (or the stamp is removed).
STAMP := $(VENV)/.coopkg-installed

.PHONY: demo test test-fast lint fmt bench bench-quick setup docs expected

setup: $(STAMP)

# The docs extra (pyLODE) is installed too: make test checks the generated docs.
$(STAMP): pyproject.toml scripts/bootstrap_venv.py
	$(PYTHON) scripts/bootstrap_venv.py --extras test,docs
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/coopkg query who-committed-what

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/fmt_turtle.py --check
	$(BIN)/python scripts/anchor_spans.py --check

# The suite runs on every core (pytest-xdist); each test is independent of the others. With
# worksteal, a worker that runs out of tests takes some of another's queue, so the long tests
# do not leave one core idle at the end.
test: lint
	$(BIN)/pytest -q -n auto --dist worksteal

# The edit-test loop: everything but the tests marked slow (> 2 s) or server (a server process).
test-fast: $(STAMP)
	$(BIN)/pytest -q -n auto --dist worksteal -m "not slow and not server"

fmt: $(STAMP)
	$(BIN)/python scripts/fmt_turtle.py
	$(BIN)/ruff format .

# bench/run.py (the scale benchmarks) also runs bench_cli.py; BENCH_ARGS=--quick for a short run.
bench: $(STAMP)
	$(BIN)/python -c "import matplotlib" 2>/dev/null || $(PYTHON) scripts/bootstrap_venv.py --extras test,docs,bench
	@if [ -f bench/run.py ]; then $(BIN)/python bench/run.py $(BENCH_ARGS); \
	else $(BIN)/python bench/bench_cli.py; fi

# 10k and 100k only, under two minutes. A quick run is a check, not the record: it prints its
# results and leaves them in /tmp/coopkg-bench/ (--no-write), never in bench/results.md.
bench-quick:
	$(MAKE) bench BENCH_ARGS="--quick --no-write"

# Generated docs (scripts/build_docs.py --help); pyLODE comes from the `docs` extra.
docs: $(STAMP)
	$(BIN)/python -c "import pylode" 2>/dev/null || $(PYTHON) scripts/bootstrap_venv.py --extras test,docs
	$(BIN)/python scripts/build_docs.py

# queries/expected/<name>.srj from a run of each named query (NAMES="a b" for some); review the
# diff against the article before committing it.
expected: $(STAMP)
	$(BIN)/python scripts/expected_results.py $(NAMES)

# `coopkg draft` measured against the curated graph (the seed article) and the gold graphs of
# the fictional test texts; fails when the seed article misses a target.
.PHONY: eval-draft bench-draft
eval-draft: $(STAMP)
	$(BIN)/python -m coopkg.draft.evaluate --check

# Cold drafting time per article (target <= 2 s); writes its block of bench/results.md.
bench-draft: $(STAMP)
	$(BIN)/python bench/bench_draft.py

# The static site: every page and every entity's RDF, plus the w3id redirect rules
# (site/w3id/coopkg/.htaccess). SITE_BASE_URL is where the site will be published.
SITE_BASE_URL ?= https://example.org/coopkg
.PHONY: site
site: $(STAMP)
	$(BIN)/coopkg site --out site --base-url $(SITE_BASE_URL)

# Page render times of `coopkg serve` (project graph and the 1M corpus) and the site build.
.PHONY: bench-web
bench-web: $(STAMP)
	$(BIN)/python bench/bench_web.py --million
