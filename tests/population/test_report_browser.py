"""The validation report in a real browser (headless Chromium, offline): axe-core finds no violation, and
the page asks for nothing beyond its own file."""

from __future__ import annotations

import os

import pytest

from service.population.synth import synthesise
from tests.helpers.population import OUTCOMES
from tests.live.clinician import AXE, axe_violations
from tests.live.test_browser import CHROMIUM, FLAGS
from tests.population.test_validate import validated

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CI"), reason="no Chromium here (CI installs it)"
    ),
    pytest.mark.skipif(
        not AXE.is_file() and not os.environ.get("CI"), reason="run `make test`: it fetches axe-core"
    ),
]


def test_the_report_is_accessible_and_self_contained(tmp_path):
    from playwright.sync_api import sync_playwright

    code, output, report = validated(tmp_path, synthesise(3_000, seed=21, missing=0.2)[0], by="region")
    assert code == 0, output
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.goto((report / "index.html").as_uri())
        images = page.locator("img")
        assert images.count() == 2 * len(OUTCOMES)
        assert all(
            page.evaluate("i => i.naturalWidth > 0", images.nth(i).element_handle())
            for i in range(images.count())
        )
        assert axe_violations(page) == []
        browser.close()
    assert all(url.startswith(("file:", "data:")) for url in requested), requested
