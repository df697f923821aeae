"""The CDS Hooks objects built from the settings: what a hook call may spend fetching, and the EHRs
whose signed calls are accepted. A bad value raises a plain ValueError; the factory names the setting."""

from __future__ import annotations

import ipaddress
import logging
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from .clients import CdsClients, JwtLimits
from .fetch import parse_base
from .gather import Limits
from .replay import SeenTokens, store_path

JWKS_MAX_BYTES = 64 * 1024  # a JWKS of a few keys is a few KB
TOKEN_MAX_AGE = 300.0  # seconds since a JWT's iat (CDS Hooks: tokens live about five minutes)
CLOCK_LEEWAY = 30.0  # seconds of clock skew allowed on exp and iat
log = logging.getLogger(__name__)


def parse_clients(pairs: Iterable[str]) -> dict[str, str]:
    """Read `issuer=jwks_url` pairs; a JWKS must come over https (http only from this machine:
    whoever could alter it in transit could sign as the EHR)."""
    clients = {}
    for pair in pairs:
        issuer, equals, url = pair.partition("=")
        if not equals or not issuer.strip():
            raise ValueError(f"{pair[:80]!r} is not issuer=jwks_url")
        base = parse_base(url.strip())
        if base.scheme != "https" and not _loopback(base.host):
            raise ValueError(f"{url.strip()[:80]!r}: a JWKS URL must be https (http only for localhost)")
        clients[issuer.strip()] = url.strip()
    if not clients:
        raise ValueError("is set but names no client")
    return clients


def _loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def fetch_limits(settings: Mapping[str, Any]) -> Limits:
    """Return what one CDS Hooks call may spend on the FHIR server."""
    return Limits(
        timeout=settings["CDS_FETCH_TIMEOUT"],
        budget=settings["CDS_FETCH_BUDGET"],
        max_bytes=settings["MAX_FHIR_BODY_BYTES"],
        max_total_bytes=4 * settings["MAX_FHIR_BODY_BYTES"],
        max_depth=settings["MAX_JSON_DEPTH"],
        max_pages=settings["CDS_FETCH_MAX_PAGES"],
    )


def cds_clients(settings: Mapping[str, Any]) -> CdsClients | None:
    """Return the CDS clients verifying hook calls, or None when CDS_CLIENTS is not set."""
    if not settings["CDS_CLIENTS"]:
        return None
    if not settings["PUBLIC_BASE_URL"]:
        log.warning(
            "CDS_CLIENTS is set without PUBLIC_BASE_URL: a JWT's audience is checked against the URL "
            "each call names (its Host header); set PUBLIC_BASE_URL to the URL the EHRs call"
        )
    limits = JwtLimits(
        timeout=settings["CDS_FETCH_TIMEOUT"],
        max_bytes=JWKS_MAX_BYTES,
        cache_seconds=settings["CDS_JWKS_CACHE_SECONDS"],
        refetch_after=settings["CDS_FETCH_TIMEOUT"] * 10,
        max_age=TOKEN_MAX_AGE,
        leeway=CLOCK_LEEWAY,
    )
    path = store_path(settings["CDS_REPLAY_DIR"])
    try:
        seen = SeenTokens(path)
    except sqlite3.Error as error:
        raise ValueError(
            f"CDS_REPLAY_DIR: the used-token table cannot be kept in {path.parent} ({error})"
        ) from None
    return CdsClients(settings["CDS_CLIENTS"], limits, seen)
