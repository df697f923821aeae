"""POST /v1/assessments, GET /v1/model and the probes, through the contract-checking client."""

from __future__ import annotations

import os
import re

import pytest

from service.http import request_id
from service.services import KEY
from tests.helpers import make_app, make_patient, problem_of
from tests.helpers.worked import EXAMPLES, check

HIGH = make_patient(age=70, smoking="current", osteoporosis=True, diabetes=True, levels_fused=6, obesity=True)


def test_assessment_shape(client):
    response = client.post("/v1/assessments", json=HIGH)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["model"] == {"id": "spinal-fusion-complications", "version": "1.2.0"}
    assert list(body["outcomes"]) == ["pseudarthrosis", "hardware_failure"]
    assert (body["unknown_factors"], body["warnings"], body["symptom_review"]) == ([], [], None)
    assert body["disclaimer"].startswith("Decision support, not a diagnosis")
    smoking = body["outcomes"]["pseudarthrosis"]["contributing_factors"][0]
    assert smoking["factor"] == "smoking" and smoking["value"] == "current" and smoking["points"] == 2
    assert {
        "reference": "yang-2024",
        "effect": "fusion failure OR 1.57 (1.11–2.21)",
        "certainty": "A",
        "outcome_measured": "fusion_failure",
        "design": "meta_analysis",
        "population": "39 cohort studies, 7,145 patients, spinal fusion in any region",
        "extrapolated": False,
        "outcome_source": "mixed",
    } in smoking["evidence"]
    assert {"id": "yang-2024", "pmid": "38848350"}.items() <= body["references"][0].items()


@pytest.mark.parametrize("fields", [{"age": 70.0}, {"levels_fused": 3.0}, {"age": 65.0, "levels_fused": 3.0}])
@pytest.mark.parametrize("lane", [True, False], ids=["fast lane", "flask"])
def test_a_float_for_an_integer_is_refused_naming_the_field(fields, lane):
    """The README promises types are never coerced: `70.0` is not the integer 70, on either path."""
    client = make_app(FAST_LANE=lane).test_client()
    response = client.post("/v1/assessments", json=make_patient(**fields))
    assert sorted(problem_of(response, 422)["errors"]) == sorted(fields)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            b'{"age": 70, "smoking": "never", "osteoporosis": false, "diabetes": false, "levels_fused": 1, '
            b'"obesity": false, "diabetes": true}',
            "diabetes",
        ),
        (
            b'{"age": 70, "age": 71, "smoking": "never", "osteoporosis": false, "diabetes": false, '
            b'"levels_fused": 1, "obesity": false}',
            "age",
        ),
        (
            b'{"age": 70, "smoking": "never", "osteoporosis": false, "diabetes": false, "levels_fused": 1, '
            b'"obesity": false, "\\u0061ge": 71}',
            "age",
        ),
    ],
    ids=["last", "first", "escaped"],
)
@pytest.mark.parametrize("lane", [True, False], ids=["fast lane", "flask"])
def test_a_field_given_twice_is_refused_naming_it(body, field, lane):
    """A parser keeps one of the two quietly (orjson the last): which one was meant is not ours to
    guess."""
    client = make_app(FAST_LANE=lane).test_client()
    response = client.post("/v1/assessments", data=body, content_type="application/json")
    assert problem_of(response, 422)["errors"] == {
        field: ["Given more than once in one object: send each field once."]
    }


def test_same_input_same_bytes_apart_from_the_request_id(client):
    first = client.post("/v1/assessments", json=HIGH)
    second = client.post("/v1/assessments", json=dict(reversed(HIGH.items())))
    assert first.data == second.data
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.parametrize(
    ("sent", "echoed"),
    [
        ("0b1d4093-5fe4-4d96-a4d5-0b6a753f5d83", True),
        ("0B1D4093-5FE4-4D96-A4D5-0B6A753F5D83", True),
        ("0b1d40935fe4dd96e4d50b6a753f5d83", True),
        ("abc-123.DEF:9_x", False),
        ("Jane.Doe-1970-01-01", False),  # a name fits a free-form id: it would reach the logs
        ("0b1d4093-5fe4-4d96-a4d5-0b6a753f5d83x", False),
        ("0b1d40935fe4-4d96-a4d5-0b6a753f5d83", False),
        ("{0b1d4093-5fe4-4d96-a4d5-0b6a753f5d83}", False),
        ("bad id", False),
        ("", False),
    ],
)
def test_request_id_echoes_only_uuids(client, sent, echoed):
    response = client.get("/healthz", headers={"X-Request-ID": sent})
    returned = response.headers["X-Request-ID"]
    assert (returned == sent) is echoed
    assert re.fullmatch(r"[0-9a-fA-F]{32}|[0-9a-fA-F-]{36}", returned)


def test_new_request_ids_are_unique_in_a_process_and_across_forks():
    ids = [request_id.new_id() for _ in range(1000)]
    assert len(set(ids)) == 1000
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # a worker forked from the preloaded app: its generator is seeded anew
        os.write(write, request_id.new_id().encode())
        os._exit(0)
    os.close(write)
    forked = os.read(read, 64).decode()
    os.waitpid(child, 0)
    os.close(read)
    assert re.fullmatch(r"[0-9a-f]{32}", forked)
    assert forked != request_id.new_id()  # the same draw, had the child kept the parent's state


def test_model_is_published_whole(client, model):
    response = client.get("/v1/model")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["id"], body["version"]) == (model.id, model.version)
    smoking = next(f for f in body["factors"] if f["id"] == "smoking")
    current = next(level for level in smoking["levels"] if level["id"] == "current")
    assert (current["pseudarthrosis"]["points"], current["hardware_failure"]["points"]) == (2, 0)
    age = next(f for f in body["factors"] if f["id"] == "age")
    assert [level.get("min") for level in age["levels"]] == [
        18,
        55,
        65,
        None,
        None,
    ]  # then the cervical levels
    assert age["by_region"]["cervical"] == {
        "from_55_to_64": "cervical_from_55_to_64",
        "from_65": "cervical_from_65",
    }
    assert [t["min_points"] for t in body["tiers"]] == [0, 2, 5]
    assert all("times the odds" in t["meaning"] for t in body["tiers"]) and body["reviewed"] == "2026-12-04"
    assert [(o["id"], o["horizon"]) for o in body["outcomes"]] == [
        ("pseudarthrosis", "at 12 months or later"),
        ("hardware_failure", "within 2 years"),
    ]
    assert [c["id"] for c in body["typical_rates"]["classes"]] == [c.id for c in model.typical.classes]
    assert body["considered_not_scored"][0]["evidence"][0]["outcome_source"] == "imaging"
    assert {w["id"]: w["phases"] for w in body["what_if"]}["reach_bmi_under_30"] == ["pre_operative"]
    yang = next(r for r in body["references"] if r["id"] == "yang-2024")
    assert (yang["design"], yang["measured"]) == ("meta_analysis", ["fusion_failure"])
    assert body["limitations"] and body["method"]["odds_ratio_per_point"] == 1.5
    assert {r["id"] for r in body["references"]} == set(model.references)


def test_probes(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz").get_json()
    assert ready == {"status": "ready", "model": {"id": "spinal-fusion-complications", "version": "1.2.0"}}


def test_not_ready_without_a_model(app):
    found = app.extensions.pop(KEY)
    try:
        response = app.test_client().get("/readyz")
    finally:
        app.extensions[KEY] = found
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("age", [17, 0, 12])
def test_a_patient_under_18_is_refused_naming_age(client, age):
    response = client.post("/v1/assessments", json=make_patient(age=age))
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"age": ["The model applies to adults, 18 or older."]}


def test_an_adult_of_18_is_assessed_and_an_unknown_age_is_still_a_range(client):
    assert client.post("/v1/assessments", json=make_patient(age=18)).status_code == 200
    unknown = client.post("/v1/assessments", json=make_patient(age=None)).get_json()
    assert unknown["unknown_factors"][0]["factor"] == "age"


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_1_2_worked_examples_through_the_api(assess, name):
    check(assess(EXAMPLES[name].patient), EXAMPLES[name])


def test_an_unknown_headline_is_never_the_reassuring_end(assess):
    """Model 1.2: with every core factor unknown, `risk` is the highest tier, not "low"."""
    body = assess(dict.fromkeys(("age", "smoking", "osteoporosis", "diabetes", "levels_fused", "obesity")))
    for block in body["outcomes"].values():
        assert (block["risk"], block["risk_range"]["lowest"], block["determinate"]) == ("high", "low", False)
        assert block["points_range"]["lowest"] == block["points"] == 0 < block["points_range"]["highest"]


@pytest.mark.parametrize("osteotomy", [False, None])
def test_rods_need_a_three_column_osteotomy(client, osteotomy):
    patient = make_patient(rods_across_osteotomy="two")
    if osteotomy is not None:
        patient["three_column_osteotomy"] = osteotomy
    response = client.post("/v1/assessments", json=patient)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "rods_across_osteotomy": ["Only applies when three_column_osteotomy is true."]
    }


@pytest.mark.parametrize(
    ("field", "value"), [("approach", "lateral"), ("sex", "other"), ("rods_across_osteotomy", 3)]
)
def test_the_new_inputs_take_only_their_values(client, field, value):
    response = client.post(
        "/v1/assessments", json=make_patient(**{field: value}, three_column_osteotomy=True)
    )
    assert response.status_code == 422 and field in response.get_json()["errors"]
