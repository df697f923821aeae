"""Property-based contract testing: schemathesis generates requests for every operation."""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS
from schemathesis.config import SchemathesisConfig

from service import create_app
from tests.helpers import (
    TEST_KEY,
    TEST_SETTINGS,
    schemathesis_hooks,  # noqa: F401 (registers the hooks)
)
from tests.helpers.contract import CONTRACT

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
    response = case.call_and_validate(checks=CHECKS.get_all(), headers={"Accept-Encoding": "identity"})
    if case.method.upper() == case.operation.method.upper():  # not the other methods coverage tries
        SUCCEEDED[case.operation.label] += response.status_code < 300


def test_the_key_was_applied_and_every_operation_succeeded_somewhere():
    """A 401 passes schemathesis's checks: make sure the runs above were not all refused."""
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert operations and {label for label, count in SUCCEEDED.items() if count} == operations
