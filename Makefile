# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint bench check-plans clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - 'wsgi:app'

# The browser tests drive Debian's chromium; install it when missing (needs root, as in CI).
browser:
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

test: $(STAMP) browser
	$(BIN)/ruff check feeds tests wsgi.py
	$(BIN)/ruff format --check feeds tests wsgi.py
	$(BIN)/mypy
	$(BIN)/python -m pytest

check-plans: $(STAMP)
	$(BIN)/flask --app wsgi plans check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
