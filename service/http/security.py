"""Who may call what: decided by the matched endpoint, deny by default; the API key from the
Authorization header, or from a scoring page's form (posted from the service's own pages only); a
signed JWT for the CDS Hooks calls of a configured EHR."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterable, Mapping
from typing import Protocol
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from werkzeug.exceptions import Forbidden, Unauthorized

from .forms import bounded_form

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
        # The clinician pages that score nothing (the scoring ones: see FORM_KEY_ENDPOINTS).
        "clinician.form",
        "clinician.model_card",
        "clinician.asset",
        "clinician.score_file_form",
    }
)
# Pages whose form posts the key (a browser form cannot send Authorization): the same keys, compared
# by the same gate, read from this field of the posted body; never from a header or a URL, never logged.
FORM_KEY_ENDPOINTS = frozenset({"clinician.report", "clinician.score_file"})
FORM_KEY = "api_key"
# A scoring form posted from another site is refused: by Fetch Metadata (Sec-Fetch-Site), else by
# Origin (browsers send it on every cross-origin POST); clients that send neither still need the
# key when keys are configured.
CROSS_SITE = frozenset({"cross-site", "same-site"})
DEFAULT_PORTS = {"http": "80", "https": "443"}
REALM = 'Bearer realm="spinal-fusion-risk"'


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


def credential(keys: object) -> str | None:
    """Return the caller's credential as an Authorization header would carry it: the header itself,
    or, for a scoring page, the key its form posted (read only when `keys` are configured)."""
    if request.endpoint not in FORM_KEY_ENDPOINTS:
        return request.headers.get("Authorization")
    site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
    origin = request.headers.get("Origin")
    if site in CROSS_SITE or (origin is not None and not own_origin(origin)):
        raise Forbidden("Post this form from the service's own page.")
    key = bounded_form().get(FORM_KEY) if keys else None
    return f"Bearer {key}" if key else None


def own_origin(origin: str) -> bool:
    """Whether a browser's Origin is this service's: PUBLIC_BASE_URL's when set, else the host and
    port the request was sent to (its scheme may differ where TLS ends in front). Compared without
    regard to case; `null` (an opaque origin) is never this service's."""
    parts = urlsplit(origin.strip().lower())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path or parts.query:
        return False
    public = current_app.config.get("PUBLIC_BASE_URL")
    if public:
        own = urlsplit(public.lower())
        return (parts.scheme, _host_port(parts.netloc, parts.scheme)) == (
            own.scheme,
            _host_port(own.netloc, own.scheme),
        )
    return _host_port(parts.netloc, parts.scheme) == _host_port(request.host.lower(), None)


def _host_port(netloc: str, scheme: str | None) -> str:
    """`host:port` without a default port (the scheme's, or either default when it is not known)."""
    defaults = [DEFAULT_PORTS[scheme]] if scheme else list(DEFAULT_PORTS.values())
    host, _, port = netloc.rpartition(":") if not netloc.endswith("]") else (netloc, "", "")
    return host if host and port in defaults else netloc


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


def check_open_endpoints(app: Flask, gate: Gate) -> None:
    """Refuse to start when an open or signed endpoint is not routed (a renamed view would close)."""
    missing = (gate.open_endpoints | set(gate.signed)) - {rule.endpoint for rule in app.url_map.iter_rules()}
    if missing:
        raise RuntimeError(f"open endpoints that no route serves: {sorted(missing)}")


def register(app: Flask, signed: Mapping[str, SignedCalls] | None = None) -> Gate:
    """Check every request at the gate; return the gate."""
    gate = Gate(ApiKeys(app.config["API_KEYS"]), signed=signed)
    if not gate.keys:
        log.warning("API_KEYS is not set: every endpoint accepts any caller")
    app.before_request(gate.check_request)
    return gate
