PYTHON ?= python3.11
VENV := .venv
DEMO_DB ?= demo
PYTEST_ARGS ?=

# Demo database files and the web client; the uri comes from
# TRYTOND_DATABASE_URI when the caller sets it (trytond reads it natively),
# otherwise trytond defaults to sqlite://.
DEMO_ENV := TRYTOND_DATABASE__PATH=$(CURDIR)/var TRYTOND_WEB__ROOT=$(CURDIR)/sao

.PHONY: venv sao demo lint test bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -e '.[test]'
	touch $@

sao:
	bash scripts/fetch_sao.sh

demo: venv sao
	mkdir -p var
	$(DEMO_ENV) $(VENV)/bin/python data/demo.py -c trytond.conf -d $(DEMO_DB)
	@echo
	@echo "Open http://127.0.0.1:8000/ (Ctrl-C stops the server)"
	@echo
	$(DEMO_ENV) exec $(VENV)/bin/trytond -c trytond.conf -d $(DEMO_DB)

lint: venv
	$(VENV)/bin/ruff check .

test: venv sao lint
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

bench: venv
	set -e; for script in bench/*.py; do \
		[ -e "$$script" ] || continue; \
		echo "== $$script"; $(VENV)/bin/python "$$script"; \
	done

clean:
	rm -rf var artifacts .pytest_cache .ruff_cache sao.tmp
	find . -path ./.venv -prune -o -path ./sao -prune -o \
		-name __pycache__ -type d -exec rm -rf {} +
