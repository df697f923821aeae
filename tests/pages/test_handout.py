"""The patient handout and the pages' texts: plain language (Flesch–Kincaid grade 8 or below), no odds
ratios, the table's symptom rules; and no clinical number or word written into the pages' code."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from schemas import ASSESSMENT_EXAMPLES
from service.config import ConfigError
from service.pages import check_pages, handout
from tests.helpers import make_app
from tests.helpers.pages import Controls, as_form, section
from tests.helpers.readability import grade
from tests.schemas.test_no_literals import _stray_numbers

MAX_GRADE = 8
PAGES = Path(__file__).resolve().parents[2] / "service" / "pages"


def handout_text(app, patient) -> str:
    page = app.test_client().post("/report", data=as_form(patient)).get_data(as_text=True)
    return html.unescape(Controls(section(page, "handout")).visible_text())


HIGH = ASSESSMENT_EXAMPLES["high"]["value"]
# A low-risk patient nobody asked about smoking, bone health or weight.
UNASKED = {**ASSESSMENT_EXAMPLES["low"]["value"], "smoking": None, "osteoporosis": None, "obesity": None}
MORE = {"unasked": UNASKED, "high, after surgery": {**HIGH, "days_since_surgery": 10}}


@pytest.mark.parametrize("name", [*sorted(ASSESSMENT_EXAMPLES), *MORE])
def test_the_handout_reads_at_grade_8_or_below(app, name):
    text = handout_text(app, MORE[name] if name in MORE else ASSESSMENT_EXAMPLES[name]["value"])
    assert grade(text) <= MAX_GRADE, f"grade {grade(text):.1f}"


def test_the_handout_says_what_a_tier_means_not_a_chance(app):
    text = handout_text(app, HIGH)
    assert " ".join(handout.wording()["tier_meaning"].split()) in " ".join(text.split())
    assert "Chance" not in text


def test_unknown_habits_are_never_praised(app):
    """Nobody asked whether the patient smokes: the handout asks to tell the team, never says
    their habits are good; the report names what to ask."""
    text = " ".join(handout_text(app, UNASKED).split())
    assert "good habits" not in text
    assert "We did not know about your smoking, osteoporosis diagnosis and obesity" in text
    assert "good habits" in handout_text(app, ASSESSMENT_EXAMPLES["low"]["value"])
    page = app.test_client().post("/report", data=as_form(UNASKED)).get_data(as_text=True)
    report = " ".join(html.unescape(Controls(section(page, "report")).visible_text()).split())
    assert "Not known, and changeable if present: smoking, osteoporosis diagnosis, obesity" in report
    assert "None of the factors that add points can be changed" not in report


def test_after_surgery_the_advice_speaks_of_healing_not_of_getting_ready(app):
    words = handout.wording()
    before = " ".join(handout_text(app, HIGH).split())
    after = " ".join(handout_text(app, MORE["high, after surgery"]).split())
    assert " ".join(words["factors"]["obesity"].split()) in before
    assert " ".join(words["after_surgery"]["obesity"].split()) in after
    assert "before surgery" in before and "before surgery" not in after


def test_the_grade_check_can_fail(model):
    """The clinicians' own wording is harder: the same measure rejects it."""
    advice = "\n".join(f.advice for f in model.factors if f.advice)
    assert grade(advice) > MAX_GRADE
    assert grade("The cat sat on the mat.") < 0


def test_the_handout_quotes_no_odds_and_says_when_to_get_help(app, model):
    text = handout_text(app, ASSESSMENT_EXAMPLES["high"]["value"])
    assert not re.search(r"\b(OR|RR|HR|odds|CI)\b|%", text)
    assert all(symptom.patient_label.removesuffix(".") in text for symptom in model.symptoms.values())
    words = handout.wording()
    said = handout.region_words(words, HIGH.get("region"), None)
    assert all(
        words["factors"][f].format(**said) in text for f in ("smoking", "diabetes", "osteoporosis", "obesity")
    )


def test_the_handout_asks_to_act_on_reported_symptoms(app):
    text = handout_text(app, ASSESSMENT_EXAMPLES["symptoms"]["value"])
    assert handout.wording()["act"]["emergency"] in " ".join(text.split())
    assert handout.wording()["reported_heading"]["emergency"] in text
    prompt = handout_text(app, {**ASSESSMENT_EXAMPLES["low"]["value"], "symptoms": ["pain_worse_with_load"]})
    assert handout.wording()["reported_heading"]["prompt"] in prompt
    assert handout.wording()["reported_heading"]["emergency"] not in prompt
    assert handout.wording()["act"]["emergency"] not in handout_text(
        app, ASSESSMENT_EXAMPLES["high"]["value"]
    )


@pytest.mark.parametrize(("region", "shown"), [("cervical", True), (None, True), ("lumbar", False)])
def test_neck_symptoms_are_listed_after_neck_surgery_or_when_the_region_is_not_known(
    app, model, region, shown
):
    text = handout_text(app, {**HIGH, "region": region})
    neck = [s for s in model.symptoms.values() if s.regions == ("cervical",)]
    assert {s.code for s in neck} == {"neck_airway_warning", "neck_hoarse_voice", "neck_mild_dysphagia"}
    assert all((s.patient_label.removesuffix(".") in text) == shown for s in neck)
    assert model.symptoms["wound_pus"].patient_label in text


def test_the_help_lists_say_the_fever_thresholds_and_when_a_level_holds(app, model):
    review = model.document["symptom_review"]
    text = " ".join(handout_text(app, HIGH).split())
    assert f"Your fever is {review['fever_c']:.1f} °C or more" in text
    assert f"Your fever is {review['high_fever_c']:.1f} °C or more" in text
    words = handout.wording()
    assert words["urgencies"]["same_day"] in text
    # same_day in the first six weeks, prompt after them; same_day in the first year, prompt after it
    assert "Your pain gets worse day by day (in the first 6 weeks)." in text
    assert "Your pain gets worse day by day (after the first 6 weeks)." in text
    assert "and your wound looks fine (in the first year)." in text
    assert "and your wound looks fine (after the first year)." in text


def test_the_handout_retells_reported_symptoms_in_the_patients_words(app, model):
    text = handout_text(app, {**HIGH, "symptoms": ["wound_red_warm_or_swollen"], "days_since_surgery": 10})
    assert words_in(handout.wording()["reported_heading"]["same_day"], text)
    assert words_in(handout.wording()["act"]["same_day"], text)
    assert model.symptoms["wound_red_warm_or_swollen"].label not in text


def words_in(words: str, text: str) -> bool:
    return " ".join(words.split()) in " ".join(text.split())


def test_handout_wording_that_names_what_the_model_lacks_stops_the_start(monkeypatch):
    words = {**handout.wording(), "tiers": {"low": "low", "severe": "very high"}}
    monkeypatch.setattr(handout, "wording", lambda: words)
    with pytest.raises(ConfigError, match=r"handout\.yaml: tiers"):
        check_pages(make_app())


def test_handout_tiers_other_than_the_models_words_stop_the_start(monkeypatch):
    """Model 1.2: the handout says "moderate", as everything else does (checked at start-up)."""
    words = {**handout.wording(), "tiers": {"low": "low", "moderate": "medium", "high": "high"}}
    monkeypatch.setattr(handout, "wording", lambda: words)
    with pytest.raises(ConfigError, match=r"handout\.yaml: tiers: the handout names each tier as the model"):
        check_pages(make_app())


TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<[^>]*>", re.DOTALL)


def model_words(model) -> set[str]:
    words = {tier for tier, _ in model.tiers} | set(model.urgencies) | set(model.outcomes.values())
    return words | {f.label for f in model.factors} | {s.label for s in model.symptoms.values()}


def literals(template: str, words: set[str]) -> list[str]:
    """The numbers and model words a template writes itself (outside its expressions and tags)."""
    text = TEMPLATE_CODE.sub(" ", template).lower()
    return re.findall(r"\d+", text) + sorted(
        w for w in words if re.search(rf"\b{re.escape(w.lower())}\b", text)
    )


def test_templates_write_no_clinical_number_or_model_word(model):
    """Every number, tier, urgency, factor, outcome and symptom shown comes from the assessment or table."""
    for template in (PAGES / "templates").glob("*.html"):
        assert literals(template.read_text(encoding="utf-8"), model_words(model)) == [], template.name


def test_the_template_check_can_fail(model):
    planted = "<p>{{ o.risk }} means <b>high</b> risk below {{ 5 }} points, 5 at most</p>"
    assert literals(planted, model_words(model)) == ["5", "high"]


def test_the_pages_code_keeps_numbers_in_named_constants():
    for path in PAGES.glob("*.py"):
        assert not _stray_numbers(path, str.isupper), path.name
