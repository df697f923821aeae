"""Every answer in a format goes through its renderer: the media type, bytes and headers it gives."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from service.formats import AS_CDS, AS_FHIR, AS_HTML, AS_JSON
from tests.helpers import make_patient
from tests.helpers.cds import PATIENT_VIEW, call

FHIR_BUNDLE = (Path(__file__).parents[1] / "fixtures" / "fhir" / "complete.json").read_bytes()


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "renderer"),
    [
        ("POST", "/v1/assessments", {"json": make_patient(age=60)}, AS_JSON),
        ("GET", "/v1/model", {}, AS_JSON),
        (
            "POST",
            "/v1/fhir/risk-assessments",
            {"data": FHIR_BUNDLE, "content_type": AS_FHIR.media_type},
            AS_FHIR,
        ),
        ("POST", PATIENT_VIEW, {"json": call("complete")}, AS_CDS),
        ("GET", "/", {}, AS_HTML),
        ("GET", "/model", {}, AS_HTML),
    ],
    ids=["assessment", "model", "FHIR", "CDS", "form page", "model card page"],
)
def test_views_answer_through_their_format_s_renderer(app, method, path, kwargs, renderer):
    response = app.test_client().open(path, method=method, **kwargs)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == renderer.content_type
    for name, value in renderer.headers:
        assert response.headers[name] == value


def test_the_json_renderer_keeps_key_order_and_passes_encoded_json_through():
    document = {"z": 1, "a": [True, None]}
    assert AS_JSON.render(document) == orjson.dumps(document) == b'{"z":1,"a":[true,null]}'
    assert AS_JSON.render(b'{"already":1}') == b'{"already":1}'


def test_the_cds_renderer_answers_cards_in_the_hooks_response():
    assert json.loads(AS_CDS.render([])) == {"cards": []}
    assert json.loads(AS_CDS.render([{"summary": "s"}])) == {"cards": [{"summary": "s"}]}


def test_the_html_renderer_sends_the_pages_policy():
    assert AS_HTML.render("<p>é</p>") == "<p>é</p>".encode()
    assert AS_HTML.content_type == "text/html; charset=utf-8"
    assert dict(AS_HTML.headers)["Content-Security-Policy"].startswith("default-src 'none'")
