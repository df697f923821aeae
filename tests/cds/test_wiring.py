"""The CDS objects built from the settings: which EHRs may sign calls, and from where their keys come."""

from __future__ import annotations

import logging

import pytest

from service.config import ConfigError, from_environ
from tests.helpers import make_app


def test_clients_are_issuer_jwks_pairs():
    text = "https://ehr.example.org=https://ehr.example.org/jwks.json, local=http://127.0.0.1:8001/jwks"
    assert from_environ({"CDS_CLIENTS": text})["CDS_CLIENTS"] == {
        "https://ehr.example.org": "https://ehr.example.org/jwks.json",
        "local": "http://127.0.0.1:8001/jwks",
    }


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("ehr=http://ehr.example.org/jwks.json", "must be https"),  # keys swappable in transit
        ("ehr=http://10.0.0.7/jwks.json", "must be https"),
        ("ehr=https://user@ehr.example.org/jwks.json", "userinfo"),
        ("https://ehr.example.org/jwks.json", "is not issuer=jwks_url"),
        ("=https://ehr.example.org/jwks.json", "is not issuer=jwks_url"),
        (" , ", "names no client"),
    ],
)
def test_a_client_that_cannot_be_trusted_stops_the_start(value, reason):
    with pytest.raises(ConfigError, match=f"CDS_CLIENTS: .*{reason}"):
        from_environ({"CDS_CLIENTS": value})


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_a_jwks_on_this_machine_may_be_plain_http(host):
    assert from_environ({"CDS_CLIENTS": f"ehr=http://{host}:8001/jwks"})["CDS_CLIENTS"]


def test_clients_without_a_public_url_are_warned_about(caplog):
    clients = {"ehr": "https://ehr.example.org/jwks.json"}
    with caplog.at_level(logging.WARNING, logger="service.cds.wiring"):
        make_app(CDS_CLIENTS=clients)
        warned = [r.getMessage() for r in caplog.records if r.name == "service.cds.wiring"]
        assert warned and "PUBLIC_BASE_URL" in warned[0]
        caplog.clear()
        make_app(CDS_CLIENTS=clients, PUBLIC_BASE_URL="https://cds.hospital.example")
        assert not [r for r in caplog.records if r.name == "service.cds.wiring"]
