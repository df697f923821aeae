"""The clinician pages (test client): the form speaks the API's fields, scores through the API's own
loader and assessor, shows its errors beside their fields, and the pages keep the service's policy."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest

from schemas import ASSESSMENT_EXAMPLES
from service.formats.as_html import PAGE_CSP
from service.http.security import FORM_KEY
from service.pages.form import BOTH_GIVEN, NONE_AND_SOME, PAGE_ONLY
from service.pages.html import KEY_REFUSED
from service.pages.words import words_of
from service.services import services
from tests.helpers import AUTH, make_app, make_patient, problem_of
from tests.helpers.pages import Controls, as_form, section
from tests.helpers.worked import EXAMPLES
from tests.live.screenshot import digest_of, report_digest, with_digest

HIGH = ASSESSMENT_EXAMPLES["high"]["value"]
SYMPTOMS = ASSESSMENT_EXAMPLES["symptoms"]["value"]


def anonymous(app):
    client = app.test_client()
    del client.environ_base["HTTP_AUTHORIZATION"]  # a browser sends no Authorization header
    return client


@pytest.fixture
def browser(app):
    return anonymous(app)


def post(browser, patient, **kwargs):
    return browser.post("/report", data=as_form(patient, **kwargs))


def test_the_form_has_a_labelled_control_for_every_api_field(browser, model):
    page = browser.get("/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    controls = Controls(page.get_data(as_text=True))
    assert controls.names() == {*model.inputs, *PAGE_ONLY, FORM_KEY}
    assert controls.unlabelled() == []


def test_every_core_factor_offers_unknown_and_the_form_links_the_model_and_swagger(browser, model):
    controls = Controls(browser.get("/").get_data(as_text=True))
    unknown = {c["name"] for c in controls.controls if c.get("value") == "null"}
    assert unknown == {name for name, row in model.inputs.items() if row.get("core")}
    page = browser.get("/").get_data(as_text=True)
    assert 'href="/model"' in page and 'href="/docs"' in page
    assert re.search(r"<details class=\"group refinements\">", page)  # refinements collapsed


@pytest.mark.parametrize("name", sorted(ASSESSMENT_EXAMPLES))
def test_the_form_scores_through_the_api(client, browser, name):
    """One path: the report says what the API answers for the same patient."""
    patient = ASSESSMENT_EXAMPLES[name]["value"]
    answer = client.post("/v1/assessments", json=patient).get_json()
    report = post(browser, patient)
    assert report.status_code == 200, report.data
    page = html.unescape(report.get_data(as_text=True))
    for block in answer["outcomes"].values():
        assert block["summary"] in page
        assert all(entry["explanation"] in page for entry in block["contributing_factors"])
    assert answer["disclaimer"] in page and answer["model"]["version"] in page


def test_the_report_page_scores_through_the_api_endpoint_object(monkeypatch):
    app = make_app()
    endpoint = services(app).assessment_endpoint
    seen, answer = [], endpoint.answer
    monkeypatch.setattr(endpoint, "answer", lambda body: seen.append(body) or answer(body))
    assert post(anonymous(app), HIGH).status_code == 200
    assert seen == [HIGH]


def test_errors_are_the_apis_shown_beside_their_fields_with_values_kept(client, browser):
    """The fields the API refuses are the ones marked, each with its message said for people."""
    patient = {**make_patient(age="seventy"), "t_score": "low", "weight_kg": 80}
    expected = problem_of(client.post("/v1/assessments", json=patient), 422)["errors"]
    response = post(browser, patient)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field in expected:
        beside = html.unescape(section(page, f"error-{field}"))
        assert "Not a valid" not in beside and "Required together with height_cm" not in beside, beside
        assert re.search(rf'id="field-{field}"[^>]*aria-describedby="[^"]*error-{field}"', page), field
    assert {f"error-{field}" for field in expected} == set(re.findall(r'id="(error-[a-z_]+)"', page)) - {
        "error-summary"
    }
    assert 'value="seventy"' in page and 'value="low"' in page and 'value="80"' in page
    assert re.search(r'value="never" checked', page)


def test_an_unknown_field_is_named_at_the_top(browser):
    page = browser.post("/report", data={**as_form(make_patient()), "age_at_surgery": "50"})
    assert page.status_code == 422
    summary = section(page.get_data(as_text=True), "error-summary")
    assert "age_at_surgery" in summary and "Unknown field." in summary


def test_a_value_and_unknown_together_are_refused_beside_the_field(browser):
    form = {**as_form(make_patient()), "levels_fused": ["3", "null"]}
    page = browser.post("/report", data=form).get_data(as_text=True)
    assert BOTH_GIVEN in section(page, "error-levels_fused")


@pytest.mark.parametrize("key", [None, "", "wrong-key-never-valid"], ids=["absent", "empty", "wrong"])
def test_scoring_needs_the_posted_key_and_never_echoes_it(browser, key):
    form = as_form(HIGH, key=None)
    if key is not None:
        form[FORM_KEY] = [key]
    response = browser.post("/report", data=form)
    assert response.status_code == 401 and response.mimetype == "text/html"
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="spinal-fusion-risk"')
    page = response.get_data(as_text=True)
    assert KEY_REFUSED in page and 'value="70"' in page
    assert not key or key not in page


def test_the_key_is_never_taken_from_a_header_or_the_url(app):
    client = app.test_client()  # sends the key as a Bearer header
    assert client.post("/report", data=as_form(HIGH, key=None)).status_code == 401
    key = AUTH["Authorization"].split()[1]
    assert client.post(f"/report?{FORM_KEY}={key}", data=as_form(HIGH, key=None)).status_code == 401


def test_without_keys_the_page_scores_for_anyone_and_asks_for_none():
    browser = anonymous(make_app(API_KEYS=()))
    assert FORM_KEY not in Controls(browser.get("/").get_data(as_text=True)).names()
    assert post(browser, HIGH, key=None).status_code == 200


def test_a_form_posted_from_another_site_is_refused(browser):
    response = browser.post("/report", data=as_form(HIGH), headers={"Sec-Fetch-Site": "cross-site"})
    problem_of(response, 403)
    assert (
        browser.post("/report", data=as_form(HIGH), headers={"Sec-Fetch-Site": "same-origin"}).status_code
        == 200
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "Cross-Site"},
        {"Sec-Fetch-Site": "SAME-SITE"},
        {"Origin": "https://evil.example"},
        {"Origin": "http://localhost.evil.example"},
        {"Origin": "http://localhost:8001"},
        {"Origin": "null"},
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "same-origin"},
    ],
    ids=["fetch-metadata", "same-site", "origin", "suffix", "port", "opaque", "origin-wins"],
)
def test_a_form_posted_from_another_origin_is_refused(headers):
    """Without keys the page scores for anyone, so a cross-site post is refused before anything is read:
    by Fetch Metadata or by Origin, whatever their case."""
    browser = anonymous(make_app(API_KEYS=()))
    problem_of(browser.post("/report", data=as_form(HIGH, key=None), headers=headers), 403)


@pytest.mark.parametrize("origin", ["http://localhost", "HTTP://LocalHost", "https://localhost:443"])
def test_a_form_posted_from_the_service_s_own_origin_is_scored(origin):
    browser = anonymous(make_app(API_KEYS=()))
    response = browser.post("/report", data=as_form(HIGH, key=None), headers={"Origin": origin})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def test_behind_a_public_base_url_the_origin_is_that_url_s():
    browser = anonymous(make_app(API_KEYS=(), PUBLIC_BASE_URL="https://risk.example.org"))
    form = as_form(HIGH, key=None)
    own = browser.post("/report", data=form, headers={"Origin": "https://Risk.Example.org"})
    assert own.status_code == 200
    problem_of(browser.post("/report", data=form, headers={"Origin": "http://localhost"}), 403)


def test_the_form_is_bounded_and_typed():
    browser = anonymous(make_app(API_KEYS=()))
    problem_of(browser.post("/report", json=HIGH), 415)
    problem_of(browser.post("/report", data={"age": "1" * 70_000}), 413)
    form = "application/x-www-form-urlencoded"
    problem_of(browser.post("/report", data=b"age=%ff", content_type=form), 400)
    many = "&".join(f"f{i}=1" for i in range(1001)).encode()
    problem_of(browser.post("/report", data=many, content_type=form), 413)


def test_a_chunked_form_over_the_limit_is_refused_never_scored_from_its_prefix():
    """The form is read by the API's body reader: a chunked body past MAX_BODY_BYTES is a 413, not a
    form cut at the limit whose prefix says `diabetes=true` while its end says `false`."""
    browser = anonymous(make_app(API_KEYS=()))
    form = b"&".join(f"{name}={value}".encode() for name, [value] in as_form(HIGH, key=None).items())
    body = form + b"&pad=" + b"x" * 70_000 + b"&diabetes=false"
    response = browser.post(
        "/report",
        input_stream=io.BytesIO(body),
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    problem_of(response, 413)


@pytest.mark.parametrize("path", ["/", "/model"])
def test_pages_keep_the_policy(browser, path):
    response = browser.get(path)
    check_policy(response)


def check_policy(response):
    assert response.headers["Content-Security-Policy"] == PAGE_CSP
    # Its own form's post carries its Origin (under no-referrer a browser sends `Origin: null`);
    # other sites get no referrer.
    assert response.headers.getlist("Referrer-Policy") == ["same-origin"]
    assert "unsafe-inline" not in PAGE_CSP and "http" not in PAGE_CSP
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "an inline script"
    assert not re.search(r"<style|\sstyle=", page), "an inline style"
    loaded = re.findall(r"<(?:script|link|img)[^>]*(?:src|href)=\"([^\"]+)\"", page)
    assert loaded and all(url.startswith("/assets/") for url in loaded), loaded


def test_the_report_keeps_the_policy_and_puts_nothing_in_its_address(browser):
    response = post(browser, SYMPTOMS)
    check_policy(response)
    form = browser.get("/").get_data(as_text=True)
    assert re.search(r'<form method="post" action="/report"', form)


def test_the_report_reads_in_order_banner_results_changes_explanations_evidence(browser):
    report = section(post(browser, SYMPTOMS).get_data(as_text=True), "report")
    titles = ("banner", "results", "changes", "explanations", "evidence", "about")
    order = [report.index(f'id="{title}-title"') for title in titles]
    assert order == sorted(order)
    evidence = report[order[-2] : order[-1]]
    assert "<details>" in evidence and not re.search(r"<details[^>]*\bopen", report)


def test_the_banner_is_absent_without_symptoms(browser):
    assert 'id="banner-title"' not in post(browser, HIGH).get_data(as_text=True)


def test_each_outcome_has_a_tier_in_words_a_scale_and_a_chart_with_an_accessible_name(browser, model):
    page = post(browser, HIGH).get_data(as_text=True)
    for outcome, name in model.outcomes.items():
        for kind in ("scale", "bars"):
            assert re.search(rf'<svg [^>]*role="img" aria-labelledby="{kind}-{outcome}-title"', page)
            title = section(page, f"{kind}-{outcome}-title")
            assert name in title
        assert '<span class="badge rank-2">high</span>' in section(page, f"result-{outcome}")
    assert "Points by factor (9 in all): smoking 2, diabetes 2," in " ".join(page.split())


def test_unknown_factors_show_the_range(browser):
    page = post(browser, ASSESSMENT_EXAMPLES["unknowns"]["value"]).get_data(as_text=True)
    assert "could reach" in page and ">high</span> with the unknown factors" in page


def test_evidence_links_each_reference(browser):
    page = post(browser, HIGH).get_data(as_text=True)
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/38848350/"' in page
    assert 'href="https://doi.org/10.1371/journal.pone.0304473"' in page
    meaning = (
        '<span class="certainty-meaning"> (Meta-analysis of adjusted or large cohorts, consistent.)</span>'
    )
    assert f"Certainty <strong>A</strong>{meaning}" in page


def test_the_model_page_is_the_model_card(browser, model):
    from tests.docs.test_model_card import CARD

    page = browser.get("/model").get_data(as_text=True)
    headings = re.findall(r"^## (.+)$", CARD.read_text(encoding="utf-8"), re.MULTILINE)
    assert headings and all(f"<h2>{html.escape(h, quote=False)}</h2>" in page for h in headings)
    assert all(reference in page for reference in model.references)
    assert "<script>" not in page and "&lt;!--" not in page


def test_posted_text_is_escaped_wherever_it_is_shown_again(browser):
    planted = "<script>alert(1)</script>"
    form = {**as_form(make_patient(age=planted)), planted: "1"}
    page = browser.post("/report", data=form).get_data(as_text=True)
    assert planted not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_readme_screenshot_shows_todays_report():
    """docs/clinician-report.png carries the digest of the report it shows: `make screenshot` after
    changing the report or its stylesheets."""
    png = (Path(__file__).resolve().parents[2] / "docs" / "clinician-report.png").read_bytes()
    assert digest_of(png) == report_digest(), "the report changed: run `make screenshot`"


def test_a_screenshot_without_the_digest_or_with_another_is_stale():
    png = (Path(__file__).resolve().parents[2] / "docs" / "clinician-report.png").read_bytes()
    plain = png.replace(b"report-digest", b"something-els")
    assert digest_of(plain) is None
    assert digest_of(with_digest(plain, "0" * 64)) == "0" * 64 != report_digest()


def test_the_report_shows_what_was_entered(app, client, model):
    """A printed report says what it was computed from: each value, unknown core factors as such,
    the refinements not given by name, and whether symptoms were entered."""
    page = client.post(
        "/report", data=as_form({**make_patient(smoking="current", diabetes=None), "days_since_surgery": 10})
    ).get_data(as_text=True)
    block = " ".join(html.unescape(Controls(section(page, "entered")).visible_text()).split())
    labels = words_of(model, services(app).loader.schema).labels
    assert f"{labels['smoking']} current" in block
    assert f"{labels['diabetes']} unknown" in block
    assert f"{labels['osteoporosis']} no" in block
    assert f"{labels['days_since_surgery']} 10" in block
    assert "Symptoms not asked" in block
    missing = block.split("Not given:")[1]
    assert f"{labels['region']}; " in missing and f"{labels['hba1c']}; " in missing
    assert labels["smoking"] not in missing and "hba1c" not in missing  # labels, never API names
    with_symptoms = client.post(
        "/report", data=as_form({**make_patient(), "symptoms": ["pain_worse_with_load"]})
    ).get_data(as_text=True)
    assert "see the symptom review above" in html.unescape(section(with_symptoms, "entered"))
    asked_none = client.post("/report", data=as_form({**make_patient(), "symptoms": []})).get_data(
        as_text=True
    )
    assert "Symptoms asked: none reported" in " ".join(
        Controls(section(asked_none, "entered")).visible_text().split()
    )


def banner_text(page: str) -> str:
    return " ".join(html.unescape(Controls(section(page, "symptom-review")).visible_text()).split())


def test_the_form_tells_symptoms_asked_none_from_not_asked(browser, model):
    form = browser.get("/").get_data(as_text=True)
    assert re.search(
        r'<input type="checkbox" name="symptoms" value="\[\]"> Symptoms asked: none</label>', form
    )
    for symptom in model.symptoms.values():  # the checklist shows both words
        assert html.escape(symptom.patient_label, quote=False) in form
    none = post(browser, make_patient(symptoms=[])).get_data(as_text=True)
    assert "Symptom review: routine" in banner_text(none)
    assert "Symptoms were asked: none reported." in banner_text(none)
    assert 'id="banner-title"' not in post(browser, make_patient()).get_data(as_text=True)


def test_asked_none_and_a_symptom_ticked_together_are_refused(browser):
    form = {**as_form(make_patient()), "symptoms": ["[]", "pain_worse_with_load"]}
    response = browser.post("/report", data=form)
    assert response.status_code == 422
    assert NONE_AND_SOME in html.unescape(response.get_data(as_text=True))


def test_a_same_day_review_has_its_own_banner(browser):
    page = post(browser, make_patient(symptoms=["wound_red_warm_or_swollen"], days_since_surgery=10))
    text = page.get_data(as_text=True)
    assert 'class="banner urgency-1"' in section(text, "report")
    assert "Symptom review: same day" in banner_text(text)
    assert "Contact the surgical team today" in banner_text(text)


def test_a_combination_is_named_in_the_banner(browser):
    patient = make_patient(
        symptoms=["wound_red_warm_or_swollen", "new_limb_weakness_or_numbness"], days_since_surgery=20
    )
    assert "emergency: Possible spinal epidural abscess: urgent MRI." in banner_text(
        post(browser, patient).get_data(as_text=True)
    )


def test_a_refused_minor_s_red_flag_shows_the_act_now_banner_on_the_form(browser):
    """Worked example 4: 17 years old, day 5, bladder control lost: no tiers, an emergency all the same."""
    patient = {
        **make_patient(age=17, levels_fused=10, region="thoracolumbar"),
        "days_since_surgery": 5,
        "symptoms": ["bladder_or_bowel_control_loss"],
    }
    response = post(browser, patient)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.index('id="banner-title"') < page.index('id="error-summary"')
    text = banner_text(page)
    assert "Symptom review: emergency" in text and "Seek emergency care now" in text
    assert "could not be scored" in text
    assert 'class="banner urgency-0"' in page


def test_no_banner_when_the_refusal_is_about_the_symptoms_themselves(browser):
    patient = {
        **make_patient(age=17),
        "symptoms": ["bladder_or_bowel_control_loss"],
        "days_since_surgery": -1,
    }
    page = post(browser, patient).get_data(as_text=True)
    assert 'id="banner-title"' not in page and 'id="error-summary"' in page


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_1_2_worked_examples_on_the_report(browser, model, name):
    """A tier badge when the range stays in one tier, else a neutral badge with the range; beside it,
    the typical published rate for the kind of operation, or that none is shown."""
    example = EXAMPLES[name]
    page = post(browser, example.patient).get_data(as_text=True)
    ranks = {tier: rank for rank, (tier, _) in enumerate(model.tiers)}
    for outcome in model.outcomes:
        expected, result = getattr(example, outcome), " ".join(section(page, f"result-{outcome}").split())
        lowest, highest = expected.tiers
        points = (
            str(expected.points[0]) if len(set(expected.points)) == 1 else "–".join(map(str, expected.points))
        )
        if lowest == highest:
            assert f'<span class="badge rank-{ranks[lowest]}">{lowest}</span>' in result
        else:
            assert f'<span class="badge neutral">{lowest} to {highest}</span>' in result
        assert f'<span class="points">{points} points</span>' in result
        assert model.document["typical_rates"]["label"] in html.unescape(result)
        if expected.rate:
            _, low, high = expected.rate
            span = str(low) if low == high else f"{low}–{high}"
            assert f"<strong>{span} per 100</strong>" in result, result
        else:
            assert "No published rate is shown for this kind of operation" in result


def test_the_report_states_each_points_change_and_the_advice_without_points(browser):
    page = " ".join(post(browser, EXAMPLES["3-bone-unknown-woman-66"].patient).get_data(as_text=True).split())
    assert "Measure bone density (DXA or CT Hounsfield units)." in page
    page = " ".join(
        post(browser, EXAMPLES["1-smoker-diabetic-2-levels-after-surgery"].patient)
        .get_data(as_text=True)
        .split()
    )
    assert '<span class="points-change">high, 8 → 7 points</span>' in page
    assert "Keep blood glucose under control while the wound heals." in page
