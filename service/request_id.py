"""Give every request an id: the caller's X-Request-ID when well-formed, else a new one."""

from __future__ import annotations

import re
import uuid
from collections.abc import MutableMapping
from typing import Any

from flask import request

HEADER = "X-Request-ID"
ENVIRON_KEY = "service.request_id"
# Opaque and short; anything else is replaced rather than echoed or logged.
VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def assign(environ: MutableMapping[str, Any]) -> str:
    """Choose this request's id and keep it in the WSGI environ."""
    sent = environ.get("HTTP_X_REQUEST_ID")
    request_id = environ[ENVIRON_KEY] = sent if sent and VALID.fullmatch(sent) else uuid.uuid4().hex
    return request_id


def current_request_id() -> str:
    """Return this request's id (assigned by the middleware; here too, if it was bypassed)."""
    return request.environ.get(ENVIRON_KEY) or assign(request.environ)
