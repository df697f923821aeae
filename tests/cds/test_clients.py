"""CDS Hooks client authentication: a JWT signed by a configured EHR's key, from its JWKS served
by a real local server, addressed to the endpoint called, fresh, used once."""

from __future__ import annotations

import time

import jwt
import pytest

from service.services import services
from tests.helpers import make_app, wait_for
from tests.helpers.cds import PATIENT_VIEW, Issuer, call, prefetch_of

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


def _claims(issuer, jti):
    now = int(time.time())
    return {"iss": issuer.name, "aud": AUDIENCE, "iat": now, "exp": now + 60, "jti": jti}


def _none_token(issuer):
    return jwt.encode(_claims(issuer, "x"), None, algorithm="none")


def _hs256_token(issuer):
    return jwt.encode(
        _claims(issuer, "y"), "a-shared-secret-that-should-not-work-0123456789abcdef", algorithm="HS384"
    )


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
        _claims(i, "z"), i.keys["rsa-1"][1], algorithm="RS384", headers={"kid": "rotated-away"}
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


def test_a_token_replayed_to_another_worker_is_refused_too(issuer, tmp_path):
    """Each worker builds its own app: the memory of used tokens is the deployment's, not a worker's."""
    workers = [
        make_app(CDS_CLIENTS={issuer.name: issuer.url}, CDS_REPLAY_DIR=str(tmp_path)) for _ in range(2)
    ]
    token = issuer.token(AUDIENCE)
    assert hook(workers[0], token).status_code == 200
    refused = hook(workers[1], token)
    assert refused.status_code == 401 and "used before" in refused.get_json()["detail"]


def test_an_rsa_key_shorter_than_2048_bits_is_not_trusted():
    with Issuer(rsa_bits=1024) as weak:
        app = make_app(CDS_CLIENTS={weak.name: weak.url})
        with pytest.warns(jwt.warnings.InsecureKeyLengthWarning):  # PyJWT signs with it, and warns
            token = weak.token(AUDIENCE, kid="rsa-1")
        refused = hook(app, token)
        assert refused.status_code == 401 and "2048" in refused.get_json()["detail"]
        assert hook(app, weak.token(AUDIENCE, kid="ec-1")).status_code == 200  # its other key still holds


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


def _forged(header: dict, claims: dict) -> str:
    """A token with any header and claims and a signature that signs nothing."""
    import base64
    import json

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}.AAAA"


@pytest.mark.parametrize(("alg", "kid"), [("ES384", "rsa-1"), ("RS384", "ec-1")])
def test_a_key_of_the_other_type_is_a_401_not_a_500(app, issuer, alg, kid):
    response = hook(app, _forged({"alg": alg, "kid": kid, "typ": "JWT"}, _claims(issuer, "forged")))
    assert response.status_code == 401, response.get_json()
    assert f"not a {alg} key" in response.get_json()["detail"]


@pytest.mark.parametrize(
    "claims",
    [
        {"iat": str(int(time.time()))},
        {"exp": str(int(time.time()) + 60)},
        {"exp": 10**400},
        {"iat": True},
        {"iat": float("nan")},
    ],
    ids=["iat as text", "exp as text", "exp past any date", "iat as a boolean", "iat not a number"],
)
def test_a_signed_token_whose_times_are_no_times_is_a_401(app, issuer, claims):
    response = hook(app, issuer.token(AUDIENCE, **claims))
    assert response.status_code == 401, response.get_json()


class FlakyJwks(Issuer):
    """An EHR whose JWKS server answers 503 while `down` (and waits for `release` while `slow`)."""

    down = False
    slow = False

    def __init__(self, name: str = "https://ehr.example.org") -> None:
        import threading

        super().__init__(name)
        self.release = threading.Event()

    def _answer(self, handler) -> bool:
        if self.slow:
            self.release.wait(10)
        if not self.down:
            return super()._answer(handler)
        handler.send_response(503)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return True


def test_a_jwks_that_is_down_is_asked_once_per_cool_down_however_many_calls_name_it():
    with FlakyJwks() as ehr:
        ehr.down = True
        app = make_app(CDS_CLIENTS={ehr.name: ehr.url})
        for _ in range(5):
            response = hook(app, _forged({"alg": "RS384", "kid": "k"}, {"iss": ehr.name}))
            assert response.status_code == 401
            assert "JWKS could not be read" in response.get_json()["detail"]
        assert len(ehr.server.requests) == 1


def test_keys_read_before_still_hold_while_the_jwks_is_down():
    with FlakyJwks() as ehr:
        app = make_app(CDS_CLIENTS={ehr.name: ehr.url})
        assert hook(app, ehr.token(AUDIENCE)).status_code == 200
        ehr.down = True
        (clients,) = set(services(app).gate.signed.values())
        for jwks in clients._keys._sets.values():
            jwks.tried_at -= clients.limits.refetch_after  # the cool-down is over: a new kid refetches
        assert hook(app, _forged({"alg": "RS384", "kid": "new"}, {"iss": ehr.name})).status_code == 401
        assert len(ehr.server.requests) == 2
        assert hook(app, ehr.token(AUDIENCE)).status_code == 200  # the known key still verifies


def test_one_clients_slow_jwks_does_not_hold_up_another_clients_calls():
    import threading

    with FlakyJwks("https://slow.example") as slow, Issuer() as healthy:
        slow.slow = True
        app = make_app(CDS_CLIENTS={slow.name: slow.url, healthy.name: healthy.url})
        waiting = threading.Thread(target=hook, args=(app, slow.token(AUDIENCE)))
        waiting.start()
        assert wait_for(lambda: slow.server.requests)  # the slow fetch has begun, and is held
        try:
            assert hook(app, healthy.token(AUDIENCE)).status_code == 200
            assert waiting.is_alive()  # answered while the other client's fetch was still open
        finally:
            slow.release.set()
            waiting.join(10)
