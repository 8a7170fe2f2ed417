# Two commands for a fresh machine:
#   make run   — set up, then extract every act in corpus/ (and corpus/real/) into outputs/
#   make test  — set up, then run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: setup system-deps run report review test schema bench clean

# byte-code for our package, as a wheel install would leave it: the editable install
# writes none where PYTHONDONTWRITEBYTECODE is set, and each cold start compiles every module again (0.6 s)
setup: $(VENV)/.installed
	@$(BIN)/python -m compileall -q pipeline >/dev/null

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

# store every order in outputs/registry.sqlite and write the comparison report
report: setup
	$(BIN)/registry ingest corpus --db outputs/registry.sqlite
	$(BIN)/registry compare --db outputs/registry.sqlite -o outputs/report

# the analyst's review workspace over the store (http://127.0.0.1:8765)
review: setup
	$(BIN)/registry ingest corpus --db outputs/registry.sqlite
	$(BIN)/registry review --db outputs/registry.sqlite --open

# per format against the bare libraries, then the input kinds offices produce (LibreOffice DOCX/.doc/.rtf/PDF, photos),
# then 100 / 1,000 / 10,000 generated orders, then 2,000 orders through extract, ingest and compare (time, peak RSS, report size)
bench: setup
	$(BIN)/python bench/bench_formats.py
	$(BIN)/python bench/bench_kinds.py
	$(BIN)/python bench/bench_scale.py
	$(BIN)/python bench/bench_batch2000.py

test: setup
	$(BIN)/python -m pytest

schema: setup
	$(BIN)/registry schema

clean:
	rm -rf $(VENV) outputs/*.json build
