"""What the tests share: the app and patients they build, readers of problems and metrics, and a
bounded wait. FHIR fixtures, CDS Hooks calls and servers, hypothesis strategies, the contract
client and the page readers live in this package's modules."""

from __future__ import annotations

import re
import time
from pathlib import Path

from schemas.examples import ASSESSMENT_EXAMPLES
from schemas.patient import MODEL
from service import create_app
from tests.helpers.contract import ContractClient

ROOT = Path(__file__).resolve().parents[2]  # the repository

ADULT = MODEL.adult_age

BASE_PATIENT = dict(ASSESSMENT_EXAMPLES["low"]["value"])  # every core factor absent

TEST_KEY = "test-key-0123456789abcdef"

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


def unchecked_client(**overrides):
    """A test client that does not hold exchanges to the contract: for bodies of megabytes, which the
    contract's Python validator would take seconds to walk (the service takes milliseconds)."""
    client = create_app({**TEST_SETTINGS, **overrides}).test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = AUTH["Authorization"]
    return client


def make_patient(**changes):
    """Return a patient with every core factor absent, changed by `changes`."""
    return {**BASE_PATIENT, **changes}


PROBLEM = "application/problem+json"


def problem_of(response, status):
    assert response.status_code == status, response.data
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["instance"] == response.request.path
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


P, H = "pseudarthrosis", "hardware_failure"


def points_of(result: dict, outcome: str, factor: str) -> int:
    """Return the points a factor adds to an outcome (0 when it is only considered)."""
    block = result["outcomes"][outcome]
    for entry in block["contributing_factors"] + block["other_factors_considered"]:
        if entry["factor"] == factor:
            return entry["points"]
    raise AssertionError(f"{factor} missing from {outcome}")


def entry(result, outcome, factor):
    block = result["outcomes"][outcome]
    return next(
        e for e in block["contributing_factors"] + block["other_factors_considered"] if e["factor"] == factor
    )


def metric(text: str, name: str, **labels: str) -> float:
    """Return a sample's value from the Prometheus text format (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and ",".join(sorted(match[1].split(","))) == wanted:
            return float(match[2])
    return 0.0


AUTH = {"Authorization": f"Bearer {TEST_KEY}"}


def wait_for(condition, seconds: float = 15) -> bool:
    """Poll `condition` until it holds or `seconds` pass (bounded: never waits forever)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False
