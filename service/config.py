"""Configuration: safe defaults, then environment variables, then the caller's overrides."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

DEFAULTS: dict[str, Any] = {
    "API_TITLE": "Spinal-fusion complication risk API",
    "API_VERSION": "1.1.0",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/docs/assets/",  # local copy of Swagger UI: no CDN
    "OPENAPI_SWAGGER_UI_CONFIG": {
        "validatorUrl": None,  # never call the public validator
        "displayRequestDuration": True,
        "defaultModelsExpandDepth": 0,
    },
    "MAX_BODY_BYTES": 64 * 1024,  # a patient is under 2 KB
    "MAX_BATCH_BODY_BYTES": 4 * 1024 * 1024,  # 1,000 patients
    "MAX_FHIR_BODY_BYTES": 2 * 1024 * 1024,  # a patient's Bundle, or a CDS Hooks call with prefetch
    "MAX_JSON_DEPTH": 32,  # deeper bodies are rejected before validation (FHIR nests ~10 deep)
    "LOG_LEVEL": "INFO",
    "FAST_LANE": True,  # answer valid POST /v1/assessments without Flask (tests compare both)
    "API_KEYS": (),  # none: the API is open, and says so at start-up
    "CORS_ORIGINS": (),  # none: no cross-origin browser access
    # CDS Hooks: base URLs of the FHIR servers the service may fetch missing data from.
    # None by default (prefetch only): a caller-supplied fhirServer is never fetched unless
    # listed here ("*" allows any http(s) server).
    "CDS_FHIR_SERVERS": (),
    "CDS_FETCH_TIMEOUT": 3.0,  # seconds per request, all of it (connect, headers, body)
    "CDS_FETCH_BUDGET": 8.0,  # seconds for all the requests of one hook call
    "CDS_FETCH_MAX_PAGES": 5,  # pages of one search followed (Bundle.link next)
    # CDS Hooks client authentication: issuer -> JWKS URL. When set, every hook call needs a JWT
    # signed by its client (discovery stays open); unset, hook calls need an API key like the rest.
    "CDS_CLIENTS": {},
    "CDS_JWKS_CACHE_SECONDS": 300.0,  # a client's JWKS is reused this long
    # Where the `jti` of every accepted CDS token is kept, shared by every worker (SQLite, one small
    # file): empty means the temporary directory.
    "CDS_REPLAY_DIR": "",
    "CDS_PATIENT_VIEW_NEEDS_FUSION": True,  # patient-view cards only with a planned or recent fusion
    "CDS_EXPLAIN_NO_CARD": False,  # an info card saying why, instead of no card (for integrators)
    "PUBLIC_BASE_URL": "",  # the base URL callers see, when a proxy changes it (a JWT's audience)
    # Read by the gunicorn worker (service/ops/worker.py): seconds a client has to send a whole
    # request, from its first byte; a slower one is disconnected and frees its thread.
    "REQUEST_READ_TIMEOUT": 15.0,
    # Read by the front (service/ops/serve.py): connections one client address may have under way
    # at once. Behind a load balancer that hides client addresses, raise it to what it may hold.
    "FRONT_CONNECTIONS_PER_CLIENT": 100,
    # The patient handout's contacts, printed where the form leaves them as they are (the form can
    # change them for one patient); unset, the handout has a line to write each on.
    "CLINIC_TEAM_PHONE": "",
    "CLINIC_OUT_OF_HOURS": "",
}
CONTACT_LENGTH = 200  # characters of a handout contact: a phone number, or a line on where to go


def _whole(low: int, high: int) -> Callable[[str], int]:
    """A parser of whole numbers from `low` to `high`: anything else stops the start."""

    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise ValueError(f"must be a whole number from {low} to {high}")
        return value

    return parse


def _seconds(high: float) -> Callable[[str], float]:
    """A parser of a finite number of seconds above 0 and at most `high` (never inf or nan)."""

    def parse(text: str) -> float:
        value = float(text)
        if not 0 < value <= high:  # false for nan too
            raise ValueError(f"must be a number of seconds above 0 and at most {high:g}")
        return value

    return parse


def _url_list(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _api_keys(text: str) -> tuple[str, ...]:
    keys = _url_list(text)
    if not keys:  # "   ", "," or " , ": set, yet no key at all; starting open would be a surprise
        raise ValueError("is set but holds no key")
    if any(len(key) < 16 for key in keys):
        raise ValueError("every key needs at least 16 characters")
    return keys


def _http_url(text: str) -> str:
    from .cds.fetch import parse_base

    url = text.strip()
    parse_base(url)  # raises ValueError naming what is wrong
    return url


def _clients(text: str) -> dict[str, str]:
    from .cds.wiring import parse_clients

    return parse_clients(_url_list(text))


def _directory(text: str) -> str:
    path = text.strip()
    if not os.path.isdir(path):
        raise ValueError(f"{path[:80]!r} is not a directory")
    return path


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value not in {"true", "false", "1", "0"}:
        raise ValueError("must be true or false")
    return value in {"true", "1"}


def contact(text: str) -> str:
    """A line printed on the handout: one line of text, not too long to print."""
    line = text.strip()
    if len(line) > CONTACT_LENGTH:
        raise ValueError(f"must be {CONTACT_LENGTH} characters or fewer")
    if any(not character.isprintable() for character in line):
        raise ValueError("must be one line of printable text")
    return line


def _log_level(text: str) -> str:
    level = text.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return level


MIB = 1024 * 1024
# Settings read from the environment, with their parsers (documented in the README). Numbers are
# bounded both ways: a value past any sensible one (a typo, `inf`) stops the start, naming it.
ENVIRONMENT: dict[str, Callable[[str], Any]] = {
    "MAX_BODY_BYTES": _whole(1, 16 * MIB),
    "MAX_BATCH_BODY_BYTES": _whole(1, 64 * MIB),
    "MAX_FHIR_BODY_BYTES": _whole(1, 64 * MIB),
    "MAX_JSON_DEPTH": _whole(1, 256),  # the parsers and validators recurse per level
    "LOG_LEVEL": _log_level,
    "API_KEYS": _api_keys,
    "CORS_ORIGINS": _url_list,
    "CDS_FHIR_SERVERS": _url_list,
    "CDS_FETCH_TIMEOUT": _seconds(60),
    "CDS_FETCH_BUDGET": _seconds(120),
    "CDS_FETCH_MAX_PAGES": _whole(1, 50),
    "CDS_CLIENTS": _clients,
    "CDS_JWKS_CACHE_SECONDS": _seconds(24 * 3600),
    "CDS_REPLAY_DIR": _directory,
    "CDS_PATIENT_VIEW_NEEDS_FUSION": _flag,
    "CDS_EXPLAIN_NO_CARD": _flag,
    "PUBLIC_BASE_URL": _http_url,
    "REQUEST_READ_TIMEOUT": _seconds(300),
    "FRONT_CONNECTIONS_PER_CLIENT": _whole(1, 8192),  # at most the front's worker_connections
    "CLINIC_TEAM_PHONE": contact,
    "CLINIC_OUT_OF_HOURS": contact,
}


# Variables that, set to blanks, are set: `API_KEYS='   '` holds no key, and starting open would be
# a surprise. Other blank values count as not set (`NAME=` is the shell's way to unset).
SET_MEANS_SET = frozenset({"API_KEYS"})


class ConfigError(ValueError):
    """An environment variable holds a value the service cannot use."""


def from_environ(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Return the settings given in the environment, parsed and checked."""
    settings = {}
    for name, parse in ENVIRONMENT.items():
        if environ.get(name, "").strip() or (name in SET_MEANS_SET and environ.get(name)):
            try:
                settings[name] = parse(environ[name])
            except ValueError as error:
                raise ConfigError(f"{name}: {error}") from None
    return settings
