"""What the contract names and refers to: a set of values (`Choice`), and a value checked on its own
later (`Deferred`); service/http/references.py writes each as a reference to its component schema."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate


class Choice(validate.OneOf):
    """One of a named set of values. The contract states the set once, as the component schema `name`,
    and refers to it wherever it is used (a generated client gets one enum class per set, however
    often it is used and whether or not null is allowed beside it). `also` accepts further named
    sets (earlier versions' codes, say), each its own component."""

    def __init__(
        self,
        name: str,
        values,
        *,
        description: str = "",
        deprecated: bool = False,
        also: tuple[Choice, ...] = (),
    ) -> None:
        self.name, self.values = name, tuple(values)
        self.description, self.deprecated = description, deprecated
        self.parts = (self, *also)
        super().__init__([value for part in self.parts for value in part.values])

    def component(self) -> dict[str, Any]:
        """Return this set's own component schema (without the sets of `also`)."""
        return {
            "type": "string",
            "enum": list(self.values),
            **({"description": self.description} if self.description else {}),
            **({"deprecated": True} if self.deprecated else {}),
        }


class Deferred(fields.Raw):
    """A value taken as it is, to be checked on its own later (one batch patient: its own error, never
    the whole call's), and documented as the component schema `documented_as`, which that check applies."""

    def __init__(self, documented_as: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.documented_as = documented_as
