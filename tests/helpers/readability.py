"""Flesch–Kincaid grade level, computed here (the formula is public; syllables by a vowel-group rule)."""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
SENTENCE_END = re.compile(r"[.!?:;]+(?:\s|$)")
VOWEL_GROUP = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Count a word's syllables: vowel groups, less a silent final e, at least one. It errs high
    ("healed" counts two), so a text it passes is no harder than it says."""
    word = word.lower().removesuffix("'s")
    count = len(VOWEL_GROUP.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # a silent e: "stone", "remove"
    return max(count, 1)


def sentences(text: str) -> list[str]:
    """Split text into sentences: at end punctuation, and at line ends (a list item or heading is one)."""
    parts = []
    for line in text.splitlines():
        parts += [p for p in SENTENCE_END.split(line) if WORD.search(p)]
    return parts


def grade(text: str) -> float:
    """Return the Flesch–Kincaid grade: 0.39 words/sentence + 11.8 syllables/word − 15.59."""
    found = sentences(text)
    words = [w for s in found for w in WORD.findall(s)]
    if not words:
        raise ValueError("no words to grade")
    return 0.39 * len(words) / len(found) + 11.8 * sum(syllables(w) for w in words) / len(words) - 15.59
