"""Drive the clinician pages in the real browser: fill the form, run axe-core, count printed pages."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from service.core import default_model
from service.http.security import FORM_KEY
from service.pages.form import ASKED_NONE

ROOT = Path(__file__).resolve().parents[2]
# `make test` fetches the pinned axe-core into .cache/ and names it; a bare pytest finds it there.
FETCHED = sorted(ROOT.glob(".cache/axe-core-*/axe.min.js"))
AXE = ROOT / os.environ.get("AXE_CORE", FETCHED[-1] if FETCHED else ".cache/axe-core-not-fetched")
AXE_MISSING = "axe-core is missing: run `make test`, which fetches it with npm (pinned, integrity-checked)."
PDF_PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")


def fill(page, patient: dict, key: str | None) -> None:
    """Fill the form as a clinician would: radios and ticks for choices, text for numbers."""
    inputs = default_model().inputs
    for name, value in patient.items():
        row = inputs[name]
        refinements = page.locator("details.refinements")
        if (
            page.locator(f"details.refinements [name={name}]").count()
            and refinements.get_attribute("open") is None
        ):
            page.click("details.refinements > summary")  # opens natively: no script needed
        if row["type"] == "symptoms":
            for code in value or [ASKED_NONE]:  # none reported: the "asked: none" box
                page.check(f"input[name={name}][value='{code}']")
        elif value is None or (row.get("core") and row["type"] in ("boolean", "choice")):
            page.check(f"input[name={name}][value='{_text(value)}']")
        elif row["type"] in ("boolean", "choice"):
            page.select_option(f"#field-{name}", _text(value))
        else:
            page.fill(f"#field-{name}", _text(value))
    if key is not None:
        page.fill(f"#field-{FORM_KEY}", key)


def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page (the context bypasses CSP for this injected script only)."""
    if not AXE.is_file():
        pytest.fail(AXE_MISSING, pytrace=False)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """() => axe.run(document, {resultTypes: ["violations"]}).then(result => result.violations.map(
            v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))})))"""
    )


def printed_pages(pdf: bytes) -> int:
    """Count the pages of a PDF (Chromium writes one page object per page)."""
    return len(PDF_PAGE.findall(pdf))
