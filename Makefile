# The two commands a new user needs: `make run` and `make test`.
# Both create .venv with a Python 3.12+ found by scripts/find-python (PYTHON=... overrides).

VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
# `make run` is a local demo: debug on, demo accounts on. Production never uses it.
RUN_ENV := DJANGO_DEBUG=1 FACTCHECK_DEMO=1

.PHONY: run test lint format install migrate seed bench screenshots clean

$(STAMP): pyproject.toml
	@test -x $(PY) || { py=$$(scripts/find-python) && echo "Creating $(VENV) with $$py" && $$py -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --editable '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput

seed: migrate
	$(RUN_ENV) $(PY) manage.py import_seeds
	$(RUN_ENV) $(PY) manage.py demo_accounts

run: seed
	@echo "Serving Factcheck on http://127.0.0.1:8000 (Ctrl-C stops it)"
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(PY) -m pytest $(PYTEST_ARGS)

# PNGs of the workspace and the public pages for the README, taken by the browser tests.
screenshots: install
	FACTCHECK_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/browser

# BENCH_TINY=1 for a quick run; BENCH_WORKERS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_OUT.
bench: install
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
