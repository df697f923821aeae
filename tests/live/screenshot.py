"""Take the README's screenshot of the report from the real page (gunicorn, Chromium): `make screenshot`
(beside the live tests: it drives the page with their server and form filler)."""

from __future__ import annotations

import shutil
import sys

from schemas import ASSESSMENT_EXAMPLES
from tests.helpers import TEST_KEY
from tests.live.clinician import fill
from tests.live.server import LiveServer

# The README's high-risk patient, reporting a symptom five months after surgery.
PATIENT = {
    **ASSESSMENT_EXAMPLES["high"]["value"],
    "symptoms": ["pain_worse_with_load"],
    "days_since_surgery": 150,
}
VIEWPORT = {"width": 1200, "height": 1500}


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
        page.screenshot(path=path)
        browser.close()


if __name__ == "__main__":
    screenshot(sys.argv[1])
