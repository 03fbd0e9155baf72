"""Operators' reversibility exports (décret 2018-853): « Nouvel export » asks for the export
of a practice or a recipient (journaled with the operator's certificate), built in the
background; the list shows its progress and, once done, its download. Nothing else is
editable: the requests are records."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from securact.bundles.export_requests import export_filename, open_export, request_export
from securact.bundles.export_scope import practice_scope, recipient_scope
from securact.bundles.models import ExportRequest
from securact.core.errors import Refusal
from securact.evidence.journal import PLATFORM_ACTOR
from securact.significations.work_store import MissingWorkFile


class NewExportForm(forms.Form):
    practice = forms.CharField(label=_("Code de l'étude"), max_length=10, required=False)
    recipient = forms.CharField(label=_("ou SIRET du destinataire"), max_length=20, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("practice")) == bool(data.get("recipient")):
            raise forms.ValidationError(
                _("Indiquez soit le code d'une étude, soit le SIRET d'un destinataire.")
            )
        return data


def _actor(request: HttpRequest) -> str:
    identity = getattr(request, "identity", None)
    certificate = getattr(identity, "certificate", None)
    return str(getattr(certificate, "fingerprint", "") or PLATFORM_ACTOR)


@admin.register(ExportRequest)
class ExportRequestAdmin(admin.ModelAdmin[ExportRequest]):
    list_display = (
        "pk",
        "scope",
        "owner",
        "state",
        "progress",
        "requested_at",
        "finished_at",
        "files",
        "problems",
        "download",
    )
    list_filter = ("state", "scope")
    list_select_related = ("practice", "bailiff", "recipient")
    ordering = ("-requested_at",)
    exclude = ("claimed_by", "heartbeat_at", "result_key")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # « Nouvel export » below, not the generic form

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "nouveau/",
                self.admin_site.admin_view(self.new_export_view),
                name="bundles_exportrequest_new",
            ),
            path(
                "<int:object_id>/telecharger/",
                self.admin_site.admin_view(self.download_view),
                name="bundles_exportrequest_download",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("titulaire"))
    def owner(self, row: ExportRequest) -> str:
        return str(row.practice or row.bailiff or row.recipient or "")

    @admin.display(description=_("avancement"))
    def progress(self, row: ExportRequest) -> str:
        return f"{row.percent} %"

    @admin.display(description=_("export"))
    def download(self, row: ExportRequest) -> str:
        if row.state != ExportRequest.State.DONE or row.owner_vault_id is not None:
            return "—"  # an owner's own export is his to download
        url = reverse("admin:bundles_exportrequest_download", args=[row.pk])
        return format_html('<a href="{}">{}</a>', url, _("télécharger"))

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra = {
            **(extra_context or {}),
            "new_export_url": reverse("admin:bundles_exportrequest_new"),
        }
        return super().changelist_view(request, extra)

    def new_export_view(self, request: HttpRequest) -> HttpResponse:
        form = NewExportForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["practice"]:
                    scope = practice_scope(form.cleaned_data["practice"])
                else:
                    scope = recipient_scope(form.cleaned_data["recipient"])
                row = request_export(scope, actor=_actor(request))
            except Refusal as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _("Export n° %(pk)s demandé : il est constitué en arrière-plan.")
                    % {"pk": row.pk},
                )
                return redirect("admin:bundles_exportrequest_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Nouvel export de réversibilité"),
        }
        return render(
            request, "admin/bundles/new_export.html", context, status=400 if form.errors else 200
        )

    def download_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        row = get_object_or_404(
            ExportRequest.objects.select_related("practice", "bailiff__practice", "recipient"),
            pk=object_id,
            state=ExportRequest.State.DONE,
            owner_vault__isnull=True,
        )
        try:
            handle = open_export(row)
        except MissingWorkFile as missing:
            raise Http404 from missing
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=export_filename(row),
            content_type="application/zip",
        )
        response["Cache-Control"] = "no-store, private"
        return cast(HttpResponse, response)
