"""CDS Hooks client authentication: the EHR signs a JWT per call, with a key from its JWKS.

Each configured client is an issuer and the URL of its JWKS. A call is accepted when its bearer
token is a JWT signed (RS384 or ES384) by a key of that issuer's JWKS, addressed to the service
endpoint being called (`aud`), fresh (`exp` ahead, `iat` not in the future nor too old) and
carrying a `jti` not seen before by this deployment (replay.py). The JWKS is fetched with the
bounded fetcher (deadline, byte cap) and cached for a while; an unknown `kid` refetches it, at most
once per cool-down, so a rotated key is picked up without letting a caller drive fetches.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import jwt
import orjson

from .fetch import FetchError, bounded_get, parse_base
from .replay import SeenTokens

log = logging.getLogger(__name__)
ALGORITHMS = ("RS384", "ES384")  # CDS Hooks 2.0
KEY_TYPES = {"RS384": ("RSA", None), "ES384": ("EC", "secp384r1")}  # (JWK kty, EC curve) per alg
RSA_MIN_BITS = 2048  # shorter RSA keys can be factored: a JWKS offering one is not trusted with it
REQUIRED_CLAIMS = ("iss", "aud", "exp", "iat", "jti")
LATEST_TIME = 1e11  # seconds since 1970 (year 5138): a larger `exp` or `iat` is no time


class TokenRejected(ValueError):
    """The token does not authenticate a configured client; the reason is safe to return."""


@dataclass(frozen=True)
class JwtLimits:
    """How the JWKS is fetched and kept, and how old a token may be."""

    timeout: float  # seconds for one JWKS fetch, all of it
    max_bytes: int  # of one JWKS document
    cache_seconds: float  # a JWKS is reused this long
    refetch_after: float  # an unknown kid refetches no sooner than this after the last fetch
    max_age: float  # seconds since `iat`
    leeway: float  # clock skew allowed on `exp` and `iat`


class CdsClients:
    """The configured CDS clients (issuer -> JWKS URL), verifying the tokens of their calls."""

    def __init__(
        self,
        jwks_urls: Mapping[str, str],
        limits: JwtLimits,
        seen: SeenTokens,
        clock: Callable[[], float] = time.time,
    ):
        self.jwks_urls = dict(jwks_urls)
        self.limits = limits
        self.clock = clock
        self._keys = _KeyCache(limits, self.jwks_urls.values())
        self._seen = seen

    def __bool__(self) -> bool:
        return bool(self.jwks_urls)

    def verify(self, token: str, audience: str) -> str:
        """Return the issuer of a valid token addressed to `audience`; raise TokenRejected."""
        try:
            header = jwt.get_unverified_header(token)
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        except jwt.PyJWTError:
            raise TokenRejected("The bearer token is not a JWT.") from None
        if header.get("alg") not in ALGORITHMS:
            raise TokenRejected(f"The JWT must be signed with {' or '.join(ALGORITHMS)}.")
        if not isinstance(issuer, str) or issuer not in self.jwks_urls:
            raise TokenRejected("The JWT's issuer is not a configured CDS client.")
        key = self._keys.key(self.jwks_urls[issuer], header.get("kid"), header["alg"])
        claims = self._decode(token, key, header["alg"], issuer, audience)
        self._remember(claims["jti"], _timestamp(claims, "exp"))
        return issuer

    def _decode(self, token: str, key: object, algorithm: str, issuer: str, audience: str) -> dict:
        try:
            claims = jwt.decode(
                token,
                key=key,  # type: ignore[arg-type]
                algorithms=[algorithm],
                audience=audience,
                issuer=issuer,
                leeway=self.limits.leeway,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.InvalidAudienceError:
            raise TokenRejected("The JWT's audience is not this service endpoint.") from None
        except jwt.ExpiredSignatureError:
            raise TokenRejected("The JWT has expired.") from None
        except (jwt.PyJWTError, TypeError, ValueError, OverflowError) as error:  # whatever the token holds
            raise TokenRejected(f"The JWT is not valid: {type(error).__name__}.") from None
        now = self.clock()
        if (
            not now - self.limits.max_age - self.limits.leeway
            <= _timestamp(claims, "iat")
            <= now + self.limits.leeway
        ):
            raise TokenRejected("The JWT's iat is in the future or too old.")
        if not isinstance(claims["jti"], str) or not claims["jti"]:
            raise TokenRejected("The JWT has no jti.")
        return claims

    def _remember(self, jti: str, expires: float) -> None:
        """Refuse a `jti` this deployment has seen before, until its token expires."""
        if not self._seen.first_use(jti, expires + self.limits.leeway):
            raise TokenRejected("The JWT has been used before (jti).")


def _timestamp(claims: Mapping[str, object], name: str) -> float:
    """Return a claim that must be a time (seconds since 1970) as a number; raise TokenRejected."""
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= LATEST_TIME:
        raise TokenRejected(f"The JWT's {name} is not a time.")
    return float(value)


@dataclass
class _Jwks:
    """One client's keys: when they were last read, and when a read was last tried."""

    keys: dict[str, jwt.PyJWK] = field(default_factory=dict)
    read_at: float = float("-inf")
    tried_at: float = float("-inf")
    lock: threading.Lock = field(default_factory=threading.Lock)


class _KeyCache:
    """JWKS documents by URL, fetched within limits, reused until they age out.

    A fetch is tried at most once per cool-down (`refetch_after`) per URL, whether it succeeded or
    failed, so neither unknown `kid`s nor a JWKS that is down can make the service hammer the EHR;
    a failed refetch keeps the keys read before. Each URL has its own lock: one client's slow JWKS
    never holds up another client's calls."""

    def __init__(self, limits: JwtLimits, urls: Iterable[str]) -> None:
        self.limits = limits
        self._sets = {url: _Jwks() for url in urls}

    def key(self, url: str, kid: object, algorithm: str) -> object:
        """Return the key `kid` of the JWKS at `url` (the only key, when no kid is given), if it is
        of the type `algorithm` signs with."""
        wanted = kid if isinstance(kid, str) else ""
        keys = self._keys(url, wanted)
        found = keys.get(wanted) if kid is not None or len(keys) != 1 else next(iter(keys.values()))
        if found is None:
            raise TokenRejected("The JWT's key is not in the client's JWKS.")
        if (found.key_type, getattr(getattr(found.key, "curve", None), "name", None)) != KEY_TYPES[algorithm]:
            raise TokenRejected(f"The JWT's key is not a {algorithm} key.")
        if found.key_type == "RSA" and getattr(found.key, "key_size", 0) < RSA_MIN_BITS:
            raise TokenRejected(f"The JWT's RSA key is shorter than {RSA_MIN_BITS} bits.")
        return found.key

    def _keys(self, url: str, wanted: str) -> dict[str, jwt.PyJWK]:
        jwks = self._sets[url]
        with jwks.lock:
            now = time.monotonic()
            stale = now - jwks.read_at >= self.limits.cache_seconds or wanted not in jwks.keys
            if not stale or now - jwks.tried_at < self.limits.refetch_after:
                if not jwks.keys and jwks.read_at < jwks.tried_at:
                    raise TokenRejected("The client's JWKS could not be read.")
                return jwks.keys
            jwks.tried_at = now
            try:
                jwks.keys = self._fetch(url)
            except TokenRejected:
                if not jwks.keys:
                    raise
                return jwks.keys  # the keys read before still hold until the EHR answers again
            jwks.read_at = time.monotonic()
            return jwks.keys

    def _fetch(self, url: str) -> dict[str, jwt.PyJWK]:
        try:
            body = bounded_get(
                parse_base(url),  # a URL with no query (checked at start-up)
                urlsplit(url).path or "/",
                {"Accept": "application/json"},
                time.monotonic() + self.limits.timeout,
                self.limits.max_bytes,
            )
            found = jwt.PyJWKSet.from_dict(orjson.loads(body))
        except (FetchError, ValueError, jwt.PyJWTError) as error:
            log.warning("jwks unavailable", extra={"reason": getattr(error, "reason", type(error).__name__)})
            raise TokenRejected("The client's JWKS could not be read.") from None
        return {key.key_id or "": key for key in found.keys}
