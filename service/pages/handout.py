"""The patient handout: the assessment retold in plain words (handout.yaml) with the table's symptom rules."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from service.core import Model
from service.core.wording import join

WORDING = Path(__file__).with_name("handout.yaml")


@cache
def wording() -> Mapping[str, Any]:
    """Return the handout's wording (read once: it is part of the release, like the table)."""
    return yaml.safe_load(WORDING.read_text(encoding="utf-8"))


def mismatches(model: Model, words: Mapping[str, Any]) -> list[str]:
    """Return what the wording names that the model does not hold, or holds and the wording lacks."""
    found = []
    checks = {
        "outcomes": set(model.outcomes),
        "tiers": {tier for tier, _ in model.tiers},
        "urgencies": set(model.urgencies),
        "act": set(model.urgencies),
        "reported_heading": set(model.urgencies),
    }
    for key, ids in checks.items():
        if set(words[key]) != ids:
            found.append(f"{key}: {sorted(set(words[key]) ^ ids)}")
    if any(word != tier for tier, word in words["tiers"].items()):
        found.append("tiers: the handout names each tier as the model does (low, moderate, high)")
    modifiable = {f.id for f in model.factors if f.modifiable}
    if set(words["factors"]) != modifiable:
        found.append(f"factors: {sorted(set(words['factors']) ^ modifiable)}")
    if not set(words["after_surgery"]) <= modifiable:
        found.append(f"after_surgery: {sorted(set(words['after_surgery']) - modifiable)}")
    advice = {item.id for item in model.advice}
    if not set(words["advice"]) <= advice:
        found.append(f"advice: {sorted(set(words['advice']) - advice)} is not advice the table gives")
    regions = set(model.inputs["region"]["values"])
    if set(words["regions"]) != regions:
        found.append(f"regions: {sorted(set(words['regions']) ^ regions)}")
    for item in words["normal"]:
        if not set(item.get("regions", ())) <= regions:
            found.append(f"normal: {sorted(set(item['regions']) - regions)} are not regions")
    approaches = set(model.inputs["approach"]["values"])
    for said in (*words["regions"].values(), words["no_region"]):
        try:
            _in_words(words, said)
        except KeyError as error:
            found.append(f"regions: no {error} for {said}")
        if not set(said) - {"part", "implants"} <= approaches:  # implants named by approach
            found.append(
                f"regions: {sorted(set(said) - {'part', 'implants'} - approaches)} are not approaches"
            )
    return found


def handout(
    assessment: Mapping[str, Any],
    model: Model,
    patient: Mapping[str, Any],
    changeable: list[str],
    unknown: list[str],
    contacts: Mapping[str, str],
) -> dict[str, Any]:
    """Return what the handout shows for one assessment of `patient` (the body it was made from):
    `changeable` are the modifiable factors adding points, `unknown` the ones not known, `contacts`
    the team's (empty: a line to write on)."""
    region = patient.get("region")
    words = _in_words(wording(), region_words(wording(), region, patient.get("approach")))
    review = assessment["symptom_review"]
    after_surgery = patient.get("days_since_surgery") is not None
    results = []
    for outcome, block in assessment["outcomes"].items():
        name = words["outcomes"][outcome]
        lowest, highest = block["risk_range"]["lowest"], block["risk_range"]["highest"]
        line = words["result"].format(outcome=name, tier=words["tiers"][lowest])
        wider = words["range"].format(tier=words["tiers"][highest]) if not block["determinate"] else ""
        results.append({"text": line, "range": wider})
    return {
        "words": words,
        "results": results,
        "actions": _actions(changeable, words, after_surgery)
        + [words["advice"][a["id"]] for a in assessment["advice"] if a["id"] in words["advice"]],
        "not_known": words["not_known"].format(factors=join(unknown)) if unknown else "",
        "review": review,
        "act": review is not None and review["urgency"] != list(model.urgencies)[-1],
        "normal": [item["text"] for item in words["normal"] if _for_region(item, region)],
        "help_heading": words["help_heading" if after_surgery else "help_heading_before"],
        "help": help_lists(model, words, region),
        "contacts": [(words["contacts"][name], contacts.get(name, "")) for name in words["contacts"]],
    }


def _for_region(item: Mapping[str, Any], region: str | None) -> bool:
    """Whether an item is said for this region: it names none, or this one, or none is known."""
    return region is None or region in item.get("regions", [region])


def region_words(words: Mapping[str, Any], region: str | None, approach: str | None) -> dict[str, str]:
    """Return the words for the operated part and its implants: the region's (its approach's
    implants where it names them), or the general words when no region is known."""
    said = words["regions"].get(region, words["no_region"]) if region else words["no_region"]
    return {"part": said["part"], "implants": said.get(approach or "", said["implants"])}


def _in_words(words: Mapping[str, Any], said: Mapping[str, str]) -> dict[str, Any]:
    """The wording with the region's words put into the texts that name the part or its implants."""
    return {
        **words,
        "intro": words["intro"].format(**said),
        "outcomes": {outcome: text.format(**said) for outcome, text in words["outcomes"].items()},
        "factors": {factor: text.format(**said) for factor, text in words["factors"].items()},
        "after_surgery": {factor: text.format(**said) for factor, text in words["after_surgery"].items()},
    }


def _actions(changeable: list[str], words: Mapping[str, Any], after_surgery: bool) -> list[str]:
    """The plain advice for each factor in `changeable` (after surgery, advice about getting ready
    for it in its after-surgery words)."""
    advice = {**words["factors"], **(words["after_surgery"] if after_surgery else {})}
    return [advice[factor] for factor in changeable if factor in advice]


def not_known(assessment: Mapping[str, Any], model: Model) -> list[str]:
    """Return the labels of the unknown factors the patient could change, were they present."""
    return [u["label"] for u in assessment["unknown_factors"] if model.factor(u["factor"]).modifiable]


def help_lists(model: Model, words: Mapping[str, Any], region: str | None = None) -> list[dict[str, Any]]:
    """Return, most urgent first, what to do and the symptoms that call for it, in the patient's
    words (from the table's symptom rules; a symptom whose urgency changes with time says when; one
    that belongs to some regions only is listed for those, or when no region is known)."""
    phases = model.document["symptom_review"]["phases"]
    lists = []
    for urgency in model.urgencies:
        items = []
        for symptom in model.symptoms.values():
            during = [p["id"] for p in phases if symptom.by_phase[p["id"]] == urgency]
            if during and (region is None or not symptom.regions or region in symptom.regions):
                when = _when(during, phases, words)
                items.append(
                    f"{symptom.patient_label.removesuffix('.')} {when}." if when else symptom.patient_label
                )
        lists.append({"urgency": urgency, "rank": list(model.urgencies).index(urgency), "items": items})
    return [entry for entry in lists if entry["items"]]


def _when(during: list[str], phases: list[Mapping[str, Any]], words: Mapping[str, Any]) -> str:
    """When a level holds: always (""), up to a phase's end, after it, or in the phases named."""
    ids = [phase["id"] for phase in phases]
    if during == ids:
        return ""
    start, end = ids.index(during[0]), ids.index(during[-1]) + 1
    if start == 0 and during == ids[:end]:
        return str(words["phase_in"].format(phase=phases[end - 1]["until"]))
    if during == ids[start:]:
        return str(words["phase_after"].format(phase=phases[start - 1]["until"]))
    return str(words["phase_in"].format(phase=" or ".join(phases[ids.index(p)]["label"] for p in during)))
