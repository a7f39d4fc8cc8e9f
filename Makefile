# Cerchio: the few verbs a newcomer needs. Everything runs inside .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py
MAIL_DIR := $(CURDIR)/data/mail
# The demo runs as visitors will see it (DEBUG off: the designed error pages) and writes
# e-mails as files instead of sending them.
DEMO_ENV := CERCHIO_DEMO=true DEBUG=false CERCHIO_SITE_URL=http://127.0.0.1:$(PORT) \
	EMAIL_BACKEND=notifications.backends.MailFolderBackend EMAIL_FILE_PATH=$(MAIL_DIR)

.PHONY: install demo worker test lint bench audit messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
	$(MANAGE) compile_catalogs

demo: install
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) rotate_blind_index_key > /dev/null  # re-keys a demo database from an older key (idempotent)
	$(MANAGE) createcachetable
	$(MANAGE) load_places
	$(MANAGE) seed_demo
	@echo ""
	@mkdir -p $(MAIL_DIR)
	@echo "Cerchio is at http://127.0.0.1:$(PORT)/  (workspace: http://127.0.0.1:$(PORT)/it/workspace/, site admin: /it/admin/)"
	@echo "E-mails are written to $(MAIL_DIR) (one .eml file per message)"
	@export $(DEMO_ENV); \
	$(MANAGE) run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# The background worker alone: periodic jobs, background tasks, the e-mail outbox.
worker: install
	$(MANAGE) run_worker

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

test: lint
	$(VENV)/bin/pytest

bench: install
	$(PY) bench/directory.py
	$(PY) bench/accounts.py
	$(PY) bench/reminders.py
	$(PY) bench/documents.py

# The pinned requirements against known vulnerabilities; needs the network, so not in CI.
# Fails when the advisory source cannot be reached, rather than reporting nothing found.
audit: install
	$(PY) scripts/audit.py

# Needs GNU gettext (apt-get install gettext); only translators run it.
messages: install
	$(MANAGE) makemessages -l it -l en --no-location --no-obsolete -i ".venv/*" -i "bench/*" -i "*/tests/*"
	$(MANAGE) makemessages -d djangojs -l it -l en --no-location --no-obsolete -i ".venv/*" -i "staticfiles/*"

clean:
	rm -rf $(VENV) staticfiles
