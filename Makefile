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

.PHONY: test
test: $(STAMP) ## Run the test suite
	$(PY) -m pytest -q

.PHONY: package
package: $(STAMP) ## Bundle extracted/ for an open-data portal: dist/<name>/ and dist/<name>.zip
	$(PY) -m pipeline package --from extracted/ --out dist/

.PHONY: notebooks
notebooks: $(STAMP) ## Execute the notebooks on extracted/ (outputs saved in the .ipynb)
	test -f extracted/_run.json || $(MAKE) extract
	$(PY) -m jupytext --sync notebooks/*.py
	$(VENV)/bin/jupyter-execute --inplace notebooks/*.ipynb

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
clean: ## Remove extracted outputs (keeps raw_pdfs/ and .venv)
	rm -rf extracted/* dist/
	touch extracted/.gitkeep
