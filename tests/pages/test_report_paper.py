"""The report of model 1.2 on paper: when it was generated (the server's clock, shown and never
kept), a line for the clinician, and the evidence printed in full with each grade said once."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from schemas import ASSESSMENT_EXAMPLES
from service.pages.report import stamp
from tests.helpers import make_app, make_patient
from tests.helpers.pages import Controls, as_form, section
from tests.helpers.worked import EXAMPLES

HIGH = ASSESSMENT_EXAMPLES["high"]["value"]


def report(app, patient=HIGH) -> str:
    response = app.test_client().post("/report", data=as_form(patient))
    assert response.status_code == 200, response.data
    return response.get_data(as_text=True)


def test_the_report_says_when_the_servers_clock_generated_it(app):
    before = datetime.now().astimezone().replace(microsecond=0)
    page = section(report(app), "report")
    after = datetime.now().astimezone()
    machine, shown = re.search(r'Generated <time datetime="([^"]+)">([^<]+)</time>', page).groups()
    moment = datetime.fromisoformat(machine)
    assert moment.tzinfo is not None and before <= moment <= after
    assert shown == stamp(moment)["shown"]
    assert page.index("Generated") < page.index('id="results-title"')


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2026, 12, 4, 14, 20, 31, tzinfo=UTC), "2026-12-04 14:20 (UTC+0000)"),
        (
            datetime(2026, 7, 1, 9, 5, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
            "2026-07-01 09:05 (UTC-0530)",
        ),
    ],
    ids=["utc", "behind-utc"],
)
def test_the_time_is_iso_like_with_its_offset(moment, shown):
    assert stamp(moment) == {"machine": moment.isoformat(timespec="seconds"), "shown": shown}


def test_the_paper_has_a_line_for_the_clinician_and_the_handout_has_none(app):
    page = report(app)
    line = section(page, "report")
    paper = re.search(r'<p class="print-only patient-line">(.*?)</p>', line)[1]
    assert re.search(r'Patient: <span class="blank"></span>.* Clinician: <span class="blank"></span>$', paper)
    assert "Clinician:" not in section(page, "handout") and 'class="print-only patient-line"' in section(
        page, "handout"
    )


def test_the_evidence_is_collapsed_on_screen_with_each_grade_said_once_for_paper(app, model):
    page = report(app)
    evidence = page[page.index('id="evidence-title"') : page.index('id="about-title"')]
    assert re.search(r"<details>\s*<summary>", evidence)  # closed on screen
    legend = " ".join(html.unescape(Controls(evidence.split("certainty-legend")[1]).visible_text()).split())
    grades = model.document["method"]["certainty_grades"]
    assert all(f"{grade} {meaning}" in legend for grade, meaning in grades.items())
    assert 'class="print-only certainty-legend"' in evidence  # on paper: the browser test prints it


EXAMPLE_2 = EXAMPLES["2-long-fusion-osteotomy-two-rods"].patient


@pytest.mark.parametrize(
    ("patient", "said"),
    [
        (
            EXAMPLE_2,
            "Thoracolumbar fusion, 8 levels, posterior approach, to the sacrum or pelvis, "
            "with a three-column osteotomy (two rods across it).",
        ),
        (
            {**EXAMPLE_2, "rods_across_osteotomy": None},
            "Thoracolumbar fusion, 8 levels, posterior approach, to the sacrum or pelvis, "
            "with a three-column osteotomy.",
        ),
        (
            make_patient(levels_fused=1, region="cervical", approach="anterior"),
            "Cervical fusion, 1 level, anterior approach.",
        ),
        (
            make_patient(levels_fused=None),
            "Spinal fusion, region not given, levels not known, approach not given.",
        ),
    ],
    ids=["worked-example-2", "rods-not-given", "one-level-acdf", "nothing-known"],
)
def test_the_report_says_the_operation_in_words(app, patient, said):
    page = section(report(app, patient), "report")
    assert html.unescape(re.search(r'Operation: <span class="operation">([^<]*)</span>', page)[1]) == said


def test_an_operation_line_that_names_what_the_table_lacks_stops_the_start(monkeypatch):
    from service.config import ConfigError
    from service.pages import check_pages, words

    broken = {**words.wording(), "operation": {**words.wording()["operation"], "rods": {"two": "two rods"}}}
    monkeypatch.setattr(words, "wording", lambda: broken)
    with pytest.raises(ConfigError, match=r"operation\.rods"):
        check_pages(make_app())
