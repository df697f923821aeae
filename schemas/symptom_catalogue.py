"""Wire format of GET /v1/model's symptom review: urgencies, phases, signs, combinations, every code."""

from __future__ import annotations

from marshmallow import fields

from .fields import OpenSchema, array, doc, mapping, text


class UrgencySchema(OpenSchema):
    id = text("Urgency.", "emergency", required=True)
    advice = text("What to do at this urgency.", required=True)


class SymptomSchema(OpenSchema):
    code = text("Symptom code accepted in `symptoms`.", "saddle_numbness", required=True)
    urgency = text(
        "Urgency without `days_since_surgery`: the most urgent of its phases.", "emergency", required=True
    )
    urgency_by_phase = mapping(
        "Urgency in each phase.", {"early": "routine", "healing": "prompt", "late": "prompt"}
    )
    sign = text("The warning sign it belongs to.", "neurological_deficit", required=True)
    regions = array(fields.String(), "The regions it belongs to (absent: every region).")
    label = text("The symptom in clinical words.", required=True)
    patient_label = text("The symptom as one plain sentence for the patient.", required=True)
    meaning = text("What it may mean.", required=True)


class PhaseSchema(OpenSchema):
    id = text("Phase.", "early", required=True)
    below = fields.Integer(**doc("Days since surgery the phase ends before (the last has none)."))
    label = text("The phase in words.", "the first 6 weeks", required=True)
    until = text("The time up to the phase's end, in words.", "the first 6 weeks")


class PhaseNoteSchema(OpenSchema):
    signs = array(fields.String(), "The signs the note is about.", required=True)
    phases = array(fields.String(), "The phases it applies in.", required=True)
    note = text("What the phase means for those signs.", required=True)


class CombinationRuleSchema(OpenSchema):
    id = text("Combination id.", "infection_with_neuro", required=True)
    all_of = array(
        fields.Dict(),
        "The parts that must all be reported: each a `sign`, or a list of `codes`.",
        required=True,
    )
    phases = array(
        fields.String(), "The phases it applies in (`unknown`: no days since surgery).", required=True
    )
    at_least = text("The urgency the review rises to, at least.", "emergency", required=True)
    note = text("What the combination may mean.", required=True)


class AliasSchema(OpenSchema):
    code = text("A deprecated code of an earlier version, still accepted.", "wound_drainage", required=True)
    now = text("The current code it is read as.", "wound_pus", required=True)
    until = text("The version from which it is no longer accepted.", "2.0.0", required=True)
    was = mapping("Its urgency in each phase before (the current code is never less urgent).", required=True)


class SymptomCatalogueSchema(OpenSchema):
    urgencies = array(fields.Nested(UrgencySchema), "Urgencies, most urgent first.", required=True)
    fever_c = fields.Float(required=True, **doc("Fever threshold in °C, as the texts say it."))
    high_fever_c = fields.Float(required=True, **doc("High-fever threshold in °C."))
    patient_label_max_grade = fields.Float(
        required=True, **doc("Flesch–Kincaid grade no patient label exceeds (checked at load).")
    )
    phases = array(fields.Nested(PhaseSchema), "Phases of time since surgery.", required=True)
    unknown_phase = text("The phase's name when `days_since_surgery` is not given.", "unknown", required=True)
    signs = mapping("Warning signs, each in words.", required=True)
    emergency_signs = array(fields.String(), "Signs whose symptoms are always an emergency.", required=True)
    phase_notes = array(fields.Nested(PhaseNoteSchema), "Sentences added in some phases.")
    combinations = array(fields.Nested(CombinationRuleSchema), "Findings more urgent together than alone.")
    symptoms = array(fields.Nested(SymptomSchema), "Every symptom code and its urgency.", required=True)
    aliases = array(fields.Nested(AliasSchema), "Deprecated codes, accepted with a warning.")
