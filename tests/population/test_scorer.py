"""The population core scores as POST /v1/assessments does, row for row, and never raises for a bad row."""

from __future__ import annotations

import orjson
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.patient import MODEL
from service.population.scorer import OK, REJECTED, PopulationScorer
from tests.helpers.strategies import patients

OUTCOMES = tuple(MODEL.outcomes)
SCORER = PopulationScorer(id_col="id")
GOOD = {
    "age": 62,
    "smoking": "never",
    "osteoporosis": False,
    "diabetes": False,
    "levels_fused": 2,
    "obesity": False,
}


def table_of(people: list[dict], text: bool = False) -> pa.RecordBatch:
    """The patients as a batch: one column per model input, typed, or written as a CSV writes them."""
    columns = {"id": [str(n) for n in range(len(people))]}
    for name in MODEL.inputs:
        values = [person.get(name) for person in people]
        columns[name] = [as_text(v) for v in values] if text else values
    return pa.RecordBatch.from_pydict(
        {k: pa.array(v, pa.string() if text else None) for k, v in columns.items()}
    )


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    return value if isinstance(value, str) else orjson.dumps(value).decode()


def expected(assessment: dict) -> dict:
    """What the population output must say, read off the API's answer, field for field."""
    found = {"typical_rate_class": (assessment["operation_class"] or {}).get("id")}
    for outcome, block in assessment["outcomes"].items():
        found |= {
            f"{outcome}_points": block["points"],
            f"{outcome}_points_min": block["points_range"]["lowest"],
            f"{outcome}_points_max": block["points_range"]["highest"],
            f"{outcome}_tier": block["risk"],
            f"{outcome}_tier_min": block["risk_range"]["lowest"],
            f"{outcome}_tier_max": block["risk_range"]["highest"],
            f"{outcome}_determinate": block["determinate"],
        }
    return found


@pytest.mark.slow  # 2,000 patients through the API and the scorer
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(st.lists(patients(), min_size=100, max_size=100))
def test_two_thousand_patients_score_as_the_api_scores_them(client, people):
    """20 examples of 100: 2,000 random valid patients through the batch API and the core (typed, text)."""
    response = client.post("/v1/assessments/batch", json={"patients": people})
    answers = [result["assessment"] for result in response.get_json()["results"]]
    for text in (False, True):
        rows = SCORER(table_of(people, text)).to_pylist()
        assert [row["status"] for row in rows] == [OK] * len(people)
        for row, answer in zip(rows, answers, strict=True):
            assert {key: row[key] for key in expected(answer)} == expected(answer)


BAD = [
    ("age", "17", "invalid", "age", "adults"),
    ("age", "seventy", "invalid", "age", "Not a valid integer"),
    ("age", "70.5", "invalid", "age", "Not a valid integer"),
    ("smoking", "sometimes", "invalid", "smoking", "Must be one of"),
    ("levels_fused", "99", "invalid", "levels_fused", "less than or equal to 24"),
    ("osteoporosis", "yes", "invalid", "osteoporosis", "Not a valid boolean"),
    ("months_since_quit", "3", "invalid", "months_since_quit", "former"),
    ("symptoms", "not_a_symptom", "invalid", "symptoms.0", "Must be one of"),
    ("id", "", "missing_id", "id", "no id"),
]


@pytest.mark.parametrize(
    ("column", "text", "reason", "field", "words"), BAD, ids=[f"{c}={t!r}" for c, t, *_ in BAD]
)
def test_a_bad_value_rejects_its_row_only_with_the_apis_reason(client, column, text, reason, field, words):
    batch = table_of([GOOD, GOOD, GOOD], text=True).to_pydict()
    batch[column][1] = text
    rows = SCORER(pa.RecordBatch.from_pydict(batch)).to_pylist()
    assert [row["status"] for row in rows] == [OK, REJECTED, OK]
    assert (rows[1]["reason"], rows[1]["field"]) == (reason, field)
    assert words in rows[1]["message"]
    assert orjson.loads(rows[1]["record"])[column] == text
    assert rows[1][f"{OUTCOMES[0]}_tier"] is None


def test_every_row_carries_the_model_and_the_schema_says_so():
    out = SCORER(table_of([GOOD]))
    row = out.to_pylist()[0]
    assert (row["model_id"], row["model_version"]) == (MODEL.id, MODEL.version)
    assert len(row["model_sha256"]) == 64
    assert out.schema.metadata[b"model_sha256"] == row["model_sha256"].encode()


def test_an_unexpected_failure_is_a_rejected_row_naming_its_type_only(monkeypatch):
    def broken(model, patient):
        raise ZeroDivisionError("secret value 77")

    monkeypatch.setattr("service.population.scorer.outcome_scores", broken)
    [row] = SCORER(table_of([GOOD])).to_pylist()
    assert (row["status"], row["reason"]) == (REJECTED, "internal")
    assert "ZeroDivisionError" in row["message"] and "77" not in row["message"]
