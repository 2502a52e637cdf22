# The two commands: `make run` serves the site, `make test` checks everything.
# Both set up what they need on a fresh machine.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.13: pyenv's build first (its shim needs PYENV_VERSION), then the system's.
PYTHON ?= $(shell \
	for p in $$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.13*/bin/python3.13 2>/dev/null | sort -V | tail -1) \
	         /usr/local/bin/python3.13 /usr/bin/python3.13; do \
	  [ -x "$$p" ] && { echo "$$p"; break; }; \
	done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?= -n 2

.PHONY: help run serve test lint format migrations-check chromium clean

help:
	@echo "make run   - set up and serve the site on http://127.0.0.1:$(PORT)/"
	@echo "make test  - lint, migrations check and the whole test suite"

$(BIN)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.13 not found (pyenv or /usr/bin)"; exit 1; fi
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable ".[dev]"
	@touch $@

run: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py load_demo_content
	$(MAKE) --no-print-directory serve

# The web server, the task worker and the scheduler together: Ctrl-C, or any
# one of them stopping, stops all three. PORT reaches every process, so
# settings build SITE_URL (links, feeds, mail, Akismet) on the port served.
# Two threads a worker: four threads served no more and had a longer tail.
# Each worker takes at most 10 connections (8 kept alive, one per thread),
# so that kept-alive clients spread over both workers instead of piling on one.
serve:
	@export PORT=$(PORT); pids=; \
	trap 'kill $$pids 2>/dev/null; wait' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/python manage.py db_worker --no-reload & pids="$$pids $$!"; \
	$(BIN)/python manage.py run_scheduler & pids="$$pids $$!"; \
	$(BIN)/gunicorn newsarchive.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --threads 2 \
	  --worker-connections 10 --access-logfile - --graceful-timeout 5 \
	  --no-control-socket & pids="$$pids $$!"; \
	wait -n

chromium:
	@[ -x /usr/bin/chromium ] || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "Could not install chromium (run as root, or: apt-get install chromium)"; exit 1; }; }

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(BIN)/.installed
	$(BIN)/python manage.py makemigrations --check --dry-run

test: $(BIN)/.installed chromium lint migrations-check
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles artifacts db.sqlite3*
