"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flask import Flask

from . import config

if TYPE_CHECKING:
    from .cds.clients import CdsClients
    from .cds.fetch import AllowList
    from .core import Model
    from .http.security import Gate
    from .services import Services


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment, then `overrides` (tests) last."""
    # Imported here (as the Flask tutorial does): `service.core` stays importable without the app.
    from .core import default_model
    from .http import headers, problems, security
    from .http.api import SPEC_INFO, Api, relative_redirects
    from .http.envelope import Envelope
    from .http.lane import freeze_request_hooks
    from .ops.logs import configure_logging
    from .services import install
    from .views import SIGNED_ENDPOINTS, api_blueprints, clinician, docs

    app = Flask(__name__, static_folder=None)
    relative_redirects(app)
    settings = app.config
    for layer in (config.DEFAULTS, config.from_environ(), overrides or {}):
        settings.update(layer)
    configure_logging(settings["LOG_LEVEL"])

    model = default_model()
    clients = _cds_clients(settings)  # with CDS_CLIENTS, hook calls need the EHR's JWT
    gate = security.register(app, signed=dict.fromkeys(SIGNED_ENDPOINTS, clients) if clients else None)
    headers.register(app)  # the docs page's own policy
    services = _services(settings, model, gate)
    install(app, services)
    problems.register(app)
    api = Api(app, services.assessment_endpoint, services.assessor.assessor, spec_kwargs={"info": SPEC_INFO})
    for blueprint in api_blueprints(services.assessment_endpoint, services.terminology):
        api.register_blueprint(blueprint)
    app.register_blueprint(docs)
    app.register_blueprint(clinician)  # the clinician pages (HTML, outside the contract)
    security.check_open_endpoints(app, gate)
    assessment_endpoint = services.assessment_endpoint if settings["FAST_LANE"] else None
    if assessment_endpoint is not None:  # its fast lane answers before Flask
        assessment_endpoint.check_routed(app)
        freeze_request_hooks(app, honoured=[gate.check_request], scopes=[None, "assessments"])
    # Request id, security headers, timing, metrics and the log line (Flask's middleware pattern).
    app.wsgi_app = Envelope(app, model.version, assessment_endpoint)  # type: ignore[method-assign]
    return app


def _services(settings: Mapping[str, Any], model: Model, gate: Gate) -> Services:
    """Build what the views share: one assessor, one patient loader, one body reader per kind, and
    the FHIR code table (checked against the model: a mismatch stops the start)."""
    from schemas import patient_loader

    from .cds import Fetcher, wiring
    from .core import Assessor
    from .fhir import Bundles, load_terminology
    from .fhir.terminology import mismatches
    from .http.body import BodyReader
    from .http.endpoint import AssessmentEndpoint
    from .ops.metrics import CountingAssessor
    from .services import Services
    from .views.fhir import FHIR_MEDIA_TYPES

    core = Assessor(model)
    assessor = CountingAssessor(core)
    loader = patient_loader()
    depth = settings["MAX_JSON_DEPTH"]
    body = BodyReader(settings["MAX_BODY_BYTES"], depth)
    terminology = load_terminology()
    mismatched = mismatches(terminology, model)
    if mismatched:
        raise config.ConfigError(f"service/fhir/mapping.yaml: {'; '.join(mismatched)}")
    return Services(
        model=model,
        assessor=assessor,
        loader=loader,
        gate=gate,
        assessment_endpoint=AssessmentEndpoint(gate, body, loader, assessor, core.symptoms),
        batch_body=BodyReader(settings["MAX_BATCH_BODY_BYTES"], depth),
        fhir_body=BodyReader(settings["MAX_FHIR_BODY_BYTES"], depth, FHIR_MEDIA_TYPES),
        cds_body=BodyReader(settings["MAX_FHIR_BODY_BYTES"], depth),
        fetcher=Fetcher(_allowed_servers(settings["CDS_FHIR_SERVERS"]), wiring.fetch_limits(settings)),
        terminology=terminology,
        bundles=Bundles(terminology, model, loader),
    )


def _allowed_servers(servers: tuple[str, ...]) -> AllowList:
    """Return the FHIR servers CDS Hooks may fetch from, or stop the start naming the setting."""
    from .cds.fetch import AllowList

    try:
        return AllowList(servers)
    except ValueError as error:
        raise config.ConfigError(f"CDS_FHIR_SERVERS: {error}") from None


def _cds_clients(settings: Mapping[str, Any]) -> CdsClients | None:
    """Return the EHRs whose signed CDS Hooks calls are accepted, or stop the start naming the
    setting the CDS wiring could not use (its message names it first)."""
    from .cds import wiring

    try:
        return wiring.cds_clients(settings)
    except ValueError as error:
        raise config.ConfigError(str(error)) from None
