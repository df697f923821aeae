"""Take the README's screenshot of the report from the real page (gunicorn, Chromium): `make screenshot`
(beside the live tests: it drives the page with their server and form filler).

The PNG carries a digest of what it shows (the report's HTML and its stylesheets) in a text chunk;
`tests/pages/test_pages.py` recomputes it, so a report that changes without a new screenshot fails."""

from __future__ import annotations

import hashlib
import re
import shutil
import struct
import sys
import zlib
from pathlib import Path

from schemas import ASSESSMENT_EXAMPLES
from tests.helpers import TEST_KEY, make_app
from tests.helpers.pages import as_form
from tests.live.clinician import fill
from tests.live.server import LiveServer

# The README's high-risk patient, reporting a symptom five months after surgery.
PATIENT = {
    **ASSESSMENT_EXAMPLES["high"]["value"],
    "symptoms": ["pain_worse_with_load"],
    "days_since_surgery": 150,
}
VIEWPORT = {"width": 1200, "height": 1500}
DIGEST_KEY = b"report-digest"
STYLESHEET = re.compile(rb'href="(/assets/[^"]+\.css)"')
GENERATED = re.compile(rb"<time datetime=[^>]*>[^<]*</time>")  # the server's clock: not what it shows


def report_digest() -> str:
    """Return the SHA-256 of what the screenshot shows: the report's HTML (the time it was generated
    aside) and its stylesheets."""
    client = make_app(API_KEYS=(TEST_KEY,)).test_client()
    page = client.post("/report", data=as_form(PATIENT)).data
    digest = hashlib.sha256(GENERATED.sub(b"<time></time>", page))
    for path in STYLESHEET.findall(page):
        with client.get(path.decode()) as stylesheet:
            digest.update(stylesheet.data)
    return digest.hexdigest()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_digest(png: bytes, digest: str) -> bytes:
    """Return the PNG with a tEXt chunk holding the digest, right after its header chunk."""
    end_of_header = 8 + 4 + 4 + 13 + 4  # signature, then IHDR: length, type, 13 bytes, CRC
    return png[:end_of_header] + _chunk(b"tEXt", DIGEST_KEY + b"\0" + digest.encode()) + png[end_of_header:]


def digest_of(png: bytes) -> str | None:
    """Return the digest a PNG carries, or None."""
    at = 8
    while at + 8 <= len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        if kind == b"tEXt" and data.startswith(DIGEST_KEY + b"\0"):
            return data[len(DIGEST_KEY) + 1 :].decode()
        at += 12 + length
    return None


def screenshot(path: str) -> None:
    """Score the patient through the form and save the top of the report as a PNG."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Chromium is needed (Debian: apt-get install chromium)")
    with LiveServer(workers=1, API_KEYS=TEST_KEY) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(f"{server.url}/")
        fill(page, PATIENT, TEST_KEY)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        png = page.screenshot()
        browser.close()
    Path(path).write_bytes(with_digest(png, report_digest()))


if __name__ == "__main__":
    screenshot(sys.argv[1])
