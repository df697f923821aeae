"""A real browser (headless Chromium) runs Swagger UI against the live server, offline."""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest

from service.core import default_model
from tests.helpers import TEST_KEY
from tools.need import sentence

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 20_000


def chromium_executable() -> str:
    """Debian's Chromium: a browser test without it fails, saying how to install it (never skips)."""
    if CHROMIUM is None:
        pytest.fail(sentence("chromium"), pytrace=False)
    return CHROMIUM


def test_try_it_out_runs_the_high_risk_example(live):
    from playwright.sync_api import sync_playwright

    requested, problems = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(), args=FLAGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requested.append(r.url))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.goto(f"{live.url}/docs", wait_until="networkidle")

            page.get_by_role("button", name="Authorize").first.click()
            page.locator(".auth-container input").first.fill(TEST_KEY)
            page.locator(".auth-btn-wrapper button.authorize").click()
            page.locator(".auth-btn-wrapper button.btn-done").click()

            operation = page.locator("#operations-assessments-createAssessment")
            operation.locator(".opblock-summary").click()
            operation.get_by_role("button", name="Try it out").click()
            operation.locator(".opblock-section-request-body .examples-select select").select_option("high")
            operation.get_by_role("button", name="Execute").click()

            status = operation.locator(".live-responses-table .response .response-col_status").first
            status.wait_for(timeout=WAIT_MS)
            assert status.inner_text().strip().startswith("200")
            body = operation.locator(".live-responses-table .response-col_description pre").first.inner_text()
            assert '"risk": "high"' in body and f'"version": "{default_model().version}"' in body
        finally:
            browser.close()
    hosts = {urlsplit(url).hostname for url in requested if urlsplit(url).scheme in ("http", "https")}
    assert hosts == {"127.0.0.1"}, f"requests left 127.0.0.1: {sorted(hosts)}"
    assert any(url.endswith("/v1/assessments") for url in requested)
    assert not [p for p in problems if "Content Security Policy" in p], problems
