# Two commands matter: `make run` serves the API, `make test` runs the whole suite.
# Both create .venv from the pinned requirements on first use (needs only Python 3.11).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT
# axe-core (accessibility checks in the browser tests): from the npm registry, pinned and checked
# against the registry's published integrity, unpacked under .cache/ (not committed).
AXE_VERSION := 4.14.1
AXE_INTEGRITY := sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==
AXE := .cache/axe-core-$(AXE_VERSION)/axe.min.js
export AXE_CORE := $(AXE)
# The system tools each target runs, installed from Debian's packages when missing (or named in one
# sentence with the command that installs them, where this user cannot): tools/need.py.
NEED := $(PYTHON) -m tools.need
CONTAINER_TOOLS := podman runc mmdebstrap uidmap slirp4netns
TEST_TOOLS := chromium npm curl nginx java $(CONTAINER_TOOLS)

.PHONY: help install install-dev test-tools run serve test test-fast lint format openapi model-card fhir-doc docs screenshot bench container lock clean
.DEFAULT_GOAL := help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  \1\t/' \
	  | sed 's/\$$(HOST)/$(HOST)/g; s/\$$(PORT)/$(PORT)/g' | expand -t 16

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)

# The project itself is installed too (editable, no dependencies of its own: the pins are above), for
# its console script `spinal-fusion-risk` (the population commands).
PROJECT_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .

$(VENV)/.runtime: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PROJECT_INSTALL)
	touch $@

$(VENV)/.dev: requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PROJECT_INSTALL)
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime  ## the service's dependencies
install-dev: $(VENV)/.dev  ## plus the test and lint tools

# Where to point a browser: the address served on, or this machine's own when it listens on all of them.
OPEN := http://$(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
# What to open, printed by make run and make serve before the server starts (the README's first screen).
define ADDRESSES
Once it serves on $(OPEN) (Ctrl-C stops), open:
  $(OPEN)/          the clinician form: one patient in, the report and the patient handout out
  $(OPEN)/docs      Swagger UI: every endpoint, with examples to try
  $(OPEN)/model     the model card: what each factor counts, and the evidence
  $(OPEN)/healthz   health ($(OPEN)/readyz: ready, the model loaded)
endef
export ADDRESSES

run: install  ## serve on $(HOST):$(PORT) (HOST=… PORT=… to change) with gunicorn alone (development); Swagger UI at /docs
	@printf '%s\n' "$$ADDRESSES"
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

serve: install  ## the production shape on $(HOST):$(PORT): nginx (the buffering front) before gunicorn
	@$(NEED) nginx
	@printf '%s\n' "$$ADDRESSES"
	$(BIN)/python -m service.ops.serve

test-tools:  # what the suite runs beside Python: installed when missing, or named with how to install it
	@$(NEED) $(TEST_TOOLS)

test: test-tools install-dev lint $(AXE)  ## the whole suite, then the container image built and smoke-tested
	$(BIN)/pytest
	bash deploy/container-smoke.sh

test-fast: install-dev  ## the edit-test loop: everything but the live servers, the browser and the slow tests (no lint), on every core
	$(BIN)/pytest -q -m 'not live and not slow' -n auto

$(AXE): | $(BIN)/python
	@$(NEED) npm
	mkdir -p $(@D)
	cd $(@D) && npm pack --silent axe-core@$(AXE_VERSION) > /dev/null
	$(BIN)/python -c 'import base64, hashlib, sys; \
	  digest = base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode(); \
	  sys.exit(0 if "sha512-" + digest == sys.argv[2] else "axe-core: the package does not match its integrity")' \
	  $(@D)/axe-core-$(AXE_VERSION).tgz $(AXE_INTEGRITY)
	tar -xzf $(@D)/axe-core-$(AXE_VERSION).tgz -C $(@D) --strip-components=1 package/axe.min.js package/LICENSE
	touch $@

lint: install-dev  ## ruff (style, imports) and mypy (types; strict on service/core)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev  ## fix what ruff can
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: install  ## regenerate the committed contract from the schemas
	$(BIN)/python -m tools.contract > openapi.yaml

model-card: install  ## regenerate docs/model-card.md from the model table
	$(BIN)/python -m tools.model_card > docs/model-card.md

fhir-doc: install  ## regenerate docs/fhir-mapping.md from the FHIR mapping table
	$(BIN)/python -m tools.fhir_mapping > docs/fhir-mapping.md

docs: openapi model-card fhir-doc  ## regenerate every generated document (and the README's generated blocks)
	$(BIN)/python -m tools.readme
	$(BIN)/python -m tools.http_examples examples

screenshot: install-dev  ## docs/clinician-report.png: the report, from the real page (gunicorn, Chromium)
	@$(NEED) chromium
	$(BIN)/python -m tests.live.screenshot docs/clinician-report.png

bench: install-dev  ## the service against a bare-Flask floor (wrk), both behind the front, and in-process figures
	@$(NEED) nginx wrk
	$(BIN)/python bench/run.py

container:  ## build the image with podman and smoke-test it (make test runs it too)
	@$(NEED) $(CONTAINER_TOOLS)
	bash deploy/container-smoke.sh

lock: install-dev  ## re-pin every dependency from pyproject.toml
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.txt pyproject.toml

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
