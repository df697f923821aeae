"""The FHIR code table: loaded once, matched by code (ICD-10-CM by prefix), checked against the
model at start-up so a table that disagrees with it stops the service."""

from __future__ import annotations

import copy

import pytest
import yaml

import service
from service.config import ConfigError
from service.fhir.terminology import MAPPING_PATH, Terminology, load_terminology, mismatches
from tests.helpers import make_app

ICD10CM, SNOMED = "http://hl7.org/fhir/sid/icd-10-cm", "http://snomed.info/sct"


def test_the_table_is_loaded_once():
    assert load_terminology() is load_terminology()


def test_conditions_match_snomed_exactly_and_icd10cm_by_prefix():
    diabetes = load_terminology().conditions["diabetes"]
    assert diabetes.matches([(SNOMED, "44054006")]) and diabetes.matches([(ICD10CM, "E11.9")])
    assert not diabetes.matches([(SNOMED, "4405400")]) and not diabetes.matches([(ICD10CM, "O24.4")])


def test_the_worse_of_two_values_ranks_higher():
    terms = load_terminology()
    assert (
        terms.severity("smoking", "current")
        > terms.severity("smoking", "former")
        > terms.severity("smoking", "never")
    )
    assert terms.severity("t_score", -3.0) > terms.severity("t_score", -1.0)
    assert terms.severity("bmi", 35) > terms.severity("bmi", 25)


def test_the_shipped_table_agrees_with_the_model(model):
    assert mismatches(load_terminology(), model) == []


def _broken(change) -> Terminology:
    table = copy.deepcopy(yaml.safe_load(MAPPING_PATH.read_text(encoding="utf-8")))
    change(table)
    terms = load_terminology()
    return Terminology(**{**terms.__dict__, "table": table})


BREAKAGES = {
    "a region the model lacks": lambda t: t["fusion"]["regions"].update(c="neck"),
    "an indicator missing": lambda t: t["cds"]["indicators"].pop("high"),
    "a smoking answer the model lacks": lambda t: t["observations"]["smoking"]["answers"].update(
        sometimes={}
    ),
    "an outcome without a display": lambda t: t["output"]["outcome_display"].pop("hardware_failure"),
    "a gender read as a sex the model lacks": lambda t: t["gender"].update(other="other"),
    "an approach the model lacks": lambda t: t["fusion"]["approaches"].update(lateral={"cpt": ["22558"]}),
    "both approaches named as no approach": lambda t: t["fusion"].update(both_approaches="360"),
    "an approach code that is no fusion code": lambda t: t["fusion"]["approaches"]["anterior"]["cpt"].append(
        "22999"
    ),
}


@pytest.mark.parametrize("change", BREAKAGES.values(), ids=list(BREAKAGES))
def test_a_table_that_disagrees_with_the_model_is_named(model, change):
    assert mismatches(_broken(change), model)


def test_a_disagreeing_table_stops_the_service(monkeypatch):
    """The factory checks the table its services hold: hand it a broken one and it refuses to start."""
    broken = _broken(BREAKAGES["an indicator missing"])
    monkeypatch.setattr(service.fhir, "load_terminology", lambda: broken)
    with pytest.raises(ConfigError, match=r"cds\.indicators"):
        make_app()
