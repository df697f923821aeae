"""CDS Hooks 2.0: discovery, patient-view and order-select cards, and the FHIR-server fetch."""
# (Cards for a patient without a planned or recent fusion need CDS_PATIENT_VIEW_NEEDS_FUSION off.)

from __future__ import annotations

import copy
import json

import pytest

from schemas.cds_hooks import CARD_SUMMARY_LIMIT
from tests.helpers import make_app, problem_of, unchecked_client
from tests.helpers.cds import ORDER_SELECT, PATIENT_VIEW, FhirServer, call, prefetch_of
from tests.helpers.fhir import EXPECTED, resources

INDICATOR = {"low": "info", "moderate": "warning", "high": "critical"}
ANY_PATIENT = {"CDS_PATIENT_VIEW_NEEDS_FUSION": False}
EHR = "https://fhir.hospital.example/R4"  # the exports' FHIR server: their references are absolute on it


def server_of(name: str) -> dict:
    """The call's fhirServer for a fixture whose references are absolute (an EHR export)."""
    return {"fhirServer": EHR} if name.startswith("ehr-") else {}


@pytest.fixture(scope="module")
def any_patient():
    """A client of an app that answers patient-view with or without a fusion on the record."""
    return make_app(**ANY_PATIENT).test_client()


def test_discovery(client):
    services = client.get("/cds-services").get_json()["services"]
    assert [(s["hook"], s["id"]) for s in services] == [
        ("patient-view", "spinal-fusion-risk"),
        ("order-select", "spinal-fusion-risk-order"),
    ]
    view = services[0]["prefetch"]
    assert view["patient"] == "Patient/{{context.patientId}}"
    for code in ("72166-2", "39156-5", "4548-4", "38267-1", "8302-2", "29463-7"):
        assert f"http://loinc.org|{code}" in view["observations"]
    assert "serviceRequests" in view and "serviceRequests" not in services[1]["prefetch"]


WITH_ID = [name for name in EXPECTED if "id" in resources(name)[0]]  # an EHR's Patient has an id


@pytest.mark.parametrize("name", WITH_ID)
def test_cards_match_the_equivalent_assessment(any_patient, name):
    client = any_patient
    response = client.post(PATIENT_VIEW, json=call(name, prefetch=prefetch_of(name), **server_of(name)))
    assert response.status_code == 200
    cards = response.get_json()["cards"]
    expected = client.post("/v1/assessments", json=EXPECTED[name]).get_json()
    for card, block in zip(cards, expected["outcomes"].values(), strict=False):
        assert card["summary"] == block["summary"] and len(card["summary"]) < CARD_SUMMARY_LIMIT
        assert card["indicator"] == INDICATOR[block["risk_range"]["highest"]]  # never calmed by missing data
        assert card["source"]["label"].endswith("model 1.2.0")
        assert "url" not in card["source"] and "links" not in card  # no PUBLIC_BASE_URL: no link
        for entry in block["contributing_factors"]:
            assert entry["explanation"] in card["detail"]
    widened = any(not b["determinate"] for b in expected["outcomes"].values())
    others = name == "messy"  # it holds another patient's observation: left out, and said so
    assert len(cards) == 2 + widened + others
    assert cards[-1]["summary"].startswith("Incomplete data") == others


def test_card_detail_lists_factors_and_what_can_change(client):
    cards = client.post(PATIENT_VIEW, json=call("complete", prefetch=prefetch_of("complete"))).get_json()[
        "cards"
    ]
    detail = cards[0]["detail"]
    assert detail.startswith("**High risk of non-union**")
    assert "- **smoking** (current smoker): +2." in detail
    assert (
        "What can be changed:" in detail
        and "If the patient could stop smoking now and stay off it until the fusion has healed: high"
        in detail
    )


def test_unknown_data_gets_its_own_card(any_patient):
    cards = any_patient.post(PATIENT_VIEW, json=call("sparse", prefetch=prefetch_of("sparse"))).get_json()[
        "cards"
    ]
    unknown = cards[-1]
    assert unknown["indicator"] == "info" and unknown["summary"].startswith(
        "Missing data could raise the risk"
    )
    assert "smoking" in unknown["detail"] and "Non-union: moderate to high" in unknown["detail"]


def test_missing_prefetch_is_fetched_from_the_fhir_server():
    with FhirServer(resources("complete")) as server:
        app = make_app(CDS_FHIR_SERVERS=(server.base,))
        fetched = app.test_client().post(
            PATIENT_VIEW,
            json=call(
                "complete",
                fhirServer=server.base,
                fhirAuthorization={"access_token": "t0k3n", "token_type": "Bearer"},
            ),
        )
    prefetched = app.test_client().post(PATIENT_VIEW, json=call("complete", prefetch=prefetch_of("complete")))
    assert fetched.status_code == 200
    assert fetched.get_json() == prefetched.get_json()
    assert len(server.requests) == 7
    assert {auth for _, auth in server.requests} == {"Bearer t0k3n"}
    assert ("/fhir/Patient/pat-complete", "Bearer t0k3n") in server.requests


def test_only_missing_keys_are_fetched():
    prefetch = prefetch_of("complete")
    prefetch["conditions"] = None  # the EHR could not answer this one
    with FhirServer(resources("complete")) as server:
        app = make_app(CDS_FHIR_SERVERS=(server.base,))
        app.test_client().post(PATIENT_VIEW, json=call("complete", prefetch=prefetch, fhirServer=server.base))
    assert [path.split("?")[0] for path, _ in server.requests] == ["/fhir/Condition"]


def test_servers_outside_the_allowlist_are_never_fetched():
    with FhirServer(resources("complete")) as server:
        for allowed in ((), ("http://127.0.0.1:1/",)):
            app = make_app(CDS_FHIR_SERVERS=allowed, **ANY_PATIENT)
            cards = (
                app.test_client()
                .post(PATIENT_VIEW, json=call("complete", fhirServer=server.base))
                .get_json()["cards"]
            )
            assert cards[-2]["summary"].startswith("Missing data")  # assessed without the data
            assert "not on this service's allow-list" in cards[-1]["detail"]  # and says why
    assert server.requests == []


def test_a_slow_fhir_server_is_given_up_on():
    with FhirServer(resources("complete"), delay=1.0) as server:
        app = make_app(
            CDS_FETCH_TIMEOUT=0.2, CDS_FETCH_BUDGET=0.5, CDS_FHIR_SERVERS=(server.base,), **ANY_PATIENT
        )
        response = app.test_client().post(PATIENT_VIEW, json=call("complete", fhirServer=server.base))
    assert response.status_code == 200
    assert len(server.requests) <= 3  # the budget stops the rest
    summaries = [card["summary"] for card in response.get_json()["cards"]]
    assert summaries[-2].startswith("Missing data") and summaries[-1].startswith("Incomplete data")


def order_call(order, selected=True):
    draft = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": order}]}
    context = {
        "userId": "Practitioner/dr-1",
        "patientId": "pat-complete",
        "selections": [f"ServiceRequest/{order['id']}"] if selected else ["ServiceRequest/other"],
        "draftOrders": draft,
    }
    prefetch = {
        k: v for k, v in prefetch_of("complete").items() if k not in ("serviceRequests", "procedures")
    }
    return {"hook": "order-select", "hookInstance": "order-1", "context": context, "prefetch": prefetch}


def fusion_order(levels_text="L4-L5", code="55705006"):
    order = copy.deepcopy(next(r for r in resources("complete") if r["resourceType"] == "ServiceRequest"))
    order.update({"id": "draft-1", "status": "draft", "bodySite": [{"text": levels_text}]})
    order["code"]["coding"][0]["code"] = code
    return order


def test_order_select_uses_the_draft_order(client):
    cards = client.post(ORDER_SELECT, json=order_call(fusion_order("L4-L5"))).get_json()["cards"]
    assert "- **number of levels fused** (1 level)" not in cards[0]["detail"]  # one level adds nothing
    longer = client.post(ORDER_SELECT, json=order_call(fusion_order("T10-S1"))).get_json()["cards"]
    assert "- **number of levels fused** (8 or more levels): +2." in longer[0]["detail"]  # T10-S1: 8


@pytest.mark.parametrize("order_call_args", [(fusion_order(code="80146002"), True), (fusion_order(), False)])
def test_order_select_ignores_other_orders(client, order_call_args):
    assert client.post(ORDER_SELECT, json=order_call(*order_call_args)).get_json() == {"cards": []}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (PATIENT_VIEW, {**call("sparse"), "hookInstance": ""}, "hookInstance"),
        (PATIENT_VIEW, {**call("sparse"), "context": {}}, "context.patientId"),
        (PATIENT_VIEW, {**call("sparse"), "hook": "order-select"}, "hook"),
        (ORDER_SELECT, call("sparse"), "hook"),
        (
            PATIENT_VIEW,
            call("sparse", prefetch={"patient": {"resourceType": "Patient", "birthDate": "1/2/1960"}}),
            "prefetch.patient.value",
        ),
        (PATIENT_VIEW, call("sparse", fhirServer="ftp://ehr"), "fhirServer"),
    ],
    ids=["empty-instance", "no-patient-id", "wrong-hook", "wrong-service", "bad-prefetch", "bad-server"],
)
def test_malformed_calls_are_400(client, path, body, field):
    problem = problem_of(client.post(path, json=body), 400)
    assert field in problem["errors"]


@pytest.mark.parametrize("patient_id", ["..", ".", "pat\n", "a/b", "x" * 65, "pat?x=1"])
def test_patient_ids_that_are_not_fhir_ids_are_refused(client, patient_id):
    body = call("sparse")
    body["context"]["patientId"] = patient_id
    assert "context.patientId" in problem_of(client.post(PATIENT_VIEW, json=body), 400)["errors"]


def test_a_prefetched_patient_who_is_not_the_context_patient_is_not_scored(any_patient):
    prefetch = prefetch_of("complete")  # Patient/pat-complete, 68 years old
    body = call("complete", prefetch=prefetch)
    body["context"]["patientId"] = "someone-else"
    cards = any_patient.post(PATIENT_VIEW, json=body).get_json()["cards"]
    assert "Resources about another patient" in cards[-1]["detail"]
    assert "age" in cards[-2]["detail"]  # the context patient's age is unknown, not 68
    assert "smoking" not in cards[0]["detail"]  # the other patient's smoking status was not used


SUBJECTS = {
    "relative": ({"reference": "Patient/pat-complete"}, True),
    "a version": ({"reference": "Patient/pat-complete/_history/3"}, True),
    "absolute on the call's server": ({"reference": f"{EHR}/Patient/pat-complete"}, True),
    "a version, absolute": ({"reference": f"{EHR}/Patient/pat-complete/_history/1"}, True),
    "identifier only": ({"identifier": {"system": "urn:mrn", "value": "pat-complete"}}, False),
    "display only": ({"display": "pat-complete"}, False),
    "empty": ({}, False),
    "another server, same id": ({"reference": "https://elsewhere.example/fhir/Patient/pat-complete"}, False),
    "a longer id": ({"reference": "Patient/pat-complete-2"}, False),
    "contained": ({"reference": "#pat-complete"}, False),
    "another type": ({"reference": "Group/pat-complete"}, False),
}


@pytest.mark.parametrize("case", SUBJECTS, ids=list(SUBJECTS))
def test_a_resource_is_read_only_when_it_names_the_context_patient_by_reference(any_patient, case):
    """The smoking status is the only resource changed: kept, it scores; otherwise it is left out, and
    said so on the data card."""
    subject, kept = SUBJECTS[case]
    prefetch = prefetch_of("complete")
    for entry in prefetch["observations"]["entry"]:
        entry["resource"]["subject"] = dict(subject)
    body = call("complete", prefetch=prefetch, fhirServer=EHR)
    cards = any_patient.post(PATIENT_VIEW, json=body).get_json()["cards"]
    assert ("Resources about another patient" in cards[-1]["detail"]) is not kept
    assert ("smoking" in cards[0]["detail"]) is kept


def test_a_resource_naming_no_subject_at_all_is_left_out(any_patient):
    prefetch = prefetch_of("complete")
    for entry in prefetch["observations"]["entry"]:
        del entry["resource"]["subject"]
    cards = any_patient.post(PATIENT_VIEW, json=call("complete", prefetch=prefetch)).get_json()["cards"]
    assert "Resources about another patient" in cards[-1]["detail"] and "smoking" not in cards[0]["detail"]


def test_a_patient_under_18_gets_no_risk_card(client):
    prefetch = prefetch_of("complete")
    prefetch["patient"] = {**prefetch["patient"], "birthDate": "2014-03-14"}
    cards = client.post(PATIENT_VIEW, json=call("complete", prefetch=prefetch)).get_json()["cards"]
    assert len(cards) == 1 and cards[0]["indicator"] == "info"
    assert cards[0]["summary"] == "No risk shown: this model applies to adults (18 or older)."


def _with_fusion(status, performed=None, kind="Procedure"):
    prefetch = prefetch_of("sparse")
    fusion = {
        "resourceType": kind,
        "id": "fusion-1",
        "status": status,
        "subject": {"reference": "Patient/pat-sparse"},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "55705006"}]},
    }
    if performed:
        fusion["performedDateTime"] = performed
    key = "procedures" if kind == "Procedure" else "serviceRequests"
    prefetch[key] = {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": fusion}]}
    return call("sparse", prefetch=prefetch)


def _days_ago(days):
    from datetime import UTC, datetime, timedelta

    return (datetime.now(UTC) - timedelta(days=days)).date().isoformat()


@pytest.mark.parametrize(
    ("body", "fires"),
    [
        (call("sparse", prefetch=prefetch_of("sparse")), False),
        (_with_fusion("active", kind="ServiceRequest"), True),
        (_with_fusion("revoked", kind="ServiceRequest"), False),
        (_with_fusion("in-progress"), True),
        (_with_fusion("completed", _days_ago(200)), True),
        (_with_fusion("completed", _days_ago(2000)), False),
        (_with_fusion("completed"), False),  # undated: not known to be recent
    ],
    ids=[
        "no fusion",
        "planned",
        "order revoked",
        "under way",
        "done 200 days ago",
        "done years ago",
        "undated",
    ],
)
def test_patient_view_fires_only_with_a_planned_or_recent_fusion(client, any_patient, body, fires):
    assert bool(client.post(PATIENT_VIEW, json=body).get_json()["cards"]) == fires
    assert any_patient.post(PATIENT_VIEW, json=body).get_json()["cards"]  # the setting turns it off


def test_without_a_public_base_url_no_card_links_to_the_host_the_caller_named(any_patient):
    response = any_patient.post(
        PATIENT_VIEW,
        json=call("complete", prefetch=prefetch_of("complete")),
        headers={"Host": "evil.example"},
    )
    assert response.status_code == 200 and "evil.example" not in response.get_data(as_text=True)


def test_the_model_page_is_under_the_public_base_url():
    app = make_app(PUBLIC_BASE_URL="https://cds.hospital.example/risk")
    cards = app.test_client().post(PATIENT_VIEW, json=call("complete", prefetch=prefetch_of("complete")))
    for card in cards.get_json()["cards"][:2]:
        assert card["source"]["url"] == card["links"][0]["url"] == "https://cds.hospital.example/risk/model"


CODINGS = {"resourceType": "Condition", "code": {"coding": [{}] * 300}}


def compact(body):
    return {"data": json.dumps(body, separators=(",", ":")), "content_type": "application/json"}


def test_a_large_prefetch_is_answered_and_its_bad_entry_named():
    """2,000 entries of 300 empty codings: read (none names the patient: left out, and said so); with
    one malformed entry past them, a 400 naming it (bench/hostile.py measures the cost)."""
    client = unchecked_client(**ANY_PATIENT)
    conditions = {"resourceType": "Bundle", "entry": [{"resource": CODINGS}] * 2000}
    cards = client.post(PATIENT_VIEW, **compact(call("complete", prefetch={"conditions": conditions})))
    assert cards.status_code == 200 and "another patient" in cards.get_json()["cards"][-1]["detail"]
    conditions["entry"] = [*conditions["entry"][:1999], {"resource": {"resourceType": 7}}]
    refused = client.post(PATIENT_VIEW, **compact(call("complete", prefetch={"conditions": conditions})))
    assert refused.status_code == 400 and "entry[1999].resource.resourceType" in str(
        refused.get_json()["errors"]
    )
