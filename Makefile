# Marsad task runner. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run test check lint format extract docs bench bench-deps bench-full bench-ingest clean lock

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . || $(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the locked dependencies

run: install ## serve the API on http://127.0.0.1:8000 with the embedded Postgres and the seeds loaded
	$(BIN)/python -m service serve --seed

test: install ## run the test suite against a real (embedded) Postgres
	$(BIN)/python -m pytest

lint: install ## ruff check and ruff format --check over the code, tests, benchmarks and docs scripts
	$(BIN)/ruff check service tests bench migrations docs
	$(BIN)/ruff format --check service tests bench migrations docs

check: lint ## what CI runs before the tests

format: install ## format the code with ruff (and apply ruff's safe fixes)
	$(BIN)/ruff check --fix service tests bench migrations docs
	$(BIN)/ruff format service tests bench migrations docs

extract: install ## print the extraction of the seeds as JSON (no database)
	$(BIN)/python -m service extract seeds --pretty

docs: install ## regenerate docs/api.md from docs/api.md.in with real responses over the seeds
	$(BIN)/python docs/generate_api.py

BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP) requirements-bench.lock
	$(BIN)/python -m pip install --quiet -r requirements-bench.lock
	touch $(BENCH_STAMP)

bench-deps: $(BENCH_STAMP) # the bench extra (pip) and wrk (Debian package, installed only when missing)
	@command -v wrk >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && \
		(apt-get update -qq && apt-get install -y -qq wrk >/dev/null); } || \
		{ echo "make bench needs wrk: apt-get install wrk" >&2; exit 1; }

bench: bench-deps ## quick benchmarks (under 5 minutes); report in bench/results
	$(BIN)/python -m bench run --quick

bench-full: bench-deps ## the full benchmark suite at 10k/100k/1M events
	$(BIN)/python -m bench run --full

bench-ingest: bench-deps ## ingest all of SaudiNewsNet with 1 and 2 workers; POST latency; reads (needs ../shared/corpus)
	$(BIN)/python -m bench.ingest_corpus --workers 1,2

lock: ## re-resolve requirements*.lock from pyproject.toml in a scratch venv
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv && .lockvenv/bin/pip install --quiet --upgrade pip
	.lockvenv/bin/pip install --quiet . && .lockvenv/bin/pip freeze --exclude-editable | grep -v '^marsad' > requirements.lock
	.lockvenv/bin/pip install --quiet '.[dev]' && .lockvenv/bin/pip freeze --exclude-editable | grep -v '^marsad' > requirements-dev.lock
	.lockvenv/bin/pip install --quiet '.[dev,bench]' && .lockvenv/bin/pip freeze --exclude-editable | grep -v '^marsad' \
		| grep -vxFf requirements-dev.lock > requirements-bench.lock
	rm -rf .lockvenv

clean: ## remove the venv, caches and local data (the embedded database too)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .data
