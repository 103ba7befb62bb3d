# ecozone: two commands on a fresh machine with Python 3.11.
#   make demo   builds the demo workspace (./ecozone-data) and shows what to try next
#   make test   runs ruff, mypy and pytest (PostgreSQL started by the tests themselves)
# Each creates .venv and installs the project with pinned dependencies when needed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LINTED := $(wildcard src tests benchmarks scripts)

.PHONY: demo test lint typecheck pytest docs bench clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ecozone demo

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

docs: $(STAMP)
	$(BIN)/python -m ecozone.docs

bench: $(STAMP)
	@for script in $(filter-out %_runner.py,$(wildcard benchmarks/*.py)); do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) ecozone-data .pytest_cache .mypy_cache .ruff_cache
