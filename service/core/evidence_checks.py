"""Evidence integrity, checked at load: each row measured its outcome (or says it is extrapolated,
at certainty D), its certainty is within what the study's design and outcome source allow, points
follow their anchor effect, and every reference is complete and cited."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .table import Model

EXTRAPOLATED_GRADE = "D"  # the only grade an extrapolated effect may carry
REQUIRED = ("authors", "title", "journal", "year", "design", "population", "outcome_source")
IDENTIFIERS = ("pmid", "pmc", "doi", "url")


def evidence_problems(model: Model) -> Iterable[str]:
    """Rows citing unknown references, grades or measures; outcome and design mismatches."""
    method = model.document["method"]
    grades, by_design, by_source = (
        set(method["certainty_grades"]),
        method["design_grades"],
        method["source_grades"],
    )
    measures, allowed = set(method["measures"]), method["outcome_measures"]
    for outcome, row in model.all_evidence():
        where = f"evidence {row.reference} ({row.effect})"
        if row.reference not in model.references:
            yield f"{where}: unknown reference"
        if row.certainty not in grades:
            yield f"{where}: unknown certainty {row.certainty!r}"
        if row.outcome_measured not in measures:
            yield f"{where}: unknown outcome measure {row.outcome_measured!r}"
        elif row.outcome_measured not in allowed[outcome] and not (
            row.extrapolated and row.certainty == EXTRAPOLATED_GRADE
        ):
            yield f"{where}: measured {row.outcome_measured} for {outcome}; mark it extrapolated, certainty D"
        if row.extrapolated and row.certainty != EXTRAPOLATED_GRADE:
            yield f"{where}: an extrapolated effect is certainty D"
        if row.certainty not in by_design.get(row.design, ()):
            design = row.design or "missing"
            yield f"{where}: certainty {row.certainty} is stronger than a {design} design allows"
        if row.certainty not in by_source.get(row.outcome_source, ()):
            source = row.outcome_source or "missing"
            yield f"{where}: certainty {row.certainty} is stronger than a {source} outcome source allows"


def anchor_problems(model: Model) -> Iterable[str]:
    """Points with an anchor effect are ln(OR) / log-odds per point, rounded, unless the table says
    why they were lowered."""
    per_point = model.document["method"]["log_odds_per_point"]
    for factor in model.document["factors"]:
        for level in factor["levels"]:
            for outcome in model.outcomes:
                effect = level[outcome]
                anchor = effect.get("anchor_or")
                if anchor is None:
                    continue
                where = f"factor {factor['id']}, level {level['id']}, {outcome}"
                if not isinstance(anchor, (int, float)) or isinstance(anchor, bool) or anchor <= 0:
                    yield f"{where}: anchor_or must be a positive number"
                elif effect["points"] != round(math.log(anchor) / per_point) and not effect.get(
                    "lowered_because"
                ):
                    formula = f"round(ln {anchor} / {per_point})"
                    yield f"{where}: {effect['points']} points is not {formula}; say why it was lowered"


def reference_problems(model: Model) -> Iterable[str]:
    """Incomplete references, and references nothing cites."""
    cited = {row.reference for _, row in model.all_evidence()}
    cited |= {e["reference"] for rate in model.typical.rates for e in (*rate.counted, *rate.not_counted)}
    designs = set(model.document["method"]["design_grades"])
    sources = set(model.document["method"]["source_grades"])
    for ref, row in model.references.items():
        missing = [field for field in REQUIRED if not row.get(field)]
        if missing:
            yield f"reference {ref}: missing {', '.join(missing)}"
        if not any(row.get(key) for key in IDENTIFIERS):
            yield f"reference {ref}: needs a PMID, PMC id, DOI or URL"
        if row.get("design") not in designs:
            yield f"reference {ref}: unknown design {row.get('design')!r}"
        if row.get("outcome_source") not in sources:
            yield f"reference {ref}: unknown outcome source {row.get('outcome_source')!r}"
        if ref not in cited:
            yield f"reference {ref} is never cited"
