# PrepDesk: `make run` opens the app on a demo database, `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DEMO_DB ?= demo.db
PYTEST_ARGS ?=

.PHONY: run test lint bench demo clean system-deps

$(VENV)/.ok-runtime: pyproject.toml
	@$(MAKE) --no-print-directory venv
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.ok-test: pyproject.toml
	@$(MAKE) --no-print-directory venv
	$(PY) -m pip install -q -e '.[test]'
	@touch $@ $(VENV)/.ok-runtime

venv:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "python3 cannot create a virtual environment here; installing python3-venv"; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq python3-venv && rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); \
	  else echo "run: sudo apt-get install python3-venv" >&2; exit 1; fi; }
	@$(PY) -m pip install -q -U pip

# Open the window on a demo SQLite database (created on first run).
run: $(VENV)/.ok-runtime
	@test -f $(DEMO_DB) || $(PY) main.py --db sqlite:///$(DEMO_DB) init --demo
	$(PY) main.py --db sqlite:///$(DEMO_DB)

# Every test: on SQLite always, and on PostgreSQL too when PREPDESK_TEST_PG_URL is set.
test: $(VENV)/.ok-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

lint: $(VENV)/.ok-test
	$(PY) -m ruff check app ui tests bench main.py

bench: $(VENV)/.ok-test
	$(PY) -m bench.run_all

# System libraries Qt needs at run time (Debian), and poppler-free PDF reading in tests.
system-deps:
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends libegl1 libgl1 libopengl0 libxkbcommon0 \
	  libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 libpulse0 \
	  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 \
	  libxcb-render-util0 libxcb-image0

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
