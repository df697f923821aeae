"""HTML: a clinician page rendered from its template, with the pages' own policy."""

from __future__ import annotations

from .renderer import Renderer

# The pages' policy: the service's own scripts, styles and images only; forms post to it alone.
# The pages' own posts carry their Origin (a browser sends `Origin: null` under `no-referrer`, and
# the form's cross-site check refuses that), while links to other sites get no referrer at all.
PAGE_REFERRER = ("Referrer-Policy", "same-origin")
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def page_bytes(page: str) -> bytes:
    return page.encode()


AS_HTML = Renderer("text/html", page_bytes, (("Content-Security-Policy", PAGE_CSP), PAGE_REFERRER))
