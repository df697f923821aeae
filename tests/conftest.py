"""Shared fixtures: the app, a contract-checking client, a patient factory, the model."""

from __future__ import annotations

import pytest

from service import create_app
from service.core import Assessor, load_model
from tests.contract import ContractClient

BASE_PATIENT = {
    "age": 50,
    "smoking": "never",
    "osteoporosis": False,
    "diabetes": False,
    "levels_fused": 1,
    "obesity": False,
}


TEST_KEY = "test-key-0123456789abcdef"
# As in production, an API key is required. Tests never reach beyond this machine: CDS Hooks
# fetches only from a test FHIR server on 127.0.0.1, listed by the test that starts it.
TEST_SETTINGS = {
    "TESTING": True,
    "API_KEYS": (TEST_KEY,),
    "CDS_FETCH_BUDGET": 3.0,
}


def make_app(**overrides):
    """Return an app with the test settings whose test clients hold every exchange to the contract."""
    app = create_app({**TEST_SETTINGS, **overrides})
    app.test_client_class = ContractClient
    return app


def make_patient(**changes):
    """Return a patient with every core factor absent, changed by `changes`."""
    return {**BASE_PATIENT, **changes}


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
