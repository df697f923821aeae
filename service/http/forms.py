"""HTML forms: their fields read within the body limit, and the API key a scoring page's form posts."""

from __future__ import annotations

import io
from urllib.parse import parse_qsl, urlsplit

from flask import current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, Forbidden, RequestEntityTooLarge, UnsupportedMediaType

from .body import MalformedBody, read_body

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
# A scoring form posted from another site is refused: by Fetch Metadata (Sec-Fetch-Site), else by
# Origin (browsers send it on every cross-origin POST); clients that send neither still need the
# key when keys are configured.
CROSS_SITE = frozenset({"cross-site", "same-site"})
DEFAULT_PORTS = {"http": "80", "https": "443"}
MAX_FIELDS = 1000  # fields of one form (werkzeug's own default)
PARSED = "service.http.form"  # the environ key the parsed form is kept under (read once)


def credential(keys: object) -> str | None:
    """Return the caller's credential as an Authorization header would carry it: the header itself,
    or, for a scoring page, the key its form posted (read only when `keys` are configured)."""
    if request.endpoint not in FORM_KEY_ENDPOINTS:
        return request.headers.get("Authorization")
    site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
    origin = request.headers.get("Origin")
    if site in CROSS_SITE or (origin is not None and not own_origin(origin)):
        raise Forbidden("Post this form from the service's own page.")
    key = bounded_form().get(FORM_KEY) if keys else None
    return f"Bearer {key}" if key else None


def own_origin(origin: str) -> bool:
    """Whether a browser's Origin is this service's: PUBLIC_BASE_URL's when set, else the host and
    port the request was sent to (its scheme may differ where TLS ends in front). Compared without
    regard to case; `null` (an opaque origin) is never this service's."""
    parts = urlsplit(origin.strip().lower())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path or parts.query:
        return False
    public = current_app.config.get("PUBLIC_BASE_URL")
    if public:
        own = urlsplit(public.lower())
        return (parts.scheme, _host_port(parts.netloc, parts.scheme)) == (
            own.scheme,
            _host_port(own.netloc, own.scheme),
        )
    return _host_port(parts.netloc, parts.scheme) == _host_port(request.host.lower(), None)


def _host_port(netloc: str, scheme: str | None) -> str:
    """`host:port` without a default port (the scheme's, or either default when it is not known)."""
    defaults = [DEFAULT_PORTS[scheme]] if scheme else list(DEFAULT_PORTS.values())
    host, _, port = netloc.rpartition(":") if not netloc.endswith("]") else (netloc, "", "")
    return host if host and port in defaults else netloc


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
