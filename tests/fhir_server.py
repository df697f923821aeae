"""A tiny FHIR server on 127.0.0.1 serving fixture resources, for the CDS Hooks fetch tests."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class FhirServer:
    """Answer `Type/id` reads and `Type?...` searches from a list of resources; record requests."""

    def __init__(self, resources: list[dict], delay: float = 0.0) -> None:
        self.resources = resources
        self.delay = delay
        self.requests: list[tuple[str, str | None]] = []  # (path, Authorization header)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, self.headers.get("Authorization")))
                time.sleep(server.delay)
                status, body = server.answer(self.path)
                payload = json.dumps(body).encode()
                try:
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
        self.httpd.daemon_threads = False  # server_close() waits for the handlers
        self.httpd.block_on_close = True
        self.base = f"http://127.0.0.1:{self.httpd.server_port}/fhir"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, path: str) -> tuple[int, dict]:
        parts = urlsplit(path)
        resource_path = parts.path.removeprefix("/fhir/")
        if parts.query:
            matches = [r for r in self.resources if r["resourceType"] == resource_path]
            return 200, {
                "resourceType": "Bundle",
                "type": "searchset",
                "entry": [{"resource": r} for r in matches],
            }
        kind, _, ident = resource_path.partition("/")
        found = next((r for r in self.resources if r["resourceType"] == kind and r.get("id") == ident), None)
        return (200, found) if found else (404, {"resourceType": "OperationOutcome", "issue": []})

    def __enter__(self) -> FhirServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
