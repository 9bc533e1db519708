# Two commands do all set-up on a fresh machine: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
STAMP := $(VENV)/.installed

.PHONY: install ocr browser run test lint clean

install: $(STAMP) ocr

# Scanned PDFs are read with Tesseract OCR, a system program: installed here with apt-get
# when it is missing and this machine can (root, Debian/Ubuntu); otherwise a note says how.
ocr:
	@command -v tesseract >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing tesseract-ocr (OCR for scanned PDFs)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr >/dev/null; \
	  else \
	    echo "note: tesseract is not installed; scanned PDFs cannot be read until it is (apt-get install tesseract-ocr)"; \
	  fi; }

# The chat's end-to-end test drives a real headless Chromium: Debian's `chromium`, installed
# here with apt-get when it is missing and this machine can (Playwright downloads no browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (the chat's browser test)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "note: chromium is not installed; the chat's browser test fails until it is (apt-get install chromium)"; \
	  fi; }

# torch is pinned and installed first: here 2.13.0 is a local CPU build, while an unpinned
# torch pulled in by sentence-transformers would fetch several GB of CUDA packages.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

# Puts the sample agreements into the index (unchanged files are skipped) and opens the chat.
PORT ?= $(or $(AGREEMENTS_PORT),8501)
run: install
	$(BIN)/agreements ingest samples
	@echo "The chat is at http://localhost:$(PORT) (Ctrl-C stops it)"
	$(BIN)/streamlit run app.py --server.port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

test: install browser lint
	$(BIN)/pytest -q --durations=15

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
