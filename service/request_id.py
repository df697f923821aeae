"""Give every request an id: the caller's X-Request-ID when well-formed, else a new one."""

from __future__ import annotations

import itertools
import os
import re
import secrets
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
    request_id = environ[ENVIRON_KEY] = sent if sent and VALID.fullmatch(sent) else new_id()
    return request_id


def new_id() -> str:
    """Return a new id: 32 hex digits, this process's random prefix then its own counter.

    Unique across workers and restarts (each process draws its prefix, again after a fork)
    without a system call per request, as uuid4 would make."""
    return f"{_prefix}{next(_counter):016x}"


def _reseed() -> None:
    global _prefix, _counter
    _prefix, _counter = secrets.token_hex(8), itertools.count()


_prefix, _counter = "", itertools.count()
_reseed()
os.register_at_fork(after_in_child=_reseed)  # gunicorn forks its workers from a preloaded app


def current_request_id() -> str:
    """Return this request's id (assigned by the middleware; here too, if it was bypassed)."""
    return request.environ.get(ENVIRON_KEY) or assign(request.environ)
