"""The README's quick start for integrators works as written: its fixture files and its token
script, replayed through the app, and the signed CDS Hooks calls of docs/cds-hooks-signed.md run as
that page writes them."""

from __future__ import annotations

import contextlib
import json
import re
import stat
import threading
from pathlib import Path

import jwt
import pytest
import requests

from service.cds.cards import NO_CARD
from tests.helpers import make_app
from tests.helpers.cds import ORDER_SELECT, PATIENT_VIEW
from tests.helpers.fhir import FHIR_JSON, fhir_r4_problems
from tests.live.server import free_port, run_shell, shell, shell_environment, wait_ready
from tools.cds_token import jwks_server, keygen, sign

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SIGNED = (ROOT / "docs/cds-hooks-signed.md").read_text(encoding="utf-8")


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


@pytest.fixture
def jwks(tmp_path):
    """A key made by the token script, and its JWKS served by the script on a free port."""
    keygen(tmp_path / "key.pem", tmp_path / "jwks.json")
    with serving(tmp_path / "jwks.json") as url:
        yield tmp_path, url


@contextlib.contextmanager
def serving(jwks_path: Path):
    """The token script's JWKS server on a free port, in a thread; yields its address."""
    server = jwks_server(jwks_path, free_port())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_token_script_signs_what_the_service_accepts(jwks):
    folder, url = jwks
    app = make_app(
        CDS_CLIENTS={"https://ehr.example.org": f"{url}/jwks.json"}, PUBLIC_BASE_URL="http://127.0.0.1:8000"
    )
    client = app.test_client()
    del client.environ_base["HTTP_AUTHORIZATION"]
    token = sign(folder / "key.pem", "https://ehr.example.org", f"http://127.0.0.1:8000{PATIENT_VIEW}")
    body = json.loads((ROOT / "tests/fixtures/cds/patient-view.json").read_text(encoding="utf-8"))
    signed = {"Authorization": f"Bearer {token}"}
    assert client.post(PATIENT_VIEW, json=body, headers=signed).status_code == 200
    assert client.post(PATIENT_VIEW, json=body, headers=signed).status_code == 401  # single-use
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 300 and jwt.get_unverified_header(token)["alg"] == "ES384"


def test_the_key_is_its_owners_alone_and_only_the_jwks_is_served(jwks):
    folder, url = jwks
    assert stat.S_IMODE((folder / "key.pem").stat().st_mode) == 0o600
    published = requests.get(f"{url}/jwks.json", timeout=5)
    assert published.status_code == 200 and "d" not in published.json()["keys"][0]  # the public half only
    for path in ("/key.pem", "/", "/jwks.json/../key.pem", "/%6Bey.pem"):
        assert requests.get(f"{url}{path}", timeout=5).status_code == 404


def test_a_key_file_made_readable_becomes_its_owners_again(tmp_path):
    (tmp_path / "key.pem").write_text("old")
    (tmp_path / "key.pem").chmod(0o644)
    keygen(tmp_path / "key.pem", tmp_path / "jwks.json")
    assert stat.S_IMODE((tmp_path / "key.pem").stat().st_mode) == 0o600


def test_a_jwks_holding_a_private_key_is_not_served(tmp_path):
    keygen(tmp_path / "key.pem", tmp_path / "jwks.json")
    jwks = json.loads((tmp_path / "jwks.json").read_text(encoding="utf-8"))
    jwks["keys"][0]["d"] = "secret"
    (tmp_path / "jwks.json").write_text(json.dumps(jwks), encoding="utf-8")
    with pytest.raises(SystemExit, match="holds a private key"):
        jwks_server(tmp_path / "jwks.json", free_port())


def _signed_quick_start() -> tuple[str, str]:
    """The two shells for signed calls: the one starting the service, the one calling it."""
    blocks = re.findall(r"```sh\n(.*?)```", SIGNED, re.DOTALL)
    service = [block for block in blocks if "serve-jwks" in block]
    caller = [block for block in blocks if block.startswith("TOKEN=$(")]
    assert len(service) == len(caller) == 1
    return service[0], caller[0]


@pytest.mark.live
def test_the_signed_quick_start_runs_as_written(tmp_path):
    """Both shells as docs/cds-hooks-signed.md writes them, on free ports and in a folder of the
    test's own: the call gets cards, and the same token sent again gets a 401."""
    service_port, jwks_port = free_port(), free_port()

    def here(commands: str) -> str:
        return (
            commands.replace("127.0.0.1:8000", f"127.0.0.1:{service_port}")
            .replace("8001", str(jwks_port))
            .replace("/tmp/", f"{tmp_path}/")
        )

    service, caller = map(here, _signed_quick_start())
    environment = shell_environment(
        HOST="127.0.0.1", PORT=str(service_port), WEB_CONCURRENCY="1", CDS_REPLAY_DIR=str(tmp_path)
    )
    with shell(service, tmp_path / "service.log", environment) as started:
        wait_ready(f"http://127.0.0.1:{service_port}/readyz", started, tmp_path / "service.log")
        again = caller[caller.index("curl -s") :]
        called = run_shell(f"{caller}echo\necho '--- again'\n{again}", environment)
        first, second = called.stdout.split("--- again")
        assert [card["indicator"] for card in json.loads(first)["cards"][:2]] == ["critical", "critical"]
        assert json.loads(second)["status"] == 401
        assert stat.S_IMODE((tmp_path / "ehr-key.pem").stat().st_mode) == 0o600
        assert requests.get(f"http://127.0.0.1:{jwks_port}/ehr-key.pem", timeout=5).status_code == 404


def test_only_the_checked_keys_are_served_never_the_rest_of_the_file(tmp_path):
    keygen(tmp_path / "key.pem", tmp_path / "jwks.json")
    jwks = json.loads((tmp_path / "jwks.json").read_text(encoding="utf-8"))
    (tmp_path / "jwks.json").write_text(json.dumps({**jwks, "backup": {"d": "secret"}}), encoding="utf-8")
    with serving(tmp_path / "jwks.json") as url:
        served = requests.get(f"{url}/jwks.json", timeout=5)
    assert served.json() == jwks and "secret" not in served.text


@pytest.mark.parametrize("text", ["not json", '{"key": []}', "[1]", '{"keys": [1]}'])
def test_a_file_that_is_not_a_jwks_is_refused_in_one_sentence(tmp_path, text):
    (tmp_path / "jwks.json").write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit, match="is not a JWKS"):
        jwks_server(tmp_path / "jwks.json", free_port())
