# Everything bootstraps from nothing but python3 (>= 3.11), make, node and npm.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: demo test lint bench screenshots clean

demo: $(STAMP)
	$(BIN)/batchtui --demo

# On a fresh clone the Python and the node installs (~15 s each) run side by side. With bytecode caching off
# in the environment, each worker compiled every module of the tests and the app from source again (seconds
# a run): pytest runs with it on.
test:
	@$(MAKE) --no-print-directory -j2 lint $(NODE_STAMP)
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

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "batchtui needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

clean:
	rm -rf $(VENV) node_modules dist build .pytest_cache
