"""Act as an EHR signing CDS Hooks calls, to try the service's JWT authentication by hand.

    python -m tools.cds_token keygen ehr-key.pem ehr-jwks.json
    python -m tools.cds_token sign ehr-key.pem --issuer https://ehr.example.org \\
        --audience http://127.0.0.1:8000/cds-services/spinal-fusion-risk

`keygen` writes an ES384 private key (PEM) and the JWKS publishing its public half; serve the JWKS
(`python -m http.server`) and name it in CDS_CLIENTS. `sign` prints a JWT valid for five minutes
and one use. For trying things out only: a real EHR keeps its key in its own key store.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ALGORITHM, KEY_ID, LIFETIME = "ES384", "ehr-key-1", 300


def keygen(key_path: Path, jwks_path: Path) -> None:
    """Write a new private key and the JWKS of its public key."""
    private = ec.generate_private_key(ec.SECP384R1())
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_path.write_bytes(pem)
    public = json.loads(jwt.get_algorithm_by_name(ALGORITHM).to_jwk(private.public_key()))
    jwks = {"keys": [{**public, "kid": KEY_ID, "alg": ALGORITHM, "use": "sig"}]}
    jwks_path.write_text(json.dumps(jwks, indent=2) + "\n", encoding="utf-8")


def sign(key_path: Path, issuer: str, audience: str, now: float | None = None) -> str:
    """Return a JWT for one call to `audience` (the CDS service URL), as CDS Hooks 2.0 asks."""
    private = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "iat": issued,
        "exp": issued + LIFETIME,
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(claims, private, algorithm=ALGORITHM, headers={"kid": KEY_ID})  # type: ignore[arg-type]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.cds_token", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("keygen", help="write a private key and its JWKS")
    made.add_argument("key", type=Path)
    made.add_argument("jwks", type=Path)
    signing = commands.add_parser("sign", help="print a signed JWT for one hook call")
    signing.add_argument("key", type=Path)
    signing.add_argument("--issuer", required=True)
    signing.add_argument("--audience", required=True, help="the CDS service URL being called")
    args = parser.parse_args(argv)
    if args.command == "keygen":
        keygen(args.key, args.jwks)
    else:
        print(sign(args.key, args.issuer, args.audience))


if __name__ == "__main__":
    main(sys.argv[1:])
