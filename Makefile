# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-pg e2e bench install install-test init clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamps re-install only when the package metadata changes.
$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Creates or upgrades the SQLite database; the demo people are added on the first run only.
init: install
	$(BIN)/juzhu init --demo --print-logins

run: init
	$(BIN)/juzhu serve --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest -n 2

# The browser flows only (Playwright + Debian's Chromium at /usr/bin/chromium; `make test`
# runs them too when Chromium is installed). Screenshots land in artifacts/e2e/.
e2e: install-test
	JUZHU_E2E_REQUIRED=1 $(BIN)/python -m pytest -n 2 -m e2e

# The same suite against PostgreSQL (127.0.0.1:5432, trust auth, database `test`; each
# xdist worker makes and uses its own database `test_gwN` beside it). The browser flows are
# left out here: their server runs on its own SQLite file either way.
test-pg: install-test
	JUZHU_TEST_DATABASE_URL=$${JUZHU_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	  $(BIN)/python -m pytest -n 2 -m "not e2e"

# Benchmarks (not tests): BENCH_HOLDERS (default 1000000), BENCH_DATABASE_URL for PostgreSQL,
# BENCH_REUSE=1 to keep a generated database; writes benchmarks/results.json and results.md.
bench: install-test
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) instance build *.egg-info

# Recompile the kernel's translation catalogues (the .mo files are committed).
translations: install
	$(BIN)/python -c "import core.i18n as i; i.compile_catalogues()"
