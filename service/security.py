"""API keys, security headers (a strict CSP, hashing the docs page's one inline script) and CORS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from collections.abc import Iterable

from flask import Flask, Response, current_app, request

from .problems import problem

log = logging.getLogger(__name__)
PROTECTED = ("/v1/", "/cds-services", "/metrics")  # /healthz, /readyz, /docs and the contract stay open
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
DOCS_ENDPOINT = "api-docs.openapi_swagger_ui"
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


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


def _authenticate():
    keys = current_app.extensions["api_keys"]
    environ = request.environ
    if keys and environ["REQUEST_METHOD"] != "OPTIONS" and environ.get("PATH_INFO", "").startswith(PROTECTED):
        sent = environ.get("HTTP_AUTHORIZATION")
        if not keys.accept(sent):
            challenge = REALM if sent is None else f'{REALM}, error="invalid_token"'
            return problem(
                401,
                "Send a valid API key: Authorization: Bearer <key>.",
                headers={"WWW-Authenticate": challenge},
            )
    return None


def secure(headers: list[tuple[str, str]], environ: dict, origins: frozenset[str]) -> None:
    """Add the security headers (and CORS ones, for an allowed origin) to a response's headers."""
    present = {name.lower() for name, _ in headers}
    headers.extend(HEADERS)
    if "content-security-policy" not in present:
        headers.append(API_CSP)
    if "cache-control" not in present:
        headers.append(NO_STORE)
    origin = environ.get("HTTP_ORIGIN")
    if origin and origins and ("*" in origins or origin in origins):
        headers += [
            ("Access-Control-Allow-Origin", origin),
            ("Access-Control-Expose-Headers", "X-Request-ID"),
            ("Vary", "Origin"),
        ]
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            headers += [
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-ID"),
                ("Access-Control-Max-Age", "600"),
            ]


def _docs_csp(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = _docs_policy(response.get_data())
    return response


def _docs_policy(page: bytes) -> str:
    """Allow exactly the inline scripts of the page being sent, by hash."""
    hashes = [base64.b64encode(hashlib.sha256(s).digest()).decode() for s in INLINE_SCRIPT.findall(page)]
    return DOCS_CSP.format(script=" ".join(f"'sha256-{h}'" for h in hashes))


def register(app: Flask) -> None:
    """Check API keys before every protected request; secure every response."""
    keys = ApiKeys(app.config["API_KEYS"])
    app.extensions["api_keys"] = keys
    if not keys:
        log.warning("API_KEYS is not set: /v1, /cds-services and /metrics accept any caller")
    app.before_request(_authenticate)
    # Only on the docs blueprint's responses: the page allows its own inline script by hash.
    app.after_request_funcs.setdefault(DOCS_ENDPOINT.split(".")[0], []).append(_docs_csp)
