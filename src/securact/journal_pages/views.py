"""Public pages of the journal's checkpoints: the latest signed note, the history, each
checkpoint's note, timestamp and consistency proof, and the checkpoint key. Nothing personal:
a checkpoint states an origin, a size and a root hash."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from securact.evidence.checkpoint_models import Checkpoint
from securact.evidence.checkpoints import consistency_document, latest_checkpoint
from securact.evidence.errors import SealConfigurationError
from securact.evidence.journal_signer import public_key_pem

PAGE_SIZE = 50
TEXT = "text/plain; charset=utf-8"


def _checkpoint(size: int) -> Checkpoint:
    found = Checkpoint.objects.filter(tree_size=size).first()
    if found is None:
        raise Http404(_("Aucun point de contrôle de cette taille."))
    return found


@require_safe
def latest(request: HttpRequest) -> HttpResponse:
    found = latest_checkpoint()
    if found is None:
        return HttpResponse(_("Aucun point de contrôle publié.\n"), TEXT, status=404)
    return HttpResponse(found.note, TEXT)


@require_safe
def history(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(
        Checkpoint.objects.order_by("-tree_size").only("tree_size", "root_hash", "created_at"),
        PAGE_SIZE,
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "journal_pages/history.html", {"page": page})


@require_safe
def checkpoint_note(request: HttpRequest, size: int) -> HttpResponse:
    return HttpResponse(_checkpoint(size).note, TEXT)


@require_safe
def timestamp(request: HttpRequest, size: int) -> HttpResponse:
    response = HttpResponse(
        bytes(_checkpoint(size).timestamp_response), "application/timestamp-reply"
    )
    response["Content-Disposition"] = f'attachment; filename="{size}.tsr"'
    return response


@require_safe
def consistency(request: HttpRequest, size: int) -> JsonResponse:
    return JsonResponse(consistency_document(_checkpoint(size)))


@require_safe
def key(request: HttpRequest) -> HttpResponse:
    try:
        pem = public_key_pem()
    except SealConfigurationError:
        return HttpResponse(_("Clé des points de contrôle non configurée.\n"), TEXT, status=503)
    return HttpResponse(pem, "application/x-pem-file")
