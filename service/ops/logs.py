"""JSON log lines for the app and gunicorn alike; nothing from a request body ever reaches them."""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from datetime import UTC, datetime

import orjson

# LogRecord attributes that are not worth a field of their own; any `extra=` field is kept.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's extra fields.

    Exceptions are logged as their type and stack frames only: an exception's message can
    quote the input that caused it, and no patient data may reach the logs.
    """

    def format(self, record: logging.LogRecord) -> str:
        fields = {key: value for key, value in vars(record).items() if key not in _STANDARD}
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            fields["exception"] = kind.__name__
            fields["stack"] = traceback.format_tb(trace)
        return json_line(record.created, record.levelname, record.name, record.getMessage(), fields).decode()


def json_line(created: float, level: str, logger: str, message: str, fields: dict) -> bytes:
    """Return one log line as JSON: time, level, logger, message, then the fields."""
    line = {
        "time": datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds"),
        "level": level,
        "logger": logger,
        "message": message,
        **fields,
    }
    return orjson.dumps(line, default=str)


class AccessLog:
    """The per-request log line, written whole to stderr in one write (atomic for a line this
    short), in the JSON format of every other log line: cheaper than the logging machinery on
    the hot path. It honours the `service.access` logger's level."""

    NAME = "service.access"

    def __init__(self) -> None:
        self.logger = logging.getLogger(self.NAME)

    def write(self, fields: dict) -> None:
        if self.logger.isEnabledFor(logging.INFO):
            os.write(2, json_line(time.time(), "INFO", self.NAME, "request", fields) + b"\n")


def configure_logging(level: str) -> None:
    """Send the service's logs to stderr as JSON lines, unless the root logger already does
    (under gunicorn, GUNICORN_LOGGING gives it the same handler)."""
    logger = logging.getLogger("service")
    logger.setLevel(level)
    handled = logging.getLogger().handlers or any(isinstance(h, _JsonLines) for h in logger.handlers)
    if not handled:
        handler = _JsonLines(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)


class _JsonLines(logging.StreamHandler):
    """The handler this module installs (so configuring twice installs it once)."""


# gunicorn's own logs in the same format (used by gunicorn.conf.py as logconfig_dict).
GUNICORN_LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "service.ops.logs.JsonFormatter"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},  # the app logs requests
    },
}
