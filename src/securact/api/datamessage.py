"""The first addresses of the recipient's API for data messages (F8.3, F9.2), still served for
the clients written against them; version 1 of the API has the same under
``/api/v1/destinataire/`` (``api.recipient``: ``depots/<id>/message-donnees`` and
``messages-donnees``, paged by cursor). Certificate-authenticated like every request
(``ui.sign_in``): only a signed-in recipient, only its own deposits.

* ``GET /api/destinataire/significations/<id>/message-donnees.xml``: the sealed XML, from
  the recipient's vault, fixity-checked; 404 for any signification that is not this
  recipient's, whether it exists or not (same query, same answer).
* ``GET /api/destinataire/messages-donnees/?depuis=<ISO 8601>&page=<n>``: the recipient's
  data messages deposited at or after that time, oldest first, 50 a page.

Errors are the API's JSON ``{"erreur": "…", "champ": null}`` in French.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, cast

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from securact.core.api_answers import json_error
from securact.core.legal_calendar import PARIS
from securact.datamessage.models import DataMessage
from securact.datamessage.services import (
    recipient_data_message,
    recipient_messages_since,
    record_download,
)
from securact.directory.models import Recipient
from securact.significations.downloads import FileDamaged, open_verified
from securact.vault.services import Identity, Standing

logger = logging.getLogger(__name__)

PAGE_SIZE = 50


def _error(message: str, status: int) -> JsonResponse:
    return json_error(message, status)


def _recipient(request: HttpRequest) -> tuple[Identity, Recipient] | JsonResponse:
    """The signed-in recipient, or the 403 every other holder (a bailiff) gets."""
    identity: Identity = request.identity  # type: ignore[attr-defined]
    if identity.standing is not Standing.RECIPIENT or identity.recipient is None:
        return _error(
            gettext("Ce service est réservé aux destinataires, avec leur certificat."), 403
        )
    return identity, identity.recipient


def _not_found() -> JsonResponse:
    return _error(gettext("Aucun message de données pour cette signification."), 404)


def no_such_message(request: HttpRequest, pk: str) -> HttpResponse:
    """A signification "id" that is not one: the answer any unknown id gets."""
    signed_in = _recipient(request)
    return signed_in if isinstance(signed_in, JsonResponse) else _not_found()


def unknown_address(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other address under ``/api/``: a JSON 404 (a client parses JSON, not a page)."""
    return _error(gettext("Adresse inconnue de l'API SECURACT."), 404)


@require_safe
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The sealed data message of signification ``pk``, if it was served on this recipient."""
    signed_in = _recipient(request)
    if isinstance(signed_in, JsonResponse):
        return signed_in
    identity, recipient = signed_in
    recorded = recipient_data_message(recipient, pk)
    if recorded is None:
        return _not_found()
    try:
        handle = open_verified(recorded.stored_file)
    except FileDamaged as damaged:
        return _error(damaged.message, 409)
    record_download(recorded, identity.certificate.fingerprint)
    logger.info("signification %s: data message downloaded by its recipient", pk)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=recorded.stored_file.name,
        content_type="application/xml",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)


def _since(raw: str | None) -> datetime | None:
    """``depuis``: an ISO 8601 time with its offset (``Z``, ``+01:00``); a ``+`` a client
    forgot to encode arrives as a space and is taken back."""
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.strip().replace(" ", "+"))
    except ValueError as error:
        raise ValueError(
            gettext("« depuis » doit être une date ISO 8601, par exemple 2026-11-27T08:00:00Z.")
        ) from error
    if moment.tzinfo is None:
        raise ValueError(
            gettext("« depuis » doit préciser son fuseau horaire (Z ou +01:00, par exemple).")
        )
    return moment


def _item(request: HttpRequest, recorded: DataMessage) -> dict[str, Any]:
    signification, stored = recorded.signification, recorded.stored_file
    url = reverse("api:download", kwargs={"pk": signification.pk})
    return {
        "signification": signification.pk,
        "reference": signification.reference,
        "etude": signification.practice.code,
        "nature": signification.nature.code,
        "date_envoi": signification.sent_at.isoformat() if signification.sent_at else None,
        "message": {
            "nom": stored.name,
            "taille": stored.size,
            "sha256": stored.sha256,
            "depose_le": recorded.deposited_at.isoformat(),
            "depose_le_paris": recorded.deposited_at.astimezone(PARIS).isoformat(),
            "url": request.build_absolute_uri(url),
        },
    }


@require_safe
def since(request: HttpRequest) -> HttpResponse:
    """The recipient's data messages deposited at or after ``depuis``, paged."""
    signed_in = _recipient(request)
    if isinstance(signed_in, JsonResponse):
        return signed_in
    _identity, recipient = signed_in
    try:
        moment = _since(request.GET.get("depuis"))
    except ValueError as error:
        return _error(str(error), 400)
    paginator = Paginator(recipient_messages_since(recipient, moment), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        return _error(gettext("Page inexistante."), 400)
    return JsonResponse(
        {
            "depuis": moment.isoformat() if moment else None,
            "page": page.number,
            "pages": paginator.num_pages,
            "total": paginator.count,
            "resultats": [_item(request, recorded) for recorded in page],
            "page_suivante": page.next_page_number() if page.has_next() else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )
