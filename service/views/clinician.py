"""The clinician pages: the patient form, the report (with the patient handout), the model card."""

from __future__ import annotations

from flask import Blueprint, request, send_from_directory
from werkzeug.exceptions import Unauthorized

from ..http.forms import UPLOAD_ENDPOINT, posted_values, read_form, read_upload
from ..http.problems import error_headers
from ..http.security import FORM_KEY
from ..pages import FOLDER, card_html, check_pages, form_page, page, read_posted, report_page, score
from ..pages.html import KEY_REFUSED, code, upper_first
from ..pages.upload import scored_upload, upload_page
from ..services import services

blp = Blueprint("clinician", __name__, template_folder=str(FOLDER / "templates"))
blp.record_once(lambda state: check_pages(state.app))
blp.add_app_template_filter(code)
blp.add_app_template_filter(upper_first)


@blp.route("/", methods=["GET"])
def form():
    return form_page(services())


@blp.route("/report", methods=["POST"])
def report():
    """Score the posted form through the API's loader and assessor: the report, or the form with errors."""
    found = services()
    values = read_form()
    posted = read_posted(values, found.model, ignored=(FORM_KEY,))
    scored = score(posted, found)
    if scored.assessment is None:
        return form_page(found, values, scored.errors, 422, review=scored.review)
    return report_page(scored.assessment, found, posted)


@blp.route("/score-file", methods=["GET"])
def score_file_form():
    found = services()
    return upload_page(found.model, bool(found.gate.keys))


@blp.route("/score-file", methods=["POST"])
def score_file():
    """Score an uploaded CSV with the population core: the tier distribution and the scores as CSV."""
    found = services()
    data = read_upload()
    return scored_upload(found.model, bool(found.gate.keys), data, request.form.get("format"))


@blp.route("/model", methods=["GET"])
def model_card():
    found = services()
    return page("model.html", card=card_html(found.model), title=found.model.document["title"])


@blp.route("/assets/<path:filename>", methods=["GET"])
def asset(filename: str):
    return send_from_directory(FOLDER / "static", filename, max_age=0)


@blp.errorhandler(Unauthorized)
def _key_refused(error: Unauthorized):
    """The gate refused the posted key: the form again, the values kept (never the key, nor a file)."""
    if request.endpoint == UPLOAD_ENDPOINT:
        return upload_page(services().model, True, {FORM_KEY: [KEY_REFUSED]}, 401, error_headers(error))
    return form_page(services(), posted_values(), {FORM_KEY: [KEY_REFUSED]}, 401, error_headers(error))
