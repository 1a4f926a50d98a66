# The two commands of the README: `make run` and `make test`. Each installs what it needs
# (Debian packages, a virtualenv with the pinned requirements) and is safe to run again.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
TEST_DATABASE_URL ?= postgis://neaspec:neaspec@127.0.0.1:5432/neaspec
export TEST_DATABASE_URL

.PHONY: run test lint format migrations-check messages system-run system-test services venv assets clean

run: system-run venv assets
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_neaspec
	$(PY) manage.py ensure_local_admin
	@echo "Serving on http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: system-test venv assets services lint migrations-check
	$(PY) -m pytest --create-db

system-run:
	scripts/ensure-system-packages.sh run

system-test:
	scripts/ensure-system-packages.sh test

services:
	scripts/ensure-postgres.sh
	scripts/ensure-redis.sh

venv: $(STAMP)

assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The interface's catalogues (locale/<lang>/LC_MESSAGES: django from templates and Python,
# djangojs from the map's script), then the compiled .mo files, which are committed.
LANGS := -l zh_Hans -l ja -l ko -l mn -l ru
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=staticfiles
messages: venv
	$(PY) manage.py makemessages $(LANGS) $(MESSAGES_IGNORE)
	$(PY) manage.py makemessages -d djangojs $(LANGS) $(MESSAGES_IGNORE)
	@echo "Translate the new and fuzzy entries (msgattrib --untranslated / --only-fuzzy), then:"
	@echo "  $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules"

migrations-check: venv
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var staticfiles node_modules

# Back up the database and uploaded media into var/backups/<timestamp>/.
.PHONY: backup restore
backup: venv
	scripts/backup.sh

# Restore one: make restore BACKUP=var/backups/<timestamp> (into an empty database).
restore: venv
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=var/backups/<timestamp>"; exit 2; }
	scripts/restore.sh "$(BACKUP)"

# The benchmark over HTTP (not part of `make test`; issue 16): fills BENCH_DATABASE_URL with
# a synthetic dataset at BENCH_SCALE (kept when it is already there), then serves gunicorn
# (2 workers, production settings) and measures, interleaved in one run, the layers computed,
# cached and revalidated against the raw SQL writing the same bytes and pygeoapi (when
# var/pygeoapi-venv exists), then anonymous page throughput, and prints the ratios to the
# targets. See bench/README.md, "Over HTTP".
BENCH_DATABASE_URL ?= postgis://neaspec:neaspec@127.0.0.1:5432/neaspec_bench
BENCH_SCALE ?= --protected-areas 25000 --occurrences 1000000
BENCH_HTTP_ARGS ?=
# Redis, as in production (the response cache is shared by the workers); keys are per data
# version, so another database's copies are never read.
BENCH_CACHE_URL ?= redis://127.0.0.1:6379/1
.PHONY: bench bench-client
bench: venv services
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py generate_map_benchmark --if-missing $(BENCH_SCALE)
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_CACHE_URL=$(BENCH_CACHE_URL) $(PY) -m bench.http $(BENCH_HTTP_ARGS)

# The same layers through Django's test client (no HTTP), with p95s (bench/map_layers.py).
bench-client: venv services
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py generate_map_benchmark --if-missing $(BENCH_SCALE)
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.map_layers

# Vector tiles (issue 16, point 4) in a database of their own, by default at the scale the
# issue sets for them: 100,000 protected areas with 2,000-vertex boundaries (hours and tens
# of GB; TILES_AREAS=20000 TILES_VERTICES=2000 for a smaller run). See bench/README.md.
TILES_BENCH_DATABASE_URL ?= postgis://neaspec:neaspec@127.0.0.1:5432/neaspec_tiles_bench
TILES_AREAS ?= 100000
TILES_VERTICES ?= 2000
TILES_OCCURRENCES ?= 1000000
.PHONY: bench-tiles
bench-tiles: venv services
	BENCH_DATABASE_URL=$(TILES_BENCH_DATABASE_URL) $(PY) manage.py generate_map_benchmark \
		--protected-areas $(TILES_AREAS) --vertices $(TILES_VERTICES) \
		--occurrences $(TILES_OCCURRENCES)
	BENCH_DATABASE_URL=$(TILES_BENCH_DATABASE_URL) $(PY) -m bench.tiles
	BENCH_DATABASE_URL=$(TILES_BENCH_DATABASE_URL) BENCH_CACHE_URL=$(BENCH_CACHE_URL) \
		$(PY) -m bench.http --parts tiles --runs 5

# A mixed read load against gunicorn (2 workers, production settings) on loopback, with the
# NEASPEC dataset in its own database. See bench/README.md, "Mixed read load".
LOAD_DATABASE_URL ?= postgis://neaspec:neaspec@127.0.0.1:5432/neaspec_load
.PHONY: bench-load
bench-load: venv services
	LOAD_DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) -m bench.load
