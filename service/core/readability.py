"""Flesch–Kincaid grade level, for the table's plain-language checks and the handout's tests (the
formula is public; syllables by a vowel-group rule)."""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
SENTENCE_END = re.compile(r"[.!?:;]+(?:\s|$)")
VOWEL_GROUP = re.compile(r"[aeiouy]+")
# grade = 0.39 words/sentence + 11.8 syllables/word − 15.59: the formula's own constants
FLESCH_KINCAID = (0.39, 11.8, 15.59)


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
    """Return the Flesch–Kincaid grade of a text (ValueError when it has no words)."""
    found = sentences(text)
    words = [w for s in found for w in WORD.findall(s)]
    if not words:
        raise ValueError("no words to grade")
    per_sentence, per_syllable, offset = FLESCH_KINCAID
    return (
        per_sentence * len(words) / len(found)
        + per_syllable * sum(map(syllables, words)) / len(words)
        - offset
    )
