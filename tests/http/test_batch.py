"""POST /v1/assessments/batch: many patients, each its own result or error, in input order."""

from __future__ import annotations

import gzip
import itertools
from collections import Counter

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import REGISTRY

from service.http.body import encoded_object
from tests.helpers import make_patient, problem_of
from tests.helpers.worked import EXAMPLES

URL = "/v1/assessments/batch"


def thousand_patients():
    grid = itertools.product(
        (18, 45, 58, 64, 66, 80),
        ("never", "former", "current", None),
        (False, True, None),
        (False, True),
        (1, 2, 3, 5, 8),
        (False, True),
    )
    patients = [
        make_patient(age=a, smoking=s, osteoporosis=o, diabetes=d, levels_fused=n, obesity=b)
        for a, s, o, d, n, b in grid
    ]
    return patients[:1000]


@pytest.mark.slow  # 1,000 patients, each through both endpoints
def test_a_thousand_patients_match_the_single_endpoint(client, assessor):
    patients = thousand_patients()
    response = client.post(URL, json={"patients": patients})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["index"] for r in results] == list(range(1000))
    for patient, result in zip(patients, results, strict=True):
        assert result["assessment"] == assessor(patient)
    for index in (0, 137, 999):  # and through the single endpoint itself
        single = client.post("/v1/assessments", json=patients[index]).get_json()
        assert single == results[index]["assessment"]


def test_one_bad_patient_never_sinks_the_others(client):
    patients = [make_patient(), {"age": "65"}, "not a patient", None, make_patient(age=70, smoking="current")]
    results = client.post(URL, json={"patients": patients}).get_json()["results"]
    assert [sorted(r) for r in results] == [
        ["assessment", "index"],
        ["error", "index"],
        ["error", "index"],
        ["error", "index"],
        ["assessment", "index"],
    ]
    error = results[1]["error"]
    assert (error["status"], error["type"], error["instance"]) == (
        422,
        "/problems/validation-error",
        "/v1/assessments/batch#/patients/1",
    )
    assert error["errors"]["age"] == ["Not a valid integer."]
    assert "smoking" in error["errors"]
    assert results[2]["error"]["errors"] == {"_schema": ["Invalid input type."]}


@given(
    items=st.lists(
        st.dictionaries(
            st.text(max_size=3),
            st.recursive(
                st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=5),
                lambda inner: (
                    st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
                ),
                max_leaves=8,
            ),
            max_size=3,
        ),
        max_size=4,
    ),
    key=st.text(max_size=8),
)
def test_results_encoded_one_by_one_join_into_the_whole_encoding(items, key):
    assert encoded_object(key, [orjson.dumps(item) for item in items]) == orjson.dumps({key: items})


def test_the_batch_body_is_compact_json(client):
    body = client.post(URL, json={"patients": [make_patient(), {"age": "x"}]}).data
    assert body == orjson.dumps(orjson.loads(body))


def test_a_batch_counts_each_assessed_patient_in_the_metrics(client):
    patients = [make_patient(), {"age": "65"}, make_patient(age=70, smoking="current"), make_patient()]
    tiers = [
        None if "smoking" not in p else client.post("/v1/assessments", json=p).get_json() for p in patients
    ]
    before = tier_counts()
    results = client.post(URL, json={"patients": patients}).get_json()["results"]
    expected = Counter(
        (outcome, block["risk"]) for t in tiers if t for outcome, block in t["outcomes"].items()
    )
    assert len(results) == 4 and sum(expected.values()) == 6  # three patients, two outcomes each
    after = tier_counts()
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == expected


def tier_counts() -> Counter:
    return Counter(
        {
            (s.labels["outcome"], s.labels["tier"]): s.value
            for metric in REGISTRY.collect()
            if metric.name == "assessments"
            for s in metric.samples
            if s.name == "assessments_total"
        }
    )


def test_an_empty_batch_is_an_empty_result(client):
    assert client.post(URL, json={"patients": []}).get_json() == {"results": []}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"patients": [make_patient()] * 1001}, {"patients": ["Longer than maximum length 1000."]}),
        ({"patients": make_patient()}, {"patients": ["Not a valid list."]}),
        ({}, {"patients": ["Missing data for required field."]}),
        ({"patients": [], "extra": 1}, {"extra": ["Unknown field."]}),
    ],
    ids=["1001-patients", "not-a-list", "missing", "unknown-field"],
)
def test_a_bad_envelope_fails_the_whole_call(client, body, errors):
    assert problem_of(client.post(URL, json=body), 422)["errors"] == errors


def test_a_body_that_is_not_an_object_is_400(client):
    problem_of(client.post(URL, data=b"[]", content_type="application/json"), 400)


def test_batch_has_its_own_body_limit(client, app):
    big = {"patients": [make_patient()] * 800}  # ~80 KB: over the single limit, under the batch one
    assert client.post(URL, json=big).status_code == 200
    limit = app.config["MAX_BATCH_BODY_BYTES"]
    body = b'{"patients": ["' + b"x" * limit + b'"]}'
    assert (
        str(limit) in problem_of(client.post(URL, data=body, content_type="application/json"), 413)["detail"]
    )


def test_a_patient_under_18_gets_their_own_422(client):
    patients = [make_patient(age=16), make_patient(age=70)]
    results = client.post(URL, json={"patients": patients}).get_json()["results"]
    assert results[0]["error"]["status"] == 422
    assert results[0]["error"]["errors"] == {"age": ["The model applies to adults, 18 or older."]}
    assert results[1]["assessment"]["outcomes"]["pseudarthrosis"]["risk"] == "moderate"


PATIENTS = [
    make_patient(smoking="current", symptoms=["new_limb_weakness_or_numbness"]),
    make_patient(age=12),
    make_patient(),
]


@pytest.mark.parametrize("accept", ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.5", "*"])
def test_gzip_when_the_client_accepts_it(client, accept):
    valid = [PATIENTS[0], PATIENTS[2]]  # an error would carry its own request id
    plain = client.post(URL, json={"patients": valid})
    packed = client.post(URL, json={"patients": valid}, headers={"Accept-Encoding": accept})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0", "br"])
def test_no_gzip_unless_accepted(client, accept):
    headers = {"Accept-Encoding": accept} if accept else {}
    response = client.post(URL, json={"patients": PATIENTS}, headers=headers)
    assert "Content-Encoding" not in response.headers and response.get_json()["results"]


@pytest.mark.slow  # 1,000 full assessments, compressed
def test_a_thousand_full_assessments_compress_well(client):
    body = {
        "patients": [
            make_patient(smoking="current", diabetes=True, levels_fused=n % 12 + 1) for n in range(1000)
        ]
    }
    plain = client.post(URL, json=body)
    packed = client.post(URL, json=body, headers={"Accept-Encoding": "gzip"})
    assert len(plain.data) > 5_000_000 and len(packed.data) < len(plain.data) / 10


def test_the_summary_view_keeps_tiers_points_factors_warnings_and_urgency(client):
    full = client.post(URL, json={"patients": PATIENTS}).get_json()["results"]
    short = client.post(URL + "?view=summary", json={"patients": PATIENTS}).get_json()["results"]
    assert [("summary" in r, "error" in r) for r in short] == [(True, False), (False, True), (True, False)]
    assessment, summary = full[0]["assessment"], short[0]["summary"]
    for outcome, block in assessment["outcomes"].items():
        seen = summary["outcomes"][outcome]
        keys = ("risk", "risk_range", "points", "points_range", "determinate", "typical_rate")
        assert {key: seen[key] for key in keys} == {key: block[key] for key in keys}
        assert seen["contributing_factors"] == [
            {"factor": e["factor"], "points": e["points"]} for e in block["contributing_factors"]
        ]
    assert summary["urgency"] == assessment["symptom_review"]["urgency"] == "emergency"
    assert (
        short[2]["summary"]["urgency"] is None and short[1]["error"]["errors"] == full[1]["error"]["errors"]
    )


def test_an_unknown_view_is_a_422_naming_it(client):
    assert "view" in problem_of(client.post(URL + "?view=tiny", json={"patients": []}), 422)["errors"]


def test_each_patient_of_a_batch_gets_the_1_2_headline_and_typical_rate(client):
    """A 1.2 worked example in a batch: the same answer as alone, rates and ranges included."""
    example = EXAMPLES["6-acdf-smoker-diabetic"].patient
    alone = client.post("/v1/assessments", json=example).get_json()
    (result,) = client.post(URL, json={"patients": [example]}).get_json()["results"]
    assert result["assessment"] == alone
    (summary,) = client.post(URL + "?view=summary", json={"patients": [example]}).get_json()["results"]
    rate = summary["summary"]["outcomes"]["pseudarthrosis"]["typical_rate"]
    assert (rate["class"]["id"], rate["low"], rate["high"]) == ("acdf_1", 3, 10)
