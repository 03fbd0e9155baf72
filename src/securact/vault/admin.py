"""Operators' view of the vaults: read-only (a vault's binding changes only through
declaration or renewal; files, audits and their findings are evidence), but for the legal
hold an operator puts on a file, or lifts, with a reason (F7.4)."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from securact.core.errors import Refusal
from securact.vault.deletion import set_legal_hold
from securact.vault.models import EdiCertificate, FixityAudit, StoredFile, Vault

_M = TypeVar("_M", bound=Model)

PROBLEM_STATES = [
    StoredFile.Fixity.ALTERED,
    StoredFile.Fixity.MISSING,
    StoredFile.Fixity.UNREADABLE,
]


class ReadOnlyAdmin(admin.ModelAdmin[_M]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Vault)
class VaultAdmin(ReadOnlyAdmin[Vault]):
    list_display = (
        "pk",
        "__str__",
        "owner_kind",
        "certificate_holder",
        "certificate_not_after",
        "created_at",
    )
    list_filter = ("owner_kind",)
    search_fields = ("=pk", "certificate_holder", "certificate_fingerprint")
    exclude = ("certificate_der",)


class FixityFilter(admin.SimpleListFilter):
    """The files' last audit result; « en défaut » gathers every problem."""

    title = _("contrôle d'intégrité")
    parameter_name = "integrite"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("probleme", _("en défaut (altéré, introuvable, illisible)")),
            *StoredFile.Fixity.choices,
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "probleme":
            return queryset.filter(fixity_state__in=PROBLEM_STATES)
        if value in StoredFile.Fixity.values:
            return queryset.filter(fixity_state=value)
        return queryset


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin[StoredFile]):
    list_display = (
        "pk",
        "vault",
        "folder",
        "name",
        "kind",
        "size",
        "deposited_at",
        "fixity_state",
        "fixity_checked_at",
    )
    list_select_related = ("vault__bailiff", "vault__recipient")
    list_filter = (FixityFilter, "kind", "legal_hold")
    search_fields = ("=pk", "name", "=sha256", "=vault__pk")
    exclude = ("deposit_timestamp",)
    readonly_fields = ("legal_hold_page",)
    ordering = ("-pk",)
    show_full_result_count = False  # a count of every file on each page: not at 100 000

    def get_urls(self) -> list[URLPattern]:
        hold = path(
            "<int:object_id>/gel-juridique/",
            self.admin_site.admin_view(self.legal_hold_view),
            name="vault_storedfile_legal_hold",
        )
        return [hold, *super().get_urls()]

    @admin.display(description=_("gel juridique"))
    def legal_hold_page(self, stored: StoredFile) -> str:
        state = _("sous gel juridique") if stored.legal_hold else _("aucun gel")
        url = reverse("admin:vault_storedfile_legal_hold", args=[stored.pk])
        return format_html('{} — <a href="{}">{}</a>', state, url, _("poser ou lever le gel"))

    def legal_hold_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """An operator puts a file under legal hold, or lifts it, with a reason (journaled
        with his certificate by ``vault.deletion.set_legal_hold``)."""
        stored = get_object_or_404(StoredFile, pk=object_id)
        form = LegalHoldForm(request.POST or None, initial={"gel": stored.legal_hold})
        if request.method == "POST" and form.is_valid():
            actor = _actor(request)
            try:
                set_legal_hold(
                    stored,
                    on=form.cleaned_data["gel"],
                    reason=form.cleaned_data["motif"],
                    actor=actor,
                )
            except Refusal as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Gel juridique enregistré."))
                return redirect("admin:vault_storedfile_change", stored.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "stored": stored,
            "form": form,
            "title": _("Gel juridique de « %(name)s »") % {"name": stored.name},
        }
        status = 400 if form.errors else 200
        return render(request, "admin/vault/legal_hold.html", context, status=status)


class LegalHoldForm(forms.Form):
    gel = forms.BooleanField(label=_("Sous gel juridique"), required=False)
    motif = forms.CharField(
        label=_("Motif (décision, procédure, demande)"),
        max_length=255,
        error_messages={"required": _("Indiquez le motif du gel juridique ou de sa levée.")},
    )


def _actor(request: HttpRequest) -> str:
    """The signed-in operator's certificate fingerprint (set by the sign-in middleware)."""
    identity = getattr(request, "identity", None)
    certificate = getattr(identity, "certificate", None)
    return str(getattr(certificate, "fingerprint", ""))


class AuditResultFilter(admin.SimpleListFilter):
    title = _("résultat")
    parameter_name = "resultat"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("probleme", _("un problème ou plus")), ("intact", _("tout intègre"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        problems = Q(altered__gt=0) | Q(missing__gt=0) | Q(unreadable__gt=0)
        if self.value() == "probleme":
            return queryset.filter(problems)
        if self.value() == "intact":
            return queryset.exclude(problems)
        return queryset


@admin.register(FixityAudit)
class FixityAuditAdmin(ReadOnlyAdmin[FixityAudit]):
    list_display = (
        "pk",
        "started_at",
        "finished_at",
        "trigger",
        "vault",
        "sample",
        "checked",
        "intact",
        "altered",
        "missing",
        "unreadable",
    )
    list_select_related = ("vault__bailiff", "vault__recipient")
    list_filter = (AuditResultFilter, "trigger")
    date_hierarchy = "started_at"


@admin.register(EdiCertificate)
class EdiCertificateAdmin(ReadOnlyAdmin[EdiCertificate]):
    """The practices' EDI software certificates (issue 13): registered and withdrawn by the
    practices' bailiffs on their EDI page, journaled; operators only read them here."""

    list_display = ("holder", "practice", "registered_at", "registered_by", "withdrawn_at")
    list_filter = ("practice",)
    search_fields = ("holder", "fingerprint", "practice__code")
    exclude = ("der",)
