"""Property: any bundle the published schema accepts is read or refused, never a crash.

Resources are FHIR-shaped (the types and elements the extractor reads) with values of any JSON
type where the schema leaves them free: lists where strings are expected, numbers where objects
are, dates that overflow. The answer is always a reading (values ignored and reported) or a
FhirInputError (a 422 OperationOutcome)."""

from __future__ import annotations

from datetime import date

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import patient_loader
from schemas.fhir_bundle import BUNDLE
from service.core import default_model
from service.fhir import Bundles, FhirInputError, load_terminology
from tests.helpers.strategies import values

ANY = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
DATES = st.sampled_from(
    [
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-14:00",
        "2024",
        "2024-02",
        "2024-02-30",
        "1960-01-01",
        "2025-06-01T10:00:00Z",
        "",
        "T",
        "2024-13-01",
        "0000",
    ]
)
SYSTEMS = st.sampled_from(
    [
        "http://loinc.org",
        "http://snomed.info/sct",
        "http://hl7.org/fhir/sid/icd-10-cm",
        "http://www.nlm.nih.gov/research/umls/rxnorm",
        "http://www.ama-assn.org/go/cpt",
        "",
    ]
)
CODES = st.sampled_from(
    [
        "72166-2",
        "39156-5",
        "4548-4",
        "8302-2",
        "29463-7",
        "38267-1",
        "449868002",
        "8517006",
        "E11.9",
        "M81.0",
        "55705006",
        "22612",
        "5492",
        "LA18976-3",
        "266919005",
        "E55.9",
    ]
)
CODING = st.fixed_dictionaries({}, optional={"system": SYSTEMS | ANY, "code": CODES | ANY, "display": ANY})
CONCEPT = (
    st.fixed_dictionaries({}, optional={"coding": st.lists(CODING | ANY, max_size=3), "text": ANY}) | ANY
)
QUANTITY = st.fixed_dictionaries(
    {}, optional={"value": st.floats(-1e6, 1e6) | st.integers(), "code": ANY | st.just("kg/m2"), "unit": ANY}
)
REFERENCE = st.fixed_dictionaries({}, optional={"reference": st.just("Patient/p") | ANY}) | ANY
ELEMENTS = {
    "status": st.sampled_from(["final", "active", "completed", "draft"]) | ANY,
    "subject": REFERENCE,
    "patient": REFERENCE,
    "code": CONCEPT,
    "valueQuantity": QUANTITY,
    "valueCodeableConcept": CONCEPT,
    "valueDateTime": DATES | ANY,
    "effectiveDateTime": DATES,
    "effectivePeriod": st.fixed_dictionaries({}, optional={"start": DATES | ANY, "end": DATES | ANY}) | ANY,
    "issued": DATES | ANY,
    "clinicalStatus": CONCEPT,
    "verificationStatus": CONCEPT,
    "onsetDateTime": DATES | ANY,
    "medicationCodeableConcept": CONCEPT,
    "medicationReference": REFERENCE,
    "dosage": st.lists(st.fixed_dictionaries({}, optional={"route": CONCEPT}) | ANY, max_size=2) | ANY,
    "bodySite": st.lists(CONCEPT, max_size=2) | ANY,
    "authoredOn": DATES | ANY,
    "occurrenceDateTime": DATES | ANY,
    "performedDateTime": DATES | ANY,
    "performedPeriod": ANY,
    "id": st.text(max_size=5),
}
TYPES = ["Observation", "Condition", "MedicationStatement", "MedicationRequest", "Medication",
         "ServiceRequest", "Procedure", "Encounter"]  # fmt: skip
RESOURCE = st.builds(
    lambda kind, elements: {"resourceType": kind, **elements},
    st.sampled_from(TYPES),
    st.fixed_dictionaries({}, optional=ELEMENTS),
)
PATIENT = st.builds(
    lambda elements: {"resourceType": "Patient", **elements},
    st.fixed_dictionaries({}, optional={"id": st.text(max_size=4), "birthDate": DATES | ANY}),
)
ENTRY = st.fixed_dictionaries({"resource": RESOURCE}, optional={"fullUrl": st.text(max_size=8) | ANY})
BUNDLES = st.builds(
    lambda patient, entries, position: {
        "resourceType": "Bundle",
        "entry": [*entries[:position], {"resource": patient}, *entries[position:]],
    },
    PATIENT,
    st.lists(ENTRY, max_size=6),
    st.integers(0, 6),
)
_schema = jsonschema_rs.validator_for(BUNDLE)
READER = Bundles(load_terminology(), default_model(), patient_loader())


@pytest.mark.slow  # 400 generated bundles
@given(bundle=BUNDLES, levels=st.none() | values("levels_fused"))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_schema_valid_bundle_is_read_or_refused_never_crashes(bundle, levels):
    try:
        _extraction, patient = READER.read(bundle, date(2026, 12, 1), levels)
    except FhirInputError as error:
        assert not _schema.is_valid(bundle) or error.issues  # refused: with issues that say why
        return
    assert _schema.is_valid(bundle)
    assert set(patient) >= {"age", "smoking", "osteoporosis", "diabetes", "levels_fused", "obesity"}
    # assert extraction.subject["reference"]  (issue 12)
