# PrepDesk: `make run` opens the app on a demo database, `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DEMO_DB ?= demo.db
PYTEST_ARGS ?=
# Every install takes the versions pinned in constraints.txt (the set the suite passed with).
PIP_INSTALL := $(PY) -m pip install -q -c constraints.txt
BUNDLE := build/dist/prepdesk

.PHONY: run test lint bench clean system-deps wheel wheel-check bundle bundle-smoke

$(VENV)/.ok-runtime: pyproject.toml constraints.txt
	@$(MAKE) --no-print-directory venv
	$(PIP_INSTALL) -e .
	@touch $@

$(VENV)/.ok-test: pyproject.toml constraints.txt
	@$(MAKE) --no-print-directory venv
	$(PIP_INSTALL) -e '.[test]'
	@touch $@ $(VENV)/.ok-runtime

$(VENV)/.ok-bundle: pyproject.toml constraints.txt
	@$(MAKE) --no-print-directory venv
	$(PIP_INSTALL) -e '.[bundle]'
	@touch $@

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

# The wheel a station installs (pip install / pipx install), in build/wheel/.
wheel: $(VENV)/.ok-runtime
	rm -rf build/wheel
	$(PY) -m pip wheel -q --no-deps -w build/wheel .

# Install the wheel (not editable) into a clean venv in another folder and run it there.
wheel-check: wheel
	PYTHON=$(PYTHON) bash packaging/check_wheel.sh build/wheel/prepdesk-*.whl

# The one-folder station build (PyInstaller): build/dist/prepdesk/prepdesk.
bundle: $(VENV)/.ok-bundle
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath build/dist \
	  --workpath build/pyinstaller packaging/prepdesk.spec
	@du -sh $(BUNDLE)

# Build the bundle and run it offscreen: init --demo, a packing slip, a ZPL label, the window.
bundle-smoke: bundle
	bash packaging/smoke_bundle.sh $(BUNDLE)/prepdesk

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache build
