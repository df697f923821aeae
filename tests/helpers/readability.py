"""Flesch–Kincaid grade level for the tests: the core's own function (one implementation for the
table's load check and the pages' tests)."""

from service.core.readability import grade, sentences, syllables

__all__ = ["grade", "sentences", "syllables"]
