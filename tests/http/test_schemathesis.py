"""Property-based contract testing: schemathesis generates requests for every operation."""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from jsonschema import Draft202012Validator
from schemathesis.checks import CHECKS
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import negative_data_rejection

from service import create_app
from tests.helpers import (
    TEST_KEY,
    TEST_SETTINGS,
    schemathesis_hooks,  # noqa: F401 (registers the hooks)
)
from tests.helpers.contract import CONTRACT, contract_dict

pytestmark = pytest.mark.slow  # 60 generated requests an operation (the test client checks every answer too)

# The API key goes through the contract's own security scheme, so schemathesis can also send
# requests without it (and expect 401) instead of having it forced onto every request.
SUCCEEDED: Counter[str] = Counter()
CONFIG = SchemathesisConfig.from_dict({"auth": {"openapi": {"bearerAuth": {"bearer": TEST_KEY}}}})
schema = schemathesis.openapi.from_path(str(CONTRACT), config=CONFIG)
schema.app = create_app(TEST_SETTINGS)


# The same examples on every run (derandomized, no example database): a failure is a defect to fix,
# never a retry. ST_EXAMPLES=500 ST_RANDOM=1 explores beyond them by hand.
@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("ST_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not os.environ.get("ST_RANDOM"),
    database=None,
)
def test_every_operation_keeps_the_contract(case):
    # In-process, nothing would decompress a gzip answer (over HTTP, requests does: the live run).
    batch = case.operation.label == BATCH
    response = case.call_and_validate(
        checks=CHECKS.get_all(),
        headers={"Accept-Encoding": "identity"},
        # A batch answers a patient the contract refuses with that patient's own error, in a 200
        # (by design): the check below holds it to exactly that instead.
        excluded_checks=[negative_data_rejection] if batch else [],
        additional_checks=[each_patient_answered_alone] if batch else [],
    )
    if case.method.upper() == case.operation.method.upper():  # not the other methods coverage tries
        SUCCEEDED[case.operation.label] += response.status_code < 300


BATCH = "POST /v1/assessments/batch"
_PATIENT = Draft202012Validator(
    {"$ref": "#/components/schemas/AssessmentRequest", "components": contract_dict()["components"]}
)


def each_patient_answered_alone(ctx, response, case):
    """A batch's 200: an envelope the contract accepts, and an error for exactly the patients it refuses."""
    if response.status_code != 200 or case.method.upper() != "POST":  # coverage tries other methods too
        return None
    body = case.body
    assert set(body) == {"patients"} and len(body["patients"]) <= 1000, "a bad envelope was accepted"
    results = response.json()["results"]
    assert [r["index"] for r in results] == list(range(len(body["patients"])))
    for patient, result in zip(body["patients"], results, strict=True):
        assert ("error" in result) == (not _PATIENT.is_valid(patient)), (patient, result)
    return True


def test_the_key_was_applied_and_every_operation_succeeded_somewhere():
    """A 401 passes schemathesis's checks: make sure the runs above were not all refused."""
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert operations and {label for label, count in SUCCEEDED.items() if count} == operations
