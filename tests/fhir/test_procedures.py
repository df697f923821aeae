"""The fusion: its levels, region and sacrum from the latest readable one, the days since it was
done, and whether it is planned or recent enough for a patient-view card."""

from __future__ import annotations

from datetime import date

import pytest

from service.fhir import load_terminology
from service.fhir.procedures import planned_or_recent_fusion
from service.fhir.reader import Reader
from tests.helpers.fhir import CPT, ON, SNOMED, bundle, coded, ignored, read_fhir, resource


def fusion(kind="ServiceRequest", status="active", text="L4-S1", **fields):
    return resource(kind, coded(SNOMED, "55705006", text=f"Spinal fusion {text}"), status=status, **fields)


def test_the_levels_region_and_sacrum_come_from_the_range():
    patient = read_fhir(fusion()).patient
    assert (patient["levels_fused"], patient["region"], patient["fusion_to_sacrum_or_pelvis"]) == (
        2,
        "lumbar",
        True,
    )


def test_a_fusion_without_a_range_is_reported_and_levels_stay_unknown():
    extraction = read_fhir(fusion(text="of the lower back"))
    assert extraction.patient["levels_fused"] is None
    assert any("without a readable vertebral range" in text for text in ignored(extraction))


def cpt_fusion(*codes, text="L4-L5", kind="ServiceRequest", status="active", **fields):
    """A fusion (planned, by default) coded with these CPT codes, its range in the text."""
    code = {"coding": [{"system": CPT, "code": c} for c in codes], "text": f"Spinal fusion {text}"}
    return resource(kind, code, status=status, **fields)


@pytest.mark.parametrize(
    ("record", "approach"),
    [
        (cpt_fusion("22558"), "anterior"),
        (cpt_fusion("22556", text="T10-T11"), "anterior"),
        (cpt_fusion("22612"), "posterior"),
        (cpt_fusion("22630", "22612"), "posterior"),
        (cpt_fusion("22558", "22612"), "combined"),
        (cpt_fusion("22586"), None),  # a fusion code of no approach
        (fusion(), None),  # SNOMED CT: says nothing of the approach
        (cpt_fusion("22612", text="of the lower back"), "posterior"),  # no range: still the fusion read
    ],
    ids=[
        "anterior",
        "anterior thoracic",
        "posterior",
        "posterior twice",
        "both",
        "presacral",
        "snomed",
        "no range",
    ],
)
def test_the_approach_comes_from_the_fusion_reads_cpt_codes(record, approach):
    extraction = read_fhir(record)
    assert extraction.patient.get("approach") == approach
    assert ("approach" in extraction.sources) == (approach is not None)


def test_the_approach_is_the_fusion_reads_not_another_fusions():
    """A 2019 posterior fusion and an anterior one planned: the planned one is read."""
    done = cpt_fusion("22612", kind="Procedure", status="completed", performedDateTime="2019-03-11")
    planned = cpt_fusion("22558", text="L3-L4", authoredOn="2026-10-20")
    assert read_fhir(done, planned).patient["approach"] == "anterior"


def test_days_since_a_completed_fusion():
    patient = read_fhir(fusion("Procedure", "completed", performedDateTime="2026-10-22")).patient
    assert patient["days_since_surgery"] == (ON - date(2026, 10, 22)).days


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (fusion(), True),
        (fusion(status="revoked"), False),
        (fusion("Procedure", "in-progress"), True),
        (fusion("Procedure", "completed", performedDateTime="2025-12-01"), True),
        (fusion("Procedure", "completed", performedDateTime="2023-01-01"), False),
        (fusion("Procedure", "completed"), False),
        (resource("ServiceRequest", coded(SNOMED, "387713003"), status="active"), False),  # another surgery
    ],
    ids=["planned", "revoked", "under way", "done last year", "done years ago", "undated", "not a fusion"],
)
def test_planned_or_recent_fusion(record, expected):
    body = bundle("sparse")
    body["entry"].append({"resource": record})
    assert planned_or_recent_fusion(Reader(body, load_terminology()), ON) is expected
