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

# Browser tests (tests/browser): Debian's Chromium, driven by Playwright's Python API (from the
# dev extra, installed by $(STAMP)); axe-core and vnu-jar from the npm registry, run with the
# machine's Java. `playwright install` is never run: no tool downloads a browser of its own, and
# --ignore-scripts keeps vnu-jar's postinstall from fetching a Java runtime. gettext is for makemessages.
$(VENV)/.browser-tools: $(STAMP) package.json package-lock.json
	if [ ! -x /usr/bin/chromium ] || ! command -v msgfmt >/dev/null || [ ! -x /usr/bin/java ]; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	    chromium gettext default-jre-headless; \
	fi
	npm ci --ignore-scripts --no-audit --no-fund
	$(BIN)/python -c "import playwright.sync_api"
	touch $@

demo: $(STAMP)
	$(BIN)/convocation migrate --no-input -v 0
	$(BIN)/convocation load-demo
	$(BIN)/convocation ensure-secretariat-login --username $(DEMO_USER) --password $(DEMO_PASSWORD)
	@echo
	@echo "  convocation runs at http://$(HOST):$(PORT)/meetings/"
	@echo "  Secretariat login at http://$(HOST):$(PORT)/admin/ : user $(DEMO_USER), password $(DEMO_PASSWORD)"
	@echo
	CONVOCATION_DEBUG=1 $(BIN)/convocation runserver $(HOST):$(PORT)

test: $(STAMP) $(VENV)/.browser-tools
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/convocation makemigrations --check --dry-run -v 0
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

# Throughput of the meeting page and exports (gunicorn on 127.0.0.1, wrk) and SQL queries
# per request; results in var/bench/results.json. See docs/performance.md.
bench: $(STAMP)
	BENCH_BIN=$(BIN) bash bench/run.sh

# After changing interface text: collect the strings, translate the new ones in
# src/convocation/locale/{fr,es}/LC_MESSAGES/django.po, then run it again to compile.
messages: $(VENV)/.browser-tools
	cd src/convocation && ../../$(BIN)/convocation makemessages -l fr -l es --no-obsolete
	cd src/convocation && ../../$(BIN)/convocation compilemessages -v 0

clean:
	rm -rf $(VENV) var
