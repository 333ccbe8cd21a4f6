# AiNex: the two commands a newcomer needs are `make run` and `make test`.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# gunicorn workers: about one per core (see README, "Production server").
WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: run dev test setup migrate seed static lint screenshots lighthouse bench clean messages

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || \
		{ echo "AiNex needs Python 3.12 or newer (PYTHON=$(PYTHON) is $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	@touch $@

$(VENV)/.installed: $(VENV)/.python-ok requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed

migrate: setup
	$(PY) manage.py migrate --noinput

# Loads the seed fixtures into an empty database only (see community/management/commands/seed.py).
seed: migrate
	$(PY) manage.py seed

static: setup
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: seed static
	@echo ""
	@echo "AiNex: http://$(HOST):$(PORT)/"
	@echo "Editor account: $(PY) manage.py createsuperuser   (an administrator), or"
	@echo "  $(PY) manage.py add_editor NAME EMAIL   (an editor in the Editors group; asks for a password)"
	@echo ""
	$(VENV)/bin/gunicorn ainex.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --error-logfile -

dev: seed
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# pytest's exit status 5 means it collected no tests: that is a failure here.
test: $(VENV)/.dev-installed
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory lint
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
		if [ $$status -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$status

screenshots: $(VENV)/.dev-installed seed static
	$(PY) scripts/screenshots.py --serve --out screenshots

# Lighthouse on the 404 and 400 pages (or LIGHTHOUSE_ARGS="/ /guide/"), on its own server.
lighthouse: $(VENV)/.dev-installed seed static
	$(PY) scripts/lighthouse.py --serve $(LIGHTHOUSE_ARGS)

bench: $(VENV)/.dev-installed
	$(PY) bench/run.py $(BENCH_ARGS)

# The Korean catalogs in locale/ (needs GNU gettext's msgfmt); the .mo files are committed.
messages: setup
	cd locale && ../$(PY) ../manage.py compilemessages --verbosity 0

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
