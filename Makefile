# Two commands: `make run` (set up everything and serve the demo on SQLite) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test setup messages migrate demo lint format clean system-packages browser-packages \
	lock lock-upgrade

# The portal's settings default to production; these targets run the development setup
# (SQLite under var/, mail in var/mail/). DEBUG=false in the environment still wins.
run migrate demo messages: export DEBUG ?= true

# A task worker (mail delivery and its retries, background jobs) runs beside the development
# server. It gets a process group of its own (setsid), so that when runserver ends, by Ctrl-C
# or otherwise, the whole group goes (the worker and its code reloader) and none is left.
run: setup migrate demo
	@echo
	@echo "Privacy Portal: http://$(HOST):$(PORT)/  (development emails: var/mail/ and http://$(HOST):$(PORT)/dev/mailbox/)"
	@setsid $(PY) manage.py run_worker & worker=$$!; \
	stop() { kill -TERM -$$worker 2>/dev/null; wait $$worker 2>/dev/null; }; \
	trap 'stop; exit 130' INT TERM; trap stop EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup browser-packages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest

setup: system-packages $(VENV)/.installed messages var

var:
	mkdir -p var/mail

# Every package at the version and with the hashes in requirements.lock (the project's own code
# then goes in without dependencies), so that every machine runs what CI ran.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

# requirements.lock from pyproject.toml's ranges (the dependencies and the test extra), for
# Python 3.11 on Linux as CI runs it: `make lock` after changing a dependency (keeps the other
# pins), `make lock-upgrade` to take the newest releases the ranges allow. Commit the result.
PIP_COMPILE := var/pip-tools/bin/pip-compile --quiet --generate-hashes --extra test \
	--strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.lock
var/pip-tools/bin/pip-compile:
	$(PYTHON) -m venv var/pip-tools
	var/pip-tools/bin/pip install --quiet "pip-tools>=7.4,<8"

lock: var/pip-tools/bin/pip-compile
	CUSTOM_COMPILE_COMMAND="make lock" $(PIP_COMPILE) pyproject.toml

lock-upgrade: var/pip-tools/bin/pip-compile
	CUSTOM_COMPILE_COMMAND="make lock-upgrade" $(PIP_COMPILE) --upgrade pyproject.toml

# WeasyPrint needs Pango, HarfBuzz's subsetter (it embeds only the glyphs used, in C rather
# than fontTools' Python) and the DejaVu fonts it embeds in extracts; translations need gettext.
SYSTEM_PACKAGES := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
system-packages:
	@command -v msgfmt >/dev/null && ldconfig -p | grep -q libpango-1.0 \
	  && ldconfig -p | grep -q libharfbuzz-subset && fc-list | grep -q "DejaVu Sans" || { \
	  $(SUDO) apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES) \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends \
	       $(SYSTEM_PACKAGES); }; }

# Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
browser-packages:
	@command -v chromium >/dev/null || { \
	  $(SUDO) apt-get install -y --no-install-recommends chromium \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium; }; }

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

migrate: setup
	$(PY) manage.py migrate --verbosity 0

demo: migrate
	$(PY) manage.py load_demo

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

format:
	$(VENV)/bin/ruff format .

clean:
	rm -rf var/db.sqlite3 var/test-db-*.sqlite3 var/mail
