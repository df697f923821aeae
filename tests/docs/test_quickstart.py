"""The README's quick start for integrators works as written: its fixture files and its token
script, replayed through the app."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jwt

from service.cds.cards import NO_CARD
from tests.helpers import make_app
from tests.helpers.cds import ORDER_SELECT, PATIENT_VIEW, FhirServer
from tests.helpers.fhir import FHIR_JSON, fhir_r4_problems
from tools.cds_token import keygen, sign

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _files_named():
    return sorted(set(re.findall(r"@(tests/fixtures/[\w/.-]+\.json)", README)))


def test_every_file_the_quick_start_posts_exists():
    assert _files_named() == [
        "tests/fixtures/cds/order-select.json",
        "tests/fixtures/cds/patient-view.json",
        "tests/fixtures/fhir/ehr-export.json",
    ]


def test_the_fhir_export_gives_valid_risk_assessments(client):
    body = (ROOT / "tests/fixtures/fhir/ehr-export.json").read_bytes()
    response = client.post("/v1/fhir/risk-assessments", data=body, content_type=FHIR_JSON)
    assert response.status_code == 200 and fhir_r4_problems(response.get_json()) == []


def test_the_patient_view_call_gets_cards(client):
    body = json.loads((ROOT / "tests/fixtures/cds/patient-view.json").read_text(encoding="utf-8"))
    cards = client.post(PATIENT_VIEW, json=body).get_json()["cards"]
    assert [card["indicator"] for card in cards[:2]] == ["critical", "critical"]


def test_the_order_select_call_gets_cards_for_the_fusion_ordered(client):
    body = json.loads((ROOT / "tests/fixtures/cds/order-select.json").read_text(encoding="utf-8"))
    cards = client.post(ORDER_SELECT, json=body).get_json()["cards"]
    assert [card["indicator"] for card in cards[:2]] == ["critical", "critical"]
    assert "approach" not in body["context"]["draftOrders"]["entry"][0]["resource"]  # read from its CPT code
    assert "posterior" in cards[0]["detail"]  # the typical rate names the operation: a posterior fusion


def test_the_quick_start_names_the_rule_and_the_option_that_explains_it():
    assert "CDS_EXPLAIN_NO_CARD=true" in README and '"No spinal fusion planned or recent"' in README
    assert "No spinal fusion planned or recent" in NO_CARD["patient-view"][0]


def test_the_token_script_signs_what_the_service_accepts(tmp_path):
    keygen(tmp_path / "key.pem", tmp_path / "jwks.json")
    jwks = json.loads((tmp_path / "jwks.json").read_text(encoding="utf-8"))
    assert "d" not in jwks["keys"][0]  # the public half only

    def publish(handler):
        payload = json.dumps(jwks).encode()
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)
        return True

    with FhirServer([], misbehave=publish) as server:
        url = f"http://127.0.0.1:{server.httpd.server_port}/jwks.json"
        app = make_app(CDS_CLIENTS={"https://ehr.example.org": url}, PUBLIC_BASE_URL="http://127.0.0.1:8000")
        client = app.test_client()
        del client.environ_base["HTTP_AUTHORIZATION"]
        token = sign(tmp_path / "key.pem", "https://ehr.example.org", f"http://127.0.0.1:8000{PATIENT_VIEW}")
        body = json.loads((ROOT / "tests/fixtures/cds/patient-view.json").read_text(encoding="utf-8"))
        assert (
            client.post(PATIENT_VIEW, json=body, headers={"Authorization": f"Bearer {token}"}).status_code
            == 200
        )
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 300 and jwt.get_unverified_header(token)["alg"] == "ES384"
