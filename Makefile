# sesaku — `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create .venv if missing and install sesaku with its test tools

.PHONY: extract
extract: $(STAMP) ## Extract every PDF in raw_pdfs/ into extracted/
	$(PY) -m pipeline extract raw_pdfs/ --out extracted/

.PHONY: tables
tables: $(STAMP) ## Every ruled table of every PDF in raw_pdfs/ into ruled_tables/
	$(PY) -m pipeline tables raw_pdfs/ --out ruled_tables/

CKAN_PY := $(VENV)/ckan/bin/python

$(CKAN_PY): tests/ckan-requirements.txt | $(PY)
	$(PYTHON) -m venv $(VENV)/ckan
	$(CKAN_PY) -m pip install --quiet -r tests/ckan-requirements.txt

.PHONY: ckan-env
ckan-env: $(CKAN_PY) ## A separate venv with CKAN, so the tests check ckan_package.json against CKAN's own schema

.PHONY: test
test: $(STAMP) ## Run the test suite
	@# CKAN's schema check is worth a network install but not a red build:
	@# without it the test is skipped and the rules validator still runs.
	-$(MAKE) --no-print-directory ckan-env
	$(VENV)/bin/ruff check pipeline normalizers tests
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

.PHONY: package
package: $(STAMP) ## Bundle extracted/ for an open-data portal: dist/<name>/ and dist/<name>.zip
	$(PY) -m pipeline package --from extracted/ --out dist/

.PHONY: notebooks
notebooks: $(STAMP) ## Execute the notebooks on extracted/ into extracted/notebooks/ (the tracked .ipynb stay without outputs)
	test -f extracted/_run.json || $(MAKE) extract
	mkdir -p extracted/notebooks
	for nb in notebooks/*.ipynb; do \
	  (cd notebooks && ../$(VENV)/bin/jupyter-execute --output=../extracted/notebooks/$$(basename $$nb) $$(basename $$nb)) || exit 1; \
	done

.PHONY: dictionary
dictionary: $(STAMP) ## Regenerate docs/DATA_DICTIONARY.md from pipeline/publishing/schema.py
	$(PY) -m pipeline.publishing.dictionary

.PHONY: audit
audit: $(STAMP) ## Visual audit report of extracted/ into audit/ (open audit/<doc_id>/index.html)
	test -f extracted/_run.json || $(MAKE) extract
	$(PY) -m pipeline audit extracted/ --out audit/

.PHONY: bench
bench: $(STAMP) ## Benchmark against camelot/pdfplumber (~15 min; writes bench/RESULTS.md)
	$(PY) bench/bench.py $(BENCH_ARGS)

.PHONY: clean
clean: ## Remove extracted outputs, their cache, the audit report and bundles (keeps raw_pdfs/ and .venv)
	rm -rf extracted/* extracted/.cache extracted/.staging-* dist/ audit/ ruled_tables/
	touch extracted/.gitkeep
