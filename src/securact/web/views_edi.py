"""The *EDI* menu page (F9.1, issue 13, ``web:edi``): the batches the practice's software
sent (newest first, 20 a page: each one's progress and every refused or failed item with its
reason), the practice's EDI software certificates — register one (a file), withdraw one —
and where the API is documented. Every certificate change is a journal entry
(``vault.edi_certificates``)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from securact.core.history import record_action
from securact.edi.batch_status import (
    BatchState,
    BatchStatus,
    ItemState,
    ItemStatus,
    batch_status,
    practice_batches,
)
from securact.edi.models import Batch
from securact.ui.access import bailiff_of, bailiff_required, identity_of
from securact.vault import edi_certificates
from securact.vault.edi_certificates import EdiCertificateRefused


class RegisterForm(forms.Form):
    certificate = forms.FileField(
        label=_("Certificat du logiciel de l'étude (PEM ou DER)"),
        error_messages={"required": _("Choisissez le fichier du certificat du logiciel.")},
    )


BATCHES_PER_PAGE = 20


@dataclass(frozen=True)
class BatchRow:
    status: BatchStatus
    label: str
    finished: int  # items whose outcome is known (done, refused, failed)
    problems: list[ItemStatus]


def _batch_row(batch: Batch) -> BatchRow:
    status = batch_status(batch)
    final = (ItemState.DONE, ItemState.REFUSED, ItemState.FAILED)
    return BatchRow(
        status=status,
        label=str(BatchState.LABELS[status.state]),
        finished=sum(status.counts[state] for state in final),
        problems=[
            item
            for item in status.items
            if item.state in (ItemState.REFUSED, ItemState.FAILED) or item.signing_error
        ],
    )


def _batches(request: HttpRequest) -> Page[Batch]:
    practice = bailiff_of(request).practice
    paginator = Paginator(practice_batches(practice), BATCHES_PER_PAGE)
    return paginator.get_page(request.GET.get("page"))


def _page(
    request: HttpRequest, form: RegisterForm, status: int = 200, error: str = ""
) -> HttpResponse:
    batches = _batches(request)
    context = {
        "form": form,
        "error": error,
        "batches": batches,
        "batch_rows": [_batch_row(batch) for batch in batches],
        "certificates": edi_certificates.practice_certificates(bailiff_of(request)),
    }
    return render(request, "web/edi.html", context, status=status)


def _done(message: str, request: HttpRequest) -> HttpResponse:
    record_action(request, message)
    response = redirect("web:edi")
    response.status_code = 303
    return response


@bailiff_required
@require_http_methods(["GET", "HEAD", "POST"])
def edi(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, RegisterForm())
    bailiff = bailiff_of(request)
    actor = identity_of(request).certificate.fingerprint
    if "withdraw" in request.POST:
        try:
            withdrawn = edi_certificates.withdraw(
                _certificate_id(request.POST["withdraw"]), by=bailiff, actor=actor
            )
        except EdiCertificateRefused as refused:
            return _page(request, RegisterForm(), status=400, error=refused.message)
        return _done(
            gettext("Certificat EDI retiré : %(holder)s") % {"holder": withdrawn.holder}, request
        )
    form = RegisterForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["certificate"]
    try:
        registration = edi_certificates.register(
            upload.read(edi_certificates.MAX_CERTIFICATE_BYTES + 1), by=bailiff, actor=actor
        )
    except EdiCertificateRefused as refused:
        form.add_error("certificate", refused.message)
        return _page(request, form, status=400)
    return _done(
        gettext("Certificat EDI enregistré : %(holder)s")
        % {"holder": registration.certificate.holder},
        request,
    )


def _certificate_id(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0
