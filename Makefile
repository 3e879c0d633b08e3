# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres lint bench check-plans clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - 'wsgi:app'

# PostgreSQL on loopback for the suite's second backend (installed and started when missing).
PG_URL_FILE := $(VENV)/test-postgres-url

test-postgres: $(STAMP)
	tools/test-postgres > $(PG_URL_FILE)

test: $(STAMP) test-postgres
	$(BIN)/ruff check feeds tests migrations wsgi.py
	$(BIN)/ruff format --check feeds tests migrations wsgi.py
	$(BIN)/mypy
	TEST_POSTGRES_URL="$$(cat $(PG_URL_FILE))" $(BIN)/python -m pytest

check-plans: $(STAMP)
	$(BIN)/flask --app wsgi plans check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
