"""Evidence integrity, checked at load: each row measured its outcome (or says it is extrapolated,
at certainty D), its certainty is within what the study's design allows, and every reference is
complete and cited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .table import Model

EXTRAPOLATED_GRADE = "D"  # the only grade an extrapolated effect may carry
REQUIRED = ("authors", "title", "journal", "year", "design", "population")
IDENTIFIERS = ("pmid", "pmc", "doi", "url")


def evidence_problems(model: Model) -> Iterable[str]:
    """Rows citing unknown references, grades or measures; outcome and design mismatches."""
    method = model.document["method"]
    grades, by_design = set(method["certainty_grades"]), method["design_grades"]
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


def reference_problems(model: Model) -> Iterable[str]:
    """Incomplete references, and references nothing cites."""
    cited = {row.reference for _, row in model.all_evidence()}
    designs = set(model.document["method"]["design_grades"])
    for ref, row in model.references.items():
        missing = [field for field in REQUIRED if not row.get(field)]
        if missing:
            yield f"reference {ref}: missing {', '.join(missing)}"
        if not any(row.get(key) for key in IDENTIFIERS):
            yield f"reference {ref}: needs a PMID, PMC id, DOI or URL"
        if row.get("design") not in designs:
            yield f"reference {ref}: unknown design {row.get('design')!r}"
        if ref not in cited:
            yield f"reference {ref} is never cited"
