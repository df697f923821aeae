"""CDS Hooks calls from the fixtures, a FHIR server on 127.0.0.1 to fetch from, and an EHR that
signs its calls."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.helpers.fhir import resources

PATIENT_VIEW = "/cds-services/spinal-fusion-risk"

ORDER_SELECT = "/cds-services/spinal-fusion-risk-order"


def prefetch_of(name):
    """Answer the patient-view templates from a fixture, as an EHR would."""
    found = resources(name)

    def search(*types):
        return {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [{"resource": r} for r in found if r["resourceType"] in types],
        }

    return {
        "patient": found[0],
        "observations": search("Observation"),
        "conditions": search("Condition"),
        "medicationStatements": search("MedicationStatement", "Medication"),
        "medicationRequests": search("MedicationRequest", "Medication"),
        "serviceRequests": search("ServiceRequest"),
        "procedures": search("Procedure"),
    }


def call(name, **extra):
    return {
        "hook": "patient-view",
        "hookInstance": f"instance-{name}",
        "context": {"userId": "Practitioner/dr-1", "patientId": resources(name)[0]["id"]},
        **extra,
    }


Misbehaviour = Callable[[BaseHTTPRequestHandler], bool]  # True when it answered the request itself


class FhirServer:
    """Answer `Type/id` reads and `Type?...` searches from a list of resources; record requests.

    `page_size` splits searches into pages linked by Bundle.link next; `misbehave` may answer a
    request its own way (every loop in it must be bounded)."""

    def __init__(
        self,
        resources: list[dict],
        delay: float = 0.0,
        page_size: int | None = None,
        misbehave: Misbehaviour | None = None,
    ) -> None:
        self.resources = resources
        self.delay = delay
        self.page_size = page_size
        self.misbehave = misbehave
        self.requests: list[tuple[str, str | None]] = []  # (path, Authorization header)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, self.headers.get("Authorization")))
                time.sleep(server.delay)
                try:
                    if server.misbehave and server.misbehave(self):
                        return
                    status, body = server.answer(self.path)
                    payload = json.dumps(body).encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/fhir+json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as a timeout test intends

            def log_message(self, *args):  # keep test output quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_port}/fhir"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, path: str) -> tuple[int, dict]:
        parts = urlsplit(path)
        resource_path = parts.path.removeprefix("/fhir/")
        if parts.query:
            matches = [r for r in self.resources if r["resourceType"] == resource_path]
            return 200, self._page(resource_path, parts.query, matches)
        kind, _, ident = resource_path.partition("/")
        found = next((r for r in self.resources if r["resourceType"] == kind and r.get("id") == ident), None)
        return (200, found) if found else (404, {"resourceType": "OperationOutcome", "issue": []})

    def _page(self, kind: str, query: str, matches: list[dict]) -> dict:
        bundle = {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in matches]}
        if self.page_size is None:
            return bundle
        fields = dict(item.partition("=")[::2] for item in query.split("&"))
        offset = int(fields.get("_offset", 0))
        bundle["entry"] = bundle["entry"][offset : offset + self.page_size]
        if offset + self.page_size < len(matches):
            following = f"{self.base}/{kind}?{query.split('&_offset')[0]}&_offset={offset + self.page_size}"
            bundle["link"] = [{"relation": "next", "url": following}]
        return bundle

    def __enter__(self) -> FhirServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class Issuer:
    """An EHR signing CDS Hooks calls: real keys (RS384 and ES384), its JWKS served on 127.0.0.1."""

    def __init__(self, name: str = "https://ehr.example.org", rsa_bits: int = 2048) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec, rsa

        self.name = name
        self.keys = {
            "rsa-1": ("RS384", rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits)),
            "ec-1": ("ES384", ec.generate_private_key(ec.SECP384R1())),
        }
        self.server = FhirServer([], misbehave=self._answer)
        self.url = f"http://127.0.0.1:{self.server.httpd.server_port}/jwks.json"

    def jwks(self) -> dict:
        import jwt

        keys = []
        for kid, (alg, private) in self.keys.items():
            algorithm = jwt.get_algorithm_by_name(alg)
            keys.append(
                {**json.loads(algorithm.to_jwk(private.public_key())), "kid": kid, "alg": alg, "use": "sig"}
            )
        return {"keys": keys}

    def _answer(self, handler: BaseHTTPRequestHandler) -> bool:
        payload = json.dumps(self.jwks()).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)
        return True

    def token(self, audience: str, kid: str = "rsa-1", **claims) -> str:
        """A signed JWT for `audience`, fresh unless `claims` say otherwise (None drops a claim)."""
        import uuid

        import jwt

        now = int(time.time())
        body = {
            "iss": self.name,
            "aud": audience,
            "iat": now,
            "exp": now + 300,
            "jti": str(uuid.uuid4()),
            **claims,
        }
        alg, private = self.keys[kid]
        return jwt.encode(
            {k: v for k, v in body.items() if v is not None}, private, algorithm=alg, headers={"kid": kid}
        )

    def __enter__(self) -> Issuer:
        self.server.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.server.__exit__(*exc)
