# The two commands: `make run` serves the app, `make test` runs the whole test suite.
# Both create .venv and install everything on first use (torch's CPU build first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test soak index browser postgres clean

# Serves the app on http://127.0.0.1:7860 (builds the retrieval index first if it is missing).
run: $(STAMP)
	$(BIN)/python app.py

# Two workers (one per core), each taking whole test files (a missing index is built once: the build holds a lock);
# the soaks run apart (`make soak`), and CI runs both.
test: $(STAMP) browser postgres
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not soak"

soak: $(STAMP) postgres
	$(BIN)/python -m pytest -m soak

# Debian's chromium (and chromium-driver, and CJK fonts for legible screenshots) for tests/test_browser.py;
# Playwright drives it through executable_path, never `playwright install`. Where it cannot be installed the
# browser test skips loudly; under CI (CI set) a failed install fails the build.
CHROMIUM := /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	echo "browser: $(CHROMIUM) is missing; installing Debian chromium and chromium-driver"; \
	SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo -n"; \
	if $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q \
	   && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-noto-cjk; then \
	  echo "browser: installed $(CHROMIUM)"; \
	else \
	  echo "browser: WARNING: could not install chromium; tests/test_browser.py will be SKIPPED" >&2; \
	  if [ -n "$$CI" ]; then exit 1; fi; \
	fi

# Debian's PostgreSQL server for tests/test_records.py, which starts its own in a temporary folder on a free port
# (the package's own cluster is not used). Under CI a failed install fails the build; elsewhere those tests skip.
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi; \
	echo "postgres: installing Debian postgresql"; \
	SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo -n"; \
	if $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q \
	   && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; then \
	  echo "postgres: installed"; \
	else \
	  echo "postgres: WARNING: could not install postgresql; its tests will be SKIPPED" >&2; \
	  if [ -n "$$CI" ]; then exit 1; fi; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) index/store
