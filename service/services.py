"""The objects the views share, built once by the factory and reached through one typed accessor
(no string lookups scattered through the code, no order in which they must be looked up)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:
    from schemas import FastLoader

    from .cds import Fetcher
    from .core import Model
    from .fhir import Bundles, Terminology
    from .http.body import BodyReader
    from .http.endpoint import AssessmentEndpoint
    from .http.security import Gate
    from .ops.metrics import CountingAssessor

KEY = "spinal-fusion-risk"


@dataclass(frozen=True)
class Services:
    model: Model
    assessor: CountingAssessor  # the core's assessor, counting tiers for the metrics
    loader: FastLoader  # the one patient loader: the view, the fast lane and the FHIR reader use it
    gate: Gate
    assessment_endpoint: AssessmentEndpoint
    batch_body: BodyReader
    fhir_body: BodyReader
    cds_body: BodyReader
    fetcher: Fetcher
    terminology: Terminology
    bundles: Bundles  # FHIR Bundles read with this terminology, model and loader


def install(app: Flask, services: Services) -> None:
    app.extensions[KEY] = services


def services(app: Flask | None = None) -> Services:
    """Return the app's services (the current app's by default)."""
    return (app or current_app).extensions[KEY]
