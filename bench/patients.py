"""Distinct, valid patients for the benchmarks (seeded: the same list every run)."""

from __future__ import annotations

import random
from typing import Any

from schemas import ASSESSMENT_EXAMPLES

HIGH_RISK = ASSESSMENT_EXAMPLES["high"]["value"]  # the README's example


def distinct_patients(count: int = 3000, seed: int = 20261121) -> list[dict[str, Any]]:
    """Return `count` distinct patients: the six core factors, refinements in about half."""
    rng = random.Random(seed)
    patients, seen = [], set()
    while len(patients) < count:
        patient: dict[str, Any] = {
            "age": rng.randint(18, 90),
            "smoking": rng.choice(["never", "former", "current"]),
            "osteoporosis": rng.random() < 0.25,
            "diabetes": rng.random() < 0.2,
            "levels_fused": rng.randint(1, 8),
            "obesity": rng.random() < 0.35,
        }
        if rng.random() < 0.5:
            patient["bmi"] = round(rng.uniform(18, 45), 1)
            patient["t_score"] = round(rng.uniform(-3.5, 1), 1)
            if patient["diabetes"]:
                patient["hba1c"] = round(rng.uniform(5.5, 11), 1)
            if patient["smoking"] == "former":
                patient["months_since_quit"] = rng.randint(0, 120)
            patient["steroid_use"] = rng.random() < 0.1
            patient["region"] = rng.choice(["cervical", "lumbar", "thoracolumbar"])
        key = repr(sorted(patient.items()))
        if key not in seen:
            seen.add(key)
            patients.append(patient)
    return patients
