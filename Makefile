# Everything bootstraps from nothing but python3 (>= 3.11), make, node and npm.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
TESTS_STAMP := $(VENV)/.tests-compiled

.PHONY: demo test lint bench screenshots clean

# The first start writes the bytecode of what batchtui imports (see the install below), bytecode caching
# in the environment or not.
demo: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/batchtui --demo

# On a fresh clone the Python and the node installs (~15 s each) run side by side, and so do the lint and the
# tests' first compilation. With bytecode caching off in the environment, each worker compiled every module of
# the tests and the app from source again (seconds a run): pytest runs with it on.
test:
	@$(MAKE) --no-print-directory -j3 lint $(NODE_STAMP) $(TESTS_STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest

# Lint, format and types first: a failure there costs seconds, not a whole test run.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench $(ARGS)

screenshots: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,screenshots]'
	$(BIN)/python scripts/make_screenshots.py

# The venv's pip is installed by the pip of the Python that makes it (`--python`, pip 22.3 or newer), which
# runs compiled: `venv`'s own way, ensurepip, runs pip from its wheel, compiled from source first (~5 s).
# Without a usable pip there, ensurepip it is. pip would compile every module of every package it installs
# (~1,900, over half of its time), where the app and the tests import a third of them: Python compiles those on
# first import instead, the tests' during the collection below, beside the lint.
$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "batchtui needs Python 3.11 or newer")'
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(BIN)/python install --quiet --upgrade pip 2>/dev/null \
		|| $(BIN)/python -m ensurepip --upgrade --default-pip >/dev/null
	$(BIN)/python -m pip install --quiet --no-compile -e '.[dev]'
	touch $(STAMP)

# Once per venv, the test modules are compiled (pytest rewrites their asserts) before the workers start, each
# half by one process, beside the lint; otherwise every worker compiles all of them at once (~3 s of CPU
# each). Only a cache is written: what fails to compile here is reported by the run that follows.
COLLECT := PYTHONDONTWRITEBYTECODE= xargs $(BIN)/python -m pytest --collect-only -q -p no:xdist -o addopts=
$(TESTS_STAMP): $(STAMP)
	@find tests -name 'test_*.py' | sort > $@.files
	@awk 'NR % 2' $@.files | $(COLLECT) >/dev/null 2>&1 & \
		awk 'NR % 2 == 0' $@.files | $(COLLECT) >/dev/null 2>&1; wait
	@rm $@.files
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

clean:
	rm -rf $(VENV) node_modules dist build .pytest_cache
