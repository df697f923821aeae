"""Properties over the whole input space (hypothesis): order, ranges, sums, determinism, contract."""

from __future__ import annotations

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.patient import MODEL
from tests.helpers.strategies import CORE_FLAGS, INPUTS, OPTIONAL_FLAGS, patients, values

TIERS = ("low", "moderate", "high")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rank(tier):
    return TIERS.index(tier)


def worsenings(patient):
    """Yield copies of a patient with one factor made worse (never better)."""
    for name in ("age", "levels_fused"):
        if patient[name] is not None:
            yield {**patient, name: min(patient[name] + 7, INPUTS[name]["max"])}
    if patient["smoking"] in ("never", "former"):
        yield {k: v for k, v in patient.items() if k != "months_since_quit"} | {"smoking": "current"}
    if patient.get("months_since_quit"):
        yield {**patient, "months_since_quit": patient["months_since_quit"] // 2}
    for flag in CORE_FLAGS + OPTIONAL_FLAGS:
        settable = patient.get(flag) is False or (flag in OPTIONAL_FLAGS and flag not in patient)
        if settable and not (flag == "fusion_to_sacrum_or_pelvis" and patient.get("region") == "cervical"):
            yield {**patient, flag: True}
    for name, step in (
        ("t_score", -0.7),
        ("hounsfield_units", -25),
        ("hba1c", 0.9),
        ("bmi", 3.5),
        ("weight_kg", 9),
    ):
        if name in patient:
            yield {**patient, name: round(patient[name] + step, 1)}


@SETTINGS
@given(patients())
def test_worsening_any_factor_never_lowers_points_or_tier(assessor, patient):
    before = assessor(patient)["outcomes"]
    for worse in worsenings(patient):
        after = assessor(worse)["outcomes"]
        for outcome, block in before.items():
            assert after[outcome]["points"] >= block["points"], (worse, outcome)
            assert rank(after[outcome]["risk"]) >= rank(block["risk"])
            assert rank(after[outcome]["risk_range"]["highest"]) >= rank(block["risk_range"]["highest"])


@SETTINGS
@given(patients(), st.data())
def test_known_level_lies_in_the_range_and_any_filling_stays_inside(assessor, patient, data):
    result = assessor(patient)
    filled = dict(patient)
    for unknown in result["unknown_factors"]:
        factor = unknown["factor"]
        filled[factor] = data.draw(values(factor))
    if filled["smoking"] != "former":
        filled.pop("months_since_quit", None)
    concrete = assessor(filled)["outcomes"]
    for outcome, block in result["outcomes"].items():
        low, high = rank(block["risk_range"]["lowest"]), rank(block["risk_range"]["highest"])
        assert rank(block["risk"]) == low <= high
        assert low <= rank(concrete[outcome]["risk"]) <= high, (filled, outcome)


@SETTINGS
@given(patients())
def test_explanation_invariants(assessor, patient):
    result = assessor(patient)
    cited = set()
    for block in result["outcomes"].values():
        points = [entry["points"] for entry in block["contributing_factors"]]
        assert sum(points) == block["points"] and points == sorted(points, reverse=True)
        assert len(block["summary"]) < MODEL.summary["max_length"]
        if result["unknown_factors"]:
            assert "unknown" in block["summary"]
        for entry in block["contributing_factors"] + block["other_factors_considered"]:
            cited |= {e["reference"] for e in entry.get("evidence", ())}
    assert [r["id"] for r in result["references"]] == [r for r in assessor.model.references if r in cited]
    unknown = {u["factor"] for u in result["unknown_factors"]}
    for block in result["outcomes"].values():
        shown = {e["factor"] for e in block["contributing_factors"] + block["other_factors_considered"]}
        assert not (unknown - {"osteoporosis"}) & shown  # a refinement may still grade the bone


@SETTINGS
@given(patients())
def test_deterministic(assessor, patient):
    first = orjson.dumps(assessor(patient))
    assert orjson.dumps(assessor(dict(reversed(list(patient.items()))))) == first


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patients())
def test_every_response_keeps_the_contract(app, patient):
    response = app.test_client().post("/v1/assessments", json=patient)  # validated by ContractClient
    assert response.status_code == 200, response.get_json()
