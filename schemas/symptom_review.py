"""Wire format of the symptom review: urgency, advice, findings, combinations and the phase since surgery."""

from __future__ import annotations

from marshmallow import fields

from service.core.symptoms import NONE_REPORTED, REPORTED

from .fields import OpenSchema, doc
from .named import Choice
from .patient import MODEL, SYMPTOM_CODE, SYMPTOMS

URGENCIES = tuple(MODEL.urgencies)
PHASES = tuple(phase for phase, _ in MODEL.phases)
SIGNS = tuple(MODEL.document["symptom_review"]["signs"])
COMBINATIONS = tuple(c.id for c in MODEL.combinations)
URGENCY_WORDS = ", ".join(f"`{urgency}`" for urgency in URGENCIES)


class FindingSchema(OpenSchema):
    code = fields.String(
        required=True,
        validate=Choice(SYMPTOM_CODE, SYMPTOMS),
        **doc("The symptom's current code (a deprecated code sent is read as this one).", "saddle_numbness"),
    )
    label = fields.String(
        required=True, **doc("The symptom in clinical words.", "numbness in the groin or saddle area")
    )
    patient_label = fields.String(
        required=True,
        **doc(
            "The symptom as one plain sentence for the patient.",
            "You feel numb between your legs or around your bottom.",
        ),
    )
    urgency = fields.String(
        required=True,
        validate=Choice("UrgencyLevel", URGENCIES),
        **doc(
            "How urgent this sign is in the phase since surgery; without `days_since_surgery`, its most "
            "urgent phase level.",
            "emergency",
        ),
    )
    sign = fields.String(
        required=True,
        validate=Choice("WarningSign", SIGNS),
        **doc("The warning sign it belongs to.", "neurological_deficit"),
    )
    meaning = fields.String(
        required=True, **doc("What it may mean.", "The lowest spinal nerves may be compressed.")
    )


class CombinationSchema(OpenSchema):
    id = fields.String(
        required=True,
        validate=Choice("CombinationId", COMBINATIONS),
        **doc("The combination of findings (see GET /v1/model).", "infection_with_neuro"),
    )
    urgency = fields.String(
        required=True,
        validate=Choice("UrgencyLevel", URGENCIES),
        **doc("The urgency the combination raises the review to, at least.", "emergency"),
    )
    note = fields.String(
        required=True,
        **doc("What the combination may mean.", "Possible spinal epidural abscess: urgent MRI."),
    )


class SymptomReviewSchema(OpenSchema):
    status = fields.String(
        required=True,
        validate=Choice("ReviewStatus", (REPORTED, NONE_REPORTED)),
        **doc(
            f"`{REPORTED}`: symptoms were asked and some reported; `{NONE_REPORTED}`: asked, none reported "
            "(`symptoms: []`). Symptoms not asked (absent or null) give no review at all.",
            REPORTED,
        ),
    )
    urgency = fields.String(
        required=True,
        validate=Choice("UrgencyLevel", URGENCIES),
        **doc(
            f"The most urgent finding or combination, one of {URGENCY_WORDS} (most urgent first; see "
            "`advice`). Independent of the risk tiers.",
            "emergency",
        ),
    )
    advice = fields.String(
        required=True, **doc("What to do now.", "Seek emergency care now: go to an emergency department.")
    )
    findings = fields.List(
        fields.Nested(FindingSchema),
        required=True,
        metadata={"description": "The reported symptoms, most urgent first."},
    )
    combinations = fields.List(
        fields.Nested(CombinationSchema),
        required=True,
        metadata={"description": "Findings that are more urgent together than alone, when reported."},
    )
    phase = fields.String(
        validate=Choice("SymptomPhase", PHASES),
        **doc(
            "Time since surgery, when `days_since_surgery` was sent: " + ", ".join(PHASES) + ".", "healing"
        ),
    )
    note = fields.String(
        **doc(
            "What the phase means for the findings, when it matters.",
            "This is the time when non-union and loosening usually show themselves.",
        )
    )
