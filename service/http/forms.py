"""HTML forms: their fields (and an uploaded file) read whole, within the body limit, once a request."""

from __future__ import annotations

import io
from urllib.parse import parse_qsl

from flask import current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

from .body import MalformedBody, read_body

FORM = "application/x-www-form-urlencoded"
UPLOAD = "multipart/form-data"
# The page that scores an uploaded CSV reads a larger body, whole, in memory: werkzeug keeps a file
# part of up to 500 KiB in memory, so with this limit no upload ever touches the disk.
UPLOAD_ENDPOINT, MAX_UPLOAD_BYTES, UPLOAD_FIELD = "clinician.score_file", 500 * 1024, "file"
MAX_FIELDS = 1000  # fields of one form (werkzeug's own default)
PARSED = "service.http.form"  # the environ key the parsed form is kept under (read once)


def bounded_form() -> MultiDict[str, str]:
    """Return the request's form fields (none when the body is not a form), the body read by the one
    reader every endpoint uses: whole, within MAX_BODY_BYTES (MAX_UPLOAD_BYTES on the upload page),
    413 beyond, declared or chunked alike — never a prefix. A URL-encoded form must be UTF-8 (400
    otherwise) and hold at most MAX_FIELDS fields (413 beyond); an upload is parsed by werkzeug from
    the body so read."""
    environ = request.environ
    if PARSED not in environ:
        environ[PARSED] = _parsed(environ)
    return environ[PARSED]


def _parsed(environ: dict) -> MultiDict[str, str]:
    if request.mimetype == FORM:
        body = read_body(environ, current_app.config["MAX_BODY_BYTES"])
        try:
            return MultiDict(
                parse_qsl(
                    body.decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS
                )
            )
        except UnicodeDecodeError:
            raise MalformedBody("The form is not UTF-8.") from None
        except ValueError:
            raise RequestEntityTooLarge(f"The form has more than {MAX_FIELDS} fields.") from None
    if request.mimetype == UPLOAD and request.endpoint == UPLOAD_ENDPOINT:
        body = read_body(environ, MAX_UPLOAD_BYTES)  # whole, before werkzeug reads a part of it
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ.update({"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))})
        environ["wsgi.input_terminated"] = False
        request.max_content_length = request.max_form_memory_size = MAX_UPLOAD_BYTES
        if body.strip() and not request.form and not request.files:  # no part found: cut or malformed
            raise MalformedBody("The upload could not be read as a form: send it again from the page.")
        return request.form
    return MultiDict()


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
