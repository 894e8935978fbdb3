# mandategraph: the two commands of the README are `make serve` and `make test`.
# Both set up everything on a fresh machine: a local virtual environment, the
# system packages the tests need (Java for HermiT, Chromium for the browser test,
# jemalloc for the query workers), and the web assets from the npm registry.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= var/store

.PHONY: serve build test install system assets lint bench screenshots clean

serve: build
	$(BIN)/mandategraph --store $(STORE) serve

build: install
	$(BIN)/mandategraph --store $(STORE) build

test: install system
	$(BIN)/pytest

install: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dask]'
	touch $@

system:
	bash scripts/install-system-deps.sh

assets:
	bash scripts/fetch-web-assets.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

# the README's pictures: the browser tests save them to tests/artifacts/ (git-ignored)
SCREENSHOTS := network network-cybersecurity network-hover query-activities charts \
               query-timeline-chart

screenshots: install system
	$(BIN)/pytest -q tests/api/test_browser_network.py
	mkdir -p docs/screenshots
	for name in $(SCREENSHOTS); do cp tests/artifacts/$$name.png docs/screenshots/; done

bench: install
	$(BIN)/python -m benchmarks.bench_store --sizes 10k,100k

clean:
	rm -rf $(VENV) var api/static/vendor
