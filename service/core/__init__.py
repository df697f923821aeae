"""The scoring core: the model table and pure functions over it (no Flask, no marshmallow)."""

from .assessment import Assessor
from .model import Model, ModelError, load_model

__all__ = ["Assessor", "Model", "ModelError", "load_model"]
