"""Answer a CDS Hooks call: gather the data, assess it, and return cards."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from schemas.fhir_bundle import MAX_BUNDLE_ENTRIES

from ..fhir import Bundles, NotAnAdult, Terminology
from ..fhir.elements import codings
from ..fhir.procedures import planned_or_recent_fusion
from ..fhir.reader import Reader
from .cards import cards, no_card, not_assessed
from .discovery import prefetch_templates
from .gather import Fetcher, missing_queries, resources_of
from .subjects import patient_bundle


@dataclass(frozen=True)
class CardSettings:
    model_page: str | None  # absolute URL of the model page (each card's source and link), if known
    needs_fusion: bool  # patient-view: cards only with a planned or recent spinal fusion
    explain_no_card: bool = False  # without a fusion: an info card saying so, instead of no card


def respond(
    call: Mapping[str, Any],
    assessor,
    fetcher: Fetcher,
    bundles: Bundles,
    settings: CardSettings,
) -> list[dict[str, Any]]:
    """Return the cards for a validated hook call (patient-view or order-select); the CDS renderer
    (service/formats) puts them in the response."""
    terms = bundles.terms
    order_select = call["hook"] == "order-select"
    model = assessor.model
    source = {"label": f"{model.document['title']}, model {model.version}"}
    if settings.model_page:
        source["url"] = settings.model_page
    gathered = _gather(call, fetcher, terms, order_select)
    today = datetime.now(UTC).date()
    if gathered is None or (
        not order_select
        and settings.needs_fusion
        and not planned_or_recent_fusion(Reader(gathered[0], terms), today)
    ):  # not a spinal fusion order, or no spinal fusion planned or recent: nothing to say
        recent_days = terms.table["fusion"]["recent_days"]
        notices = gathered[1] if gathered else frozenset()  # a fusion may be in what could not be read
        explained = no_card(call["hook"], call["hookInstance"], source, recent_days, notices)
        return [explained] if settings.explain_no_card else []
    bundle, notices = gathered
    try:
        _, patient = bundles.read(bundle, today)
    except NotAnAdult:
        return [not_assessed(call["hookInstance"], source, model.adult_age)]
    indicators = terms.table["cds"]["indicators"]
    return cards(assessor(patient), call["hookInstance"], source, model, indicators, notices)


def _gather(
    call: Mapping[str, Any], fetcher: Fetcher, terms: Terminology, order_select: bool
) -> tuple[dict[str, Any], set[str]] | None:
    """Return the bundle of the context patient (prefetch, then what was fetched, then the selected
    orders) and why data may be missing; None for an order-select without a fusion order."""
    context, prefetch = call["context"], call.get("prefetch") or {}
    patient_id = context["patientId"]
    resources = [r for value in prefetch.values() for r in resources_of(value)]
    missing = missing_queries(prefetch_templates(terms, not order_select), prefetch, patient_id)
    notices: set[str] = set()
    if missing and call.get("fhirServer"):
        token = (call.get("fhirAuthorization") or {}).get("access_token")
        fetched = fetcher.fetch(call["fhirServer"], token, missing)
        resources += [r for value in fetched.values.values() for r in resources_of(value, trusted=False)]
        notices |= fetched.incomplete
    if order_select:
        orders = _selected_fusion_orders(context, terms)
        if not orders:
            return None
        resources += orders
    bundle, others = patient_bundle(resources, patient_id, call.get("fhirServer"))
    if others:
        notices.add("other_patient")
    if len(bundle["entry"]) > MAX_BUNDLE_ENTRIES:
        bundle["entry"] = bundle["entry"][:MAX_BUNDLE_ENTRIES]
        notices.add("entries")
    return bundle, notices


def _selected_fusion_orders(context: Mapping[str, Any], terms: Terminology) -> list[dict[str, Any]]:
    selected = set(context.get("selections") or ())
    return [
        order
        for order in resources_of(context.get("draftOrders"))
        if f"{order.get('resourceType')}/{order.get('id')}" in selected
        and terms.fusion.matches(codings(order.get("code")))
    ]
