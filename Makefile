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

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/convocation migrate --no-input -v 0
	$(BIN)/convocation load-demo
	$(BIN)/convocation ensure-secretariat-login --username $(DEMO_USER) --password $(DEMO_PASSWORD)
	@echo
	@echo "  convocation runs at http://$(HOST):$(PORT)/meetings/"
	@echo "  Secretariat login at http://$(HOST):$(PORT)/admin/ : user $(DEMO_USER), password $(DEMO_PASSWORD)"
	@echo
	CONVOCATION_DEBUG=1 $(BIN)/convocation runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/convocation makemigrations --check --dry-run -v 0
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

clean:
	rm -rf $(VENV) var
