# Cerchio: the few verbs a newcomer needs. Everything runs inside .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py

.PHONY: install demo test lint bench messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
	$(MANAGE) compile_catalogs

demo: install
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) createcachetable
	$(MANAGE) load_places
	$(MANAGE) seed_demo
	@echo ""
	@echo "Cerchio is at http://127.0.0.1:$(PORT)/  (back office: http://127.0.0.1:$(PORT)/it/admin/)"
	CERCHIO_DEMO=true $(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

test: lint
	$(VENV)/bin/pytest

bench: install
	$(PY) bench/directory.py

# Needs GNU gettext (apt-get install gettext); only translators run it.
messages: install
	$(MANAGE) makemessages -l it -l en --no-location --no-obsolete -i ".venv/*" -i "bench/*"
	$(MANAGE) makemessages -d djangojs -l it -l en --no-location --no-obsolete -i ".venv/*" -i "staticfiles/*"

clean:
	rm -rf $(VENV) staticfiles
