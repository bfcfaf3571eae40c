SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=

# Compiled catalogues are built from the .po files next to them, only when a .po is newer.
PO_FILES := $(shell find locale trygghem -name '*.po' -path '*/LC_MESSAGES/*' 2>/dev/null)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: messages lint-messages help run test lint lint-ruff lint-format lint-mypy lint-imports lint-migrations \
	coverage translations chromium clean

help:
	@echo "make run           demo on http://127.0.0.1:8000 (SQLite db.sqlite3, demo log-ins printed)"
	@echo "make test          the whole pytest suite, browser tests included (DATABASE_URL respected)"
	@echo "make lint          ruff, ruff format --check, mypy, lint-imports, makemigrations --check"
	@echo "make coverage      make test with a coverage report of trygghem/"
	@echo "make translations  compile changed .po files"

$(PY):
	@echo "Creating $(VENV) with $(PYTHON)"
	@if ! $(PYTHON) -m venv $(VENV); then \
		rm -rf $(VENV); \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3.11-venv; \
			$(PYTHON) -m venv $(VENV); \
		else \
			echo "Cannot create $(VENV): install python3.11-venv (sudo apt-get install python3.11-venv)." >&2; \
			exit 1; \
		fi; \
	fi

# The stamps are newer than the lock files once those are installed: no reinstall until a lock changes.
$(VENV)/.installed-base: requirements/base.lock | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.lock
	touch $@

$(VENV)/.installed-dev: requirements/dev.lock | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	touch $@

%.mo: %.po | $(VENV)/.installed-base
	$(PY) -c 'import sys, polib; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])' $< $@

translations: $(MO_FILES)

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
		else \
			echo "The browser tests need Debian's chromium at $(CHROMIUM): run 'sudo apt-get install chromium'," >&2; \
			echo "or point CHROMIUM and TRYGGHEM_CHROMIUM at another chromium binary." >&2; \
			exit 1; \
		fi; \
	fi

run: $(VENV)/.installed-base translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	TRYGGHEM_DEBUG=1 $(PY) manage.py run_huey & huey=$$!; \
	trap 'kill $$huey 2>/dev/null || true' EXIT INT TERM; \
	TRYGGHEM_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed-dev translations chromium
	TRYGGHEM_CHROMIUM=$(CHROMIUM) $(BIN)/pytest $(PYTEST_ARGS)

coverage: PYTEST_ARGS += --cov --cov-report=term
coverage: test

# Every check runs even when an earlier one fails, so one run shows everything to fix.
lint: $(VENV)/.installed-dev
	$(MAKE) --no-print-directory --keep-going lint-ruff lint-format lint-mypy lint-imports lint-migrations lint-messages

lint-ruff: $(VENV)/.installed-dev
	$(BIN)/ruff check --output-format=concise .

lint-format: $(VENV)/.installed-dev
	$(BIN)/ruff format --check --output-format=concise .

lint-mypy: $(VENV)/.installed-dev
	$(BIN)/mypy .

lint-imports: $(VENV)/.installed-dev
	$(BIN)/lint-imports

lint-migrations: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage htmlcov staticfiles $(MO_FILES)

MAKEMESSAGES := DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemessages -l sv \
	--no-location --ignore=.venv --ignore=tests --ignore='*/tests/*' --ignore=bench

# After changing user-visible text: regenerate the Swedish catalogue, then translate the new entries.
messages: $(VENV)/.installed-dev
	$(MAKEMESSAGES)

# The catalogue must hold exactly the messages in the code (needs gettext's xgettext).
lint-messages: $(VENV)/.installed-dev
	@cp locale/sv/LC_MESSAGES/django.po .venv/django.po.before
	@$(MAKEMESSAGES) >/dev/null
	@diff -u -I '^"POT-Creation-Date' .venv/django.po.before locale/sv/LC_MESSAGES/django.po || \
		{ echo "locale/ did not match the code; it is regenerated now: translate the new entries." >&2; exit 1; }
