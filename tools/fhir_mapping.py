"""Render docs/fhir-mapping.md from the mapping table: `make fhir-doc`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

HEADER = "<!-- Generated from service/fhir/mapping.yaml by `make fhir-doc`; do not edit. -->"


def render_mapping(table: Mapping[str, Any]) -> str:
    """Return the FHIR mapping as Markdown."""
    lines = [
        HEADER,
        "",
        "# FHIR R4 mapping",
        "",
        "How `POST /v1/fhir/risk-assessments` (and the CDS Hooks services) read a FHIR R4 Bundle "
        "into the model's inputs. What the bundle does not hold is **unknown** for the six core "
        "factors (it widens the tier range) and **not provided** for refinements: a missing "
        "Condition never means the patient does not have it.",
        "",
        "- Age: `Patient.birthDate` as of the assessment date (`date` parameter, default today, "
        "UTC); a partial date counts from its earliest day, giving the older age.",
        "- Sex: `Patient.gender` "
        + ", ".join(f"`{gender}` as `{sex}`" for gender, sex in table["gender"].items())
        + "; any other gender (`other`, `unknown`) leaves `sex` not provided, and is reported.",
        f"- Observations count with status {_list(table['observation_statuses'])}; the latest "
        "usable one wins (effective time, else `issued`), and at equal times the worse value.",
        f"- Conditions count when clinically {_list(table['condition_statuses'])} (or without a "
        f"status) and not {_list(table['condition_verification_ignored'])}.",
        "- Resources about another patient are ignored. Everything ignored is listed, with the "
        "entry, in an OperationOutcome returned with the result.",
        "- A well-formed but implausible value (a BMI of 3, a birth date in the future) is "
        "ignored and reported; a Bundle that breaks the published schema is a 422 "
        "OperationOutcome naming the entry.",
        "",
    ]
    return (
        "\n".join([*lines, *_observations(table), *_conditions(table), *_steroids_and_fusion(table)]) + "\n"
    )


def _observations(table: Mapping[str, Any]) -> list[str]:
    lines = ["## Observations", "", "| input | codes | units | notes |", "|---|---|---|---|"]
    for name, row in table["observations"].items():
        units = ", ".join(f"`{u or '(none)'}`" for u in row.get("units", {})) or "coded answer"
        lines.append(f"| `{name}` | {_codes(row['codes'])} | {units} | {row['description']} |")
    lines += ["", "Smoking answers:", "", "| value | codes |", "|---|---|"]
    for value, by_system in table["observations"]["smoking"]["answers"].items():
        lines.append(f"| {value} | {_codes(by_system)} |")
    return [*lines, ""]


def _conditions(table: Mapping[str, Any]) -> list[str]:
    lines = ["## Conditions", "", "| input | SNOMED CT | ICD-10-CM (prefix) | meaning |", "|---|---|---|---|"]
    for name, row in table["conditions"].items():
        snomed, icd = _plain(row.get("snomed", ())) or "—", _plain(row.get("icd10cm", ())) or "—"
        lines.append(f"| `{name}` | {snomed} | {icd} | {' '.join(row['description'].split())} |")
    quit_date = _codes(table["quit_date"]["codes"])
    return [
        *lines,
        "",
        f"`months_since_quit`: the latest tobacco quit date ({quit_date}, `valueDateTime`), in its own "
        "Observation or as a component of the smoking-status Observation; counted only for a former smoker "
        "(with a current smoker it is dropped and reported).",
    ]


def _steroids_and_fusion(table: Mapping[str, Any]) -> list[str]:
    steroids, fusion, history = table["steroids"], table["fusion"], table["history"]
    return [
        "",
        "## Long-term systemic corticosteroids (`steroid_use`)",
        "",
        f"An {_list(steroids['statuses'])} MedicationStatement or MedicationRequest whose medication "
        f"has an RxNorm ingredient code {_plain(steroids['rxnorm'])}, or names "
        f"{_list(steroids['names'])}, used for at least {steroids['long_term_days']} days: from the "
        "statement's `effectivePeriod` (to the assessment date while open), the request's "
        "`dispenseRequest.expectedSupplyDuration` × (1 + `numberOfRepeatsAllowed`), its `validityPeriod`, "
        "the dosage's `timing.repeat.bounds[Duration|Period]`, or, for a request still active, the days "
        "since `authoredOn`. A shorter course is reported, not counted; so is an unknown duration. Routes "
        f"mentioning {_list(steroids['not_systemic_routes'])} or coded "
        f"{_codes(steroids['not_systemic_route_codes'])} never count (injections into a joint or the "
        "epidural space, inhaled, topical). The Condition `steroid_use` above counts too.",
        "",
        *_fusion(fusion),
        "## Surgical history (`prior_spine_surgery`, `three_column_osteotomy`)",
        "",
        "The current fusion is the planned one, else the latest completed. A completed fusion before it, "
        f"or a completed revision (CPT {_plain(history['revision_cpt'])}), is prior surgery. A three-column "
        f"osteotomy (CPT {_plain(history['osteotomy_cpt'])}) planned with a planned fusion, or performed on "
        "or after the current fusion's day, is part of the construct.",
        *_output(table),
    ]


def _fusion(fusion: Mapping[str, Any]) -> list[str]:
    return [
        "## The fusion (`levels_fused`, `region`, `fusion_to_sacrum_or_pelvis`, `approach`, "
        "`days_since_surgery`)",
        "",
        f"A ServiceRequest ({_list(fusion['statuses']['ServiceRequest'])}) or Procedure "
        f"({_list(fusion['statuses']['Procedure'])}) coded SNOMED CT {_plain(fusion['snomed'])}, "
        f"ICD-10-PCS {_plain(fusion['icd10pcs'])}… or CPT {_plain(fusion['cpt'])}. A vertebral range "
        "in its `bodySite` or `code` text gives the levels (motion segments: `L4-S1` is 2), the "
        f"region, and whether it ends at the sacrum or pelvis (also {_list(fusion['sacrum_words'])}). "
        "The `levels_fused` query parameter wins. The fusion read is the latest with a readable range "
        "(else the latest); its CPT codes give the `approach`: "
        + "; ".join(f"`{name}` {_codes(codes)}" for name, codes in fusion["approaches"].items())
        + f"; codes of both give `{fusion['both_approaches']}`, and other codes say nothing. "
        "The latest completed one gives `days_since_surgery`. "
        f"CDS Hooks `patient-view` answers only when one is planned, under way, or completed within "
        f"{fusion['recent_days']} days.",
        "",
    ]


def _output(table: Mapping[str, Any]) -> list[str]:
    output = table["output"]
    codes = "; ".join(
        f"{outcome}: "
        + ", ".join(f"ICD-10-CM `{code}` ({display})" for code, display in row["icd10cm"].items())
        for outcome, row in output["outcome_codes"].items()
    )
    return [
        "",
        "## Output",
        "",
        "A `collection` Bundle with one `RiskAssessment` per outcome: `subject` (the Patient by "
        "`Patient/id`, "
        "else by its entry's `fullUrl`; a Patient with neither is a 422), `occurrenceDateTime`, `method` "
        "(model id and version), `basis` (the resources used, by `Type/id` or `fullUrl`), "
        f"`prediction.outcome` (`{output['outcome_system']}`, and {codes}), "
        f"`prediction.qualitativeRisk` (`{output['risk_system']}`: {_list(output['risk_display'])}), "
        "`prediction.rationale` (the summary), `mitigation` (the advice for modifiable factors) and "
        "`note` (disclaimer, warnings, unknowns).",
        "",
        "When unknown core factors widen an outcome's tier range, its RiskAssessment is `preliminary`, the "
        "risk is coded at the **highest** tier of the range (missing data is never coded as reassurance), "
        "the text states the range and the unknowns (`Low to high: smoking, diabetes unknown`), the "
        f"extension `{output['range_extension']}` on the prediction carries `lowest` and `highest` "
        "(each a `valueCodeableConcept` in the risk code system), and a note names the unknowns. Otherwise "
        "it is `final`. No SNOMED CT concept could be verified for either outcome, so none is sent.",
        *_conformance(table),
    ]


def _conformance(table: Mapping[str, Any]) -> list[str]:
    conformance, output = table["conformance"], table["output"]
    read = "`/v1/fhir/{}/{}`".format
    code_system, extension = conformance["outcome_code_system"], conformance["range_extension"]
    rows = [
        ("CapabilityStatement", "`/v1/fhir/metadata`", conformance["capability_statement"]["url"]),
        (
            "OperationDefinition",
            read("OperationDefinition", conformance["operation"]["id"]),
            conformance["operation"]["url"],
        ),
        ("CodeSystem (the outcomes)", read("CodeSystem", code_system["id"]), output["outcome_system"]),
        (
            "StructureDefinition (the risk range)",
            read("StructureDefinition", extension["id"]),
            output["range_extension"],
        ),
    ]
    lines = [
        "",
        "## Conformance resources",
        "",
        "Served open (no key: they hold no patient data), as `application/fhir+json`, built from this table "
        "and the model. Each resource's canonical `url` is the URN the output carries, not this service's "
        "address: a code system or extension stored with every RiskAssessment must not change when a "
        "deployment is reached at another address. The resources define those URNs.",
        "",
        "| resource | read at | canonical url |",
        "|---|---|---|",
    ]
    return [*lines, *(f"| {kind} | {path} | `{url}` |" for kind, path, url in rows)]


def _codes(by_system: Mapping[str, Iterable[str]]) -> str:
    return "; ".join(f"{system}: {_plain(codes)}" for system, codes in by_system.items())


def _plain(codes: Iterable[Any]) -> str:
    return ", ".join(f"`{c}`" for c in codes)


def _list(words: Iterable[Any]) -> str:
    return ", ".join(f"`{w}`" for w in words)


if __name__ == "__main__":
    from service.fhir import load_terminology

    print(render_mapping(load_terminology().table), end="")
