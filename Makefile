# Every target creates .venv from pyproject.toml if needed; nothing relies on a hand install.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo demo-review test test-browser browser-tools test-office lint format golden bench clean

# A setuptools that builds wheels by itself lets tests/test_install.py build one offline.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=77"
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
	$(BIN)/python -m pytest -q -n auto --dist loadgroup -m "not browser and not office"

# The HTML reports checked in a real browser: Debian's chromium and axe-core (pinned in
# .browser/package-lock.json) are installed when missing, then the tests marked `browser` run.
# With CI=true they fail rather than skip when either is missing.
AXE := .browser/node_modules/axe-core/axe.min.js

test-browser: $(STAMP) browser-tools
	$(BIN)/python -m pytest -q -m browser

browser-tools: $(AXE)
	@command -v chromium >/dev/null 2>&1 || { \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "chromium is missing and cannot be installed here (needs apt-get as root)"; fi; }

$(AXE): .browser/package.json .browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix .browser --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else echo "npm is missing: axe-core cannot be installed"; fi

# The tests that print the tracker and the template through LibreOffice; installs Calc with apt
# when soffice is missing (once: later runs find it).
test-office: $(STAMP)
	@command -v soffice >/dev/null || (apt-get update -qq && apt-get install -y -qq libreoffice-calc)
	CI=true $(BIN)/python -m pytest -q -m office

lint: $(STAMP)
	$(BIN)/ruff check citcert tests examples benchmarks
	$(BIN)/ruff format --check citcert
	$(BIN)/mypy --strict citcert benchmarks

format: $(STAMP)
	$(BIN)/ruff format citcert tests examples benchmarks
	$(BIN)/ruff check --fix citcert tests examples benchmarks

golden: $(STAMP)
	$(BIN)/python -m pytest -q --update-golden

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info
