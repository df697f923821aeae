"""How the contract refers to what it names: a set of values (`Choice`) or a value checked later
(`Deferred`) as a reference to its component schema; and the contract written as YAML without anchors."""

from __future__ import annotations

from typing import Any

import yaml
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

from schemas.named import Choice, Deferred


class ReferencingPlugin(MarshmallowPlugin):
    """apispec's marshmallow plugin, documenting named sets and deferred values by reference."""

    def init_spec(self, spec: Any) -> None:
        super().init_spec(spec)
        assert self.converter is not None  # made by init_spec
        self.converter.add_attribute_function(named_schemas)


def named_schemas(converter: Any, field: Any, ret: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Document a `Choice` as references to its named sets (null beside them when allowed) and a
    `Deferred` value as a reference to its schema (an apispec attribute function, run after its own)."""
    if isinstance(field, Deferred):
        ret.clear()
        return {"$ref": f"#/components/schemas/{field.documented_as}"}
    choice = next((v for v in field.validators if isinstance(v, Choice)), None)
    if choice is None:
        return {}
    for key in ("type", "enum"):
        ret.pop(key, None)
    options = [_component(converter.spec, part) for part in choice.parts]
    options += [{"type": "null"}] if field.allow_none else []
    return {"anyOf": options} if len(options) > 1 else options[0]


def _component(spec: Any, choice: Choice) -> dict[str, str]:
    """Register a named set of values once (refusing two different sets of one name); return its reference."""
    known = spec.components.schemas.get(choice.name)
    if known is None:
        spec.components.schema(choice.name, choice.component())
    elif known != choice.component():
        raise ValueError(f"two different sets of values are named {choice.name}")
    return {"$ref": f"#/components/schemas/{choice.name}"}


class PlainDumper(yaml.SafeDumper):
    """Writes a schema used twice in full each time (no `&id` anchors: every reader reads it alike)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


CONTRACT_YAML = "service.contract_yaml"  # the app extension the YAML is kept in


def contract_yaml(app: Flask) -> str:
    """Return the app's OpenAPI document, generated from the schemas, as YAML: generated once per
    app (it cannot change while the app runs, and generating it costs ~0.1 s of CPU on an endpoint
    anyone may call)."""
    if CONTRACT_YAML not in app.extensions:
        spec = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec
        app.extensions[CONTRACT_YAML] = yaml.dump(
            spec.to_dict(), Dumper=PlainDumper, sort_keys=False, allow_unicode=True, width=100
        )
    return str(app.extensions[CONTRACT_YAML])
