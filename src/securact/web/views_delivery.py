"""The ordinary letter of a delivery *à domicile* (art. 662-1 CPC), made on demand for the
signification's author. Thin: the letter is ``delivery.letter.ordinary_letter``.

Only the bailiff who served the act gets it (the delivery certificate is in his vault, and
so is the duty to post the letter); anyone else, and any signification not delivered *à
domicile*, gets the detail's 404."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from securact.core.history import record_action
from securact.delivery.letter import NotAtHome, ordinary_letter
from securact.significations.models import Signification
from securact.ui.access import bailiff_of, bailiff_required

logger = logging.getLogger(__name__)


@bailiff_required
@require_safe
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    signification = (
        Signification.objects.select_related("practice", "bailiff", "recipient", "nature")
        .defer("signing_certificate")
        .filter(pk=pk, bailiff=bailiff_of(request))
        .first()
    )
    try:
        if signification is None:
            raise NotAtHome(pk)
        pdf = ordinary_letter(signification)
    except NotAtHome:
        return render(request, "web/detail_not_found.html", status=404)
    name = f"{signification.practice.code}_{signification.reference}_LETTRE_SIMPLE.pdf"
    record_action(request, gettext("Téléchargement de la lettre simple %(name)s") % {"name": name})
    logger.info("signification %s: ordinary letter made for its author", pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
