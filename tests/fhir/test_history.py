"""Surgical history: a prior fusion or revision, and a three-column osteotomy in this construct."""

from __future__ import annotations

import pytest

from tests.helpers.fhir import CPT, SNOMED, coded, read_fhir, resource

FUSION = coded(SNOMED, "55705006", text="Posterior spinal fusion L4-S1")


def planned(code=FUSION):
    return resource("ServiceRequest", code, status="active", intent="order", authoredOn="2026-11-01")


def done(when, code=FUSION):
    return resource("Procedure", code, status="completed", performedDateTime=when)


OSTEOTOMY = coded(CPT, "22207", text="Pedicle subtraction osteotomy, lumbar")
REVISION = coded(CPT, "22850", text="Removal of posterior instrumentation")

CASES = {
    "a first fusion, planned": ([planned()], set()),
    "a fusion done before the planned one": ([done("2019-03-01"), planned()], {"prior_spine_surgery"}),
    "two done: the earlier is prior": ([done("2018-01-01"), done("2026-06-01")], {"prior_spine_surgery"}),
    "one done: it is the current one": ([done("2026-06-01")], set()),
    "a revision done": ([done("2022-01-01", REVISION), planned()], {"prior_spine_surgery"}),
    "an osteotomy planned with the fusion": ([planned(), planned(OSTEOTOMY)], {"three_column_osteotomy"}),
    "an osteotomy done the day of the fusion": (
        [done("2026-06-01"), done("2026-06-01", OSTEOTOMY)],
        {"three_column_osteotomy"},
    ),
    "an osteotomy years before a planned fusion": ([done("2015-01-01", OSTEOTOMY), planned()], set()),
    "an osteotomy without a fusion": ([planned(OSTEOTOMY)], set()),
    "an undated completed fusion": ([resource("Procedure", FUSION, status="completed"), planned()], set()),
}


@pytest.mark.parametrize(("records", "expected"), CASES.values(), ids=list(CASES))
def test_history(records, expected):
    patient = read_fhir(*records).patient
    assert {
        name for name in ("prior_spine_surgery", "three_column_osteotomy") if patient.get(name)
    } == expected
