# Two commands on a fresh machine: `make demo` (main job on the bundled sample) and `make test`.
# Each installs what it needs into .venv first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
OUT    ?= out

.PHONY: demo test lint bench install-check clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/taxsim diagnose samples/client/ledger.csv --previous samples/client/previous_export.csv --onchain samples/client/onchain_balances.csv
	$(BIN)/taxsim simulate samples/client/ledger.csv --corrections samples/client/corrections.toml --jurisdiction de
	$(BIN)/taxsim report samples/client/ledger.csv --corrections samples/client/corrections.toml \
		--jurisdiction de --client "Lena Berger" -o $(OUT)/report.pdf --export-dir $(OUT)
	@echo "PDF: $(OUT)/report.pdf   advisor figures: $(OUT)/"

# pytest exits with 5 when it collected no test; that is not a failure of the suite.
test: $(VENV)/.installed
	$(BIN)/ruff check taxsim tests bench
	$(BIN)/python -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; exit $$rc

lint: $(VENV)/.installed
	$(BIN)/ruff check taxsim tests bench
	$(BIN)/ruff format --check taxsim tests bench

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py --rows 10000 100000 1000000

# The rule sets must ship inside a normal (non-editable) install.
install-check: $(VENV)/.installed
	rm -rf build/install-check && $(BIN)/python -m pip install --quiet --no-deps --target build/install-check .
	cd build && PYTHONPATH=install-check ../$(BIN)/python -c "from taxsim.rules import load_rules; import taxsim; assert 'install-check' in taxsim.__file__, taxsim.__file__; print('rules found:', load_rules('de').jurisdiction, load_rules('at').jurisdiction)"
	cd build && PYTHONPATH=install-check ../$(BIN)/python -c "import taxsim.diagnosis, taxsim.report, taxsim.dac8; from importlib import resources as r; assert r.files('taxsim.data').joinpath('official_contracts.csv').is_file(); print('package data found')"
	cd build && PYTHONPATH=install-check ../$(BIN)/python -m taxsim --help > /dev/null && echo "console entry works"

clean:
	rm -rf $(VENV) build $(OUT) *.egg-info .pytest_cache .ruff_cache .hypothesis
