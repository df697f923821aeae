"""What gunicorn's parser refuses or lets through that the service does not speak, the status each
is answered with, and whether the client caused it (a warning, no trace) or the application."""

from __future__ import annotations

from typing import Any

from gunicorn.http import errors

VERSIONS = ((1, 0), (1, 1))


class UnsupportedVersion(errors.ParseException):
    """A request line naming an HTTP version other than 1.0 and 1.1 (answered 505)."""


# gunicorn's errors that the client caused, and the status each is answered with.
CLIENT_ERRORS: tuple[tuple[type[BaseException], int], ...] = (
    (errors.LimitRequestLine, 414),
    (errors.LimitRequestHeaders, 431),
    (errors.ExpectationFailed, 417),
    (errors.UnsupportedTransferCoding, 501),
    (errors.ForbiddenProxyRequest, 403),
    (UnsupportedVersion, 505),
    (errors.ParseException, 400),  # every other malformed request line, header or chunk
)


def status_of(error: BaseException) -> int:
    """Return the status gunicorn's parser error is answered with (500 when it is not the client's)."""
    if isinstance(error, (errors.InvalidResponseHeader, errors.InvalidResponseHeaderName)):
        return 500  # the application's fault, not the client's
    return next((status for kind, status in CLIENT_ERRORS if isinstance(error, kind)), 500)


def client_caused(error: BaseException) -> bool:
    """Whether the client caused the error (logged as a warning, without a trace)."""
    return status_of(error) != 500


def refuse_unusual(req: Any) -> None:
    """Refuse what gunicorn's parser lets through but the service does not speak: an HTTP version
    other than 1.0 and 1.1 (505), a Transfer-Encoding other than exactly `chunked` (501)."""
    if tuple(req.version) not in VERSIONS:
        raise UnsupportedVersion("HTTP/{}.{}".format(*req.version))
    codings = [value for name, value in req.headers if name == "TRANSFER-ENCODING"]
    if codings and (len(codings) > 1 or codings[0].strip(" \t").lower() != "chunked"):
        raise errors.UnsupportedTransferCoding(codings[0][:40])
