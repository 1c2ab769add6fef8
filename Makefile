# Amparo: `make demo` runs the app with demo data; `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/lock.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install demo test test-sqlite test-postgres lint typecheck bench lock clean messages

install: $(STAMP)

$(STAMP): requirements/lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Amparo needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

demo: install
	$(BIN)/amparo demo

# Lint and type checks, then the whole suite on SQLite, then the database-facing part again on
# PostgreSQL when one answers (DATABASE_URL, or 127.0.0.1:5432). With AMPARO_STRICT_TESTS=1 (CI)
# a skipped PostgreSQL, browser or Spark test fails the run.
test: install lint typecheck
	$(BIN)/python scripts/run_tests.py

test-sqlite: install
	$(BIN)/python scripts/run_tests.py --only sqlite

test-postgres: install
	$(BIN)/python scripts/run_tests.py --only postgres

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: install
	$(BIN)/mypy src/amparo

messages: install
	$(BIN)/python scripts/compile_messages.py

# Every benchmark in bench/, or one: make bench-campaigns, make bench-tdb, ...
bench: install
	@for d in bench/*/; do n=$$(basename $$d); [ -f $$d/run.py ] && $(MAKE) --no-print-directory bench-$$n || true; done

bench-%: install
	$(BIN)/python bench/$*/run.py

# requirements/lock.txt: everything (make install, make test, make demo); requirements/server.txt:
# the production install (no extras), pinned to the same versions.
lock:
	$(BIN)/python -m uv pip compile pyproject.toml --all-extras --generate-hashes --python-version 3.11 -o requirements/lock.txt
	$(BIN)/python -m uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -c requirements/lock.txt -o requirements/server.txt

clean:
	rm -rf $(VENV) var .pytest_cache
