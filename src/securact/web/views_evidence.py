"""The evidence bundle of a signification (*Télécharger le dossier de preuve*), for the
bailiff who served it; ``bundles.downloads`` decides who may have it, ``bundles.bundle``
builds it. Anyone else gets the same 404 as a missing signification."""

from __future__ import annotations

import logging
from typing import cast

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from securact.bundles.downloads import BundleNotFound, bailiff_bundle
from securact.core.errors import Refusal
from securact.core.history import record_action
from securact.ui.access import bailiff_required, identity_of

logger = logging.getLogger(__name__)


@bailiff_required
@require_GET
def bundle(request: HttpRequest, pk: int) -> HttpResponse:
    vault = identity_of(request).vault
    try:
        if vault is None:  # pragma: no cover - a signed-in bailiff has a vault
            raise BundleNotFound(pk)
        result, handle = bailiff_bundle(vault, pk)
    except BundleNotFound:
        return render(request, "web/detail_not_found.html", status=404)
    except Refusal as refused:  # a document missing or damaged, the TSA down
        logger.error("signification %s: evidence bundle refused (%s)", pk, refused.message)
        return render(
            request,
            "bundles/bundle_refused.html",
            {"message": refused.message, "back_url": reverse("web:detail", args=[pk])},
            status=409,
        )
    record_action(
        request, gettext("Téléchargement du dossier de preuve %(name)s") % {"name": result.filename}
    )
    logger.info("signification %s: evidence bundle downloaded by its bailiff", pk)
    response = FileResponse(
        handle, as_attachment=True, filename=result.filename, content_type="application/zip"
    )
    response["Cache-Control"] = "no-store, private"
    return cast(HttpResponse, response)
