"""Shared fixtures: the app, a contract-checking client, a patient factory, the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core import Assessor, load_model
from tests.helpers import make_app

LIVE = Path(__file__).parent / "live"


def pytest_collection_modifyitems(items):
    """Mark every test under tests/live/ `live` (real servers, processes, a browser)."""
    for item in items:
        if item.path.is_relative_to(LIVE):
            item.add_marker(pytest.mark.live)


# As in production, an API key is required. Tests never reach beyond this machine: CDS Hooks
# fetches only from a test FHIR server on 127.0.0.1, listed by the test that starts it.


@pytest.fixture(scope="session")
def model():
    return load_model()


@pytest.fixture(scope="session")
def assessor(model):
    return Assessor(model)


@pytest.fixture(scope="session")
def app():
    return make_app()


@pytest.fixture
def client(app):
    """A test client: every response on a documented path is validated against openapi.yaml."""
    return app.test_client()


@pytest.fixture
def assess(client):
    """Post a patient and return the 200 response's JSON."""

    def post(patient):
        response = client.post("/v1/assessments", json=patient)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return post
