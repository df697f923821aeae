"""The clinician pages' logic: the form read as the API's body, the report, the handout, the model card."""

from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined

from .form import read_posted
from .html import card_html, form_page, page, report_page, score

FOLDER = Path(__file__).parent


def check_pages(app: Any) -> None:
    """At start-up: refuse handout wording that names what the model lacks; let templates fail loudly."""
    from ..config import ConfigError
    from ..services import services
    from .handout import mismatches, wording

    found = mismatches(services(app).model, wording())
    if found:
        raise ConfigError(f"service/pages/handout.yaml: {'; '.join(found)}")
    app.jinja_env.undefined = StrictUndefined


__all__ = ["FOLDER", "card_html", "check_pages", "form_page", "page", "read_posted", "report_page", "score"]
