"""The worked examples of model 1.2 (its section 11) as far as the symptom review goes: each patient's
inputs that 1.1 already reads (the new inputs, such as `approach` and `sex`, score nothing and land
separately) and the review the specification gives."""

from __future__ import annotations

from typing import Any


def patient(age, smoking, osteoporosis, diabetes, levels, obesity, **refinements) -> dict[str, Any]:
    return {
        "age": age,
        "smoking": smoking,
        "osteoporosis": osteoporosis,
        "diabetes": diabetes,
        "levels_fused": levels,
        "obesity": obesity,
        **refinements,
    }


# name -> (patient, urgency, combination ids, deprecated codes sent); example 4 is refused (age 17)
EXAMPLES: dict[str, tuple[dict[str, Any], str, list[str], list[str]]] = {
    "1-infection-with-pain": (
        patient(
            55, "current", False, True, 2, True, bmi=33, hba1c=8.4, region="lumbar",
            fusion_to_sacrum_or_pelvis=True, days_since_surgery=14,
            symptoms=["fever_without_wound_signs", "pain_limiting_daily_life"],
        ),
        "same_day", ["infection_with_pain"], [],
    ),
    "2-abscess": (
        patient(
            68, "never", False, False, 8, False, bmi=27, t_score=-2.8, region="thoracolumbar",
            fusion_to_sacrum_or_pelvis=True, three_column_osteotomy=True, prior_spine_surgery=True,
            days_since_surgery=20, symptoms=["wound_red_warm_or_swollen", "new_limb_weakness_or_numbness"],
        ),
        "emergency", ["infection_with_neuro"], [],
    ),
    "4-minor-red-flag": (
        patient(
            17, "never", False, False, 10, False, region="thoracolumbar", days_since_surgery=5,
            symptoms=["bladder_or_bowel_control_loss"],
        ),
        "emergency", [], [],
    ),
    "5-old-code-no-days": (
        patient(
            45, "never", False, False, 4, True, bmi=31, region="lumbar", fusion_to_sacrum_or_pelvis=True,
            symptoms=["painless_hardware_sensation_early"],
        ),
        "prompt", [], ["painless_hardware_sensation_early"],
    ),
    "6-acdf-dysphagia": (
        patient(
            66, "current", False, True, 1, False, hba1c=9.1, region="cervical", days_since_surgery=10,
            symptoms=["neck_mild_dysphagia"],
        ),
        "routine", [], [],
    ),
}  # fmt: skip
ABSCESS_NOTE = "Possible spinal epidural abscess: urgent MRI."
SCORED = {name: example for name, example in EXAMPLES.items() if example[0]["age"] >= 18}
