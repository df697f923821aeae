"""What an output format is: the media type it answers with, how a document becomes bytes, and the
headers that go with it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Renderer:
    """One output format. `render` turns the format's document into the bytes sent or written."""

    media_type: str
    render: Callable[[Any], bytes]
    headers: tuple[tuple[str, str], ...] = ()  # sent with every answer in this format

    @property
    def content_type(self) -> str:
        """The Content-Type header: text is UTF-8 and says so (as Flask writes it)."""
        return f"{self.media_type}; charset=utf-8" if self.media_type.startswith("text/") else self.media_type
