"""What the page tests share: a patient as the form posts it, and a reader of a page's controls and text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from service.http.security import FORM_KEY
from service.pages.form import ASKED_NONE
from tests.helpers import TEST_KEY


def as_form(patient: dict, key: str | None = TEST_KEY) -> dict[str, list[str]]:
    """Return a patient's JSON body as the form posts it: API names, JSON values as text (an empty
    list as the form's "asked: none" box)."""
    form = {
        name: [item if isinstance(item, str) else json.dumps(item) for item in value] or [ASKED_NONE]
        if isinstance(value, list)
        else [value if isinstance(value, str) else json.dumps(value)]
        for name, value in patient.items()
    }
    return {**form, FORM_KEY: [key]} if key else form


BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "tr", "figcaption", "summary", "section"}


class Controls(HTMLParser):
    """Collect a page's form controls, its labels and its visible text."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.depth = {"label": 0, "script": 0, "style": 0, "title": 0}
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in BLOCKS:
            self.text.append("\n")
        if tag in self.depth:
            self.depth[tag] += 1
        if tag == "label" and attributes.get("for"):
            self.label_for.add(attributes["for"])
        if tag in ("input", "select", "textarea"):
            self.controls.append({**attributes, "wrapped": "yes" if self.depth["label"] else None})

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.text.append("\n")
        if tag in self.depth:
            self.depth[tag] -= 1

    def handle_data(self, data):
        if not (self.depth["script"] or self.depth["style"]):
            self.text.append(data)

    def unlabelled(self) -> list[str]:
        return [
            str(c.get("name"))
            for c in self.controls
            if c.get("type") != "hidden" and not c["wrapped"] and c.get("id") not in self.label_for
        ]

    def names(self) -> set[str]:
        return {str(c["name"]) for c in self.controls if c.get("name")}

    def visible_text(self) -> str:
        return re.sub(r"[ \t]+", " ", "".join(self.text))


def section(page: str, ident: str) -> str:
    """Return the HTML of the element with this id, through its matching closing tag."""
    start = page.rfind("<", 0, page.index(f'id="{ident}"'))
    name = re.match(r"<(\w+)", page[start:])[1]
    depth = 0
    for tag in re.finditer(rf"<(/?){name}\b", page[start:]):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return page[start : start + page[start:].index(">", tag.start()) + 1]
    raise AssertionError(f"#{ident} is not closed")
