"""Defensive element readers: a value of the wrong JSON type reads as absent, never a crash."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from service.fhir.elements import (
    codings,
    concept_text,
    day,
    first_time,
    moment,
    number,
    obj,
    objs,
    reference,
    string,
)


@pytest.mark.parametrize("value", [None, 7, "x", [1], True])
def test_anything_but_an_object_reads_as_empty(value):
    assert obj(value) == {} and objs(value) == [] and reference(value) is None


def test_objs_skips_items_that_are_not_objects():
    assert objs([{"a": 1}, 2, "x", {"b": 2}]) == [{"a": 1}, {"b": 2}]


@pytest.mark.parametrize(
    ("value", "read"), [(3, 3), (2.5, 2.5), (True, None), ("3", None), (float("inf"), None)]
)
def test_number_is_a_finite_json_number(value, read):
    assert number(value) == read


def test_codings_skip_codes_that_are_not_strings():
    concept = {"coding": [{"system": "s", "code": "1"}, {"system": "s", "code": 2}, {"code": "3"}, "x"]}
    assert codings(concept) == [("s", "1"), ("", "3")]


def test_concept_text_joins_text_and_displays_lower_cased():
    concept = {"text": "Prednisone", "coding": [{"display": "Oral Route"}, {"display": 5}]}
    assert concept_text(concept) == "prednisone oral route "


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("1949", datetime(1949, 1, 1)),
        ("1949-07", datetime(1949, 7, 1)),
        ("2026-11-21T23:30:00-05:00", datetime(2026, 11, 22, 4, 30)),
        ("0001-01-01T00:00:00+01:00", None),  # before year 1 once in UTC
        ("21/11/1960", None),
        (19491, None),
    ],
)
def test_moments_are_naive_utc_and_partial_dates_count_from_their_first_day(value, read):
    assert moment(value) == read


def test_first_time_falls_back_to_periods():
    assert first_time({"performedPeriod": {"start": "2026-01-02"}}, "performedDateTime") == datetime(
        2026, 1, 2
    )
    assert day({"x": 1}) is None and day("2026-03-04") == date(2026, 3, 4)
    assert string(5) is None and string("a") == "a"
