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
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
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
    if keys and request.method != "OPTIONS" and request.path.startswith(PROTECTED):
        sent = request.headers.get("Authorization")
        if not keys.accept(sent):
            challenge = REALM if sent is None else f'{REALM}, error="invalid_token"'
            return problem(
                401,
                "Send a valid API key: Authorization: Bearer <key>.",
                headers={"WWW-Authenticate": challenge},
            )
    return None


def _secure(response: Response) -> Response:
    response.headers.update(HEADERS)
    if request.endpoint == DOCS_ENDPOINT:
        response.headers["Content-Security-Policy"] = _docs_policy(response.get_data())
    elif "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"  # answers may hold patient data
    origins = current_app.config["CORS_ORIGINS"]
    origin = request.headers.get("Origin")
    if origin and origins and ("*" in origins or origin in origins):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "X-Request-ID"
        response.headers.add("Vary", "Origin")
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, X-Request-ID"
            response.headers["Access-Control-Max-Age"] = "600"
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
    app.after_request(_secure)
