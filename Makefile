# Two commands on a fresh machine: `make run` and `make test`.
# The interpreter .venv is made with: the system's own python3 when it is 3.11+ (tools/python).
PYTHON ?= $(shell tools/python)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test check test-postgres lint golden bench bench-instructions check-plans clean browser libical fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py 'wsgi:app'

NODE_CHECK := tests/js/node_modules/.package-lock.json
# PostgreSQL on loopback for the suite's second backend (installed and started when missing).
PG_URL_FILE := $(VENV)/test-postgres-url

test: lint $(NODE_CHECK) browser libical test-postgres
	TEST_POSTGRES_URL="$$(cat $(PG_URL_FILE))" $(BIN)/python -m pytest

# The fast inner loop: lint, types and every test that needs no browser, node, libical or
# PostgreSQL, less the exhaustive sweeps over every combination (marked; `make test` runs all).
# Bytecode is cached even where PYTHONDONTWRITEBYTECODE is set: without it each xdist worker
# compiles the package and re-rewrites every test module's asserts again (about 3 s each).
check: lint
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n auto --dist worksteal -m "not browser and not external and not postgres and not install and not sweep"

test-postgres: $(STAMP)
	tools/test-postgres > $(PG_URL_FILE)

# ical.js (Thunderbird's parser) reads every kind of feed in the tests.
$(NODE_CHECK): tests/js/package.json tests/js/package-lock.json
	cd tests/js && npm ci --no-audit --no-fund --silent

lint: $(STAMP)
	$(BIN)/ruff check feeds tests bench wsgi.py gunicorn.conf.py
	$(BIN)/ruff format --check feeds tests bench wsgi.py gunicorn.conf.py
	$(BIN)/mypy

bench: $(STAMP)
	PYTHONPATH=. $(BIN)/python bench/feeds_bench.py

# Instructions per request, this tree against BASE (default HEAD), counted by valgrind: a few
# minutes, and steady where timings on a shared machine are not (bench/instructions.py).
# MISSES=1 also counts each request's misses in a 2 MB last-level cache (about twice as long).
BASE ?= HEAD
bench-instructions: $(STAMP)
	command -v valgrind >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y valgrind)
	PYTHONPATH=.:bench $(BIN)/python bench/instructions.py --base $(BASE) $(if $(MISSES),--misses)

golden: $(STAMP)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_ics.py -k golden

# The browser tests drive Debian's chromium; install it when missing (needs root, as in CI).
browser:
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

# libical (GNOME Evolution's parser) reads feeds in the tests, through Debian's python3-gi.
libical:
	/usr/bin/python3 -c 'import gi; gi.require_version("ICalGLib", "3.0")' 2>/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-gi gir1.2-ical-3.0)

check-plans: $(STAMP)
	$(BIN)/flask --app wsgi plans check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# The fuzz suite at CI size (>= 10,000 generated requests); `make test` runs it smaller unless CI is set.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest -q tests/test_fuzz.py

# A day of calendar clients polling managed feeds for 10^5..10^7 subscribers, with per-request
# CPU measured in the same run (README: Scaling). Under a minute.
.PHONY: simulate
simulate: $(STAMP)
	PYTHONPATH=. $(BIN)/python bench/simulate.py
