"""Output formats, in one place: a renderer per format (media type, document to bytes, headers). The
views, the fast lane and the population core (its CSV) take theirs from here; a new format is one module
and one line in FORMATS."""

from .as_cds import AS_CDS
from .as_csv import AS_CSV, Table, assessment_table
from .as_fhir import AS_FHIR
from .as_html import AS_HTML
from .as_json import AS_JSON
from .renderer import Renderer

FORMATS: dict[str, Renderer] = {
    "json": AS_JSON,
    "fhir": AS_FHIR,
    "cds": AS_CDS,
    "html": AS_HTML,
    "csv": AS_CSV,
}

__all__ = [
    "AS_CDS",
    "AS_CSV",
    "AS_FHIR",
    "AS_HTML",
    "AS_JSON",
    "FORMATS",
    "Renderer",
    "Table",
    "assessment_table",
]
