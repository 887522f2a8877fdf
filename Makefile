# The two commands a new user needs: `make run` and `make test`.
# Both create .venv with a Python 3.12+ found by scripts/find-python (PYTHON=... overrides).

VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
# `make run` is a local demo: debug on, demo accounts on. Production never uses it.
RUN_ENV := DJANGO_DEBUG=1 FACTCHECK_DEMO=1

.PHONY: run test test-fast tools lint format install migrate seed bench screenshots clean

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

# The web server and the background worker together (Procfile.dev, run by honcho).
run: seed
	@echo
	@echo "Serving Factcheck on http://127.0.0.1:8000 with its background worker (Ctrl-C stops both)"
	@echo
	@$(RUN_ENV) $(VENV)/bin/honcho -f Procfile.dev start

# The system tools the tests need (Chromium, wrk): installed when missing, or named.
tools:
	@scripts/test-tools

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# django-stubs loads the settings, which need a secret key unless debugging is on.
	DJANGO_DEBUG=1 $(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Everything: ruff, mypy and the whole suite, browser tests and the bench's smoke test too,
# spread over the CPUs with pytest-xdist (each worker has its own test database and server).
test: tools lint
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

# The developer's loop: all but the browser tests and the slow ones, over every CPU.
# CI runs `make test`.
FAST := not browser and not slow
test-fast: lint
	$(PY) -m pytest -m "$(FAST)" -n auto $(PYTEST_ARGS)

# PNGs of the workspace and the public pages for the README, taken by the browser tests.
screenshots: install
	FACTCHECK_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/browser

# BENCH_TINY=1 for a quick run; BENCH_WORKERS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_OUT.
# Then issue 17's matching and search with 100,000 claims (bench/matching.py).
bench: install
	$(PY) -m bench.run; status=$$?; $(PY) -m bench.matching && exit $$status

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
