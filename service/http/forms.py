"""HTML forms: their fields read within the body limit, and the API key a scoring page's form posts."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, Forbidden, UnsupportedMediaType

FORM = "application/x-www-form-urlencoded"
UPLOAD = "multipart/form-data"
# The clinician pages anyone may open: they score nothing (security.OPEN_ENDPOINTS includes them).
OPEN_PAGES = frozenset(
    {"clinician.form", "clinician.model_card", "clinician.asset", "clinician.score_file_form"}
)
# Pages whose form posts the key (a browser form cannot send Authorization): the same keys, compared
# by the same gate, read from this field of the posted body; never from a header or a URL, never logged.
FORM_KEY_ENDPOINTS = frozenset({"clinician.report", "clinician.score_file"})
# The page that scores an uploaded CSV reads a larger body, whole, in memory: werkzeug keeps a file
# part of up to 500 KiB in memory, so with this limit no upload ever touches the disk.
UPLOAD_ENDPOINT, MAX_UPLOAD_BYTES, UPLOAD_FIELD = "clinician.score_file", 500 * 1024, "file"
FORM_KEY = "api_key"
# A scoring form posted from another site is refused (Fetch Metadata); browsers that send no
# Sec-Fetch-Site, and other clients, still need the key when keys are configured.
CROSS_SITE = frozenset({"cross-site", "same-site"})


def credential(keys: object) -> str | None:
    """Return the caller's credential as an Authorization header would carry it: the header itself,
    or, for a scoring page, the key its form posted (read only when `keys` are configured)."""
    if request.endpoint not in FORM_KEY_ENDPOINTS:
        return request.headers.get("Authorization")
    if request.headers.get("Sec-Fetch-Site") in CROSS_SITE:
        raise Forbidden("Post this form from the service's own page.")
    key = bounded_form().get(FORM_KEY) if keys else None
    return f"Bearer {key}" if key else None


def bounded_form() -> MultiDict[str, str]:
    """Return the request's form fields, parsed within MAX_BODY_BYTES, or MAX_UPLOAD_BYTES on the upload
    page (werkzeug answers 413 beyond)."""
    limit = MAX_UPLOAD_BYTES if request.endpoint == UPLOAD_ENDPOINT else current_app.config["MAX_BODY_BYTES"]
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
    return bounded_form().to_dict(flat=False) if request.mimetype in (FORM, UPLOAD) else {}


def read_upload() -> bytes:
    """Return the uploaded file's bytes (multipart form, within MAX_UPLOAD_BYTES), held in memory only."""
    if request.mimetype != UPLOAD:
        raise UnsupportedMediaType(f"Post the file as {UPLOAD}.")
    bounded_form()
    upload = request.files.get(UPLOAD_FIELD)
    if upload is None:
        raise BadRequest("Choose a CSV file to score.")
    return upload.read()
