"""Response headers every page and download carries (issue 9, item 5).

``Content-Security-Policy``: the pages load scripts and styles from this origin only; none
needs an inline script, an inline style or ``eval`` (their behaviour is in
``web/static/securact/securact.js``; htmx is told not to inject its indicator styles and not
to evaluate attributes, see ``web/base.html``). ``Cache-Control: no-store``: pages and
downloads carry acts and personal data, which no browser or proxy cache may keep. Static
files are answered before this middleware (WhiteNoise) and stay cacheable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Chromium shows a PDF through a built-in viewer that a policy on the PDF's own response
# would block (object-src); a PDF runs no script of ours, so it goes without.
_NO_POLICY_TYPES = ("application/pdf",)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        protect(response)
        return response


def protect(response: HttpResponse) -> None:
    """Add the policy and forbid caching (an existing ``no-store`` policy is kept)."""
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(_NO_POLICY_TYPES):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    if "no-store" not in response.get("Cache-Control", ""):
        response["Cache-Control"] = "no-store"
