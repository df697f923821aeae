"""Read an HTML form's fields: URL-encoded only, within the same size limit as a JSON body."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import UnsupportedMediaType

FORM = "application/x-www-form-urlencoded"


def bounded_form() -> MultiDict[str, str]:
    """Return the request's form fields, parsed within MAX_BODY_BYTES (werkzeug answers 413 beyond)."""
    limit = current_app.config["MAX_BODY_BYTES"]
    request.max_content_length = limit
    request.max_form_memory_size = limit
    return request.form


def read_form() -> dict[str, list[str]]:
    """Return the posted form as {name: [values]}, or raise 415 when the body is not a URL-encoded form."""
    if request.mimetype != FORM:
        raise UnsupportedMediaType(f"Post the form as {FORM}.")
    return bounded_form().to_dict(flat=False)


def posted_values() -> dict[str, list[str]]:
    """Return the posted form's fields, or nothing when the body is not a form (never raises 415)."""
    return bounded_form().to_dict(flat=False) if request.mimetype == FORM else {}
