# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint golden check-plans clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - 'wsgi:app'

test: lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check feeds tests wsgi.py
	$(BIN)/ruff format --check feeds tests wsgi.py
	$(BIN)/mypy

golden: $(STAMP)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_ics.py -k golden

check-plans: $(STAMP)
	$(BIN)/flask --app wsgi plans check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
