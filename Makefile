# Two commands set everything up on a fresh machine: `make run` and `make test`.
# `make run` installs the runtime only (no torch, no test tools); `make test` adds the `test` extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: install install-test browser postgresql poppler run test quick bench clean shipped

install: $(STAMP)

# The runtime is installed by uv (a pip-compatible installer from PyPI: parallel downloads, nothing
# byte-compiled), which took the install from 134 s to 49 s on this loaded machine; pip with
# --no-compile is the fallback when uv cannot be installed. The test extras below go through pip,
# which reads this machine's pip configuration (torch from local disk).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	@if $(BIN)/pip install -q --disable-pip-version-check uv >/dev/null 2>&1; then \
	  $(BIN)/uv pip install -q --python $(BIN)/python -e . ; \
	else $(BIN)/pip install -q --disable-pip-version-check --no-compile -e . ; fi
	touch $(STAMP)

# torch is pinned to the CPU build that lies on local disk (see pyproject's test extras)
install-test: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install -q --disable-pip-version-check -e ".[test]"
	touch $(TEST_STAMP)

# Debian's Chromium and a CJK font for the browser test and screenshots (needs root: CI has it).
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wenquanyi || \
	  { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; \
	    else echo "note: chromium not installed (not root); the browser test will be skipped"; fi; }

# Debian's PostgreSQL server for the store suite's PostgreSQL half (a throw-away server per test
# session, tests/postgres_server.py). Needs root, as CI has; elsewhere those tests skip with the reason.
postgresql:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; \
	    else echo "note: postgresql not installed (not root); the PostgreSQL store tests will be skipped"; fi; }

# Debian's poppler-utils: `pdftotext`, one of the PDF text-layer engines of the reading round trip
# (`zhibiao evaluate parse --generated-formats pdftext`, evaluation/pdf_layer.py). Needs root, as CI has;
# elsewhere its engines are skipped with a note and its tests skip with the reason.
poppler:
	@command -v pdftotext >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; \
	    else echo "note: poppler-utils not installed (not root); the pdftotext engines will be skipped"; fi; }

# the corpus-independent models shipped with the package (models/data/shipped: the vagueness model,
# the kind matcher), fitted again after a change of the labels, the library or their fitting code;
# tests/test_shipped.py fails until they are, and an index build fits its own meanwhile
shipped: install
	$(BIN)/python -m models.shipped

run: install
	$(BIN)/zhibiao serve

# two workers (pytest-xdist): the suite is mostly single-process CPU work, and the 2-core machines
# have two cores to give it; each worker starts its own throw-away PostgreSQL server
test: install-test browser postgresql poppler
	$(BIN)/python -m pytest -n 2

# the fast subset (seconds to a minute): everything not marked slow
quick: install-test
	$(BIN)/python -m pytest -n 2 -m "not slow"

bench: install
	$(BIN)/zhibiao bench

clean:
	rm -rf $(VENV) build *.egg-info
