# The two commands: `make run` serves the app, `make test` runs the whole test suite.
# Both create .venv and install everything on first use (torch's CPU build first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test index browser clean

run: $(STAMP)
	$(BIN)/python -m corpus stats

test: $(STAMP)
	$(BIN)/python -m pytest

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) index/store
