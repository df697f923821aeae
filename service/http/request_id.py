"""Give every request an id: the caller's X-Request-ID when it is a UUID, else a new one."""

from __future__ import annotations

import os
import random
import re
from collections.abc import MutableMapping
from typing import Any

from flask import request

HEADER = "X-Request-ID"
ENVIRON_KEY = "service.http.request_id"
# A UUID (8-4-4-4-12 hex digits, or the 32 digits alone, as the service's own ids are), in any
# case: anything else is replaced rather than echoed or logged, since a free-form id can carry a
# name or any other patient data into the logs.
VALID = re.compile(r"[0-9a-f]{32}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", re.IGNORECASE)


def assign(environ: MutableMapping[str, Any]) -> str:
    """Choose this request's id and keep it in the WSGI environ."""
    sent = environ.get("HTTP_X_REQUEST_ID")
    request_id = environ[ENVIRON_KEY] = sent if sent and VALID.fullmatch(sent) else new_id()
    return request_id


def new_id() -> str:
    """Return a new, opaque id: 128 random bits as 32 hex digits (the shape of a uuid4's hex).

    The bits come from a generator seeded from the OS in each process, again after a fork,
    so workers never repeat each other, without the system call per request uuid4 makes.
    Ids correlate requests; they are not secrets."""
    return f"{_bits(128):032x}"


_random = random.Random()  # seeded from os.urandom
_bits = _random.getrandbits
os.register_at_fork(after_in_child=_random.seed)  # gunicorn forks its workers from a preloaded app


def current_request_id() -> str:
    """Return this request's id (assigned by the middleware; here too, if it was bypassed)."""
    return request.environ.get(ENVIRON_KEY) or assign(request.environ)
