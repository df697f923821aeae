"""Named request examples: shown in Swagger UI and replayed through the app by the tests."""

from __future__ import annotations

# The expected tier of both outcomes is the example's name (a test holds them to it).
ASSESSMENT_EXAMPLES = {
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
}
