# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint install install-dev migrate content serve bench load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

var:
	mkdir -p var

migrate: install var
	$(BIN)/python manage.py migrate --noinput

content: migrate
	$(BIN)/python manage.py import_briefings

## make run: set up everything, load the content, serve on http://127.0.0.1:8000
run: content
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: set up and run the whole suite (SQLite, then PostgreSQL when available)
test: test-sqlite test-postgres

test-sqlite: install-dev var
	$(BIN)/pytest

# PostgreSQL: TEST_DATABASE_URL names a server (CI sets it). Without one, this is skipped on a
# developer machine and is a failure in CI.
test-postgres: install-dev
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest; \
	elif [ -n "$$CI" ]; then \
		echo "CI must set TEST_DATABASE_URL to run the suite on PostgreSQL" >&2; exit 1; \
	else \
		echo "TEST_DATABASE_URL not set: skipping the PostgreSQL run (CI runs it)."; \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache .ruff_cache
