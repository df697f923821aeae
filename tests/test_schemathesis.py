"""Property-based contract testing: schemathesis generates requests for every operation."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS

from service import create_app
from tests.conftest import TEST_KEY, TEST_SETTINGS
from tests.contract import CONTRACT

schema = schemathesis.openapi.from_path(str(CONTRACT))
schema.app = create_app(TEST_SETTINGS)


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_the_contract(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {TEST_KEY}"}, checks=CHECKS.get_all())
