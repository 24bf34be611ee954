# coopkg: `make demo` and `make test` work from a fresh clone (Python >= 3.11 and make).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Set-up runs again only when pyproject.toml changes (or the stamp is removed).
STAMP := $(VENV)/.coopkg-installed

.PHONY: demo test test-fast lint fmt bench bench-quick setup docs

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

# The suite runs on every core (pytest-xdist); each test is independent of the others.
test: lint
	$(BIN)/pytest -q -n auto

# The edit-test loop: everything but the tests marked slow (> 2 s) or server (a server process).
test-fast: $(STAMP)
	$(BIN)/pytest -q -n auto -m "not slow and not server"

fmt: $(STAMP)
	$(BIN)/python scripts/fmt_turtle.py
	$(BIN)/ruff format .

# bench/run.py (the scale benchmarks) also runs bench_cli.py; BENCH_ARGS=--quick for a short run.
bench: $(STAMP)
	$(BIN)/python -c "import matplotlib" 2>/dev/null || $(PYTHON) scripts/bootstrap_venv.py --extras test,docs,bench
	@if [ -f bench/run.py ]; then $(BIN)/python bench/run.py $(BENCH_ARGS); \
	else $(BIN)/python bench/bench_cli.py; fi

# 10k and 100k only, under two minutes.
bench-quick:
	$(MAKE) bench BENCH_ARGS=--quick

# Generated docs (scripts/build_docs.py --help); pyLODE comes from the `docs` extra.
docs: $(STAMP)
	$(BIN)/python -c "import pylode" 2>/dev/null || $(PYTHON) scripts/bootstrap_venv.py --extras test,docs
	$(BIN)/python scripts/build_docs.py
