"""Who may call what (decided by the matched endpoint, deny by default), security headers and CORS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Protocol

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import Unauthorized

from .forms import OPEN_PAGES, credential

log = logging.getLogger(__name__)

# The endpoints anyone may call. Everything else needs a key when keys are configured, including
# requests that match no endpoint: the decision is made on what the router matched, never on the
# raw path, so `//metrics` or a forwarded SCRIPT_NAME cannot walk around it.
OPEN_ENDPOINTS = frozenset(
    {
        "operations.healthz",
        "cds.discover",  # CDS Hooks discovery: no patient data, and EHRs call it unauthenticated
        # FHIR conformance resources: no patient data (FHIR clients read /metadata first)
        *(f"fhir_conformance.{view}" for view in ("metadata", "codes", "extension", "definition")),
        "operations.readyz",
        "api-docs.openapi_json",
        "api-docs.openapi_swagger_ui",
        "docs.openapi_yaml",
        "docs.swagger_asset",
        "docs.favicon",
        *OPEN_PAGES,  # the clinician pages that score nothing (the scoring one: see forms.credential)
    }
)
REALM = 'Bearer realm="spinal-fusion-risk"'
HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
]
REFERRER = ("Referrer-Policy", "no-referrer")  # a page may set its own (same-origin)
API_CSP = ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
NO_STORE = ("Cache-Control", "no-store")  # answers may hold patient data
DOCS_CSP = (
    "default-src 'none'; script-src 'self' {script}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
DOCS_ENDPOINT = "api-docs.openapi_swagger_ui"
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
CORS_HEADERS = [
    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-ID"),
    ("Access-Control-Max-Age", "600"),
]


class Refusal(Unauthorized):
    """A 401 with its RFC 6750 challenge."""

    def __init__(self, description: str, challenge: str) -> None:
        super().__init__(description)
        self.challenge = challenge

    def get_headers(self, *args, **kwargs) -> list[tuple[str, str]]:
        return [*super().get_headers(*args, **kwargs), ("WWW-Authenticate", self.challenge)]


class ApiKeys:
    """Bearer API keys, compared in constant time (as SHA-256 digests, so lengths leak nothing)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._digests = [hashlib.sha256(key.encode()).digest() for key in keys]

    def __bool__(self) -> bool:
        return bool(self._digests)

    def accept(self, authorization: str | None) -> bool:
        scheme, _, token = (authorization or "").partition(" ")
        given = hashlib.sha256(token.strip().encode()).digest()
        matched = False
        for digest in self._digests:  # every key is compared, matched or not
            matched |= hmac.compare_digest(given, digest)
        return matched and scheme.lower() == "bearer"


class SignedCalls(Protocol):
    """Verifies a signed bearer token (a JWT) addressed to a URL; raises ValueError to refuse."""

    def verify(self, token: str, audience: str) -> str: ...


class Gate:
    """The one decision on who may call an endpoint; the Flask hook and the fast lane both ask it.

    Open endpoints need nothing; `signed` endpoints need a token their verifier accepts (CDS
    Hooks: a JWT from a configured EHR); every other endpoint needs an API key, when keys are set.
    """

    def __init__(
        self,
        keys: ApiKeys,
        open_endpoints: frozenset[str] = OPEN_ENDPOINTS,
        signed: Mapping[str, SignedCalls] | None = None,
    ) -> None:
        self.keys = keys
        self.open_endpoints = open_endpoints
        self.signed = dict(signed or {})

    def refusal(self, endpoint: str | None, authorization: str | None, url: str = "") -> Refusal | None:
        """Return the 401 to answer, or None when the caller may go on (`url`: the one called)."""
        if endpoint in self.open_endpoints:
            return None
        verifier = self.signed.get(endpoint or "")
        if verifier is not None:
            return _signed_refusal(verifier, authorization, url)
        if not self.keys or self.keys.accept(authorization):
            return None
        challenge = REALM if authorization is None else f'{REALM}, error="invalid_token"'
        return Refusal("Send a valid API key: Authorization: Bearer <key>.", challenge)

    def check_request(self) -> None:
        """Flask `before_request`: refuse the current request unless the gate lets it through."""
        rule = request.url_rule
        if rule is None:
            return  # no endpoint matched: Flask answers 404 or 405 and runs no view
        if request.method == "OPTIONS" and getattr(rule, "provide_automatic_options", False):
            return  # a CORS preflight: Flask answers it without running the view
        url = public_url(request.path) if request.endpoint in self.signed else ""  # a JWT's audience
        refusal = self.refusal(request.endpoint, credential(self.keys), url)
        if refusal is not None:
            raise refusal


def public_url(path: str) -> str:
    """The URL a caller sees for `path`: under PUBLIC_BASE_URL when set (a proxy), else the request's."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root
    return f"{base.rstrip('/')}{path}"


def _signed_refusal(verifier: SignedCalls, authorization: str | None, url: str) -> Refusal | None:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return Refusal("Send a signed JWT: Authorization: Bearer <jwt>.", REALM)
    try:
        verifier.verify(token.strip(), url)
    except ValueError as error:
        return Refusal(str(error), f'{REALM}, error="invalid_token"')
    return None


def secure(headers: list[tuple[str, str]], environ: dict, origins: frozenset[str]) -> None:
    """Add the security headers (and CORS ones, for an allowed origin) to a response's headers."""
    present = {name.lower() for name, _ in headers}
    headers.extend(HEADERS)
    for default in (REFERRER, API_CSP, NO_STORE):  # unless the response set its own (a page's)
        if default[0].lower() not in present:
            headers.append(default)
    if not origins:
        return
    headers.append(("Vary", "Origin"))  # the answer depends on Origin whenever CORS is on
    origin = environ.get("HTTP_ORIGIN")
    if origin and ("*" in origins or origin in origins):
        headers += [
            ("Access-Control-Allow-Origin", origin),
            ("Access-Control-Expose-Headers", "X-Request-ID"),
        ]
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            headers += CORS_HEADERS


def _docs_csp(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = _docs_policy(response.get_data())
    return response


def _docs_policy(page: bytes) -> str:
    """Allow exactly the inline scripts of the page being sent, by hash."""
    hashes = [base64.b64encode(hashlib.sha256(s).digest()).decode() for s in INLINE_SCRIPT.findall(page)]
    return DOCS_CSP.format(script=" ".join(f"'sha256-{h}'" for h in hashes))


def check_open_endpoints(app: Flask, gate: Gate) -> None:
    """Refuse to start when an open or signed endpoint is not routed (a renamed view would close)."""
    missing = (gate.open_endpoints | set(gate.signed)) - {rule.endpoint for rule in app.url_map.iter_rules()}
    if missing:
        raise RuntimeError(f"open endpoints that no route serves: {sorted(missing)}")


def register(app: Flask, signed: Mapping[str, SignedCalls] | None = None) -> Gate:
    """Check every request at the gate; give the docs page its own policy. Return the gate."""
    gate = Gate(ApiKeys(app.config["API_KEYS"]), signed=signed)
    if not gate.keys:
        log.warning("API_KEYS is not set: every endpoint accepts any caller")
    app.before_request(gate.check_request)
    # Only on the docs blueprint's responses: the page allows its own inline script by hash.
    app.after_request_funcs.setdefault(DOCS_ENDPOINT.split(".")[0], []).append(_docs_csp)
    return gate
