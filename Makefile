# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test lint typecheck pytest messages clean system-demo system-test api-schema

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

system-demo:
	@PYTHON=$(PYTHON) scripts/system-packages demo

system-test:
	@PYTHON=$(PYTHON) scripts/system-packages test

messages: $(VENV)/.installed
	cd prongsai && ../$(BIN)/django-admin compilemessages --ignore=.venv -v 0

demo: system-demo $(VENV)/.installed messages
	$(BIN)/prongsai demo --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy prongsai benchmarks

pytest: $(VENV)/.installed-dev messages
	$(BIN)/pytest -n auto

test: system-test $(VENV)/.installed-dev messages lint typecheck pytest

# After changing the API on purpose: refresh the committed OpenAPI snapshot that test_openapi.py compares.
api-schema: $(VENV)/.installed
	$(BIN)/prongsai api schema > prongsai/api/openapi.json

clean:
	rm -rf $(VENV) var
