"""CDS_EXPLAIN_NO_CARD (off by default): a hook that gives no risk card says why, in one info card
naming the fusion rule; with a fusion, the cards are the same as without the option."""

from __future__ import annotations

import json

import pytest

from service.config import from_environ
from service.fhir import load_terminology
from tests.helpers import ROOT, make_app
from tests.helpers.cds import ORDER_SELECT, PATIENT_VIEW, call, prefetch_of

RECENT_DAYS = load_terminology().table["fusion"]["recent_days"]
ORDERED = json.loads((ROOT / "tests/fixtures/cds/order-select.json").read_text(encoding="utf-8"))
# The same call with the draft MRI selected instead of the fusion.
IMAGING = {**ORDERED, "context": {**ORDERED["context"], "selections": ["ServiceRequest/sr-order-2"]}}


BASE = "https://cds.hospital.example/risk"  # the model page is linked only under PUBLIC_BASE_URL


@pytest.fixture(scope="module")
def explaining():
    return make_app(CDS_EXPLAIN_NO_CARD=True, PUBLIC_BASE_URL=BASE).test_client()


def test_it_is_off_by_default_and_read_from_the_environment(app):
    assert app.config["CDS_EXPLAIN_NO_CARD"] is False
    assert from_environ({"CDS_EXPLAIN_NO_CARD": "true"}) == {"CDS_EXPLAIN_NO_CARD": True}


def test_patient_view_without_a_fusion_says_so(client, explaining):
    body = call("sparse", prefetch=prefetch_of("sparse"))
    assert client.post(PATIENT_VIEW, json=body).get_json() == {"cards": []}
    (card,) = explaining.post(PATIENT_VIEW, json=body).get_json()["cards"]
    assert card["indicator"] == "info" and card["summary"].startswith("No spinal fusion planned or recent")
    assert f"completed in the last {RECENT_DAYS} days" in card["detail"]
    assert len(card["summary"]) < 140 and card["source"]["url"] == f"{BASE}/model"  # as a risk card's


def test_order_select_without_a_fusion_order_says_so(client, explaining):
    assert client.post(ORDER_SELECT, json=IMAGING).get_json() == {"cards": []}
    (card,) = explaining.post(ORDER_SELECT, json=IMAGING).get_json()["cards"]
    assert card["indicator"] == "info" and "No spinal fusion among the selected orders" in card["summary"]


@pytest.mark.parametrize(
    ("url", "body"),
    [(PATIENT_VIEW, call("complete", prefetch=prefetch_of("complete"))), (ORDER_SELECT, ORDERED)],
    ids=["patient-view, planned fusion", "order-select, fusion ordered"],
)
def test_with_a_fusion_the_cards_are_unchanged(explaining, url, body):
    cards = explaining.post(url, json=body).get_json()["cards"]
    quiet = make_app(PUBLIC_BASE_URL=BASE).test_client()  # the same but for the option
    assert cards == quiet.post(url, json=body).get_json()["cards"] and cards
    assert not any(card["summary"].startswith("No spinal fusion") for card in cards)


def test_when_data_could_not_be_read_the_card_says_a_fusion_may_be_missing(explaining):
    """A fhirServer off the allow-list (nothing fetched): "no fusion" would be a guess, so the card says
    the data is incomplete, as a warning, with the reason, before the rule."""
    body = call("sparse", prefetch={}, fhirServer="https://elsewhere.example/fhir")
    (card,) = explaining.post(PATIENT_VIEW, json=body).get_json()["cards"]
    assert card["indicator"] == "warning" and card["summary"].startswith("Some data could not be read")
    assert "not on this service's allow-list" in card["detail"] and len(card["summary"]) < 140
    assert card["detail"].index("allow-list") < card["detail"].index(f"last {RECENT_DAYS} days")
