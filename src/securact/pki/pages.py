"""The French refusal page of a sign-in (certificate missing, unknown, revoked, …), shown by
the sign-in middleware, the pages' access checks and the operators' admin."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from securact.core.api_answers import is_api, json_error


def refusal_page(request: HttpRequest, problem: str, advice: str) -> HttpResponse:
    """The French 403 page; under ``/api/``, the same two sentences as the API's JSON error."""
    if is_api(request):
        return json_error(f"{problem} {advice}".strip(), 403)
    return render(request, "pki/refused.html", {"problem": problem, "advice": advice}, status=403)
