"""The service form's « Données de l'acte » section (F3, F8.3), swapped in by htmx when the
nature changes, like the hours message; the service form itself is ``web.views_serve``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from securact.datamessage.forms import elements_form_for
from securact.ui.access import bailiff_required


@bailiff_required
@require_GET
def elements_section(request: HttpRequest) -> HttpResponse:
    """Empty for a nature without data message; otherwise the fields, with what was already
    typed in them (sent along by htmx) kept."""
    form = elements_form_for(request.GET.get("nature"), request.GET, initial=True)
    return render(request, "datamessage/elements_section.html", {"elements_form": form})
