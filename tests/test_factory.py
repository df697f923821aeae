"""The application factory: defaults, then the environment, then overrides."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from service import create_app
from service.config import DEFAULTS, ConfigError, from_environ
from service.services import services
from tests.helpers import ROOT


def test_defaults_apply(app):
    assert app.config["MAX_BODY_BYTES"] == DEFAULTS["MAX_BODY_BYTES"]
    assert services(app).assessment_endpoint.read.limit == DEFAULTS["MAX_BODY_BYTES"]
    assert services(app).model.version


def test_environment_then_overrides(monkeypatch):
    monkeypatch.setenv("MAX_BODY_BYTES", "2048")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    assert services(create_app()).assessment_endpoint.read.limit == 2048
    app = create_app({"MAX_BODY_BYTES": 4096})
    assert (services(app).assessment_endpoint.read.limit, app.config["LOG_LEVEL"]) == (4096, "DEBUG")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MAX_BODY_BYTES", "lots"),
        ("MAX_BODY_BYTES", "0"),
        ("MAX_BODY_BYTES", "99999999999999999999"),
        ("MAX_JSON_DEPTH", "-3"),
        ("MAX_JSON_DEPTH", "100000"),
        ("LOG_LEVEL", "LOUD"),
        ("CDS_FETCH_TIMEOUT", "inf"),
        ("CDS_FETCH_TIMEOUT", "nan"),
        ("CDS_FETCH_BUDGET", "1e400"),
        ("CDS_FETCH_BUDGET", "-inf"),
        ("CDS_JWKS_CACHE_SECONDS", "Infinity"),
        ("CDS_FETCH_MAX_PAGES", "1000000"),
        ("REQUEST_READ_TIMEOUT", "inf"),
        ("REQUEST_READ_TIMEOUT", "86400"),
        ("FRONT_CONNECTIONS_PER_CLIENT", "0"),
        ("API_KEYS", "   "),
        ("API_KEYS", "\n"),
    ],
)
def test_bad_environment_fails_at_start_naming_the_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        from_environ({name: value})


def test_blank_environment_values_are_ignored():
    assert from_environ({"MAX_BODY_BYTES": "  ", "API_KEYS": ""}) == {}


def test_wsgi_module_exposes_an_app():
    wsgi = importlib.import_module("wsgi")
    assert wsgi.app.name == "service"
    assert wsgi.app.test_client().get("/healthz").status_code == 200


def test_each_app_is_independent():
    first, second = create_app({"MAX_BODY_BYTES": 100}), create_app()
    assert services(first).assessment_endpoint.read.limit != services(second).assessment_endpoint.read.limit
    assert services(first).assessor is not services(second).assessor
    assert services(first).model is services(second).model  # the model is immutable: loaded once


def test_the_app_scores_with_the_table_its_wire_format_was_generated_from(app):
    """schemas/ builds the request schema and the contract from the committed table at import; the
    factory's model must be that very table, or the contract would describe another model."""
    from schemas.patient import MODEL

    assert services(app).model is MODEL
    assert services(app).bundles.model is MODEL and services(app).bundles.terms is services(app).terminology


def test_the_app_starts_without_the_population_core_and_pyarrow():
    """pyarrow (~0.25 s, ~45 MB a worker) is imported by the first file a worker scores, not at start."""
    started = "import logging, sys; logging.disable(logging.WARNING); import service; service.create_app()"
    check = "; print(sorted(m for m in sys.modules if m.startswith(('pyarrow', 'service.population'))))"
    done = subprocess.run(
        [sys.executable, "-c", started + check],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "[]"
