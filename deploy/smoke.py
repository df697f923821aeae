"""The container smoke test's checks, over HTTP: ready behind the front, keys enforced, the README's patient
scored as the README shows.

    python3 deploy/smoke.py http://127.0.0.1:18080 API_KEY

Standard library only (it runs with the host's Python, outside the image). Exit 0 when every check
passed; otherwise the first failed check, in one line.
"""

from __future__ import annotations

import json
import re
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parents[1] / "README.md"
READY_SECONDS = 60  # a cold container: nginx, then gunicorn loading the model in each worker
EXAMPLE = re.compile(r"<!-- generated: example -->\n(?P<block>.*?)<!-- end: example -->", re.S)


class Failed(Exception):
    """A check that did not hold."""


def fetch(url: str, key: str | None = None, body: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one request (an HTTP error is an answer too)."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, data=body.encode() if body is not None else None, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_ready(base: str, seconds: float = READY_SECONDS) -> dict[str, Any]:
    """Poll /readyz until it answers 200; its body."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _, body = fetch(f"{base}/readyz")
            if status == 200:
                return json.loads(body)
        except OSError:  # not listening yet, or the connection reset while it starts
            pass
        time.sleep(0.5)
    raise Failed(f"{base}/readyz did not answer 200 within {seconds:.0f} s")


def readme_example() -> tuple[str, dict[str, Any]]:
    """The README's example request body and the answer it shows (shortened, but JSON)."""
    block = EXAMPLE.search(README.read_text(encoding="utf-8"))
    if block is None:
        raise Failed("README.md has no generated example block")
    body = re.search(r"-d '(.*?)'", block["block"])
    shown = re.search(r"```json\n(.*?)```", block["block"], re.S)
    if body is None or shown is None:
        raise Failed("README.md's example block has no request or no answer")
    return body[1], json.loads(shown[1])


def check(base: str, key: str) -> list[str]:
    """Run every check against the service at `base`; what each proved."""
    ready = wait_ready(base)
    status, headers, _ = fetch(f"{base}/healthz")
    if status != 200 or not headers.get("Server", "").startswith("nginx"):
        raise Failed(f"/healthz answered {status} from {headers.get('Server')!r}, not 200 from nginx")
    status, _, _ = fetch(f"{base}/v1/model")
    if status != 401:
        raise Failed(f"/v1/model without a key answered {status}, not 401")
    body, shown = readme_example()
    status, _, raw = fetch(f"{base}/v1/assessments", key, body)
    if status != 200:
        raise Failed(f"the README's patient answered {status}: {raw[:200]!r}")
    answer = json.loads(raw)
    for name, outcome in shown["outcomes"].items():
        got = {field: answer["outcomes"][name][field] for field in ("risk", "points", "summary")}
        if got != {field: outcome[field] for field in got}:
            raise Failed(f"the README's patient: {name} is {got}, the README shows {outcome}")
    if answer["model"] != shown["model"] or ready["model"] != shown["model"]:
        raise Failed(f"model {answer['model']} (ready: {ready['model']}), the README shows {shown['model']}")
    return [
        f"ready behind the front (model {ready['model']['version']})",
        "401 without a key",
        "the README's patient scored as the README shows",
    ]


def main(argv: list[str]) -> int:
    base, key = argv
    try:
        proved = check(base.rstrip("/"), key)
    except (Failed, OSError, ValueError, KeyError) as error:
        print(f"smoke test failed: {error}", file=sys.stderr)
        return 1
    print("; ".join(proved))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
