"""Act as an EHR signing CDS Hooks calls, to try the service's JWT authentication by hand.

    python -m tools.cds_token keygen ehr-key.pem ehr-jwks.json
    python -m tools.cds_token serve-jwks ehr-jwks.json --port 8001
    python -m tools.cds_token sign ehr-key.pem --issuer https://ehr.example.org \\
        --audience http://127.0.0.1:8000/cds-services/spinal-fusion-risk

`keygen` writes an ES384 private key (PEM, readable by its owner only) and the JWKS publishing its
public half; `serve-jwks` serves that one file on 127.0.0.1 (never the folder beside it, which holds
the key) for CDS_CLIENTS to name. `sign` prints a JWT valid for five minutes and one use: the service
accepts each token once. For trying things out only: a real EHR keeps its key in its own key store.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ALGORITHM, KEY_ID, LIFETIME = "ES384", "ehr-key-1", 300
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "k"}  # a JWK holding any of these is a secret


def keygen(key_path: Path, jwks_path: Path) -> None:
    """Write a new private key and the JWKS of its public key."""
    private = ec.generate_private_key(ec.SECP384R1())
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Created 0600 (and made so if it existed), never through a link planted in a shared folder.
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "wb") as key_file:
        key_file.write(pem)
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


def jwks_server(jwks_path: Path, port: int, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server answering GET /<the file's name> with the JWKS, and 404 to every other path."""
    try:
        keys = json.loads(jwks_path.read_bytes())["keys"]
        private = any(PRIVATE_MEMBERS & set(key) for key in keys)
    except (ValueError, KeyError, TypeError):
        raise SystemExit(f"{jwks_path} is not a JWKS (a JSON object whose keys are a list of JWKs)") from None
    if private:
        raise SystemExit(f"{jwks_path} holds a private key: publish only the public JWKS keygen wrote")
    # Only the checked keys are served, never the file as it is: nothing else it holds gets out.
    body = json.dumps({"keys": keys}).encode()
    served = "/" + jwks_path.name

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = urlsplit(self.path).path == served
            payload = body if found else b'{"error": "not found"}\n'
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return ThreadingHTTPServer((host, port), Handler)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.cds_token", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("keygen", help="write a private key and its JWKS")
    made.add_argument("key", type=Path)
    made.add_argument("jwks", type=Path)
    serving = commands.add_parser("serve-jwks", help="serve the JWKS file alone on 127.0.0.1")
    serving.add_argument("jwks", type=Path)
    serving.add_argument("--port", type=int, default=8001)
    signing = commands.add_parser("sign", help="print a signed JWT for one hook call (accepted once)")
    signing.add_argument("key", type=Path)
    signing.add_argument("--issuer", required=True)
    signing.add_argument("--audience", required=True, help="the CDS service URL being called")
    args = parser.parse_args(argv)
    if args.command == "keygen":
        keygen(args.key, args.jwks)
    elif args.command == "serve-jwks":
        server = jwks_server(args.jwks, args.port)
        print(f"serving {args.jwks} alone at http://127.0.0.1:{args.port}/{args.jwks.name}", flush=True)
        server.serve_forever()
    else:
        print(sign(args.key, args.issuer, args.audience))


if __name__ == "__main__":
    main(sys.argv[1:])
