"""Hypothesis strategies: valid patients of the model."""

from __future__ import annotations

from hypothesis import strategies as st

from schemas.patient import MODEL, REGIONS, SMOKING, SYMPTOMS

APPROACHES = tuple(MODEL.inputs["approach"]["values"])
SEXES = tuple(MODEL.inputs["sex"]["values"])
RODS = tuple(MODEL.inputs["rods_across_osteotomy"]["values"])

ADULT = MODEL.adult_age

CORE_FLAGS = ("osteoporosis", "diabetes", "obesity")

OPTIONAL_FLAGS = (
    "fragility_fracture",
    "steroid_use",
    "vitamin_d_deficiency",
    "prior_spine_surgery",
    "fusion_to_sacrum_or_pelvis",
    "three_column_osteotomy",
    "other_nicotine",
)


def maybe(strategy):
    return st.none() | strategy


def numbers(low, high):
    return st.floats(low, high, allow_nan=False).map(lambda x: round(x, 1))


@st.composite
def patients(draw, unknowns=True):
    """A valid patient: any core value (or null), any refinements the 422 rules allow."""
    core = maybe if unknowns else (lambda s: s)
    patient = {
        "age": draw(core(st.integers(ADULT, 120))),
        "smoking": draw(core(st.sampled_from(SMOKING))),
        "levels_fused": draw(core(st.integers(1, 24))),
        **{flag: draw(core(st.booleans())) for flag in CORE_FLAGS},
    }
    for flag in OPTIONAL_FLAGS:
        if draw(st.booleans()):
            patient[flag] = draw(st.booleans())
    optional = {
        "t_score": numbers(-5, 3),
        "hounsfield_units": numbers(30, 300),
        "hba1c": numbers(4, 14),
        "region": st.sampled_from(REGIONS),
        "approach": st.sampled_from(APPROACHES),
        "sex": st.sampled_from(SEXES),
        "symptoms": st.lists(st.sampled_from((*SYMPTOMS, *MODEL.aliases)), max_size=4),
        "days_since_surgery": st.integers(0, 3650),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            patient[name] = draw(strategy)
    if patient["smoking"] == "former" and draw(st.booleans()):
        patient["months_since_quit"] = draw(st.integers(0, 60))
    weight = draw(st.sampled_from(["none", "bmi", "height_weight"]))
    if weight == "bmi":
        patient["bmi"] = draw(numbers(15, 60))
    elif weight == "height_weight":
        patient["height_cm"], patient["weight_kg"] = draw(numbers(140, 200)), draw(numbers(40, 180))
    if patient.get("region") == "cervical":
        patient.pop("fusion_to_sacrum_or_pelvis", None)
    if patient.get("three_column_osteotomy") is True and draw(st.booleans()):
        patient["rods_across_osteotomy"] = draw(st.sampled_from(RODS))
    return patient
