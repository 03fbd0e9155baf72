"""Under ``/api/``: every error answer is the API's JSON, and ``Idempotency-Key`` answers are
kept once made (issue 13, item 1).

The API's views answer their errors in JSON themselves (``api.errors``), and the sign-in and
request-size middlewares do under ``/api/`` (``core.api_answers``). What is left is made JSON
here: a method an address does not take (ninja's 405, ``Allow`` kept), an address no view
answers (Django's 404), an exception that escaped a view (logged, JSON 500) — never an HTML
page. Then :func:`securact.api.idempotency.finish` keeps a first use's answer.

It sits right after ``ui.sign_in.ClientCertificateMiddleware`` in ``settings.MIDDLEWARE``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext

from securact.api import idempotency
from securact.core.api_answers import is_api, json_error

logger = logging.getLogger(__name__)

_KEPT_HEADERS = ("Allow", "Retry-After")


def _message(status: int, response: HttpResponseBase, method: str) -> str:
    if status == 404:
        return gettext("Adresse inconnue de l'API SECURACT.")
    if status == 405:
        return gettext(
            "Méthode %(method)s non permise à cette adresse (permises : %(allowed)s)."
        ) % {
            "method": method,
            "allowed": response.get("Allow", "") or "—",
        }
    if status == 413:
        return gettext("La requête est trop volumineuse pour SECURACT.")
    if status >= 500:
        return gettext("Le service a rencontré une erreur interne ; réessayez plus tard.")
    return gettext("Requête refusée.")


def _is_json(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def as_json(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """The response itself, or its JSON error version when it is an error that is not."""
    if response.status_code < 400 or _is_json(response):
        return response
    message = _message(response.status_code, response, request.method or "")
    answer = json_error(message, response.status_code)
    for name in _KEPT_HEADERS:
        if name in response:
            answer[name] = response[name]
    return answer


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_api(request):
            return self.get_response(request)
        response = self.get_response(request)
        idempotency.finish(request, response)
        return as_json(request, response)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """An exception out of a view that is not the API's (its own are answered by
        ``api.errors``): logged, a JSON 500, the key of its idempotent request let go."""
        if not is_api(request):
            return None
        logger.exception("API %s %s failed", request.method, request.path, exc_info=exception)
        idempotency.release(request)
        return json_error(
            gettext("Le service a rencontré une erreur interne ; réessayez plus tard."), 500
        )
