"""The handout of model 1.2: the team's contacts (page-only fields, printed, never sent to the API),
words for the region operated on, what is normal after surgery, and headings for before the operation."""

from __future__ import annotations

import html

import pytest

from schemas import ASSESSMENT_EXAMPLES
from service.config import CONTACT_LENGTH, ConfigError, from_environ
from service.pages import check_pages, handout
from service.pages.form import PAGE_ONLY
from service.services import services
from tests.helpers import make_app, make_patient
from tests.helpers.pages import Controls, as_form, section
from tests.helpers.readability import grade
from tests.helpers.worked import EXAMPLES

HIGH = ASSESSMENT_EXAMPLES["high"]["value"]
PHONE, ROUTE = "01632 960 123", "Call the ward on 01632 960 999, or go to the nearest emergency department"
WITH_RED_FLAG = {**HIGH, "symptoms": ["wound_pus"], "days_since_surgery": 12}
MAX_GRADE = 8


def text_of(page: str, ident: str) -> str:
    return " ".join(html.unescape(Controls(section(page, ident)).visible_text()).split())


def report(app, patient, **contacts):
    form = {**as_form(patient), **{name: [value] for name, value in contacts.items()}}
    response = app.test_client().post("/report", data=form)
    assert response.status_code == 200, response.data
    return response.get_data(as_text=True)


def words_in(words: str, text: str) -> bool:
    return " ".join(words.split()) in text


def test_the_contacts_are_printed_in_the_act_box_and_under_the_closing(app):
    page = report(app, WITH_RED_FLAG, team_phone=PHONE, out_of_hours=ROUTE)
    act = text_of(page, "handout").split(handout.wording()["closing"].split()[0])[0]
    closing = text_of(page, "handout").split(" ".join(handout.wording()["closing"].split()))[1]
    for part in (act, closing):
        assert f"Your surgery team's phone number: {PHONE}" in part
        assert f"At night, at weekends and on holidays: {ROUTE}" in part
    assert PHONE not in text_of(page, "report")  # the handout's, not the report's


def test_without_contacts_the_handout_has_lines_to_write_them_on(app):
    page = report(app, WITH_RED_FLAG)
    handout_html = section(page, "handout")
    blanks = handout_html.count('<span class="blank"><span class="sr-label">')
    assert blanks == 2 * len(PAGE_ONLY)  # in the act box and under the closing


def test_configured_contacts_fill_the_form_and_the_handout_and_the_form_can_change_them():
    app = make_app(CLINIC_TEAM_PHONE=PHONE, CLINIC_OUT_OF_HOURS=ROUTE)
    form = app.test_client().get("/").get_data(as_text=True)
    assert f'name="team_phone" value="{html.escape(PHONE)}"' in form
    assert f'name="out_of_hours" value="{html.escape(ROUTE)}"' in form
    assert PHONE in text_of(report(app, HIGH), "handout")
    changed = text_of(report(app, HIGH, team_phone="0800 000 0000", out_of_hours=""), "handout")
    assert "0800 000 0000" in changed and PHONE not in changed and ROUTE not in changed


def test_the_contacts_never_reach_the_api(monkeypatch):
    app = make_app()
    endpoint = services(app).assessment_endpoint
    seen, answer = [], endpoint.answer
    monkeypatch.setattr(endpoint, "answer", lambda body: seen.append(body) or answer(body))
    report(app, HIGH, team_phone=PHONE, out_of_hours=ROUTE)
    assert seen == [HIGH]


@pytest.mark.parametrize(
    "value", ["x" * (CONTACT_LENGTH + 1), "01632\n960 123"], ids=["too-long", "two-lines"]
)
def test_a_contact_that_would_not_print_is_refused_beside_its_field(app, value):
    form = {**as_form(HIGH), "team_phone": [value]}
    response = app.test_client().post("/report", data=form)
    assert response.status_code == 422
    assert "This must be" in text_of(response.get_data(as_text=True), "error-team_phone")


@pytest.mark.parametrize(
    ("value", "refusal"),
    [("x" * (CONTACT_LENGTH + 1), "characters or fewer"), ("ward\tone", "one line")],
    ids=["too-long", "tab"],
)
@pytest.mark.parametrize("name", sorted(PAGE_ONLY.values()))
def test_a_configured_contact_that_would_not_print_stops_the_start(name, value, refusal):
    with pytest.raises(ConfigError, match=rf"{name}: must be .*{refusal}"):
        from_environ({name: value})
    assert from_environ({name: f"  {PHONE} "}) == {name: PHONE}


@pytest.mark.parametrize(
    ("region", "approach", "part", "implants"),
    [
        ("cervical", None, "neck", "screws and rods"),
        ("cervical", "anterior", "neck", "plate and screws"),
        ("cervical", "posterior", "neck", "screws and rods"),
        ("lumbar", "anterior", "back", "screws and rods"),
        ("thoracolumbar", None, "back", "screws and rods"),
        ("thoracic", None, "back", "screws and rods"),
        (None, None, "spine", "implants"),
    ],
)
def test_the_handout_names_the_part_and_its_implants_by_region(region, approach, part, implants):
    assert handout.region_words(handout.wording(), region, approach) == {"part": part, "implants": implants}


@pytest.mark.parametrize(
    ("region", "part", "implants"), [("cervical", "neck", "screws and rods"), (None, "spine", "implants")]
)
def test_the_handout_says_the_region_s_words(app, region, part, implants):
    text = text_of(report(app, {**HIGH, "region": region}), "handout")
    assert f"the healing of your {part}" in text and f"the {implants} coming loose or breaking" in text
    assert f"until your {part} has healed" in text


@pytest.mark.parametrize(("region", "shown"), [("cervical", True), (None, True), ("lumbar", False)])
def test_what_is_normal_after_surgery_speaks_of_the_neck_only_after_neck_surgery(app, region, shown):
    text = text_of(report(app, {**HIGH, "region": region}), "handout")
    words = handout.wording()
    assert words["normal_heading"] in text
    for item in words["normal"]:
        assert words_in(item["text"], text) is (shown or "regions" not in item), item["text"]


def test_without_the_days_since_surgery_the_help_is_for_after_the_operation(app):
    words = handout.wording()
    before = text_of(report(app, HIGH), "handout")
    after = text_of(report(app, {**HIGH, "days_since_surgery": 30}), "handout")
    assert words["help_heading_before"] in before and words["help_heading"] not in before.replace(
        words["help_heading_before"], ""
    )
    assert words["help_heading"] in after and words["help_heading_before"] not in after


def test_the_handout_says_moderate_as_everything_else_does(app):
    moderate = make_patient(smoking="current")  # 2 points: moderate non-union
    text = text_of(report(app, moderate), "handout")
    assert "non-union" not in text and "Risk of the bones not growing together: moderate." in text
    assert "medium" not in text.lower()


@pytest.mark.parametrize("region", ["cervical", "lumbar", None])
def test_the_fuller_handout_still_reads_at_grade_8(app, region):
    page = report(app, {**WITH_RED_FLAG, "region": region}, team_phone=PHONE, out_of_hours=ROUTE)
    assert grade(text_of(page, "handout")) <= MAX_GRADE


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (lambda w: w["regions"].pop("thoracic"), r"regions: \['thoracic'\]"),
        (lambda w: w["normal"].append({"text": "x", "regions": ["sacral"]}), r"normal: \['sacral'\]"),
        (lambda w: w["regions"].update(lumbar={"part": "back"}), r"regions: no 'implants'"),
        (
            lambda w: w["regions"].update(lumbar={"part": "back", "implants": "rods", "lateral": "cage"}),
            r"regions: \['lateral'\] are not approaches",
        ),
    ],
    ids=["region-missing", "unknown-region", "no-implants", "unknown-approach"],
)
def test_handout_region_words_that_do_not_fit_the_table_stop_the_start(monkeypatch, change, refusal):
    words = {
        **handout.wording(),
        "regions": dict(handout.wording()["regions"]),
        "normal": list(handout.wording()["normal"]),
    }
    change(words)
    monkeypatch.setattr(handout, "wording", lambda: words)
    with pytest.raises(ConfigError, match=refusal):
        check_pages(make_app())


def test_unmeasured_bones_are_said_plainly(app):
    """Worked example 3: 66, osteoporosis not known, no density measured: the table's advice to
    measure bone density, in the handout's words."""
    text = text_of(report(app, EXAMPLES["3-bone-unknown-woman-66"].patient), "handout")
    assert handout.wording()["advice"]["measure_bone_density"] in text
    assert "Your bones have not been measured" not in text_of(report(app, HIGH), "handout")


def test_an_anterior_neck_fusion_speaks_of_the_neck_and_its_plate(app):
    """Worked example 6: a one-level anterior cervical fusion."""
    text = text_of(report(app, EXAMPLES["6-acdf-smoker-diabetic"].patient), "handout")
    assert "the healing of your neck" in text and "the plate and screws coming loose or breaking" in text


def test_handout_advice_the_table_does_not_give_stops_the_start(monkeypatch):
    words = {**handout.wording(), "advice": {"drink_milk": "Drink milk."}}
    monkeypatch.setattr(handout, "wording", lambda: words)
    with pytest.raises(ConfigError, match=r"advice: \['drink_milk'\]"):
        check_pages(make_app())
