"""What-if by phase (model 1.2): before surgery every change; after it only those with evidence after
surgery; each with its points change, its risk the highest tier of its range."""

from __future__ import annotations

from tests.helpers import H, P, make_patient

SMOKER = {"age": 62, "smoking": "current", "diabetes": True, "levels_fused": 2, "obesity": True, "hba1c": 8.6}


def _what_ifs(assessor, outcome, **inputs):
    return [
        (w["id"], w["points_change"])
        for w in assessor(make_patient(**inputs))["outcomes"][outcome]["what_if"]
    ]


def test_before_surgery_every_change_and_all_of_them(assessor):
    assert _what_ifs(assessor, P, **SMOKER) == [
        ("stop_smoking", "high, 8 → 7 points"),
        ("reach_bmi_under_30", "high, 8 → 7 points"),
        ("hba1c_below_8", "high, 8 → 7 points"),
        ("all_changes", "high, 8 → 5 points"),
    ]


def test_after_surgery_only_the_post_operative_changes(assessor):
    """Nicotine, weight and HbA1c have no evidence after surgery; quitting smoking has (glassman-2000)."""
    assert _what_ifs(assessor, P, **SMOKER, days_since_surgery=30) == [("stop_smoking", "high, 8 → 7 points")]
    item = assessor(make_patient(**SMOKER, days_since_surgery=30))["outcomes"][P]["what_if"][0]
    assert item["phases"] == ["pre_operative", "post_operative"]
    assert _what_ifs(assessor, P, other_nicotine=True, days_since_surgery=30) == []
    assert _what_ifs(assessor, P, other_nicotine=True) == [("stop_all_nicotine", "low, 1 → 0 points")]


def test_all_changes_carries_the_phases_its_changes_share(assessor):
    combined = assessor(make_patient(**SMOKER))["outcomes"][P]["what_if"][-1]
    assert (combined["id"], combined["phases"]) == ("all_changes", ["pre_operative"])


def test_with_unknowns_the_risk_tops_the_range_and_the_points_are_ranges(assessor):
    """Bone unknown: non-union 7–8 (high); stopping smoking gives 6–7, still high at worst."""
    result = assessor(make_patient(**SMOKER, osteoporosis=None))
    item = result["outcomes"][P]["what_if"][0]
    assert (item["id"], item["risk"], item["points"]) == ("stop_smoking", "high", 7)
    assert item["points_change"] == "high, 8–9 → 7–8 points"


def test_a_change_that_moves_only_the_worst_end_is_listed(assessor):
    """50 y smoker, bone and diabetes unknown: non-union 2–5, hardware 0–4 (bone 3, link 1); stopping
    smoking keeps the known hardware 0 but takes the worst non-union to 4, dropping the link: 0–3."""
    unknown = {"smoking": "current", "osteoporosis": None, "diabetes": None}
    assert assessor(make_patient(**unknown))["outcomes"][H]["points_range"] == {"lowest": 0, "highest": 4}
    assert _what_ifs(assessor, H, **unknown) == [("stop_smoking", "moderate, 0–4 → 0–3 points")]


def test_a_change_that_changes_nothing_is_left_out(assessor):
    assert _what_ifs(assessor, H, **SMOKER) == []  # non-union stays high: the link stays
