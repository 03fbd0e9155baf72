"""Request bodies refused before they are read (issue 9, item 2).

Django reads a body only when something asks for it (``request.POST``, ``request.FILES``),
and then spools a whole upload to disk before any view can judge it. This middleware runs
before anything reads the body and answers at once, in French:

- 413 when ``Content-Length`` announces more than ``SECURACT_MAX_REQUEST_BYTES`` (one act,
  ``SECURACT_MAX_FILE_BYTES``, plus the form around it: every upload form sends one file);
- 411 for a chunked body (no ``Content-Length``), which Django would not read at all.

gunicorn then closes the connection instead of draining the unread body
(``gunicorn_conf.pre_request``); nginx's ``client_max_body_size`` is the same limit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from securact.core.api_answers import is_api, json_error


def announced_length(meta: dict[str, object]) -> int | None:
    """The body's announced size, or None when the request does not say (or says nonsense)."""
    try:
        return int(str(meta.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return None


def is_chunked(meta: dict[str, object]) -> bool:
    return "chunked" in str(meta.get("HTTP_TRANSFER_ENCODING", "")).lower()


class RequestSizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_chunked(request.META):
            return _refused(
                request,
                411,
                gettext(
                    "La requête n'annonce pas sa taille (en-tête Content-Length) : les envois "
                    "par morceaux ne sont pas acceptés."
                ),
                gettext("Envoyez le fichier depuis les formulaires de SECURACT."),
            )
        length = announced_length(request.META)
        if length is None or length > settings.SECURACT_MAX_REQUEST_BYTES:
            return _refused(
                request,
                413,
                gettext("Le fichier envoyé est trop volumineux pour SECURACT."),
                gettext(
                    "Un acte ne peut dépasser %(limit)s : allégez le fichier (par exemple en "
                    "réduisant la résolution des pages numérisées), puis déposez-le à nouveau."
                )
                % {"limit": filesizeformat(settings.SECURACT_MAX_FILE_BYTES)},
            )
        return self.get_response(request)


def _refused(request: HttpRequest, status: int, problem: str, advice: str) -> HttpResponse:
    if is_api(request):  # a machine: the API's JSON error, the same sentences
        return json_error(f"{problem} {advice}", status)
    context = {"problem": problem, "advice": advice}
    return render(request, "web/request_refused.html", context, status=status)
