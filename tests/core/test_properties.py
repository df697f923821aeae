"""Properties over the whole input space (hypothesis): order, ranges, sums, determinism, contract."""

from __future__ import annotations

import orjson
import pytest
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
        assert rank(block["risk"]) == high >= low  # model 1.2: the headline tops the range
        assert low <= rank(concrete[outcome]["risk"]) <= high, (filled, outcome)
        least, most = block["points_range"]["lowest"], block["points_range"]["highest"]
        assert least <= concrete[outcome]["points"] <= most, (filled, outcome)


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
        cited |= set((block["typical_rate"] or {}).get("references", ()))
    assert [r["id"] for r in result["references"]] == [r for r in assessor.model.references if r in cited]
    unknown = {u["factor"] for u in result["unknown_factors"]}
    for block in result["outcomes"].values():
        shown = {e["factor"] for e in block["contributing_factors"] + block["other_factors_considered"]}
        assert not (unknown - {"osteoporosis"}) & shown  # a refinement may still grade the bone


@SETTINGS
@given(patients())
def test_points_range_and_determinate(assessor, patient):
    """points is the range's lowest end, each end's tier is the range's, determinate iff the tiers
    are equal; a what-if never raises a tier, and its risk tops its own range."""
    model = assessor.model
    for block in assessor(patient)["outcomes"].values():
        least, most = block["points_range"]["lowest"], block["points_range"]["highest"]
        assert block["points"] == least <= most
        assert (model.tier(least), model.tier(most)) == (
            block["risk_range"]["lowest"],
            block["risk_range"]["highest"],
        )
        assert block["determinate"] == (block["risk_range"]["lowest"] == block["risk_range"]["highest"])
        for what_if in block["what_if"]:
            assert what_if["points"] <= block["points"] and rank(what_if["risk"]) <= rank(block["risk"])
            assert what_if["points_change"].startswith(f"{what_if['risk']}, ")


@SETTINGS
@given(patients())
def test_the_fast_score_agrees_with_the_assessment(assessor, patient):
    """Assessor.score (no texts) and the full assessment report the same figures."""
    full, fast = assessor(patient)["outcomes"], assessor.score(patient)
    for outcome, block in full.items():
        rate = block["typical_rate"]
        assert fast[outcome]["points"] == fast[outcome]["points_min"] == block["points"]
        assert fast[outcome]["points_max"] == block["points_range"]["highest"]
        assert (
            fast[outcome]["tier"]
            == fast[outcome]["tier_max"]
            == block["risk"]
            == block["risk_range"]["highest"]
        )
        assert fast[outcome]["tier_min"] == block["risk_range"]["lowest"]
        assert fast[outcome]["determinate"] == block["determinate"]
        assert rate is None or rate["class"]["id"] == fast[outcome]["typical_rate_class"]


@SETTINGS
@given(patients())
def test_deterministic(assessor, patient):
    first = orjson.dumps(assessor(patient))
    assert orjson.dumps(assessor(dict(reversed(list(patient.items()))))) == first


@pytest.mark.slow  # 150 generated patients, each answer checked against the contract
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patients())
def test_every_response_keeps_the_contract(app, patient):
    response = app.test_client().post("/v1/assessments", json=patient)  # validated by ContractClient
    assert response.status_code == 200, response.get_json()
