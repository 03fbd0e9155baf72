# Securact — two commands: `make run` and `make test` (see README). Both install what they
# need first (Debian packages, a virtual environment from uv.lock) and are idempotent.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= /usr/bin/python3.11
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
APT_STAMP := $(TOOLS)/apt.stamp
SYNC_STAMP := $(VENV)/.synced
# Translations: every .po under LOCALE is compiled to its .mo (git-ignored) by `make install`.
LOCALE := src/securact/locale
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(LOCALE)/*/LC_MESSAGES/*.po))

.PHONY: help install run test lint types clean-test

help:
	@echo "make run        — installe tout et démarre SECURACT sur https://localhost:$${SECURACT_PORT:-8443} (Ctrl-C arrête tout)"
	@echo "make test       — installe tout et lance la suite complète (lint, types, SQLite, PostgreSQL)"
	@echo "make install    — installe les paquets Debian manquants, uv et l'environnement .venv (uv.lock)"
	@echo "make lint       — vérifie le style du code (ruff) et les couches (lint-imports)"
	@echo "make types      — vérifie les types (mypy strict)"
	@echo "make bench      — mesure le processus de signification et les pages (README, Performance ; BENCH_ARGS=…)"
	@echo "make messages   — met à jour le catalogue anglais (README, Languages) puis le compile"
	@echo "make clean-test — supprime les données des tests (var/test, var/test-pg)"

install: $(APT_STAMP) $(SYNC_STAMP) $(MO_FILES)

# Debian packages: only the missing ones are installed (needs root, or sudo).
$(APT_STAMP): deploy/apt-packages.txt
	@scripts/install-apt-packages.sh deploy/apt-packages.txt
	@mkdir -p $(TOOLS) && touch $@

$(UV): | $(APT_STAMP)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

$(SYNC_STAMP): uv.lock pyproject.toml | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --python $(PYTHON)
	@touch $@

# A catalogue is recompiled only when its .po changed (msgfmt from the Debian package gettext,
# as Django's compilemessages runs it; written aside, then moved, so never half a file).
$(LOCALE)/%.mo: $(LOCALE)/%.po | $(APT_STAMP)
	msgfmt --check-format -o $@.tmp $< && mv $@.tmp $@

# `make messages`: gather the French source strings again into the English catalogue (new
# msgids come with an empty msgstr: translate them), then compile. README "Languages".
.PHONY: messages
messages: install
	cd src/securact && DJANGO_SETTINGS_MODULE=securact.settings ../../$(VENV)/bin/django-admin \
		makemessages --locale en --no-obsolete --ignore '*/migrations/*'
	@$(MAKE) --no-print-directory $(MO_FILES)

run: install
	$(VENV)/bin/securact start

test: install
	scripts/run-tests.sh

lint: install
	$(VENV)/bin/ruff check src tests deploy verifier edi-client
	$(VENV)/bin/ruff format --check src tests deploy verifier edi-client
	$(VENV)/bin/lint-imports

types: install
	$(VENV)/bin/mypy

# `make bench`: the service process, then the pages at 100 000 significations on SQLite and
# 1 000 000 on PostgreSQL, measured on this machine (README "Performance"); works in var/bench
# with its own databases and PKI (port 9792) and a throwaway PostgreSQL server unless
# SECURACT_BENCH_DATABASE_URL is set. BENCH_ARGS="--acts 5", "--pages-only", "--process-only".
.PHONY: bench
bench: install
	$(VENV)/bin/securact bench $(BENCH_ARGS)

clean-test:
	rm -rf var/test var/test-pg
