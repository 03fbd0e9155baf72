"""The French refusal page of a sign-in (certificate missing, unknown, revoked, …), shown by
the sign-in middleware, the pages' access checks and the operators' admin."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def refusal_page(request: HttpRequest, problem: str, advice: str) -> HttpResponse:
    return render(request, "pki/refused.html", {"problem": problem, "advice": advice}, status=403)
