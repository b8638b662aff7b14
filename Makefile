# FAIMS: `make run` starts the demo, `make test` runs every test. See README.md.
#
# Each step of `make install` leaves a stamp beside what it built (inside .venv/, node_modules/ and
# static/vendor/; for translations the .mo files themselves), so a second run only brings the
# database up to date and takes about a second; deleting what a step built redoes that step.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
HOST ?= 127.0.0.1
PORT ?= 8000
# gunicorn workers of `make serve`; WEB_CONCURRENCY is the name gunicorn itself reads.
WEB_CONCURRENCY ?= 2
GUNICORN_TIMEOUT ?= 120
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/faims
export PG_TEST_URL

VENV := .venv
BIN := $(VENV)/bin
FAIMS := $(BIN)/faims
VENDOR := src/faims/static/vendor
PO_FILES := $(shell find src/faims -name '*.po' 2>/dev/null)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: help install run serve worker test lint bench clean python-env front-end messages database chromium fonts document-tools

help:
	@echo "make run      install, load the Wuxi 2022 demo into an empty database, serve on http://$(HOST):$(PORT)"
	@echo "make test     every test on SQLite and on PostgreSQL ($(PG_TEST_URL)), side by side"
	@echo "make install  CJK fonts, .venv, front-end files, translations, database tables (idempotent)"
	@echo "make serve    production server: gunicorn with $(WEB_CONCURRENCY) workers (WEB_CONCURRENCY)"
	@echo "make worker   the job worker (faims qcluster): scheduled jobs such as the daily report reminders"
	@echo "make lint     ruff"
	@echo "make bench    the benchmarks in bench/"
	@echo "make clean    remove .venv, node_modules, static/vendor (keeps the database in var/)"

install: fonts python-env front-end messages database

python-env: $(VENV)/.faims-installed

$(VENV)/.faims-installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[test]'
	@touch $@

front-end: $(VENDOR)/.faims-copied

node_modules/.faims-installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(VENDOR)/.faims-copied: node_modules/.faims-installed scripts/vendor_static.sh
	scripts/vendor_static.sh
	@touch $@

messages: $(MO_FILES)

# compilemessages runs from src/faims so that it only walks the project's own locale folders
# (from the top it would also compile every package's catalogues inside .venv).
ifneq ($(PO_FILES),)
$(MO_FILES) &: $(PO_FILES) | python-env
	@scripts/ensure_debian_packages.sh gettext:/usr/bin/msgfmt
	cd src/faims && ../../$(FAIMS) compilemessages -v0
	@touch $(MO_FILES)
endif

# Always run: migrate and createcachetable are cheap no-ops on an up-to-date database, and a
# stamp could not tell that DATABASE_URL now points elsewhere.
database: python-env
	$(FAIMS) migrate --noinput -v0
	$(FAIMS) createcachetable -v0

# The job worker runs beside the development server and stops with it (Ctrl-C, or the server exiting).
run: install
	$(FAIMS) load_demo --if-empty
	$(FAIMS) demo_accounts
	@# whitenoise warns at start-up when STATIC_ROOT is missing; here the files come from static/ itself.
	@mkdir -p var/static
	@$(FAIMS) qcluster & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	echo "job worker (faims qcluster) started, pid $$worker"; \
	$(FAIMS) runserver $(HOST):$(PORT)

# Scheduled jobs (django-q2, the database as broker); production runs one or more of these beside `make serve`.
worker: install
	exec $(FAIMS) qcluster

serve: install
	$(FAIMS) collectstatic --noinput -v0
	exec $(BIN)/gunicorn faims.wsgi:application --bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) \
		--timeout $(GUNICORN_TIMEOUT) --access-logfile -

# The CJK faces (serif and sans) that PDF bulletins and their charts are set in (fc-cache runs on installing),
# and the pango that WeasyPrint lays the PDF out with.
fonts:
	@scripts/ensure_debian_packages.sh fonts-noto-cjk:/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc \
		libpango-1.0-0:/usr/lib/$$(uname -m)-linux-gnu/libpango-1.0.so.0 \
		libpangoft2-1.0-0:/usr/lib/$$(uname -m)-linux-gnu/libpangoft2-1.0.so.0

# For the tests that read the bulletins back: pdfinfo, pdffonts, pdftotext and pdftoppm, and LibreOffice
# (headless, about 220 MB) to open the Word and Excel files as an office would.
document-tools:
	@scripts/ensure_debian_packages.sh poppler-utils:/usr/bin/pdftoppm \
		libreoffice-writer-nogui:/usr/lib/libreoffice/program/libswlo.so \
		libreoffice-calc-nogui:/usr/lib/libreoffice/program/libscfiltlo.so

# Debian's chromium for the browser tests, and a CJK font so that their failure screenshots are legible.
chromium:
	@scripts/ensure_debian_packages.sh chromium:/usr/bin/chromium \
		fonts-wqy-microhei:/usr/share/fonts/truetype/wqy/wqy-microhei.ttc

test: install chromium document-tools
	scripts/test.sh $(PYTEST_ARGS)

lint: python-env
	$(BIN)/ruff check .

# Every bench/*.py script, or bench/run_all.py alone when it exists (it then runs the others).
bench: install
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[test,bench]'
	@if [[ -f bench/run_all.py ]]; then \
		$(BIN)/python bench/run_all.py; \
	else \
		shopt -s nullglob; scripts=(bench/*.py); \
		if (( $${#scripts[@]} == 0 )); then echo "bench/ has no benchmark scripts yet"; fi; \
		for script in "$${scripts[@]}"; do echo "=== $$script"; $(BIN)/python "$$script"; done; \
	fi

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var/static
