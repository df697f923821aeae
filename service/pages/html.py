"""The clinician pages' responses: the form (blank, or with the API's errors), the report, the model card."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from typing import Any

from flask import Response, current_app, render_template
from markdown_it import MarkdownIt
from markupsafe import Markup, escape
from marshmallow import ValidationError

from service.core import Model

from ..formats import AS_HTML
from ..http.answer import answer
from ..http.problems import validation_errors
from ..http.security import FORM_KEY
from ..services import Services
from .card import card_body
from .form import ASKED_NONE, LIST_TYPES, PAGE_ONLY, SCHEDULE, Posted, field_errors, fields_of, symptom_groups
from .report import present, review_context
from .words import Words, words_of
from .words import wording as form_wording

KEY_REFUSED = "Enter a valid API key: scoring needs one on this service."
CODE = re.compile(r"`([^`]+)`")


def upper_first(text: str) -> str:
    """Jinja filter: the first letter capitalised, the rest as the table wrote it (BMI, HbA1c)."""
    return text[:1].upper() + text[1:]


def code(text: str) -> Markup:
    """Jinja filter: the table's `backticked` names as <code>, everything else escaped."""
    return Markup(CODE.sub(lambda m: f"<code>{m[1]}</code>", str(escape(text))))


def page(
    template: str, status: int = HTTPStatus.OK, headers: Mapping[str, str] | None = None, **context: Any
) -> Response:
    """Render a page with its own policy (no inline script or style, nothing from outside); the
    envelope adds `Cache-Control: no-store`, as to every answer."""
    return answer(AS_HTML, render_template(template, **context), status, headers)


def page_words(found: Services) -> Words:
    """Return the form's words for the service's model and loader."""
    return words_of(found.model, found.loader.schema)


def contacts(posted: Mapping[str, str]) -> dict[str, str]:
    """Return the handout's contacts: as posted, else as the service is configured."""
    return {name: posted.get(name, current_app.config[setting]) for name, setting in PAGE_ONLY.items()}


def form_page(
    found: Services,
    values: Mapping[str, list[str]] | None = None,
    errors: Mapping[str, list[str]] | None = None,
    status: int = HTTPStatus.OK,
    headers: Mapping[str, str] | None = None,
    review: Mapping[str, Any] | None = None,
) -> Response:
    """Render the form: blank, or with the posted values kept and each error beside its field (in
    the form's order in the summary), and, for a refused patient whose symptoms could be read,
    their review first."""
    model, words = found.model, page_words(found)
    fields = fields_of(model, words)
    schedule = [f for f in fields if f.name in SCHEDULE]
    refinements = [f for f in fields if not f.core and f.name not in SCHEDULE]
    symptoms = next(name for name, row in model.inputs.items() if row["type"] in LIST_TYPES)
    order = [f.name for f in fields if f.core] + [f.name for f in refinements + schedule]
    order += [symptoms, *PAGE_ONLY, FORM_KEY]
    beside, rest = field_errors(errors or {}, order)
    kept = {name: texts for name, texts in (values or {}).items() if name != FORM_KEY}
    context = {
        "core": [f for f in fields if f.core],
        "refinements": refinements,
        "refinements_open": any(f.name in kept or f.name in beside for f in refinements),
        "schedule": schedule,
        "groups": symptom_groups(model),
        "symptoms": symptoms,
        "labels": {**words.labels, **form_wording()["contacts"]},
        "asked_none": ASKED_NONE,
        "contacts": [
            (name, form_wording()["contacts"][name], value)
            for name, value in contacts({n: texts[0] for n, texts in kept.items() if n in PAGE_ONLY}).items()
        ],
        **review_context(model, review, refused=True),
    }
    return page(
        "form.html", status, headers, **context, values=kept, errors=beside, other_errors=rest,
        keyed=bool(found.gate.keys), key_field=FORM_KEY, title=model.document["title"],
    )  # fmt: skip


@dataclass
class FormResult:
    """The form's assessment, or the errors that stopped it."""

    assessment: dict[str, Any] | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    review: dict[str, Any] | None = None  # a refused patient's symptom review


def score(posted: Posted, found: Services) -> FormResult:
    """Assess the form's body through the API's own loader and assessor; errors are the API's 422
    `errors`, said for people (and the form's own, for two values given to one field)."""
    try:
        assessment = found.assessment_endpoint.answer(posted.body)
    except ValidationError as error:
        review = getattr(error, "symptom_review", None)
        said = page_words(found).said(validation_errors(error))
        return FormResult(errors={**said, **posted.errors}, review=review)
    return FormResult(None, posted.errors) if posted.errors else FormResult(assessment)


def report_page(assessment: dict[str, Any], found: Services, posted: Posted) -> Response:
    model = found.model
    now = datetime.now().astimezone()  # the server's clock, in its own time zone
    context = present(assessment, model, posted.body, page_words(found), contacts(posted.page), now)
    return page("report.html", **context, title=model.document["title"])


_CARDS: dict[tuple[str, str], str] = {}


def card_html(model: Model) -> str:
    """Return the model card as HTML, from the Markdown docs/model-card.md holds (rendered once)."""
    key = (model.id, model.version)
    if key not in _CARDS:
        markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
        _CARDS[key] = markdown.render(card_body(model))
    return _CARDS[key]
