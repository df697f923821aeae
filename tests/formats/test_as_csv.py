"""The CSV renderer: a table's cells as the API's JSON writes them, never a formula; an assessment list
one row per patient, every column read from the assessment."""

from __future__ import annotations

import csv
import io

import pytest

from service.formats import AS_CSV, FORMATS, Table, as_csv, assessment_table
from tests.helpers import make_patient

PATIENTS = {
    "p-1": make_patient(
        age=70,
        smoking="current",
        osteoporosis=True,
        diabetes=True,
        levels_fused=2,
        region="lumbar",
        approach="posterior",
    ),
    'p,2 "quoted"': make_patient(age=45, smoking=None, levels_fused=2),  # an unknown: a tier range
    "=HYPERLINK(1)": make_patient(age=55),
}


@pytest.fixture
def table(assessor, model):
    loaded = {pid: assessor(patient) for pid, patient in PATIENTS.items()}
    return assessment_table(model.outcomes, loaded.items()), loaded


def parsed(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode(), newline="")))


def test_each_row_holds_the_id_and_per_outcome_the_assessment_s_tier_range_and_points(table, model):
    document, assessed = table
    rows = parsed(AS_CSV.render(document))
    assert len(rows) == len(PATIENTS)
    for (patient_id, assessment), row in zip(assessed.items(), rows, strict=True):
        assert row["id"] in (patient_id, f"'{patient_id}")
        for outcome in model.outcomes:
            block = assessment["outcomes"][outcome]
            assert row[f"{outcome}_tier"] == block["risk"]
            assert row[f"{outcome}_tier_min"] == block["risk_range"]["lowest"]
            assert row[f"{outcome}_tier_max"] == block["risk_range"]["highest"]
            assert row[f"{outcome}_points"] == str(block["points"])
            assert row[f"{outcome}_points_min"] == str(block["points_range"]["lowest"])
            assert row[f"{outcome}_points_max"] == str(block["points_range"]["highest"])
            assert row[f"{outcome}_determinate"] == ("true" if block["determinate"] else "false")
            rate = block["typical_rate"]
            assert row[f"{outcome}_typical_rate_class"] == (rate["class"]["id"] if rate else "")
    assert any(r["pseudarthrosis_tier_min"] != r["pseudarthrosis_tier_max"] for r in rows)  # the unknown
    assert {r["pseudarthrosis_determinate"] for r in rows} == {"true", "false"}
    assert {bool(r["hardware_failure_typical_rate_class"]) for r in rows} == {True, False}


def test_the_columns_come_from_one_list(table, model, monkeypatch):
    """A column added to PER_OUTCOME appears for every outcome, with nothing else to change."""
    monkeypatch.setattr(as_csv, "PER_OUTCOME", (*as_csv.PER_OUTCOME, ("summary", ("summary",))))
    body = AS_CSV.render(assessment_table(model.outcomes, table[1].items()))
    header = body.decode().splitlines()[0].split(",")
    assert header == ["id", *(f"{o}_{n}" for o in model.outcomes for n, _ in as_csv.PER_OUTCOME)]
    assert (
        parsed(body)[0]["hardware_failure_summary"]
        == table[1]["p-1"]["outcomes"]["hardware_failure"]["summary"]
    )


def test_ids_are_quoted_as_needed_and_never_run_as_a_formula(table):
    body = AS_CSV.render(table[0])
    ids = [row["id"] for row in parsed(body)]
    assert ids == ["p-1", 'p,2 "quoted"', "'=HYPERLINK(1)"]
    assert body.endswith(b"\r\n") and AS_CSV.content_type == "text/csv; charset=utf-8"


def test_an_empty_list_is_its_header_alone(model):
    body = AS_CSV.render(assessment_table(model.outcomes, []))
    assert body.decode().splitlines() == [",".join(assessment_table(model.outcomes, []).columns)]


def test_every_cell_is_written_as_the_api_s_json_and_no_text_runs_as_a_formula():
    table = Table(["text", "number", "flag", "none"], [["=1+1", -2, True, None], ["-x", 1.5, False, "@a"]])
    assert parsed(AS_CSV.render(table)) == [
        {"text": "'=1+1", "number": "-2", "flag": "true", "none": ""},
        {"text": "'-x", "number": "1.5", "flag": "false", "none": "'@a"},
    ]


def test_every_format_is_registered_once_with_a_media_type():
    assert FORMATS["csv"] is AS_CSV
    assert len(set(map(id, FORMATS.values()))) == len(FORMATS) == 5
    assert all("/" in renderer.media_type for renderer in FORMATS.values())
