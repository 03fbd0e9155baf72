"""The owner's evidence pages: the inclusion proof of a journal entry
(``/preuves/journal/<sequence>``, JSON) and the reversibility export asked for from the
vault's account page (« Demander un export complet »), its progress and its download.
Thin: who may have what is decided in ``bundles.proof_access`` and ``bundles.owner_exports``.
"""

from __future__ import annotations

import logging
from typing import cast

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST, require_safe

from securact.bundles.export_requests import export_filename, open_export
from securact.bundles.journal_members import ProofFailed
from securact.bundles.models import ExportRequest
from securact.bundles.owner_exports import (
    owner_export,
    owner_exports,
    request_owner_export,
    under_way,
)
from securact.bundles.proof_access import ProofNotFound, proof_for_owner
from securact.core.errors import Refusal
from securact.core.history import record_action
from securact.significations.work_store import MissingWorkFile
from securact.vault_pages.access import actor, owner_vault, vault_owner_required
from securact.vault_pages.views import not_found
from securact.vault_pages.views_more import account_context

logger = logging.getLogger(__name__)
JSON = {"ensure_ascii": False, "indent": 2, "sort_keys": True}


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"erreur": message}, status=status, json_dumps_params=JSON)


@vault_owner_required
@require_safe
def journal_proof(request: HttpRequest, sequence: int) -> HttpResponse:
    try:
        document = proof_for_owner(owner_vault(request), sequence)
    except ProofNotFound:
        return _error(gettext("Entrée du journal introuvable."), 404)
    except ProofFailed as failed:
        logger.error("journal entry %s: proof does not verify (%s)", sequence, failed.message)
        return _error(failed.message, 409)
    except Refusal as refused:  # the checkpoint could not be published now (TSA, token)
        return _error(refused.message, 503)
    response = JsonResponse(document, json_dumps_params=JSON)
    response["Cache-Control"] = "no-store, private"
    return response


def _exports_context(request: HttpRequest) -> dict[str, object]:
    rows = owner_exports(owner_vault(request))
    return {"exports": rows, "exports_under_way": under_way(rows)}


@vault_owner_required
@require_safe
def exports(request: HttpRequest) -> HttpResponse:
    """The account page's list of exports (refreshed by htmx while one is under way)."""
    return render(request, "vault_pages/exports.html", _exports_context(request))


@vault_owner_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    try:
        request_owner_export(owner_vault(request), actor=actor(request))
    except Refusal as refused:
        context = {**account_context(request), "export_error": refused.message}
        return render(request, "vault_pages/account.html", context, status=409)
    record_action(request, gettext("Demande d'un export complet du coffre-fort"))
    response = redirect(reverse("vault_pages:account") + "#exports")
    response.status_code = 303
    return response


@vault_owner_required
@require_GET
def export_download(request: HttpRequest, export_id: int) -> HttpResponse:
    try:
        row = owner_export(owner_vault(request), export_id)
        handle = open_export(row)
    except (ExportRequest.DoesNotExist, MissingWorkFile):
        return not_found(request)
    name = export_filename(row)
    record_action(request, gettext("Téléchargement de l'export %(name)s") % {"name": name})
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type="application/zip"
    )
    response["Cache-Control"] = "no-store, private"
    return cast(HttpResponse, response)
