# Everyday verbs. `make run` and `make test` work on a fresh clone with nothing but Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: install browser run serve demo example test test-postgres fuzz backup restore lint format check types types-check clean bench drill

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

## browser: Debian's Chromium for the end-to-end tests (Playwright drives it; no browser download),
## and nginx with its cache-purge module for the reference deployment's proxy-cache test
browser:
	@command -v chromium >/dev/null 2>&1 && test -e /usr/lib/nginx/modules/ngx_http_cache_purge_module.so || { \
	  echo "Installing Debian's chromium, nginx-light and libnginx-mod-http-cache-purge for the tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium nginx-light libnginx-mod-http-cache-purge >/dev/null; }

## run: set everything up (venv, dependencies, migrations, demo content, admin) and serve on PORT
run: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) configure_site
	$(MANAGE) load_demo
	$(MANAGE) ensure_admin
	@echo "Site: http://127.0.0.1:$(PORT)/  Admin: http://127.0.0.1:$(PORT)/admin/  API: http://127.0.0.1:$(PORT)/api/v2/pages/"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## example: the example static frontend (examples/) on http://localhost:$(EXAMPLE_PORT), the headless
## preview's default address, reading the CMS that `make run` serves; standard library only, no build
EXAMPLE_PORT ?= 3000
example:
	@echo "Example frontend: http://localhost:$(EXAMPLE_PORT)/  (CMS: http://127.0.0.1:$(PORT), started by make run)"
	$(PYTHON) examples/serve.py --port $(EXAMPLE_PORT) --api http://127.0.0.1:$(PORT)

## demo: (re)load the demo content; safe to run again
demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo

## test: the whole suite (SQLite, or the database DATABASE_URL names)
test: install browser node_modules/.package-lock.json
	$(BIN)/python -m pytest

## test-postgres: the whole suite on the local PostgreSQL
test-postgres: install browser node_modules/.package-lock.json
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cms} $(BIN)/python -m pytest

## fuzz: a long, random Schemathesis run against /api/schema/ and new Hypothesis examples for the sanitizers
## (the suite runs a short, derandomized pass of each)
fuzz: install
	FUZZ_EXPLORE=1 FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-1000} $(BIN)/python -m pytest -p no:logging \
	  tests/test_fuzz.py tests/comments/test_sanitize.py tests/articles/test_rich_text_on_save.py

## backup: a PostgreSQL dump of DATABASE_URL's database into backups/ (pg_dump custom format)
backup: install
	$(MANAGE) backup

## restore: FILE=backups/….dump [DATABASE=name]: load a dump into an empty database
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/cms-….dump [DATABASE=empty_db]"; exit 2; }
	$(MANAGE) restore "$(FILE)" $(if $(DATABASE),--database "$(DATABASE)")

## bench: load tests on PostgreSQL, Redis, gunicorn and nginx against the stock peers; writes docs/performance.md
## (BENCH_QUICK=1: one short round into .bench/report/; BENCH_FRESH=1: regenerate the data; bench/config.py lists the rest)
## (installs Debian's wrk, nginx-light and libnginx-mod-http-cache-purge when missing; starts PostgreSQL and Redis
## like .ci/run when they are down)
bench: install
	@command -v wrk >/dev/null 2>&1 && command -v nginx >/dev/null 2>&1 \
	  && test -e /usr/lib/nginx/modules/ngx_http_cache_purge_module.so || { \
	  echo "Installing Debian's wrk, nginx-light and libnginx-mod-http-cache-purge for the benchmark"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    wrk nginx-light libnginx-mod-http-cache-purge >/dev/null; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(BIN)/python -m bench

## drill: two app servers (gunicorn, production settings) each behind its own nginx cache, one PostgreSQL
## database (cms_drill), its own Redis, moto's S3 server, the task worker and the scheduler, all on loopback;
## five failure and consistency scenarios with figures and PASS/FAIL (docs/deployment.md, "Drill").
## DRILL_ARGS=--short: the form .ci/run uses. Installs Debian's nginx-light, its cache-purge module and
## redis-server when missing; starts PostgreSQL like .ci/run when it is down.
drill: install
	@command -v nginx >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1 \
	  && test -e /usr/lib/nginx/modules/ngx_http_cache_purge_module.so || { \
	  echo "Installing Debian's nginx-light, libnginx-mod-http-cache-purge and redis-server for the drill"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    nginx-light libnginx-mod-http-cache-purge redis-server >/dev/null; }
	$(BIN)/python -m drill $(DRILL_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) makemigrations --check --dry-run

## types: regenerate the API's TypeScript types (clients/typescript/schema.d.ts) from the schema with
## openapi-typescript, pinned in package-lock.json. The schema is built from the code and the settings'
## defaults alone (`env -i`), so a developer's environment cannot change it.
TYPES := clients/typescript/schema.d.ts
SCHEMA_FOR_TYPES = env -i PATH="$$PATH" DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) spectacular --format openapi-json --fail-on-warn

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Installing Debian's nodejs and npm (types and the accessibility test)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error

types: install node_modules/.package-lock.json
	@mkdir -p .types
	$(SCHEMA_FOR_TYPES) --file .types/openapi.json
	npx --no openapi-typescript .types/openapi.json --output $(TYPES)

## types-check: fails when the committed types differ from a fresh generation (`make types` updates them)
types-check: install node_modules/.package-lock.json
	@mkdir -p .types
	$(SCHEMA_FOR_TYPES) --file .types/openapi.json
	npx --no openapi-typescript .types/openapi.json --output .types/schema.d.ts
	@diff -u $(TYPES) .types/schema.d.ts || { echo "$(TYPES) is stale: run 'make types' and commit it"; exit 1; }

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles tests/.media artifacts .drill .types node_modules
