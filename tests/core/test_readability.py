"""The Flesch–Kincaid grade: the formula, its syllable rule and its sentence split."""

from __future__ import annotations

import pytest

from service.core.readability import grade, sentences, syllables


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("cat", 1),
        ("stone", 1),
        ("table", 2),
        ("healed", 2),
        ("patient's", 2),
        ("osteoporosis", 5),
        ("fly", 1),
    ],
)
def test_syllables_count_vowel_groups_less_a_silent_e(word, count):
    assert syllables(word) == count


def test_sentences_end_at_punctuation_and_line_ends():
    assert sentences("One. Two: three\nFour") == ["One", "Two", "three", "Four"]
    # a decimal point ends no sentence
    assert sentences("Fever of 38.0 °C or more.") == ["Fever of 38.0 °C or more"]


def test_the_grade_is_the_formula():
    # 6 words, 1 sentence, 6 syllables: 0.39 × 6 + 11.8 × 1 − 15.59
    assert grade("The cat sat on the mat.") == pytest.approx(0.39 * 6 + 11.8 - 15.59)
    assert grade("Osteoporotic vertebrae necessitate augmentation.") > 8


def test_a_text_without_words_has_no_grade():
    with pytest.raises(ValueError, match="no words"):
        grade("38.0 — 38.5")
