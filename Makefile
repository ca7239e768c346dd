# The README's commands. Everything installs itself into .venv on first use.
#   make report   set up and render the bundled sample workshop's report
#   make test     set up (test extras, Debian's chromium) and run the whole suite
#   make lab      start JupyterLab on notebooks/ with the project's kernel
#   make test-lowest   the suite against the lowest versions pyproject.toml allows (CI)
#   make screenshot    the README's screenshot of the bundled report (docs/report.jpg)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLE := 2017-11-22-bmas-qualifizierung

LOWEST := .venv-lowest

.PHONY: report test test-lowest lab lint bench screenshot clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

report: $(VENV)/.installed
	$(BIN)/workshop-analysis report --out reports/$(SAMPLE)

# Debian's chromium for the browser test (Playwright cannot download a browser here).
.PHONY: chromium
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Unit tests, the browser test, and every notebook run top to bottom by nbval: --nbval-lax
# executes all cells and compares the stored outputs of cells marked # NBVAL_CHECK_OUTPUT
# (the rest are stored stripped, see README "Notebooks in git").
test: $(VENV)/.installed-test chromium
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env --ignore=tests/fixtures

# The lowest versions that pyproject.toml allows for the direct dependencies (uv's
# lowest-direct resolution; transitive packages are the newest that fit). CI runs it after
# `make test`, so that the lower bounds are tested, not just written down.
$(LOWEST)/.installed: pyproject.toml
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet uv
	$(LOWEST)/bin/uv pip install --quiet --python $(LOWEST)/bin/python \
	  --resolution lowest-direct -e ".[test]"
	$(LOWEST)/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

test-lowest: $(LOWEST)/.installed
	$(LOWEST)/bin/python -c "import pandas, matplotlib; print('lowest: pandas', pandas.__version__, '· matplotlib', matplotlib.__version__)"
	$(LOWEST)/bin/python -m pytest tests notebooks --nbval-lax --nbval-current-env \
	  --ignore=tests/fixtures -m "not browser"

lab: $(VENV)/.installed
	$(BIN)/jupyter lab notebooks/

# The README's screenshot (docs/report.jpg), taken the way the browser test takes its own.
screenshot: $(VENV)/.installed-test chromium
	$(BIN)/python tools/screenshot.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks tools .ci
	$(BIN)/ruff format --check src tests benchmarks tools .ci

# polars is only the tagging benchmark's anchor (another fast engine), not a dependency.
bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet "polars>=1.0"
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_tagging.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_scale.py

clean:
	rm -rf $(VENV) $(LOWEST) reports build dist .pytest_cache
