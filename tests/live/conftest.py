"""Live-server fixtures: the service as deployed (the front before gunicorn, two workers, an API
key) on 127.0.0.1."""

from __future__ import annotations

import pytest
import requests

from tests.helpers import AUTH, TEST_KEY
from tests.live.server import LiveServer


@pytest.fixture(scope="session")
def live():
    """One real server for the read-mostly live tests (fault tests start their own)."""
    with LiveServer(workers=2, front=True, API_KEYS=TEST_KEY, CORS_ORIGINS="https://ehr.example") as server:
        yield server


@pytest.fixture
def http():
    """A requests session sending the API key; every call is bounded by a timeout."""
    with requests.Session() as session:
        session.headers.update(AUTH)
        yield session
