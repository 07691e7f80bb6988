# One entry point for developers and CI. `make run` and `make test` are the README's commands.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test check lint format typecheck contracts bench screenshots deps install clean

$(BIN)/aitui: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/aitui

## Install and start the dashboard.
run: install
	$(BIN)/aitui

## Install everything the tests need (system tools too, when root), then lint, type-check,
## check the import contracts and run the whole suite, in two workers (pytest-xdist): the suite
## mostly waits on real programs, so two take 4.6 min where one took 8.5 on two cores.
test: deps install
	$(BIN)/ruff check aitui tests benchmarks
	$(BIN)/ruff format --check aitui tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q -n 2

## System packages the tests use (tmux, asciinema, zsh, fish...): listed in .ci/apt-packages.txt;
## then the pinned agent CLIs (Claude Code, Codex) into .cache/agent-clis/ with npm, if there is npm.
deps:
	@bash .ci/install-system-deps
	@bash .ci/install-agent-clis

lint: install
	$(BIN)/ruff check aitui tests benchmarks
	$(BIN)/ruff format --check aitui tests benchmarks

format: install
	$(BIN)/ruff format aitui tests benchmarks
	$(BIN)/ruff check --fix aitui tests benchmarks

typecheck: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

## Everything CI checks (the same as `make test`).
check: test

## Every benchmark, one after the other (each prints its figures and reference).
bench: install
	$(BIN)/python benchmarks/execute_latency.py
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/dashboard_flood.py
	$(BIN)/python benchmarks/screen_memory.py
	$(BIN)/python benchmarks/server_keys.py
	$(BIN)/python benchmarks/server_flood.py
	$(BIN)/python benchmarks/server_attach.py
	$(BIN)/python benchmarks/server_idle.py
	$(BIN)/python benchmarks/ink_redraw.py
	$(BIN)/python benchmarks/compression.py
	$(BIN)/python benchmarks/bus.py
	$(BIN)/python benchmarks/mcp_roundtrip.py
	$(BIN)/python benchmarks/records.py

## Regenerate the README's pictures from screenshots/*.toml with the headless mode.
screenshots: install
	for scenario in screenshots/*.toml; do \
		$(BIN)/aitui --headless --scenario $$scenario --screenshot $${scenario%.toml}.svg || exit 1; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
