"""The buffering front's configuration: nginx.conf rendered from the service's own settings, with
what nginx answers itself written as the service's problem documents and security headers."""

from __future__ import annotations

import os
import pwd
import shutil
from collections.abc import Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any

import orjson

from ..http.envelope import SERVER_REFUSAL, UNMATCHED
from ..http.forms import MAX_UPLOAD_BYTES
from ..http.headers import API_CSP, HEADERS, NO_STORE, REFERRER

TEMPLATE = Path(__file__).with_name("nginx.conf")
# The deadlines a slow client gets from the front, in seconds (docs/security.md lists them).
TIMEOUTS = {"HEADER_TIMEOUT": 10, "BODY_TIMEOUT": 10, "SEND_TIMEOUT": 10, "KEEPALIVE_TIMEOUT": 5}
CONNECTIONS = 8192  # per nginx worker: clients and the connections to gunicorn together
FILES = 2 * CONNECTIONS + 64  # a socket and a file (a cached asset) per connection at most
# The statuses nginx can answer on its own: each becomes a problem document.
FRONT_STATUSES = (400, 405, 408, 411, 413, 414, 429, 494, 500, 501, 502, 503, 504, 505)
NGINX_STATUS = {494: 400}  # nginx's own code for a head too large, answered as 400
# nginx refuses TRACE itself (405) before any route is known: its Allow names every method the
# service routes anywhere (a test compares it with the app's routes).
ALLOWED_ANYWHERE = "GET, HEAD, OPTIONS, POST"


def nginx() -> str:
    """The nginx executable (Debian's, in /usr/sbin, which a user's PATH may lack)."""
    return shutil.which("nginx") or "/usr/sbin/nginx"


def render(settings: Mapping[str, Any], run: Path, listen: str) -> str:
    """Return nginx.conf for a front listening on `listen` (host:port), passing requests to the
    service's socket in `run`, with the body limits and per-client connections of `settings`."""
    limits = {
        "BODY_LIMIT": settings["MAX_BODY_BYTES"],
        "BATCH_LIMIT": settings["MAX_BATCH_BODY_BYTES"],
        "FHIR_LIMIT": settings["MAX_FHIR_BODY_BYTES"],
        "UPLOAD_LIMIT": MAX_UPLOAD_BYTES,  # the clinician page scoring a CSV file
    }
    values = {
        **{name: str(seconds) for name, seconds in TIMEOUTS.items()},
        **{name: str(size) for name, size in limits.items()},
        "USER": _user(),
        "FILES": str(FILES),
        "CONNECTIONS": str(CONNECTIONS),
        "PER_CLIENT": str(settings["FRONT_CONNECTIONS_PER_CLIENT"]),
        "RUN": str(run),
        "LISTEN": listen,
        "PROBLEMS": "\n".join(_problem_location(status) for status in FRONT_STATUSES),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    return text


def _user() -> str:
    """Started as root (a CI machine), nginx would hand its workers to `nobody`, who cannot reach the
    private run directory: keep them as the user who started it. The image runs as uid 10001."""
    return f"user {pwd.getpwuid(0).pw_name};" if os.geteuid() == 0 else ""


def _problem_location(status: int) -> str:
    """An internal location answering `status` as the service answers what it refuses unread."""
    answered = NGINX_STATUS.get(status, status)
    body = orjson.dumps(
        {
            "type": "about:blank",
            "title": HTTPStatus(answered).phrase,
            "status": answered,
            "detail": SERVER_REFUSAL,
            "instance": UNMATCHED,
            "request_id": "REQUEST_ID",
        }
    ).decode()
    body = body.replace("REQUEST_ID", "$request_id")  # nginx's own 128-bit id, as 32 hex digits
    headers = [
        *HEADERS,
        REFERRER,
        API_CSP,
        NO_STORE,
        ("X-Request-ID", "$request_id"),
    ]
    if answered == HTTPStatus.METHOD_NOT_ALLOWED:
        headers.append(("Allow", ALLOWED_ANYWHERE))
    lines = [
        f"        error_page {status} ={answered} /.front/{status};",
        f"        location = /.front/{status} {{",
        "            internal;",
        "            default_type application/problem+json;",
        *(f'            add_header {name} "{value}" always;' for name, value in headers),
        f"            return {answered} '{body}';",
        "        }",
    ]
    return "\n".join(lines)
