"""The clinician pages' logic: the form read as the API's body, the report, the handout, the model card."""

from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined

from .form import read_posted
from .html import card_html, form_page, page, report_page, score

FOLDER = Path(__file__).parent


def check_pages(app: Any) -> None:
    """At start-up: refuse handout or form wording that names what the model lacks, or lacks what
    it needs; let templates fail loudly."""
    from ..config import ConfigError
    from ..services import services
    from . import handout, words

    model = services(app).model
    for name, module in (("handout.yaml", handout), ("form.yaml", words)):
        found = module.mismatches(model, module.wording())
        if found:
            raise ConfigError(f"service/pages/{name}: {'; '.join(found)}")
    app.jinja_env.undefined = StrictUndefined


__all__ = ["FOLDER", "card_html", "check_pages", "form_page", "page", "read_posted", "report_page", "score"]
