# Two commands for a fresh machine:
#   make run   — set up, then extract every order in corpus/ into outputs/
#   make test  — set up, then run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: setup system-deps run test schema bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@bash scripts/system-deps.sh || true
	touch $@

system-deps:
	bash scripts/system-deps.sh

run: setup
	$(BIN)/registry extract corpus -o outputs

test: setup
	$(BIN)/python -m pytest

schema: setup
	$(BIN)/registry schema

clean:
	rm -rf $(VENV) outputs/*.json build
