# Every target creates .venv from pyproject.toml if needed; nothing relies on a hand install.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo demo-review test lint format golden bench clean

# A setuptools that builds wheels by itself lets tests/test_install.py build one offline.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=70.1"
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Runs the audit on the bundled example; before that exists, shows the built-in standards.
demo: $(STAMP)
	@if [ -f examples/demo.py ]; then $(BIN)/python examples/demo.py; \
	else $(BIN)/citcert standards list && $(BIN)/citcert standards show cit-best-practice; fi

# The review cycle on an example: two reviewers, their consensus, the program's and panel's reports.
demo-review: $(STAMP)
	$(BIN)/python examples/demo_review.py

test: lint
	$(BIN)/python -m pytest -q -n auto

lint: $(STAMP)
	$(BIN)/ruff check citcert tests examples benchmarks
	$(BIN)/ruff format --check citcert
	$(BIN)/mypy --strict citcert

format: $(STAMP)
	$(BIN)/ruff format citcert tests examples benchmarks
	$(BIN)/ruff check --fix citcert tests examples benchmarks

golden: $(STAMP)
	$(BIN)/python -m pytest -q --update-golden

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info
