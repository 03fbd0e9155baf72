"""The evidence bundle of a deposit (*Télécharger le dossier de preuve*), for the recipient
it was served on. It holds the acts: its download counts as theirs (``bundles.downloads``)."""

from __future__ import annotations

import logging
from typing import cast

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from securact.bundles.downloads import BundleNotFound, recipient_bundle
from securact.core import clock
from securact.core.errors import Refusal
from securact.core.history import record_action
from securact.portal.views import recipient_required
from securact.ui.access import identity_of

logger = logging.getLogger(__name__)


@recipient_required
@require_GET
def bundle(request: HttpRequest, pk: int) -> HttpResponse:
    """GET only: a HEAD (a link checker) must not count as the acts' opening."""
    identity = identity_of(request)
    try:
        if identity.vault is None:  # pragma: no cover - a signed-in recipient has a vault
            raise BundleNotFound(pk)
        result, handle = recipient_bundle(
            identity.vault, pk, actor=identity.certificate.fingerprint, at=clock.now()
        )
    except BundleNotFound:
        return render(request, "portal/not_found.html", status=404)
    except Refusal as refused:
        logger.error("signification %s: evidence bundle refused (%s)", pk, refused.message)
        return render(
            request,
            "bundles/bundle_refused.html",
            {
                "message": refused.message,
                "recipient": True,
                "back_url": reverse("portal:deposit", args=[pk]),
            },
            status=409,
        )
    record_action(
        request, gettext("Téléchargement du dossier de preuve %(name)s") % {"name": result.filename}
    )
    logger.info("signification %s: evidence bundle downloaded by its recipient", pk)
    response = FileResponse(
        handle, as_attachment=True, filename=result.filename, content_type="application/zip"
    )
    response["Cache-Control"] = "no-store, private"
    return cast(HttpResponse, response)
