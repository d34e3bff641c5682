# disclosure-warehouse: `make run` builds the warehouse, `make test` checks everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY := .venv/bin/python
UV := .tools/bin/uv
STAMP := .venv/.installed.stamp
DBT_FILES := $(shell find dbt_project -type f -not -path 'dbt_project/target/*' \
	-not -path 'dbt_project/logs/*' -not -name '.user.yml')
RUN_ENV := $(if $(RAW),DISCLOSURE_RAW="$(abspath $(RAW))")

CORPUS ?= ../shared/corpus

.PHONY: help install chromium run test dev serve docs score bench bench-pdf export review clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'
	@echo "  make run RAW=/some/folder   ingest another folder (recursively)"

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==0.13.9

$(STAMP): $(UV) pyproject.toml uv.lock pipelines/dbt_project.py $(DBT_FILES)
	@echo "==> installing pinned dependencies into .venv"
	UV_PROJECT_ENVIRONMENT=.venv $(UV) sync --frozen --compile-bytecode
	@echo "==> parsing the dbt project (manifest for Dagster)"
	PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/dagster-dbt project prepare-and-package \
		--file pipelines/dbt_project.py
	@touch $@

install: $(STAMP) ## create .venv from uv.lock and prepare the dbt manifest (no-op if unchanged)

# Headless Chromium opens the `make review` pages in the tests (Debian's `chromium`): installed
# with apt only when missing and only as root; otherwise a message says how, and nothing fails.
chromium: ## install Debian's chromium for the review-site test, if missing (root, apt)
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "==> installing chromium (headless browser for the review-site test)"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "chromium could not be installed with apt: the review-site test will be skipped"; \
	else \
		echo "chromium is missing: run 'sudo apt-get install chromium' (needed only by the review-site test)"; \
	fi

run: install ## build and publish warehouse/disclosure.duckdb (skips when nothing changed)
	$(RUN_ENV) $(PY) -m pipelines.build run

test: install chromium ## ruff, mypy --strict on the extractor core, and the whole test suite (CI)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/pytest

dev: install ## Dagster UI + daemon (schedule, sensor) on http://127.0.0.1:3000
	PATH="$(CURDIR)/.venv/bin:$$PATH" $(RUN_ENV) $(PY) -m pipelines.build dev

serve: install ## the nightly as a service: Dagster daemon + UI on 127.0.0.1:3000 (PORT=…)
	$(RUN_ENV) $(PY) -m pipelines.serve $(if $(PORT),--port $(PORT))

docs: run ## dbt docs with lineage as one offline page: docs/site/index.html
	$(PY) -m pipelines.build docs

score: install ## cells, agency, defects per truth file in ../shared/corpus (CORPUS=…); floor: tests/score_baseline.json
	$(PY) -m pipelines.scoring $(CORPUS)

# Speed goals live in the benches, never in timed tests.
bench: install ## scale bench: builds of 100, 300, 1000 synthetic reports (SIZES=…, DASK=1 adds a Dask build); JSON in bench/results/
	$(PY) bench/bench_scale.py $(SIZES) $(if $(DASK),--dask)

bench-pdf: install ## corpus PDFs: the extractor vs its floor (pypdfium2 + bare pdfplumber), OCR s/page
	$(PY) bench/bench_pdf.py

export: install ## every mart as Parquet and CSV (UTF-8 with BOM) in warehouse/export/
	$(PY) -m pipelines.analyst.export

review: install ## offline evidence site: docs/review/index.html, one page per report
	$(PY) -m pipelines.analyst.review

clean: ## remove build artefacts (keeps the published warehouse and Dagster run history)
	rm -rf dbt_project/target dbt_project/logs docs/site .pytest_cache .ruff_cache
	rm -f warehouse/*.build.duckdb warehouse/*.build.duckdb.wal warehouse/*.build.last_run.json
	rm -f $(STAMP)
