"""Wire format of evidence and references: the studies behind every point, as responses cite them."""

from __future__ import annotations

from marshmallow import fields

from .fields import OpenSchema, StrictBoolean, doc
from .named import Choice
from .patient import MODEL

MEASURES = tuple(MODEL.document["method"]["measures"])
DESIGNS = tuple(MODEL.document["method"]["design_grades"])
GRADES = tuple(MODEL.document["method"]["certainty_grades"])
SOURCES = MODEL.document["method"]["outcome_sources"]


class EvidenceSchema(OpenSchema):
    reference = fields.String(required=True, **doc("Id of an entry in `references`.", "yang-2024"))
    effect = fields.String(
        required=True,
        **doc("The effect size behind the points, as reported.", "fusion failure OR 1.57 (1.11–2.21)"),
    )
    certainty = fields.String(
        required=True,
        validate=Choice("CertaintyGrade", GRADES),
        **doc("Certainty grade (see the model's method): " + ", ".join(GRADES) + ".", "A"),
    )
    outcome_measured = fields.String(
        required=True,
        validate=Choice("MeasuredOutcome", MEASURES),
        **doc("What the study measured.", "fusion_failure"),
    )
    design = fields.String(
        required=True, validate=Choice("StudyDesign", DESIGNS), **doc("The study's design.", "meta_analysis")
    )
    population = fields.String(
        required=True, **doc("In whom it was measured.", "39 cohort studies, 7,145 patients, spinal fusion")
    )
    extrapolated = StrictBoolean(
        required=True,
        **doc("True when the effect is taken from another outcome or population (certainty D).", False),
    )
    outcome_source = fields.String(
        required=True,
        validate=Choice("OutcomeSource", SOURCES),
        **doc(
            "Where the study's outcome came from: "
            + "; ".join(f"`{k}`: {v}" for k, v in SOURCES.items())
            + ". A `coded` outcome is certainty C at best.",
            "imaging",
        ),
    )


class ReferenceSchema(OpenSchema):
    id = fields.String(required=True, **doc("Reference id cited by evidence entries.", "yang-2024"))
    citation = fields.String(
        required=True, **doc("Bibliographic citation.", "Yang S, Zhou B, Mo J, et al. PLOS ONE 2024.")
    )
    pmid = fields.String(**doc("PubMed id, where known.", "38848350"))
    pmc = fields.String(**doc("PubMed Central id, where known.", "PMC11149252"))
    doi = fields.String(**doc("DOI, where known.", "10.1371/journal.pone.0304473"))
    url = fields.String(
        **doc(
            "A public page of the source, where it has no other id.", "https://www.bibliomed.org/?mno=290014"
        )
    )
