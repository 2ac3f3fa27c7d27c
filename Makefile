# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# The environment lives in .venv inside the checkout, so .venv/bin/convocation works after either.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST := 127.0.0.1
PORT ?= 8000
DEMO_USER ?= secretariat
DEMO_PASSWORD ?= convocation-demo

.PHONY: demo test lint bench messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian packages. The site itself needs Pango and fonts to render letters as PDF; the tests
# also need the real tools users have: Chromium (driven by Playwright's Python API, never a
# browser of Playwright's own), LibreOffice to open our Word files, poppler to read PDFs, GNU
# gettext for the message catalogues and Java for the Nu HTML Checker.
RUNTIME_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-dejavu-core
TEST_PACKAGES := chromium gettext default-jre-headless poppler-utils libreoffice-writer-nogui
define install_debian
	dpkg -s $(1) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(1); \
	  else echo "Please install these Debian packages: $(1)"; $(2); fi; }
endef

$(VENV)/.runtime-packages: $(STAMP)
	$(call install_debian,$(RUNTIME_PACKAGES),true)
	touch $@

# axe-core and vnu-jar come from the npm registry; --ignore-scripts keeps vnu-jar's postinstall
# from fetching a Java runtime of its own.
$(VENV)/.test-tools: $(VENV)/.runtime-packages package.json package-lock.json
	$(call install_debian,$(TEST_PACKAGES),false)
	npm ci --ignore-scripts --no-audit --no-fund
	$(BIN)/python -c "import playwright.sync_api"
	touch $@

demo: $(VENV)/.runtime-packages
	$(BIN)/convocation migrate --no-input -v 0
	$(BIN)/convocation load-demo
	$(BIN)/convocation load-demo-registrations
	$(BIN)/convocation load-demo-nominations
	$(BIN)/convocation load-demo-side-events
	$(BIN)/convocation load-demo-documents
	$(BIN)/convocation load-demo-attendance
	$(BIN)/convocation ensure-secretariat-login --username $(DEMO_USER) --password $(DEMO_PASSWORD)
	@echo
	@echo "  convocation runs at http://$(HOST):$(PORT)/meetings/"
	@echo "  Secretariat login at http://$(HOST):$(PORT)/admin/ : user $(DEMO_USER), password $(DEMO_PASSWORD)"
	@echo
	@echo "  Emails (sign-in codes, confirmations) are printed here instead of being sent."
	@echo
	CONVOCATION_DEBUG=1 CONVOCATION_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend \
	  CONVOCATION_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend \
	  $(BIN)/convocation runserver $(HOST):$(PORT)

test: $(VENV)/.test-tools
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/convocation makemigrations --check --dry-run -v 0
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

# Throughput of the meeting page and exports (gunicorn on 127.0.0.1, wrk) and SQL queries
# per request; results in var/bench/results.json. See docs/performance.md.
bench: $(VENV)/.runtime-packages
	BENCH_BIN=$(BIN) bash bench/run.sh

# After changing interface text: collect the strings, translate the new ones in
# src/convocation/locale/{fr,es}/LC_MESSAGES/django.po, then run it again to compile.
messages: $(VENV)/.test-tools
	cd src/convocation && ../../$(BIN)/convocation makemessages -l fr -l es --no-obsolete
	cd src/convocation && ../../$(BIN)/convocation compilemessages -v 0

clean:
	rm -rf $(VENV) var
