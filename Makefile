# veerkracht's task runner. On a fresh Debian machine the README's two commands are
#   make demo    build Demostad and serve it on http://127.0.0.1:8000
#   make test    install what the tests need (PostgreSQL, Chromium) and run them
# Pass extra arguments with ARGS, e.g. `make demo ARGS="--seed 7"`, `make test ARGS="-k storage"`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=

.PHONY: venv demo test lint bench clean

# venv: the virtualenv with veerkracht installed editable plus the test tools; reinstalls only
# when pyproject.toml changed (the stamp file records the last install).
venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || bash scripts/ensure-system.sh python3-venv
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

# demo: generate Demostad, build every level and serve it on http://127.0.0.1:8000 (pango is
# installed when missing, for the PDF reports).
demo: venv
	bash scripts/ensure-system.sh libpango-1.0-0 libpangoft2-1.0-0
	$(BIN)/veerkracht demo $(ARGS)

# test: install the Debian packages the tests need (only when missing), start the private
# PostgreSQL test cluster (only when it does not answer), then run the whole suite against it.
# VEERKRACHT_TEST_POSTGRES_URL, when already set, points the tests at another server instead.
test: venv
	bash scripts/ensure-system.sh
	@url="$$(bash scripts/ensure-postgres.sh)" && \
	  echo "VEERKRACHT_TEST_POSTGRES_URL=$$url" && \
	  VEERKRACHT_TEST_POSTGRES_URL="$$url" $(BIN)/pytest $(ARGS)

# lint: ruff's linter and formatter check (no changes are made).
lint: venv
	$(BIN)/ruff check veerkracht tests
	$(BIN)/ruff format --check veerkracht tests

# bench: every benchmark against its naive baseline, measured in the same run (figures in
# docs/performance.md). BENCH_DWELLINGS sets the size (default 1,000,000; try 100000 first).
BENCH_DWELLINGS ?= 1000000
bench: venv
	$(BIN)/python benchmarks/run.py --dwellings $(BENCH_DWELLINGS) $(ARGS)
	$(BIN)/python benchmarks/allocation.py
	$(BIN)/python benchmarks/imports.py --dwellings $(BENCH_DWELLINGS)
	$(BIN)/python benchmarks/community_grid.py --points $(BENCH_DWELLINGS)

# clean: remove the virtualenv, caches and the default workspace (the test cluster stays; stop
# it with `scripts/ensure-postgres.sh stop`).
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache veerkracht-data test-artifacts \
	  bench-data build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
