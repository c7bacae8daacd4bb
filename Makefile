# The two commands: `make run` and `make test`. Each creates .venv when it is missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := .run/demo.db

.PHONY: run test bench stress lint clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	@mkdir -p .run
	$(BIN)/strikeboard demo --from sample.db --out $(DEMO)
	$(BIN)/strikeboard --db $(DEMO)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy strikeboard
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

stress: $(STAMP)
	STRIKEBOARD_CRASH_RUNS=200 $(BIN)/python -m pytest -q -s tests/test_crash.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy strikeboard

clean:
	rm -rf $(VENV) .run .pytest_cache .mypy_cache .ruff_cache
