"""Wire format of the symptom review: urgency, advice, findings and the phase since surgery."""

from __future__ import annotations

from marshmallow import fields, validate

from .fields import OpenSchema, doc
from .patient import MODEL, SYMPTOMS

URGENCIES = tuple(MODEL.urgencies)
PHASES = tuple(phase for phase, _ in MODEL.phases)
SIGNS = tuple(MODEL.document["symptom_review"]["signs"])


class FindingSchema(OpenSchema):
    code = fields.String(
        required=True, validate=validate.OneOf(SYMPTOMS), **doc("The symptom code sent.", "saddle_numbness")
    )
    label = fields.String(
        required=True, **doc("The symptom in plain language.", "numbness in the groin or saddle area")
    )
    urgency = fields.String(
        required=True,
        validate=validate.OneOf(URGENCIES),
        **doc("How urgent this sign is (in this phase, when `days_since_surgery` was sent).", "emergency"),
    )
    sign = fields.String(
        required=True,
        validate=validate.OneOf(SIGNS),
        **doc("The warning sign it belongs to.", "neurological_deficit"),
    )
    meaning = fields.String(
        required=True, **doc("What it may mean.", "The lowest spinal nerves may be compressed.")
    )


class SymptomReviewSchema(OpenSchema):
    urgency = fields.String(
        required=True,
        validate=validate.OneOf(URGENCIES),
        **doc(
            "The most urgent finding: `emergency` (seek emergency care now), `prompt` (contact "
            "the surgeon soon) or `routine`. Independent of the risk tiers.",
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
    phase = fields.String(
        validate=validate.OneOf(PHASES),
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
