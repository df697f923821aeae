"""A clinician in a real browser (headless Chromium, offline): score a patient with and without
JavaScript, read the report and the handout, print them; axe-core finds no violation on any page."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import pytest

from schemas import ASSESSMENT_EXAMPLES
from tests.helpers import TEST_KEY
from tests.helpers.readability import grade
from tests.helpers.worked import EXAMPLES
from tests.live.clinician import AXE, axe_violations, fill, printed_pages
from tests.live.test_browser import CHROMIUM, FLAGS

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="no Chromium here (CI installs it, and never skips)"
)
HIGH = ASSESSMENT_EXAMPLES["high"]["value"]  # the README's high-risk patient
WITH_SYMPTOMS = {
    **HIGH,
    "obesity": None,
    "symptoms": ["pain_worse_with_load", "saddle_numbness"],
    "days_since_surgery": 150,
}
# Worked example 4 of model 1.2: refused (under 18), reviewed all the same (the form's act-now banner).
MINOR_WITH_RED_FLAG = {
    **HIGH,
    "age": 17,
    "symptoms": ["bladder_or_bowel_control_loss"],
    "days_since_surgery": 5,
}
SAME_DAY = {**HIGH, "symptoms": ["wound_red_warm_or_swollen"], "days_since_surgery": 10}
# Worked example 2 of model 1.2: the richest (osteotomy, rods, typical rates), with two warning signs.
EXAMPLE_2 = {
    **EXAMPLES["2-long-fusion-osteotomy-two-rods"].patient,
    "symptoms": ["wound_red_warm_or_swollen", "new_limb_weakness_or_numbness"],
}
# Worked example 3: bone quality unknown, so hardware failure is "low to moderate" (neutral badge).
UNKNOWN_BONE = EXAMPLES["3-bone-unknown-woman-66"].patient
# Every changeable factor present, with three warning signs: the most evidence a report prints.
EVERY_FACTOR = {
    **HIGH,
    **{"hba1c": 9, "steroid_use": True, "vitamin_d_deficiency": True, "other_nicotine": True},
    **{"region": "lumbar", "approach": "posterior", "fusion_to_sacrum_or_pelvis": True},
    **{"prior_spine_surgery": True, "sex": "female"},
    "symptoms": ["wound_pus", "pain_getting_worse", "new_limb_weakness_or_numbness"],
}
# The report's paper budget: three A4 pages for the README's patients; since model 1.2 prints the
# evidence in full, a patient with many scored factors takes a fourth.
MAX_PAGES, MAX_PAGES_RICHEST, MAX_GRADE = 3, 4, 8


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "CI must provide Chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def requested():
    """Every URL any page of this module asked for; checked once all have run."""
    urls: list[str] = []
    yield urls
    hosts = {urlsplit(u).hostname for u in urls if urlsplit(u).scheme in ("http", "https")}
    assert hosts == {"127.0.0.1"}, f"requests left 127.0.0.1: {sorted(hosts)}"


def open_page(chromium, requested, javascript=True, **options):
    context = chromium.new_context(java_script_enabled=javascript, **options)
    page = context.new_page()
    page.on("request", lambda r: requested.append(r.url))
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return page, problems


def report(live, page, patient=HIGH):
    page.goto(f"{live.url}/")
    fill(page, patient, TEST_KEY)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_clinician_scores_a_patient(live, chromium, requested, javascript):
    page, problems = open_page(chromium, requested, javascript)
    report(live, page, WITH_SYMPTOMS)
    assert urlsplit(page.url).path == "/report" and not urlsplit(page.url).query
    banner, results = (page.locator(f"#{name}-title").bounding_box() for name in ("banner", "results"))
    assert banner["y"] < results["y"], "the urgency banner comes before the results"
    assert "EMERGENCY" in page.locator("#banner-title").inner_text().upper()
    charts = page.get_by_role("img", name=re.compile("^Points by contributing factor"))
    assert charts.count() == 2
    assert page.get_by_role("img", name=re.compile("^Tier scale for non-union: 8 points, high")).count() == 1
    assert page.locator("#report button.print").is_visible() is javascript  # the one enhancement
    assert not [p for p in problems if "Content Security Policy" in p], problems
    page.context.close()


def test_errors_show_beside_their_field_with_values_kept(live, chromium, requested):
    page, _ = open_page(chromium, requested, javascript=False)
    report(live, page, {**HIGH, "age": "seventy"})
    assert page.locator("#error-age").is_visible()
    assert page.locator("#field-age").input_value() == "seventy"
    assert page.locator("input[name=smoking][value=current]").is_checked()
    assert page.locator("#field-age").get_attribute("aria-invalid") == "true"
    page.context.close()


@pytest.mark.skipif(
    not AXE.is_file() and not os.environ.get("CI"), reason="run `make test`: it fetches axe-core"
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "view",
    [
        "form",
        "form-errors",
        "form-red-flags",
        "report",
        "report-same-day",
        "report-rates",
        "report-unknowns",
        "handout",
        "model",
        "score-file",
        "scored-file",
    ],
)
def test_axe_finds_no_violations(live, chromium, requested, view, scheme):
    # bypass_csp: for the injected axe script only
    page, _ = open_page(chromium, requested, bypass_csp=True, color_scheme=scheme)
    posted = {
        "form-errors": {**WITH_SYMPTOMS, "age": "seventy"},
        "form-red-flags": MINOR_WITH_RED_FLAG,
        "report-same-day": SAME_DAY,
        "report-rates": EXAMPLE_2,  # typical published rates beside each tier
        "report-unknowns": UNKNOWN_BONE,  # the neutral badge of a range the unknowns decide
    }
    if view in ("form", "model", "score-file"):
        page.goto(f"{live.url}/{ {'form': '', 'model': 'model', 'score-file': 'score-file'}[view] }")
    elif view == "scored-file":
        score_file(live, page)
    else:
        report(live, page, posted.get(view, WITH_SYMPTOMS))
    if view == "form-red-flags":
        assert "EMERGENCY" in page.locator("#banner-title").inner_text().upper()
    if view == "handout":
        page.click("a[href='#handout']")
        assert page.locator("#report").is_hidden()
    assert axe_violations(page) == []
    paper = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert (paper == "rgb(255, 255, 255)") is (scheme == "light"), paper
    page.context.close()


def score_file(live, page) -> None:
    """Upload a small CSV on the score-a-file page, as a clinician would."""
    page.goto(f"{live.url}/score-file")
    rows = "patient_id,age,smoking,osteoporosis,diabetes,levels_fused,obesity\n"
    rows += "p1,70,current,true,true,6,true\np2,17,,,,2,\n"
    page.set_input_files(
        "#input-file", files=[{"name": "p.csv", "mimeType": "text/csv", "buffer": rows.encode()}]
    )
    page.fill("#field-api_key", TEST_KEY)
    page.click("button[value=page]")
    assert "2 rows: 1 scored, 1 rejected" in page.locator("#result-title").inner_text()


def test_the_skip_link_is_the_first_stop_and_leads_to_the_main_content(live, chromium, requested):
    page, _ = open_page(chromium, requested, javascript=False)
    page.goto(f"{live.url}/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#main" and skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.context.close()


@pytest.mark.parametrize(
    ("patient", "budget"),
    [
        (HIGH, MAX_PAGES),
        (WITH_SYMPTOMS, MAX_PAGES),
        (EXAMPLE_2, MAX_PAGES_RICHEST),
        (EVERY_FACTOR, MAX_PAGES_RICHEST),
    ],
    ids=["readme-high-risk", "with-symptoms", "worked-example-2", "every-factor"],
)
def test_the_report_prints_within_its_a4_budget_without_navigation(
    live, chromium, requested, patient, budget
):
    page, _ = open_page(chromium, requested)
    report(live, page, patient)
    pages = printed_pages(page.pdf(format="A4", print_background=True))
    assert 1 <= pages <= budget, pages
    assert page.locator("#report .patient-line").is_hidden()  # on screen: nothing to fill in
    page.emulate_media(media="print")
    assert page.locator("header.site").is_hidden() and page.locator(".actions").first.is_hidden()
    assert page.locator("#report .patient-line").is_visible()  # on paper: lines for who it is about
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_evidence_is_collapsed_on_screen_and_printed_in_full(live, chromium, requested, javascript):
    page, _ = open_page(chromium, requested, javascript)
    report(live, page)
    rows = page.locator(".evidence li")
    assert rows.count() > 1 and not rows.first.is_visible()
    assert page.locator(".certainty-meaning").first.is_hidden()
    page.emulate_media(media="print")
    assert rows.first.is_visible() and rows.last.is_visible()
    assert (
        page.locator(".certainty-legend").is_visible()
        and page.locator(".certainty-meaning").first.is_hidden()
    )
    assert "Clinician:" in page.locator("#report .patient-line").inner_text()
    page.emulate_media(media="screen")
    assert not rows.first.is_visible() and page.locator("#report .patient-line").is_hidden()
    if javascript:  # browsers whose print stylesheet cannot open it: the script opens it to print
        opened = "() => document.querySelector('.evidence details').open"
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert page.evaluate(opened) is True
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        assert page.evaluate(opened) is False
    page.context.close()


def test_the_handout_reads_at_grade_8_and_prints_alone(live, chromium, requested):
    page, _ = open_page(chromium, requested)
    report(live, page, WITH_SYMPTOMS)
    page.click("a[href='#handout']")
    text = page.locator("#handout").inner_text()
    assert grade(text) <= MAX_GRADE, f"grade {grade(text):.1f}"
    assert not re.search(r"\b(OR|RR|HR|odds)\b", text)
    page.emulate_media(media="print")
    assert page.locator("#report").is_hidden() and page.locator("#handout").is_visible()
    assert page.locator("#handout .patient-line").is_visible()
    assert printed_pages(page.pdf(format="A4")) <= 2
    page.context.close()


@pytest.mark.skipif(
    not AXE.is_file() and not os.environ.get("CI"), reason="run `make test`: it fetches axe-core"
)
def test_the_axe_check_can_fail(chromium, requested):
    page, _ = open_page(chromium, requested, bypass_csp=True)
    page.set_content("<html><body><main><img src='data:,'><input></main></body></html>")
    assert {"image-alt", "html-has-lang", "label"} <= {v["id"] for v in axe_violations(page)}
    page.context.close()
