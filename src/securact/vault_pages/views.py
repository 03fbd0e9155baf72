"""The vault's pages (F7), one set for bailiffs and recipients, each on his own vault: a
folder (its subfolders, its files, the manual's toolbar), a file's detail (NF Z42-020
metadata, fixity, its journal entries), the download and the proof. Thin: the rules live in
``vault.operations``.

URLs (namespace ``vault_pages``, under ``/coffre-fort/``)
    ``""`` (``browse``) ``?dossier=/a/b/&page=``; ``fichiers/<id>/`` (``file``);
    ``fichiers/<id>/telecharger/`` (``download``); ``fichiers/<id>/preuve/`` (``proof``);
    the POST actions in ``views_actions``; search, journal, account, help in ``views_more``.

The vault is the signed-in certificate's (``access.owner_vault``); a file id is looked up in
that vault only, so another vault's file is the same 404 as a missing one."""

from __future__ import annotations

import io
import logging
from typing import Any, cast

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_safe
from django_tables2 import RequestConfig

from securact.core import clock
from securact.core.errors import Refusal
from securact.core.history import record_action
from securact.delivery.services import NotDeposited, record_opening
from securact.evidence.journal import PLATFORM_ACTOR
from securact.significations.downloads import content_type
from securact.significations.models import Act, Signification
from securact.ui.tables import BoundedPaginator
from securact.vault import operations
from securact.vault.journaling import file_entries
from securact.vault.models import StoredFile, Vault
from securact.vault.paths import ROOT, display
from securact.vault.proof import proof_archive
from securact.vault.storage import open_blob
from securact.vault_pages.access import actor, is_bailiff, owner_vault, vault_owner_required
from securact.vault_pages.forms import (
    CreateFolderForm,
    DeleteForm,
    FolderForm,
    MoveForm,
    PropertiesForm,
    RenameFileForm,
    RenameFolderForm,
    TransferForm,
    UploadForm,
)
from securact.vault_pages.pages import folder_choices, references, transfer_choices
from securact.vault_pages.tables import PAGE_SIZE, FileTable, JournalTable

logger = logging.getLogger(__name__)

PAGING = {"per_page": PAGE_SIZE, "paginator_class": BoundedPaginator}
PROBLEMS = {
    StoredFile.Fixity.ALTERED,
    StoredFile.Fixity.MISSING,
    StoredFile.Fixity.UNREADABLE,
}


def layout(request: HttpRequest) -> dict[str, Any]:
    """What every vault page shows: the occupation bar against the quota, its warning."""
    vault = owner_vault(request)
    occupation = operations.occupation(vault)
    return {
        "vault": vault,
        "occupation": occupation,
        "used": operations.format_size(occupation.used_bytes),
        "quota": operations.format_size(occupation.quota_bytes),
        "quota_warning": operations.quota_warning(vault, occupation),
        "bailiff": is_bailiff(request),
    }


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "vault_pages/not_found.html", layout(request), status=404)


def owned_file(request: HttpRequest, file_id: int) -> StoredFile | None:
    """File ``file_id`` of the signed-in holder's own vault (None for any other)."""
    return StoredFile.objects.filter(vault=owner_vault(request), pk=file_id).first()


# --- a folder --------------------------------------------------------------------------------


def browse_page(
    request: HttpRequest, folder: str, *, status: int = 200, **bound: Any
) -> HttpResponse:
    """The folder page, with the forms a failed action sent back (``bound``, their errors
    next to them, and ``error``: a refusal's French text) and the status to answer."""
    vault = owner_vault(request)
    try:
        listing = operations.list_folder(vault, folder)
    except operations.VaultRefusal as refused:
        context = {**layout(request), "message": refused.message}
        return render(request, "vault_pages/not_found.html", context, status=404)
    table = FileTable(listing.files, bailiff=is_bailiff(request))
    RequestConfig(request, paginate=PAGING).configure(table)
    files: QuerySet[StoredFile] = StoredFile.objects.filter(vault=vault)
    path = listing.path
    context = {
        **layout(request),
        "listing": listing,
        "folder_label": display(path),
        "at_root": path == ROOT,
        "table": table,
        "create_form": bound.get("create_form") or CreateFolderForm(initial={"dossier": path}),
        "rename_form": bound.get("rename_form")
        or RenameFolderForm(initial={"dossier": path, "nom": listing.name}),
        "delete_folder_form": FolderForm(initial={"dossier": path}),
        "move_form": bound.get("move_form")
        or MoveForm(initial={"dossier": path}, files=files.none(), folders=folder_choices(vault)),
        "transfer_form": bound.get("transfer_form")
        or TransferForm(
            initial={"dossier": path}, files=files.none(), targets=transfer_choices(vault)
        ),
        "upload_form": bound.get("upload_form") or UploadForm(initial={"dossier": path}),
        "error": bound.get("error", ""),
        "open_panel": bound.get("open_panel", ""),
    }
    return render(request, "vault_pages/browse.html", context, status=status)


@vault_owner_required
@require_safe
def browse(request: HttpRequest) -> HttpResponse:
    return browse_page(request, request.GET.get("dossier", ROOT)[:300])


# --- a file ----------------------------------------------------------------------------------


def _who(fingerprint: str, vault: Vault) -> str:
    """A depositor's certificate as a person reads it: the platform, you, or the holder of
    the vault bound to it."""
    if fingerprint == PLATFORM_ACTOR:
        return gettext("la plateforme SECURACT")
    if fingerprint == vault.certificate_fingerprint:
        return gettext("vous (%(holder)s)") % {"holder": vault.certificate_holder}
    holder = (
        Vault.objects.filter(certificate_fingerprint=fingerprint)
        .values_list("certificate_holder", flat=True)
        .first()
    )
    return holder or gettext("certificat inconnu du service")


def file_page(
    request: HttpRequest, stored: StoredFile, *, status: int = 200, **bound: Any
) -> HttpResponse:
    vault = owner_vault(request)
    journal = JournalTable(
        file_entries(stored.pk).order_by("-sequence"),
        holder=vault.certificate_holder,
        own=vault.certificate_fingerprint or "",
        prefix="j",
    )
    RequestConfig(request, paginate=PAGING).configure(journal)
    reference = references([stored.signification_id]).get(stored.signification_id or 0)
    context = {
        **layout(request),
        "stored": stored,
        "folder_label": display(stored.folder),
        "size": operations.format_size(stored.size),
        "depositor": _who(stored.depositor, vault),
        "reference": reference,
        "fixity_problem": stored.fixity_state in PROBLEMS,
        "retention_over": stored.retain_until is not None and stored.retain_until <= timezone.now(),
        "journal": journal,
        "properties_form": bound.get("properties_form")
        or PropertiesForm(
            initial={
                "titre": stored.title,
                "description": stored.description,
                "mots_cles": stored.keywords,
            }
        ),
        "rename_form": bound.get("rename_form") or RenameFileForm(initial={"nom": stored.name}),
        "delete_form": bound.get("delete_form") or DeleteForm(),
        "error": bound.get("error", ""),
        "open_panel": bound.get("open_panel", ""),
    }
    return render(request, "vault_pages/file.html", context, status=status)


@vault_owner_required
@require_safe
def file(request: HttpRequest, file_id: int) -> HttpResponse:
    """*Lire les métadonnées techniques*: the reading is journaled (once per GET)."""
    stored = owned_file(request, file_id)
    if stored is None:
        return not_found(request)
    if request.method == "GET":
        operations.record_read(stored, actor=actor(request))
    return file_page(request, stored)


def _record_recipient_opening(request: HttpRequest, stored: StoredFile) -> None:
    """A recipient downloading a served act from his vault opens it, exactly as from the
    portal (art. 663 CPC: the first download fixes the opening, before the deadline the act
    is delivered in person)."""
    if is_bailiff(request) or stored.signification_id is None:
        return
    act = (
        Act.objects.filter(stored_file=stored, signification_id=stored.signification_id)
        .only("pk")
        .first()
    )
    if act is None:
        return
    try:
        record_opening(stored.signification_id, actor=actor(request), at=clock.now(), act_id=act.pk)
    except (Signification.DoesNotExist, NotDeposited):  # pragma: no cover - not served yet
        logger.warning("vault file %s: act %s not deposited, no opening", stored.pk, act.pk)


@vault_owner_required
@require_GET
def download(request: HttpRequest, file_id: int) -> HttpResponse:
    """The file's bytes, streamed from the store (never read whole); the download journaled
    first. GET only: a HEAD (a link checker) is no download."""
    stored = owned_file(request, file_id)
    if stored is None:
        return not_found(request)
    try:
        handle = open_blob(stored.sha256)
    except FileNotFoundError:
        logger.error("vault file %s (%s): content missing from the store", stored.pk, stored.sha256)
        context = {**layout(request), "stored": stored}
        return render(request, "vault_pages/content_missing.html", context, status=409)
    try:
        operations.record_download(stored, actor=actor(request))
        _record_recipient_opening(request, stored)
    except BaseException:
        handle.close()
        raise
    record_action(request, gettext("Téléchargement de %(name)s") % {"name": stored.name})
    response = FileResponse(
        handle, as_attachment=True, filename=stored.name, content_type=content_type(stored.name)
    )
    response["Cache-Control"] = "no-store, private"
    return cast(HttpResponse, response)


@vault_owner_required
@require_GET
def proof(request: HttpRequest, file_id: int) -> HttpResponse:
    """*Preuve*: the file's proof (a ZIP: the PDF/A sealed by the platform, its
    machine-readable twin, the deposit's RFC 3161 answer, how to verify offline); its issue
    is journaled by ``vault.proof``. A seal that cannot be made now (the timestamp authority
    down) is a French refusal on the file's page."""
    stored = owned_file(request, file_id)
    if stored is None:
        return not_found(request)
    try:
        archive = proof_archive(stored, actor=actor(request))
    except Refusal as refused:
        logger.warning("vault file %s: proof refused (%s)", stored.pk, refused.message)
        return file_page(request, stored, status=409, error=refused.message)
    record_action(request, gettext("Preuve de %(name)s") % {"name": stored.name})
    response = FileResponse(
        io.BytesIO(archive.content),
        as_attachment=True,
        filename=archive.filename,
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store, private"
    return cast(HttpResponse, response)
