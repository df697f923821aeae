"""CDS Hooks client authentication: a JWT signed by a configured EHR's key, from its JWKS served
by a real local server, addressed to the endpoint called, fresh, used once."""

from __future__ import annotations

import time

import jwt
import pytest

from tests.helpers import PATIENT_VIEW, Issuer, call, make_app, prefetch_of

AUDIENCE = f"http://localhost{PATIENT_VIEW}"


@pytest.fixture(scope="module")
def issuer():
    with Issuer() as ehr:
        yield ehr


@pytest.fixture(scope="module")
def app(issuer):
    return make_app(CDS_CLIENTS={issuer.name: issuer.url})


def hook(app, token=None, path=PATIENT_VIEW):
    client = app.test_client()
    del client.environ_base["HTTP_AUTHORIZATION"]  # no API key: the JWT is the credential
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post(path, json=call("complete", prefetch=prefetch_of("complete")), headers=headers)


@pytest.mark.parametrize("kid", ["rsa-1", "ec-1"], ids=["RS384", "ES384"])
def test_a_signed_call_is_answered(app, issuer, kid):
    response = hook(app, issuer.token(AUDIENCE, kid=kid))
    assert response.status_code == 200 and response.get_json()["cards"]


def _none_token(issuer):
    body = {
        "iss": issuer.name,
        "aud": AUDIENCE,
        "iat": int(time.time()),
        "exp": int(time.time()) + 60,
        "jti": "x",
    }
    return jwt.encode(body, None, algorithm="none")


def _hs256_token(issuer):
    body = {
        "iss": issuer.name,
        "aud": AUDIENCE,
        "iat": int(time.time()),
        "exp": int(time.time()) + 60,
        "jti": "y",
    }
    return jwt.encode(body, "a-shared-secret-that-should-not-work-0123456789abcdef", algorithm="HS384")


def _stranger_key(issuer):
    with Issuer(issuer.name) as stranger:  # same issuer name, another key pair
        return stranger.token(AUDIENCE)


REFUSED = {
    "no token": lambda i: None,
    "not a jwt": lambda i: "not-a-jwt",
    "alg none": _none_token,
    "symmetric alg": _hs256_token,
    "expired": lambda i: i.token(AUDIENCE, iat=int(time.time()) - 400, exp=int(time.time()) - 100),
    "iat in the future": lambda i: i.token(AUDIENCE, iat=int(time.time()) + 600, exp=int(time.time()) + 900),
    "too old": lambda i: i.token(AUDIENCE, iat=int(time.time()) - 3600, exp=int(time.time()) + 60),
    "wrong audience": lambda i: i.token("https://elsewhere.example/cds-services/spinal-fusion-risk"),
    "another endpoint": lambda i: i.token("http://localhost/cds-services/spinal-fusion-risk-order"),
    "unknown issuer": lambda i: i.token(AUDIENCE, iss="https://unknown.example"),
    "no jti": lambda i: i.token(AUDIENCE, jti=None),
    "no exp": lambda i: i.token(AUDIENCE, exp=None),
    "key not in the jwks": _stranger_key,
    "unknown kid": lambda i: jwt.encode(
        {"iss": i.name, "aud": AUDIENCE, "iat": int(time.time()), "exp": int(time.time()) + 60, "jti": "z"},
        i.keys["rsa-1"][1],
        algorithm="RS384",
        headers={"kid": "rotated-away"},
    ),
}


@pytest.mark.parametrize("make_token", REFUSED.values(), ids=list(REFUSED))
def test_a_call_without_a_valid_jwt_is_a_401(app, issuer, make_token):
    response = hook(app, make_token(issuer))
    assert response.status_code == 401, response.get_json()
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="spinal-fusion-risk"')
    assert response.mimetype == "application/problem+json"


def test_a_replayed_token_is_refused(app, issuer):
    token = issuer.token(AUDIENCE)
    assert hook(app, token).status_code == 200
    assert hook(app, token).status_code == 401


def test_an_api_key_is_no_credential_for_a_hook_call_when_clients_are_set(app):
    client = app.test_client()  # sends the test API key
    assert client.post(PATIENT_VIEW, json=call("complete")).status_code == 401


def test_discovery_stays_open(app):
    client = app.test_client()
    del client.environ_base["HTTP_AUTHORIZATION"]
    assert client.get("/cds-services").status_code == 200


def test_the_audience_is_the_public_url_behind_a_proxy(issuer):
    app = make_app(CDS_CLIENTS={issuer.name: issuer.url}, PUBLIC_BASE_URL="https://cds.hospital.example/risk")
    public = f"https://cds.hospital.example/risk{PATIENT_VIEW}"
    assert hook(app, issuer.token(public)).status_code == 200
    assert hook(app, issuer.token(AUDIENCE)).status_code == 401


def test_the_jwks_is_cached(issuer):
    app = make_app(CDS_CLIENTS={issuer.name: issuer.url})
    before = len(issuer.server.requests)
    for _ in range(3):
        assert hook(app, issuer.token(AUDIENCE)).status_code == 200
    assert len(issuer.server.requests) - before == 1


def test_an_unreachable_jwks_refuses_within_the_deadline():
    app = make_app(
        CDS_CLIENTS={"https://ehr.example.org": "http://127.0.0.1:1/jwks.json"}, CDS_FETCH_TIMEOUT=0.5
    )
    with Issuer() as ehr:
        started = time.monotonic()
        assert hook(app, ehr.token(AUDIENCE)).status_code == 401
    assert time.monotonic() - started < 5
