"""Under gunicorn, with its real WSGI environ, the fast lane answers valid assessments and
leaves everything else to Flask, and both answer alike."""

from __future__ import annotations

import uuid

import pytest
import requests

from schemas import ASSESSMENT_EXAMPLES
from tests.helpers import TEST_KEY, make_patient
from tests.helpers.contract import check_live
from tests.live.server import LiveServer

TIMEOUT = 10


@pytest.fixture(scope="module")
def probed():
    with LiveServer(workers=1, app="tests.live.lane_probe:app", API_KEYS=TEST_KEY) as server:
        yield server


def post(server, body, **headers):
    response = requests.post(
        f"{server.url}/v1/assessments",
        json=body,
        headers={"Authorization": f"Bearer {TEST_KEY}", **headers},
        timeout=TIMEOUT,
    )
    check_live(response)
    return response


@pytest.mark.parametrize("name", sorted(ASSESSMENT_EXAMPLES))
def test_valid_requests_take_the_lane(probed, name):
    sent = str(uuid.uuid5(uuid.NAMESPACE_URL, f"lane-{name}"))
    response = post(probed, ASSESSMENT_EXAMPLES[name]["value"], **{"X-Request-ID": sent})
    assert response.status_code == 200
    assert "X-Via-Flask" not in response.headers
    assert response.headers["X-Request-ID"] == sent
    assert response.headers["Cache-Control"] == "no-store"


def test_errors_go_through_flask(probed):
    response = post(probed, make_patient(age=-1))
    assert response.status_code == 422
    assert response.headers["X-Via-Flask"] == "1"
