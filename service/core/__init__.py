"""The scoring core: the model table and pure functions over it (no Flask, no marshmallow)."""

from .assessor import Assessor
from .checks import ModelError
from .load import build_model, default_model, load_model
from .table import Model

__all__ = ["Assessor", "Model", "ModelError", "build_model", "default_model", "load_model"]
