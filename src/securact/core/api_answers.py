"""The API's answers for refusals made outside the API's own code (issue 13, item 1).

Everything under ``/api/`` answers JSON, never an HTML page: a machine parses what it gets.
The middlewares that refuse a request before any view runs (the certificate's sign-in, the
request's size, the role before the body) ask :func:`is_api` and answer with
:func:`json_error` there, in the one shape of every API error::

    {"erreur": "<French sentence>", "champ": "<the field at fault>" | null}

It sits at the bottom of the layers (it imports nothing of the project) so that every
middleware may use it.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    """Is this request addressed to the API (its answers are JSON)?"""
    return request.path.startswith(API_PREFIX)


def json_error(
    message: str, status: int, *, field: str | None = None, headers: dict[str, str] | None = None
) -> JsonResponse:
    """The API's error answer: ``{"erreur": message, "champ": field}`` with ``status``."""
    response = JsonResponse(
        {"erreur": message, "champ": field or None},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
