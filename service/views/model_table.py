"""GET /v1/model: the whole model as data."""

from __future__ import annotations

from flask_smorest import Blueprint

from schemas import ModelDocumentSchema

from ..formats import AS_JSON
from ..http.answer import answer
from ..http.api import operation
from ..services import services

blp = Blueprint("model", __name__, url_prefix="/v1", description="The published risk model.")


@blp.route("/model", methods=["GET"])
@blp.doc(operationId="getModel", **operation(ModelDocumentSchema, "The model table, as data."))
def get_model():
    """Publish the model

    Every factor with its thresholds, points per outcome, explanation, advice and evidence;
    the tiers, the non-union link, the method, the references and the known limitations.
    """
    return answer(AS_JSON, services().model.document)
