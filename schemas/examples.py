"""Named request examples: shown in Swagger UI and replayed through the app by the tests."""

from __future__ import annotations

from typing import Any

# For low, moderate and high, both outcomes reach the tier named (a test holds them to it).
ASSESSMENT_EXAMPLES: dict[str, dict[str, Any]] = {
    "low": {
        "summary": "Low risk: 50 years, never smoked, one level, no other factor",
        "value": {
            "age": 50,
            "smoking": "never",
            "osteoporosis": False,
            "diabetes": False,
            "levels_fused": 1,
            "obesity": False,
        },
    },
    "moderate": {
        "summary": "Moderate risk: 72 years, never smoked, osteoporosis, two levels",
        "value": {
            "age": 72,
            "smoking": "never",
            "osteoporosis": True,
            "diabetes": False,
            "levels_fused": 2,
            "obesity": False,
        },
    },
    "high": {
        "summary": "High risk: 70 years, smoker, osteoporosis, diabetes, six levels, obese",
        "value": {
            "age": 70,
            "smoking": "current",
            "osteoporosis": True,
            "diabetes": True,
            "levels_fused": 6,
            "obesity": True,
        },
    },
    "refinements": {
        "summary": "Refinements: quit 4 months ago, vapes, T-score, BMI from height and weight, HbA1c",
        "value": {
            "age": 61,
            "smoking": "former",
            "months_since_quit": 4,
            "other_nicotine": True,
            "osteoporosis": False,
            "t_score": -2.1,
            "diabetes": True,
            "hba1c": 8.6,
            "levels_fused": 3,
            "obesity": True,
            "height_cm": 168,
            "weight_kg": 97,
            "steroid_use": False,
            "fusion_to_sacrum_or_pelvis": True,
            "region": "lumbar",
        },
    },
    "unknowns": {
        "summary": "Unknowns: bone health and diabetes status not known yet (null)",
        "value": {
            "age": 58,
            "smoking": "current",
            "osteoporosis": None,
            "diabetes": None,
            "levels_fused": 2,
            "obesity": False,
        },
    },
    "symptoms": {
        "summary": "Symptom review: a low-risk patient, 5 months after surgery, reporting an emergency sign",
        "value": {
            "age": 45,
            "smoking": "never",
            "osteoporosis": False,
            "diabetes": False,
            "levels_fused": 1,
            "obesity": False,
            "symptoms": ["pain_worse_with_load", "new_limb_tingling_or_numbness"],
            "days_since_surgery": 150,
        },
    },
}
