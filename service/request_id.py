"""Give every request an id: the caller's X-Request-ID when well-formed, else a new one."""

from __future__ import annotations

import re
import uuid

from flask import Flask, Response, g, request

HEADER = "X-Request-ID"
# Opaque and short; anything else is replaced rather than echoed or logged.
VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def current_request_id() -> str:
    """Return this request's id, assigning one if no hook has yet."""
    request_id = g.get("request_id")
    if request_id is None:
        sent = request.headers.get(HEADER, "")
        request_id = g.request_id = sent if VALID.fullmatch(sent) else uuid.uuid4().hex
    return request_id


def _echo(response: Response) -> Response:
    response.headers[HEADER] = current_request_id()
    return response


def register(app: Flask) -> None:
    """Put X-Request-ID on every response, errors included."""
    app.after_request(_echo)
