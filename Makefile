# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.13 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint format install bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## Serve the demo on http://127.0.0.1:8000 with SQLite.
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

## The whole suite (SQLite by default; set DATABASE_URL for PostgreSQL).
test: install
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles
