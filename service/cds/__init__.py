"""CDS Hooks 2.0: discovery, prefetch and fetching, cards (no Flask)."""

from .cards import cards
from .discovery import ORDER_SELECT, PATIENT_VIEW, discovery, prefetch_templates
from .gather import Fetcher, missing_queries, resources_of
from .respond import CardSettings, respond
from .subjects import patient_bundle

__all__ = [
    "ORDER_SELECT",
    "PATIENT_VIEW",
    "CardSettings",
    "Fetcher",
    "cards",
    "discovery",
    "missing_queries",
    "patient_bundle",
    "prefetch_templates",
    "resources_of",
    "respond",
]
