"""What every response carries: the security headers (unless a page set its own), CORS for an
allowed origin, and the docs page's policy, which allows its own inline scripts by hash."""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response

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


def register(app: Flask) -> None:
    """Give the docs page its own policy (only on the docs blueprint's responses: the page allows its
    own inline script by hash)."""
    app.after_request_funcs.setdefault(DOCS_ENDPOINT.split(".")[0], []).append(_docs_csp)
