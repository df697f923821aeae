"""Who may call what (decided by the matched endpoint, deny by default), security headers and CORS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from collections.abc import Iterable

from flask import Flask, Response, request
from werkzeug.exceptions import Forbidden, Unauthorized

from .forms import bounded_form

log = logging.getLogger(__name__)

# The endpoints anyone may call. Everything else needs a key when keys are configured, including
# requests that match no endpoint: the decision is made on what the router matched, never on the
# raw path, so `//metrics` or a forwarded SCRIPT_NAME cannot walk around it.
OPEN_ENDPOINTS = frozenset(
    {
        "operations.healthz",
        "operations.readyz",
        "api-docs.openapi_json",
        "api-docs.openapi_swagger_ui",
        "docs.openapi_yaml",
        "docs.swagger_asset",
        "docs.favicon",
        "clinician.form",  # the pages that score nothing: the form, the model card and their assets
        "clinician.model_card",
        "clinician.asset",
    }
)
# Pages whose form posts the key (a browser form cannot send Authorization): the same keys, compared
# the same way, read from this field of the posted form, never from a URL, never logged.
FORM_KEY_ENDPOINTS = frozenset({"clinician.report"})
FORM_KEY = "api_key"
# A scoring form posted from another site is refused (Fetch Metadata); browsers that send no
# Sec-Fetch-Site, and other clients, still need the key when keys are configured.
CROSS_SITE = frozenset({"cross-site", "same-site"})
REALM = 'Bearer realm="spinal-fusion-risk"'
HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
]
API_CSP = ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
NO_STORE = ("Cache-Control", "no-store")  # answers may hold patient data
DOCS_CSP = (
    "default-src 'none'; script-src 'self' {script}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
# The clinician pages: the service's own scripts, styles and images only; forms post to it alone.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
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


class Gate:
    """The one decision on who may call an endpoint; the Flask hook and the fast lane both ask it."""

    def __init__(
        self,
        keys: ApiKeys,
        open_endpoints: frozenset[str] = OPEN_ENDPOINTS,
        form_key_endpoints: frozenset[str] = FORM_KEY_ENDPOINTS,
    ) -> None:
        self.keys = keys
        self.open_endpoints = open_endpoints
        self.form_key_endpoints = form_key_endpoints

    def refusal(self, endpoint: str | None, authorization: str | None) -> Refusal | None:
        """Return the 401 to answer, or None when the caller may go on."""
        if not self.keys or endpoint in self.open_endpoints or self.keys.accept(authorization):
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
        authorization = request.headers.get("Authorization")
        if request.endpoint in self.form_key_endpoints:
            if request.headers.get("Sec-Fetch-Site") in CROSS_SITE:
                raise Forbidden("Post this form from the service's own page.")
            key = bounded_form().get(FORM_KEY) if self.keys else None
            authorization = f"Bearer {key}" if key else None
        refusal = self.refusal(request.endpoint, authorization)
        if refusal is not None:
            raise refusal


def secure(headers: list[tuple[str, str]], environ: dict, origins: frozenset[str]) -> None:
    """Add the security headers (and CORS ones, for an allowed origin) to a response's headers."""
    present = {name.lower() for name, _ in headers}
    headers.extend(HEADERS)
    if "content-security-policy" not in present:
        headers.append(API_CSP)
    if "cache-control" not in present:
        headers.append(NO_STORE)
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
    """Refuse to start when an open endpoint is not routed (a renamed view would silently close)."""
    missing = gate.open_endpoints - {rule.endpoint for rule in app.url_map.iter_rules()}
    if missing:
        raise RuntimeError(f"open endpoints that no route serves: {sorted(missing)}")


def register(app: Flask) -> Gate:
    """Check every request at the gate; give the docs page its own policy. Return the gate."""
    gate = Gate(ApiKeys(app.config["API_KEYS"]))
    if not gate.keys:
        log.warning("API_KEYS is not set: every endpoint accepts any caller")
    app.before_request(gate.check_request)
    # Only on the docs blueprint's responses: the page allows its own inline script by hash.
    app.after_request_funcs.setdefault(DOCS_ENDPOINT.split(".")[0], []).append(_docs_csp)
    return gate
