"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import config


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment, then `overrides` (tests) last."""
    # Imported here, as the Flask tutorial does: `service.core` stays importable on its own (the
    # wire format in `schemas` reads the model table through it) without building the app.
    from . import observe, problems, security
    from .api import SPEC_INFO, Api
    from .cds import Fetcher
    from .core import Assessor, default_model
    from .fastlane import FastLane
    from .logs import configure_logging
    from .middleware import Envelope
    from .views import API_BLUEPRINTS, docs
    from .views.assessments import PATIENT_LOADER

    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(config.DEFAULTS)
    app.config.update(config.from_environ())
    app.config.update(overrides or {})
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY_BYTES"]
    configure_logging(app.config["LOG_LEVEL"])

    model = default_model()
    app.extensions["model_version"] = model.version
    app.extensions["assessor"] = observe.CountingAssessor(Assessor(model))
    app.extensions["fhir_fetcher"] = Fetcher(_allow_list(app.config["CDS_FHIR_SERVERS"]), _limits(app.config))
    app.extensions["gate"] = gate = security.register(app)
    problems.register(app)
    api = Api(app, spec_kwargs={"info": SPEC_INFO})
    for blueprint in API_BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs)
    security.check_open_endpoints(app, gate)
    lane = FastLane(app, PATIENT_LOADER) if app.config["FAST_LANE"] else None
    app.wsgi_app = Envelope(app, lane)  # request id, security headers, timing, metrics, access log
    return app


def _allow_list(servers: tuple[str, ...]):
    from .cds.fetch import AllowList

    try:
        return AllowList(servers)
    except ValueError as error:
        raise config.ConfigError(f"CDS_FHIR_SERVERS: {error}") from None


def _limits(settings: Mapping[str, Any]):
    from .cds.data import Limits

    return Limits(
        timeout=settings["CDS_FETCH_TIMEOUT"],
        budget=settings["CDS_FETCH_BUDGET"],
        max_bytes=settings["MAX_FHIR_BODY_BYTES"],
        max_total_bytes=4 * settings["MAX_FHIR_BODY_BYTES"],
        max_depth=settings["MAX_JSON_DEPTH"],
        max_pages=settings["CDS_FETCH_MAX_PAGES"],
    )
