# The two commands a user types: `make demo` (the main job on a local endpoint) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ROOT   := $(abspath .)
VENV   ?= $(ROOT)/.venv
PY     := $(VENV)/bin/python
PYTHON ?= python3
SCAN_VENV ?= $(ROOT)/.venv-scan
CHECKOV_VERSION := 3.3.30

# Terraform installs providers from a local filesystem mirror when the machine has one
# (TF_PROVIDER_MIRROR overrides where), from the registry otherwise.
export TF_CLI_CONFIG_FILE := $(ROOT)/.tfcli/terraformrc
export TF_IN_AUTOMATION := 1
# Bytecode is cached under .venv, never beside the sources (an exported PYTHONDONTWRITEBYTECODE
# is overridden): each `python -m tooling` the demo and the tests start would otherwise compile
# the package again (0.1 s a start; the suite starts a few hundred).
export PYTHONDONTWRITEBYTECODE :=
export PYTHONPYCACHEPREFIX := $(VENV)/pycache

.PHONY: help setup lint fmt test test-quick
help:
	@echo "make demo    the main job on a local endpoint: apply, seed, migrate, every access pattern, cost"
	@echo "make local-up / local-down   keep a seeded local stack up for exploring / tear it down"
	@echo "make setup   create .venv with the tooling and test dependencies, .venv-scan with checkov; configure Terraform"
	@echo "make test    lint, then the whole test suite (unit, plan, integration): what CI runs"
	@echo "make test-quick   unit and plan tests only, for the edit loop (no apply, no integration)"
	@echo "make lint    ruff check + ruff format --check + terraform fmt -check"
	@echo "make fmt     apply ruff format and terraform fmt"
	@echo "make cost-report  write docs/cost-report.md: the seeds' cost claims against computed figures"
	@echo "make plan    terraform plan of the root, its cost diff against the applied state + the plan guard (TFVARS=file VARS='-var k=v' GUARD='--allow-replace ADDR' COST='--usage F --fail-above USD' PLAN_DIR=dir)"
	@echo "make bench   the commands end to end and the engine beside boto3, locally and 50 ms away; memory"

# The two virtualenvs are independent and pip is bound by one core: they are built side by side.
# --no-compile: pip would compile every module of every package (moto's server extra pulls in
# cfn-lint, sympy and networkx; 196 MB of bytecode, half of the install's CPU) where the tools
# import a fraction, compiled on first use into PYTHONPYCACHEPREFIX.
setup:
	@$(MAKE) --no-print-directory -j2 $(VENV)/.installed $(SCAN_VENV)/.installed $(TF_CLI_CONFIG_FILE)

$(VENV)/.installed: python/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-compile --upgrade pip
	@# The distribution was called dynamodb-seed-tooling before 0.1.0 was renamed dynamodb-tooling.
	$(PY) -m pip uninstall --quiet --yes dynamodb-seed-tooling 2>/dev/null || true
	$(PY) -m pip install --quiet --no-compile -e '$(ROOT)/python[dev]'
	touch $@

# checkov in a venv of its own: it pins boto3 and packaging versions that break the test venv.
# The plan tests run $(SCAN_VENV)/bin/checkov (CHECKOV=path overrides it).
$(SCAN_VENV)/.installed:
	$(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --no-compile --upgrade pip
	$(SCAN_VENV)/bin/python -m pip install --quiet --no-compile checkov==$(CHECKOV_VERSION)
	touch $@

# Rewritten on every run: cheap, and follows TF_PROVIDER_MIRROR changes.
$(TF_CLI_CONFIG_FILE): FORCE
	@mkdir -p $(dir $@)
	@$(ROOT)/scripts/terraform-cli-config.sh > $@.tmp && mv $@.tmp $@

lint: setup
	$(VENV)/bin/ruff check python tests
	$(VENV)/bin/ruff format --check python tests
	terraform fmt -check -recursive

fmt: setup
	$(VENV)/bin/ruff check --fix python tests
	$(VENV)/bin/ruff format python tests
	terraform fmt -recursive

test: setup lint
	@# One worker per core (PYTEST_XDIST_AUTO_NUM_WORKERS overrides): the suite is bound by CPU and
	@# every plan is computed once for all workers, so extra workers only add contention
	@# (pytest on 2 cores, 2026-12-04: 7:49-10:03 with two workers, 10:31 with three).
	cd tests && $(PY) -m pytest -n auto --dist loadfile

# The edit loop: everything but the integration tests (no terraform apply). CI runs `make test`.
test-quick: setup
	cd tests && $(PY) -m pytest -n auto --dist loadfile unit plan

# User-supplied values reach recipes as environment variables ($(value X): not even make expands
# them) and are split into arguments by scripts/with-args.py: a `;` or `$(...)` inside one is
# text, never shell. Not exported under their own names: exporting would expand them.
unexport VARS TFVARS GUARD PLAN_DIR BENCH_ARGS

# Figures only (16-25 minutes on 2 cores); BENCH_ARGS passes options, e.g. BENCH_ARGS="--items 20000".
.PHONY: bench
bench: export BENCH_WORDS = $(value BENCH_ARGS)
bench: setup
	$(PY) scripts/with-args.py BENCH_WORDS $(PY) -m tooling bench seed

# Plan the root stack (AWS_* variables pick the account/endpoint) and refuse data loss: the plan
# guard exits 1 on a destroyed/replaced table or, in production, weakened protection.
PLAN_DIR ?= .local/plan
.PHONY: plan
plan: export PLAN_OUT = $(value PLAN_DIR)
plan: export PLAN_TFVARS = $(value TFVARS)
plan: export PLAN_VARS = $(value VARS)
plan: export PLAN_GUARD = $(value GUARD)
plan: export PLAN_COST = $(value COST)
plan: setup
	scripts/plan.sh $(PY)

# The seeds' cost claims beside computed figures; plans the root stack in a temporary copy,
# offline, against a private moto server.
.PHONY: cost-report
cost-report: setup
	$(PY) -m tooling.dev.cost_report docs/cost-report.md

FORCE:

.PHONY: demo local-up local-down
demo: setup
	$(PY) -m tooling demo

local-up: setup
	$(PY) -m tooling local up

local-down: setup
	$(PY) -m tooling local down
