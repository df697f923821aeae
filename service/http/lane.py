"""The fast lane's one condition: no Flask request hook it cannot honour.

The lane (AssessmentEndpoint.fast) answers POST /v1/assessments without Flask's request
machinery, so a `before_request` hook added the ordinary way would silently miss the hottest
endpoint. The factory registers the hooks it needs (the gate, which the lane asks itself), then
freezes the app's request-hook registries: adding one later raises at start-up instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

HOOK_REGISTRIES = (
    "before_request_funcs",
    "after_request_funcs",
    "teardown_request_funcs",
    "url_value_preprocessors",
    "url_default_functions",
)
REFUSAL = (
    "The fast lane answers POST /v1/assessments without Flask's request hooks, so this hook would "
    "miss it. Register it in service.create_app and make the lane honour it too, or set FAST_LANE "
    "to False."
)


class HookRefused(RuntimeError):
    """A request hook the fast lane cannot honour."""


class _FrozenHooks(dict):
    """A hook registry that keeps what it holds and refuses anything new."""

    def setdefault(self, key: Any, default: Any = None) -> Any:
        raise HookRefused(REFUSAL)

    def __setitem__(self, key: Any, value: Any) -> None:
        raise HookRefused(REFUSAL)

    def __missing__(self, key: Any) -> Any:  # registries are defaultdicts: Flask appends to [None]
        raise HookRefused(REFUSAL)


class _FrozenList(list):
    """A list of hooks that keeps what it holds and refuses anything new."""

    def append(self, item: Any) -> None:
        raise HookRefused(REFUSAL)

    def extend(self, items: Iterable[Any]) -> None:
        raise HookRefused(REFUSAL)

    def insert(self, index: Any, item: Any) -> None:
        raise HookRefused(REFUSAL)


def freeze_request_hooks(
    app: Flask, honoured: Iterable[Callable[..., Any]], scopes: Iterable[str | None]
) -> None:
    """Refuse to start with a hook in `scopes` (the app, the lane's blueprint) the lane does not
    honour, then freeze every registry so that none can be added later."""
    allowed = set(honoured)
    for registry in HOOK_REGISTRIES:
        hooks = getattr(app, registry)
        for scope in scopes:
            stray = [hook for hook in hooks.get(scope, ()) if hook not in allowed]
            if stray:
                raise HookRefused(f"{REFUSAL} ({registry}: {[h.__qualname__ for h in stray]})")
        setattr(app, registry, _FrozenHooks({scope: _FrozenList(found) for scope, found in hooks.items()}))
    app.teardown_appcontext_funcs = _FrozenList(app.teardown_appcontext_funcs)
