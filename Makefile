# orderflow — every entry point. `make setup` is idempotent; `make test` is the CI gate.
SHELL := /bin/bash
VENV := .venv/bin
PYTEST_REPORTS := --junitxml=reports/junit-$(1).xml

.PHONY: help setup lint unit integration features test demo up down status submit package clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

setup:  ## make both Python envs and fetch every JVM jar (idempotent; seconds when cached)
	@scripts/setup.sh

lint: setup  ## ruff
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .

unit: setup  ## unit tests (no stack)
	@mkdir -p reports
	$(VENV)/pytest tests/unit -q --junitxml=reports/junit-unit.xml

integration: setup  ## integration tests against the real local stack (booted by the tests)
	@mkdir -p reports
	$(VENV)/pytest tests/integration tests/package -q -m integration --stack=local --junitxml=reports/junit-integration.xml

features: setup  ## the Gherkin acceptance suite
	@mkdir -p reports
	$(VENV)/pytest features -q --junitxml=reports/junit-features.xml --cucumberjson=reports/cucumber.json

test: lint unit integration  ## the CI gate: ruff + unit + integration

demo: setup  ## stack up, job submitted, orders in, rows printed from Iceberg; stack left running
	$(VENV)/analytics-stack demo

up: setup  ## start the local stack (no Docker)
	$(VENV)/analytics-stack up

down:  ## stop the local stack
	$(VENV)/analytics-stack down

status:  ## health of each runtime
	$(VENV)/analytics-stack status

submit:  ## redeploy the job from the working tree
	$(VENV)/analytics-stack submit

package: setup  ## dist/order_ingest_job.zip for AWS Managed Flink (code + deps + one uber jar)
	$(VENV)/python scripts/package.py

clean: down  ## drop the run folder (topics, checkpoints, table files)
	rm -rf .run reports
