"""The form's words (form.yaml): labels in the clinician's words, the loader's errors said for people
with the table's bounds, the error summary in the form's order, and numbers typed as people type them."""

from __future__ import annotations

import html
import re

import pytest

from service.config import ConfigError
from service.core.wording import measured
from service.pages import check_pages, words
from service.services import services
from tests.helpers import make_app, make_patient, problem_of
from tests.helpers.pages import Controls, as_form, section


@pytest.fixture
def said(app, model):
    return words.words_of(model, services(app).loader.schema)


def posted(app, patient, **extra):
    form = {**as_form(patient), **{name: [text] for name, text in extra.items()}}
    return app.test_client().post("/report", data=form)


def beside(page: str, name: str) -> str:
    return " ".join(html.unescape(Controls(section(page, f"error-{name}")).visible_text()).split())


def test_labels_are_the_clinicians_words_with_the_api_name_as_small_print(app, model, said):
    page = app.test_client().get("/").get_data(as_text=True)
    for name in model.inputs:
        assert "_" not in said.labels[name] and "`" not in said.labels[name], name
        label = re.escape(html.escape(said.labels[name], quote=False))
        assert re.search(rf'{label}[^<]*<span class="api-name">{name}</span>', page), name


def test_obesity_says_the_tables_bmi_threshold(app, model, said):
    threshold = model.factor("obesity").params["thresholds"]["obese_from_bmi"]
    assert said.labels["obesity"] == f"Obesity: BMI {measured(threshold)} or more"
    assert said.labels["obesity"] in app.test_client().get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("age", "seventy", "Enter the age in whole years, {min} to {max}."),
        ("age", "200", "Enter the age in whole years, {min} to {max}."),
        ("age", "70.5", "Enter the age in whole years, {min} to {max}."),
        ("levels_fused", "0", "Enter the number of levels fused in whole levels, {min} to {max}."),
        ("bmi", "heavy", "Enter the BMI as a number from {min} to {max} {unit}, such as {example}."),
        (
            "t_score",
            "-11",
            "Enter the lowest T-score as a number from {min} to {max} {unit}, such as {example}.",
        ),
        (
            "hounsfield_units",
            "1,200",
            "Enter the CT bone density as a number from {min} to {max} {unit}, such as {example}.",
        ),
        ("region", "sacral", "Choose one of the answers given."),
        ("steroid_use", "often", "Choose yes or no."),
        ("symptoms", "back_ache", "Tick only the symptoms listed."),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "",
)
def test_the_loaders_errors_are_said_for_people_with_the_tables_bounds(app, model, name, text, expected):
    row = model.inputs[name]
    numbers = {key: measured(row[key]) for key in ("min", "max", "example") if key in row}
    response = posted(app, make_patient(), **{name: text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert expected.format(**numbers, unit=row.get("unit", "")) in beside(page, name)
    assert not re.search(r"Not a valid|Must be|Unknown field|Missing data", page)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("age", "Enter the age in whole years, {min} to {max}, or tick unknown."),
        ("diabetes", "Choose yes, no or unknown."),
        ("smoking", "Choose one answer, or unknown."),
    ],
)
def test_a_core_answer_left_out_asks_for_it_or_unknown(app, model, name, expected):
    form = as_form(make_patient())
    del form[name]
    page = app.test_client().post("/report", data=form).get_data(as_text=True)
    assert expected.format(**model.inputs[name]) in beside(page, name)


@pytest.mark.parametrize(
    ("label", "noun"),
    [
        ("Age", "age"),
        ("HbA1c", "HbA1c"),
        ("BMI", "BMI"),
        ("CT bone density", "CT bone density"),
        ("Days since", "days since"),
    ],
)
def test_a_label_is_said_mid_sentence_with_its_abbreviations_kept(label, noun):
    assert words.lower_first(label) == noun


def test_a_rule_across_fields_names_them_as_the_form_does(app):
    page = posted(app, {**make_patient(), "weight_kg": 80, "months_since_quit": 3}).get_data(as_text=True)
    assert beside(page, "height_cm") == "Error: Required together with the height and the weight."
    assert "Only applies when smoking is 'former'." in beside(page, "months_since_quit")


def test_the_api_keeps_the_loaders_own_words(client):
    errors = problem_of(client.post("/v1/assessments", json=make_patient(age="seventy")), 422)["errors"]
    assert errors["age"] == ["Not a valid integer."]


def test_the_adults_only_refusal_keeps_its_reason(app, model):
    page = posted(app, make_patient(age=model.adult_age - 1)).get_data(as_text=True)
    assert f"The model applies to adults, {model.adult_age} or older." in beside(page, "age")


def test_the_error_summary_follows_the_form(app, model):
    """Core factors, then refinements, then the days since surgery, whatever order the loader sorted."""
    patient = {
        **make_patient(age="old", smoking=None),
        "region": "sacral",
        "bmi": "x",
        "days_since_surgery": -1,
    }
    form = as_form(patient)
    del form["smoking"]
    page = app.test_client().post("/report", data=form).get_data(as_text=True)
    linked = re.findall(r'<a href="#field-([a-z_]+)">', section(page, "error-summary"))
    order = [name for name, row in model.inputs.items() if row.get("core")]
    order += [name for name in model.inputs if name not in order and name != "days_since_surgery"]
    order += ["days_since_surgery"]
    assert linked == sorted(linked, key=order.index) and set(linked) == {
        "age",
        "smoking",
        "region",
        "bmi",
        "days_since_surgery",
    }
    assert linked != sorted(linked)  # the loader's order is alphabetical: this one is not


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("bmi", "31,5", "31.5"),
        ("t_score", "-2,8", "−2.8"),
        ("t_score", "\u22122.8", "−2.8"),
        ("hba1c", " 8,25 ", "8.25"),
        ("age", "70,0", "70"),
    ],
)
def test_the_form_reads_a_decimal_comma_and_a_true_minus(app, said, name, text, value):
    response = posted(app, make_patient(), **{name: text})
    assert response.status_code == 200, response.data
    entered = " ".join(
        html.unescape(Controls(section(response.get_data(as_text=True), "entered")).visible_text()).split()
    )
    assert f"{said.labels[name]} {value}".replace("−", "-") in entered.replace("−", "-")


def test_the_api_stays_strict_about_commas(client):
    problem_of(client.post("/v1/assessments", json={**make_patient(), "bmi": "31,5"}), 422)


def test_form_wording_that_names_what_the_model_lacks_stops_the_start(monkeypatch):
    broken = {**words.wording(), "labels": {"age_at_surgery": "Age at surgery"}}
    monkeypatch.setattr(words, "wording", lambda: broken)
    with pytest.raises(ConfigError, match=r"form\.yaml: labels: \['age_at_surgery'\]"):
        check_pages(make_app())


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (lambda w: w["errors"]["invalid"].pop("number"), r"errors\.invalid: no message for \['number'\]"),
        (lambda w: w["errors"]["required"].pop("boolean"), r"errors\.required: no message for \['boolean'\]"),
        (lambda w: w["labels"].update(bmi="BMI over {obese_from}"), r"bmi: the table has no 'obese_from'"),
    ],
    ids=["no-number-message", "no-required-boolean", "unknown-threshold"],
)
def test_form_wording_that_lacks_what_the_model_needs_stops_the_start(monkeypatch, change, refusal):
    broken = {
        key: {k: dict(v) if isinstance(v, dict) else v for k, v in value.items()}
        for key, value in words.wording().items()
    }
    change(broken)
    monkeypatch.setattr(words, "wording", lambda: broken)
    with pytest.raises(ConfigError, match=refusal):
        check_pages(make_app())
