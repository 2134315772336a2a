# orderflow — every entry point. `make setup` is idempotent; `make test` is the CI gate.
SHELL := /bin/bash
VENV := .venv/bin
PYTEST := $(VENV)/pytest -q -p no:cacheprovider
# pytest-xdist workers for the acceptance suite (one shared stack; 0: one process, no xdist).
# 4 on CI's two cores: the fastest count `make bench-suite` measured on both providers (README,
# Parallel scenarios; most of a scenario is waiting on a checkpoint, not on a core).
WORKERS ?= 4

.PHONY: help setup engine images lint unit integration integration-containers features features-local features-s3tables bench-suite bench-flavours \
        test examples faults bench bench-readme demo up down submit local-up local-down status package aws-rehearsal clean

help:  ## list the targets
	@grep -E '^[a-z0-9-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-22s %s\n", $$1, $$2}'

setup:  ## both Python envs + every JVM jar from Maven Central (idempotent; seconds when cached)
	@scripts/setup.sh

engine:  ## a Docker engine (installs and starts one here; nothing to do where Docker runs)
	@compose/engine.sh up

images: setup engine  ## the four images, FROM debian:bookworm-slim, rebuilt only when their inputs change
	$(VENV)/python compose/images.py

lint: setup  ## ruff
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .

unit: setup  ## unit tests (no stack)
	@mkdir -p reports
	$(PYTEST) tests/unit --junitxml=reports/junit-unit.xml

integration: setup  ## integration tests against the real stack, local provider (booted and stopped by pytest)
	@mkdir -p reports
	$(PYTEST) tests/integration tests/package -m integration --stack=local \
	  --ignore=tests/integration/test_containers_cleanup.py \
	  --ignore=tests/integration/test_compose_persistence.py \
	  --junitxml=reports/junit-integration-local.xml

integration-containers: images  ## the chain, cleanup and compose down/up tests (Docker)
	@mkdir -p reports
	$(PYTEST) tests/integration/test_chain.py tests/integration/test_containers_cleanup.py \
	  tests/integration/test_compose_persistence.py --stack=containers \
	  --junitxml=reports/junit-integration-containers.xml

features: images  ## the Gherkin acceptance suite on the containers provider (the default)
	@mkdir -p reports
	$(PYTEST) features -n $(WORKERS) --stack=containers --junitxml=reports/junit-features-containers.xml \
	  --cucumberjson=reports/cucumber-containers.json \
	  --html=reports/features-containers.html --self-contained-html

features-local: setup  ## the Gherkin acceptance suite on the local provider (no Docker)
	@mkdir -p reports
	$(PYTEST) features -n $(WORKERS) --stack=local --junitxml=reports/junit-features-local.xml \
	  --cucumberjson=reports/cucumber-local.json \
	  --html=reports/features-local.html --self-contained-html

features-s3tables: setup  ## the acceptance suite on the local provider against S3 Tables (MiniStack), the job in its aws configuration
	@mkdir -p reports
	$(PYTEST) features -n $(WORKERS) --stack=local --catalog=s3tables --junitxml=reports/junit-features-s3tables.xml \
	  --cucumberjson=reports/cucumber-s3tables.json \
	  --html=reports/features-s3tables.html --self-contained-html

bench-suite: setup  ## the acceptance suite's wall time per provider and worker count (pytest -n 1, 2, 4); ARGS="--help"
	$(VENV)/python -m bench.suite run $(ARGS)

bench-flavours: setup  ## boot + RSS of both catalog flavours, and the suite times of `make features-local` and `make features-s3tables`
	$(VENV)/python -m bench.flavours run --junit rest=reports/junit-features-local.xml \
	  --junit s3tables=reports/junit-features-s3tables.xml

examples: setup  ## examples/page_views: another repo's declaration, job and features, on the local provider
	@mkdir -p reports
	cd examples/page_views && ../../$(PYTEST) --stack=local --junitxml=../../reports/junit-examples.xml

test: lint unit integration integration-containers features  ## the CI gate: ruff, unit, integration (local + containers), features (containers)

faults: setup  ## the crash matrix at 100,000 orders per fault (local stack of its own): lost, duplicated, recovery
	$(VENV)/python -m bench.bench_faults

bench: setup  ## benchmarks, each against a baseline of the same run (local stack of its own); ARGS="--quick", "--help"
	$(VENV)/python -m bench run $(ARGS)

bench-readme:  ## render the README's benchmark tables from the latest bench/results file
	$(VENV)/python -m bench render

demo: setup  ## local stack up, job submitted, orders in, rows printed from Iceberg; the stack stays up
	$(VENV)/analytics-stack demo

up: setup  ## the PRD's compose stack (Kafka 9092, Flink UI 8081, S3 4566, catalog 8181), healthy; CLEAN=1 starts empty
	compose/up.sh $(if $(CLEAN),--clean)

down:  ## stop the compose stack, keeping its volumes (topics, table, checkpoints); CLEAN=1 removes them
	compose/down.sh $(if $(CLEAN),--clean)

submit:  ## (re)deploy the job from the working tree to the compose stack
	compose/submit.sh

local-up: setup  ## the same runtimes as local processes (no Docker)
	$(VENV)/analytics-stack up

local-down:  ## stop the local processes
	$(VENV)/analytics-stack down

status:  ## health of each runtime of the running stack
	$(VENV)/analytics-stack status

package: setup  ## dist/orderflow.zip for AWS Managed Flink (code + deps + one uber jar, rebuilt when the pom or its Java sources change)
	$(VENV)/python scripts/package.py

clean: local-down  ## drop the run folders and reports
	rm -rf .run reports

aws-rehearsal: setup  ## the zip of `make package` on a Managed-Flink-shaped Flink (stock lib/) against S3 Tables (MiniStack)
	$(VENV)/python -m scripts.aws_rehearsal
