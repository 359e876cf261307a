# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres test-redis cluster-test lint install install-dev migrate content serve bench bench-http bench-search bench-markdown load abuse-test mutation clean

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

## make test: set up and run the whole suite (SQLite, then PostgreSQL and Redis when available)
test: test-sqlite test-postgres test-redis

# The suite runs in TEST_WORKERS processes (pytest-xdist). `--dist load` hands out tests in the
# order pytest-django sorts them, so on every worker the tests that flush the database (live
# servers, transactions) come after all those that rely on the imported content.
TEST_WORKERS ?= 2
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist load

test-sqlite: install-dev var
	$(BIN)/pytest $(PYTEST_PARALLEL)

# PostgreSQL: TEST_DATABASE_URL names a server (CI sets it). Without one, this is skipped on a
# developer machine and is a failure in CI. The browser journeys run once, on SQLite: they drive
# the same views through Chromium, and everything that differs between the databases (search
# engines, locking, constraints, the version check) has its own tests, which run here. On
# PostgreSQL each journey would also re-import the content after its flush, doubling CI's time.
test-postgres: install-dev
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest $(PYTEST_PARALLEL) -m "not browser"; \
	elif [ -n "$$CI" ]; then \
		echo "CI must set TEST_DATABASE_URL to run the suite on PostgreSQL" >&2; exit 1; \
	else \
		echo "TEST_DATABASE_URL not set: skipping the PostgreSQL run (CI runs it)."; \
	fi

# The cache tests again with the page cache in a real Redis: TEST_REDIS_URL names a server (CI
# starts one). Without one, this is skipped on a developer machine and is a failure in CI.
REDIS_TESTS := tests/portal/test_page_cache.py tests/portal/test_public_page_headers.py \
	tests/portal/test_healthz.py tests/portal/test_error_pages.py tests/pages
test-redis: install-dev
	@if [ -n "$$TEST_REDIS_URL" ]; then \
		TEST_CACHE_URL="$$TEST_REDIS_URL" $(BIN)/pytest $(REDIS_TESTS); \
	elif [ -n "$$CI" ]; then \
		echo "CI must set TEST_REDIS_URL to run the cache tests on Redis" >&2; exit 1; \
	else \
		echo "TEST_REDIS_URL not set: skipping the Redis run of the cache tests (CI runs it)."; \
	fi

## make cluster-test: PostgreSQL, Redis, nginx and two gunicorn servers on loopback, from the
## files in deploy/, proved under load and failures (docs/deploy.md). Needs nginx, redis-server,
## PostgreSQL's server binaries and openssl. CLUSTER_SECONDS (60) and CLUSTER_USERS (200) set
## the load; the 60 s results go into docs/benchmarks.md.
cluster-test: install-dev
	$(BIN)/python -m perf.cluster

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

## make serve: the production configuration under gunicorn on $(HOST):$(PORT), for a TLS proxy in
## front (README: Running in production). Needs DJANGO_SECRET_KEY, else uses var/secret_key.
serve: install var
	@if [ -z "$$DJANGO_SECRET_KEY" ] && [ ! -s var/secret_key ]; then \
		(umask 077; $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(64))" > var/secret_key); \
		echo "DJANGO_SECRET_KEY is not set: created var/secret_key, a random key for this machine." >&2; \
		echo "In production, set DJANGO_SECRET_KEY in the environment instead (see README)." >&2; \
	fi
	@set -e; \
	export DJANGO_SETTINGS_MODULE=portal.settings.prod; \
	export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)}"; \
	$(BIN)/python manage.py migrate --noinput; \
	$(BIN)/python manage.py collectstatic --noinput -v 0; \
	$(BIN)/python manage.py shell -c "from briefings.models import Briefing; raise SystemExit(0 if Briefing.objects.exists() else 3)" \
		|| $(BIN)/python manage.py import_briefings; \
	exec $(BIN)/gunicorn --config portal/gunicorn_conf.py --bind $(HOST):$(PORT) portal.wsgi:application

## make load: 50 readers for 60 s against gunicorn on loopback; results in docs/benchmarks.md
load: install-dev var
	$(BIN)/python -m perf.load

## make abuse-test: junk query strings and unique searches beside 20 readers, 60 s per phase,
## through nginx, two page servers and the search pool started from deploy/, with the
## local-memory cache and with a Redis of its own (needs nginx, openssl, redis-server); results
## in docs/benchmarks.md
abuse-test: install-dev var
	$(BIN)/python -m perf.abuse

## make bench: search latency, a document page against the same HTML as a static file, and
## Markdown rendering of the worst known texts
bench: install-dev bench-search bench-http bench-markdown

# Search latency at corpus scales 1 and 100 (manage.py generate_corpus) on a throw-away database,
# never the development one; writes docs/benchmarks.md. SQLite under var/ by default; for
# PostgreSQL, BENCH_DATABASE_URL=postgres://user:pass@host:port/name (a name containing "bench",
# which the command drops and creates again: the user needs CREATEDB).
BENCH_DATABASE_URL ?= sqlite:///var/bench-search/search.sqlite3
bench-search: install-dev var
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench_search --recreate \
		--scales 1,100 --write docs/benchmarks.md

bench-http: install-dev var
	$(BIN)/python -m perf.http_bench

# Rendering time of the pathological Markdown family at 10k, 20k and 50k characters (no database);
# writes docs/benchmarks.md and fails if the slowest is over a second.
bench-markdown: install-dev
	$(BIN)/python -m perf.markdown_bench

## make mutation: mutation testing (mutmut) of the modules that guard readers and data, each with
## its own tests, in scratch copies under /tmp; a table of the figures, and a failure when a module
## scores under 90 % (docs/testing.md). Slow (the goal: under half an hour on two CPUs): not part
## of make test or CI.
mutation: install-dev
	$(BIN)/python -m perf.mutation

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache .ruff_cache
