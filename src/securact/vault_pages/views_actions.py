"""The vault's actions (F7.2), each a POST (CSRF-checked) from the folder or the file page:
create, rename and delete a folder; move and transfer the ticked files; deposit an own file;
rename a file, edit its properties, delete it (with a reason).

Each calls ``vault.operations`` with the signed-in certificate's fingerprint as the actor
(every operation is journaled there), adds the action to the session history, and answers
303 back to the page. A refusal (``core.errors.Refusal``: a name taken, the quota, evidence
under retention…) or a form error re-renders the page with the French reason next to the
form: 400 for what was typed, 409 for what the vault refused; never a 500."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from securact.core.errors import Refusal
from securact.core.history import record_action
from securact.vault import operations
from securact.vault.browse import folder_exists
from securact.vault.models import StoredFile, Vault
from securact.vault.paths import ROOT, display, parent_of
from securact.vault_pages.access import actor, owner_vault, vault_owner_required
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
from securact.vault_pages.pages import folder_choices, transfer_choices
from securact.vault_pages.views import browse_page, file_page, not_found, owned_file

logger = logging.getLogger(__name__)

# The vault's names of the fields at fault (``Refusal.field``) → the forms' own.
REFUSAL_FIELDS = {
    "name": "nom",
    "file": "fichier",
    "reason": "motif",
    "title": "titre",
    "description": "description",
    "keywords": "mots_cles",
}
TYPED = 400  # what was typed is wrong
REFUSED = 409  # the vault refused the operation


def to_folder(path: str, vault: Vault | None = None) -> HttpResponse:
    """Back to the folder (or, when ``vault`` is given and the folder is gone with its last
    file, to the nearest folder above that still exists)."""
    while vault is not None and path != ROOT and not folder_exists(vault, path):
        path = parent_of(path) or ROOT
    url = reverse("vault_pages:browse")
    if path != ROOT:
        url += "?" + urlencode({"dossier": path})
    return HttpResponseRedirect(url, status=303)


def to_file(stored: StoredFile) -> HttpResponse:
    return HttpResponseRedirect(reverse("vault_pages:file", args=[stored.pk]), status=303)


def _refused(form: forms.Form, refused: Refusal) -> None:
    field = REFUSAL_FIELDS.get(refused.field)
    form.add_error(field if field in form.fields else None, refused.message)


def _done(request: HttpRequest, text: str) -> None:
    """The action in the session history (F1.4) and as the page's confirmation."""
    record_action(request, text)
    messages.success(request, text)


# --- folders ---------------------------------------------------------------------------------


@vault_owner_required
@require_POST
def folder_create(request: HttpRequest) -> HttpResponse:
    form = CreateFolderForm(request.POST)
    if not form.is_valid():
        folder = str(form.cleaned_data.get("dossier") or ROOT)
        return browse_page(request, folder, status=TYPED, create_form=form, open_panel="create")
    parent, name = form.cleaned_data["dossier"], form.cleaned_data["nom"]
    try:
        created = operations.create_folder(owner_vault(request), parent, name, actor=actor(request))
    except Refusal as refused:
        _refused(form, refused)
        return browse_page(request, parent, status=REFUSED, create_form=form, open_panel="create")
    _done(request, gettext("Création du dossier « %(path)s »") % {"path": display(created.path)})
    return to_folder(created.path)


@vault_owner_required
@require_POST
def folder_rename(request: HttpRequest) -> HttpResponse:
    form = RenameFolderForm(request.POST)
    if not form.is_valid():
        folder = str(form.cleaned_data.get("dossier") or ROOT)
        return browse_page(request, folder, status=TYPED, rename_form=form, open_panel="rename")
    path, name = form.cleaned_data["dossier"], form.cleaned_data["nom"]
    try:
        renamed = operations.rename_folder(owner_vault(request), path, name, actor=actor(request))
    except Refusal as refused:
        _refused(form, refused)
        return browse_page(request, path, status=REFUSED, rename_form=form, open_panel="rename")
    _done(
        request,
        gettext("Dossier « %(old)s » renommé en « %(new)s »")
        % {"old": display(path), "new": display(renamed)},
    )
    return to_folder(renamed)


@vault_owner_required
@require_POST
def folder_delete(request: HttpRequest) -> HttpResponse:
    form = FolderForm(request.POST)
    path = str(form.cleaned_data["dossier"]) if form.is_valid() else ROOT
    try:
        operations.delete_folder(owner_vault(request), path, actor=actor(request))
    except Refusal as refused:
        return browse_page(request, path, status=REFUSED, error=refused.message)
    _done(request, gettext("Suppression du dossier vide « %(path)s »") % {"path": display(path)})
    return to_folder(parent_of(path) or ROOT)


# --- the ticked files ------------------------------------------------------------------------


@vault_owner_required
@require_POST
def move(request: HttpRequest) -> HttpResponse:
    vault = owner_vault(request)
    files = StoredFile.objects.filter(vault=vault)
    form = MoveForm(request.POST, files=files, folders=folder_choices(vault))
    folder = str(request.POST.get("dossier") or ROOT)[:300]
    if not form.is_valid():
        return browse_page(request, folder, status=TYPED, move_form=form, open_panel="move")
    ids, target = form.cleaned_data["fichiers"], form.cleaned_data["cible"]
    try:
        moved = operations.move_files(vault, ids, target, actor=actor(request))
    except Refusal as refused:
        _refused(form, refused)
        return browse_page(request, folder, status=REFUSED, move_form=form, open_panel="move")
    _done(
        request,
        ngettext(
            "%(count)d fichier déplacé vers « %(target)s »",
            "%(count)d fichiers déplacés vers « %(target)s »",
            moved,
        )
        % {"count": moved, "target": display(target)},
    )
    return to_folder(folder, vault)


@vault_owner_required
@require_POST
def transfer(request: HttpRequest) -> HttpResponse:
    """*Transférer*: a copy of each ticked file into another vault of the same practice (or
    organisation); the original stays, the copy keeps the content and its proofs."""
    vault = owner_vault(request)
    files = StoredFile.objects.filter(vault=vault)
    form = TransferForm(request.POST, files=files, targets=transfer_choices(vault))
    folder = str(request.POST.get("dossier") or ROOT)[:300]
    if not form.is_valid():
        return browse_page(request, folder, status=TYPED, transfer_form=form, open_panel="transfer")
    target = Vault.objects.select_related("bailiff__practice", "recipient").get(
        pk=form.cleaned_data["coffre"]
    )
    label = dict(form.fields["coffre"].choices).get(target.pk, "")  # type: ignore[attr-defined]
    done = 0
    for stored in files.filter(pk__in=form.cleaned_data["fichiers"]).order_by("name"):
        try:
            operations.transfer_copy(stored, target, actor=actor(request))
        except Refusal as refused:
            _refused(form, refused)
            return browse_page(
                request, folder, status=REFUSED, transfer_form=form, open_panel="transfer"
            )
        done += 1
        record_action(
            request,
            gettext("Transfert d'une copie de %(name)s vers le coffre-fort de %(target)s")
            % {"name": stored.name, "target": label},
        )
    messages.success(
        request,
        ngettext(
            "%(count)d fichier transféré (copie) vers le coffre-fort de %(target)s",
            "%(count)d fichiers transférés (copies) vers le coffre-fort de %(target)s",
            done,
        )
        % {"count": done, "target": label},
    )
    return to_folder(folder)


# --- an own file -----------------------------------------------------------------------------


@vault_owner_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """*Déposer*: the owner's own file (kind « autre »), refused beyond the quota. Written
    to a temporary file in chunks first (the vault hashes and stores a path)."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        folder = str(form.cleaned_data.get("dossier") or ROOT)
        return browse_page(request, folder, status=TYPED, upload_form=form, open_panel="upload")
    folder, uploaded = form.cleaned_data["dossier"], form.cleaned_data["fichier"]
    with tempfile.TemporaryDirectory(prefix="securact-vault-upload-") as work:
        source = Path(work) / "upload"
        with source.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        try:
            stored = operations.upload_file(
                owner_vault(request),
                uploaded.name or "",
                source,
                folder=folder,
                actor=actor(request),
            )
        except Refusal as refused:
            _refused(form, refused)
            return browse_page(
                request, folder, status=REFUSED, upload_form=form, open_panel="upload"
            )
    _done(
        request,
        gettext("Dépôt de %(name)s dans « %(folder)s »")
        % {"name": stored.name, "folder": display(stored.folder)},
    )
    return to_folder(stored.folder)


@vault_owner_required
@require_POST
def properties(request: HttpRequest, file_id: int) -> HttpResponse:
    stored = owned_file(request, file_id)
    if stored is None:
        return not_found(request)
    form = PropertiesForm(request.POST)
    if not form.is_valid():
        return file_page(
            request, stored, status=TYPED, properties_form=form, open_panel="properties"
        )
    data = form.cleaned_data
    try:
        stored = operations.edit_properties(
            stored,
            title=data["titre"],
            description=data["description"],
            keywords=data["mots_cles"],
            actor=actor(request),
        )
    except Refusal as refused:
        _refused(form, refused)
        return file_page(
            request, stored, status=REFUSED, properties_form=form, open_panel="properties"
        )
    _done(request, gettext("Propriétés de %(name)s modifiées") % {"name": stored.name})
    return to_file(stored)


@vault_owner_required
@require_POST
def rename_file(request: HttpRequest, file_id: int) -> HttpResponse:
    stored = owned_file(request, file_id)
    if stored is None:
        return not_found(request)
    old = stored.name
    form = RenameFileForm(request.POST)
    if not form.is_valid():
        return file_page(request, stored, status=TYPED, rename_form=form, open_panel="rename")
    try:
        stored = operations.rename_file(stored, form.cleaned_data["nom"], actor=actor(request))
    except Refusal as refused:
        _refused(form, refused)
        stored.refresh_from_db()
        return file_page(request, stored, status=REFUSED, rename_form=form, open_panel="rename")
    _done(request, gettext("Fichier %(old)s renommé en %(new)s") % {"old": old, "new": stored.name})
    return to_file(stored)


@vault_owner_required
@require_POST
def delete(request: HttpRequest, file_id: int) -> HttpResponse:
    """*Supprimer*, with a reason: an own file goes (a journaled tombstone stays); evidence
    before its retention end, or under legal hold, is refused with the French reason (the
    refusal journaled too)."""
    stored = owned_file(request, file_id)
    if stored is None:
        return not_found(request)
    form = DeleteForm(request.POST)
    if not form.is_valid():
        return file_page(request, stored, status=TYPED, delete_form=form, open_panel="delete")
    try:
        operations.delete_file(stored, actor=actor(request), reason=form.cleaned_data["motif"])
    except Refusal as refused:
        record_action(request, gettext("Suppression refusée : %(name)s") % {"name": stored.name})
        _refused(form, refused)
        return file_page(request, stored, status=REFUSED, delete_form=form, open_panel="delete")
    _done(request, gettext("Suppression de %(name)s") % {"name": stored.name})
    return to_folder(stored.folder, owner_vault(request))
