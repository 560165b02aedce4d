# Two commands do all the set-up on a fresh machine:
#   make demo   install, crawl the built-in demo news site, serve the archive on http://127.0.0.1:8000
#   make test   install, then run the test suite (and again on PostgreSQL when KUAIZHAO_TEST_DATABASE_URL is set)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test install system-deps lint clean

demo: $(STAMP)
	$(BIN)/kuaizhao demo

# pywb (the replay test's peer) pins old redis and gevent: it gets a virtualenv of its own.
PYWB   := .venv-pywb/bin/wb-manager

test: $(STAMP) system-deps $(PYWB)
	$(BIN)/python -m pytest
	@if [ -n "$$KUAIZHAO_TEST_DATABASE_URL" ]; then \
	  echo "== the whole suite again, on PostgreSQL ($$KUAIZHAO_TEST_DATABASE_URL) =="; \
	  KUAIZHAO_TEST_BACKEND=postgres $(BIN)/python -m pytest; \
	else \
	  echo "(PostgreSQL run skipped: KUAIZHAO_TEST_DATABASE_URL is not set)"; \
	fi

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(PYWB):
	$(PYTHON) -m venv .venv-pywb
	.venv-pywb/bin/python -m pip install --quiet --upgrade pip
	.venv-pywb/bin/python -m pip install --quiet 'pywb>=2.8'

# Browser tests drive Debian's chromium; CJK fonts keep Chinese text from rendering as boxes.
system-deps:
	@./scripts/system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .venv-pywb build *.egg-info test-artifacts
