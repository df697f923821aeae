"""Wire format of the health checks."""

from __future__ import annotations

from .fields import OpenSchema, mapping, text
from .patient import MODEL


class HealthSchema(OpenSchema):
    status = text("`ok` while the process serves requests.", "ok", required=True)


class ReadinessSchema(OpenSchema):
    status = text("`ready` once the model is loaded.", "ready", required=True)
    model = mapping("The loaded model.", {"id": MODEL.id, "version": MODEL.version}, required=True)
