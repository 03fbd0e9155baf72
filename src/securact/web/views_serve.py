"""The service form (F3) and the live progress of the process (F3.7, F4).

Views stay thin: the form builds a ``serving.ServeRequest`` and a ``serving.Signer`` and
calls ``workflow.serving.serve`` (the one serve call); the rules live in
``significations.services``, ``significations.drafts`` (files added one by one),
``core.services.can_serve`` and ``signing.token``. The PIN is used inside the request that
received it — to sign what the workers prepare — and never stored."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from securact.core.history import record_action
from securact.core.ids import parse_id
from securact.core.services import can_serve
from securact.datamessage.forms import ActElementsForm, elements_form_for
from securact.directory.models import ActNature, Recipient
from securact.directory.services import accepted_natures, recipient_search_page
from securact.documents.services import UploadRefused, clean_file_name
from securact.significations import drafts, preview, process
from securact.significations.models import Signification, Step
from securact.significations.services import ServiceRefused
from securact.signing.errors import SigningRefused
from securact.signing.token import TokenCertificateChoice, signing_certificates_of
from securact.ui.access import bailiff_of, bailiff_required, identity_of
from securact.web.forms import ServeForm
from securact.workflow import serving

SIGNING_WAIT_SECONDS = 90


def _choices(request: HttpRequest) -> list[TokenCertificateChoice]:
    return signing_certificates_of(identity_of(request).certificate.certificate.subject)


@bailiff_required
@require_http_methods(["GET", "POST"])
def serve(request: HttpRequest) -> HttpResponse:
    form = ServeForm(request.POST or None, choices=_choices(request))
    # F8.3: the act's essential elements, for a nature that needs a data message.
    elements = elements_form_for(
        form.data.get("nature") if form.is_bound else None, request.POST or None
    )
    if request.method == "POST" and _all_valid(form, elements):
        signification = _submit(request, form, elements)
        if signification is not None:
            return redirect("web:progress", pk=signification.pk)
    context = {
        "form": form,
        "elements_form": elements,
        "files": drafts.files(request.session),
        "recipient": form._recipient(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "web/serve.html", context, status=status)


def _all_valid(form: ServeForm, elements: ActElementsForm | None) -> bool:
    """Both forms judged, so that every error shows at once."""
    valid = form.is_valid()
    return (elements is None or elements.is_valid()) and valid


def _submit(
    request: HttpRequest, form: ServeForm, elements: ActElementsForm | None
) -> Signification | None:
    choice = form.chosen_certificate()
    signer = serving.Signer(choice.token_label, choice.certificate, form.cleaned_data["pin"])
    served_request = serving.ServeRequest(
        bailiff=bailiff_of(request),
        actor_fingerprint=identity_of(request).certificate.fingerprint,
        recipient=form.cleaned_data["recipient"],
        nature=form.cleaned_data["nature"],
        reference=form.cleaned_data["reference"],
        files=[serving.FileOnDisk(Path(f.path), f.name) for f in drafts.files(request.session)],
        elements=elements.cleaned_data if elements is not None else None,
    )
    try:
        served = serving.serve(
            served_request,
            signer,
            timeout=SIGNING_WAIT_SECONDS,
            on_created=lambda signification: _recorded(request, signification),
        )
    except SigningRefused as refused:
        form.add_error("pin", refused.message)
        return None
    except ServiceRefused as refused:
        if elements is not None and refused.field in elements.fields:
            elements.add_error(refused.field, refused.message)
            return None
        form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        return None
    if served.signing_refusal is not None:
        request.session["securact_signing_error"] = served.signing_refusal.message
    return served.signification


def _recorded(request: HttpRequest, signification: Signification) -> None:
    """The signification is kept: the draft is done with, and the session's history says so
    (before the request holds the PIN for the signing session)."""
    drafts.clear(request.session)
    record_action(
        request,
        gettext("Signification %(ref)s transmise à %(recipient)s")
        % {"ref": signification.reference, "recipient": signification.recipient.name},
    )


def _sign(request: HttpRequest, signification: Signification, pin: str) -> None:
    """*Relancer* the sign step: this request holds the PIN while the token signs."""
    try:
        serving.Signer.of(signification, pin).sign(signification.pk, SIGNING_WAIT_SECONDS)
    except SigningRefused as refused:
        request.session["securact_signing_error"] = refused.message


@bailiff_required
@require_GET
def recipients(request: HttpRequest) -> HttpResponse:
    """F3.1: recipients by SIRET, name or INSEE number, paged; a click selects one."""
    query = request.GET.get("q", "")
    try:
        page = recipient_search_page(query, request.GET.get("page", 1))
    except ValueError as error:
        return render(request, "web/serve_recipients.html", {"error": str(error)})
    return render(request, "web/serve_recipients.html", {"page": page, "q": query})


@bailiff_required
@require_GET
def recipient_panel(request: HttpRequest) -> HttpResponse:
    """F3.2–F3.3: the chosen recipient's panel and the natures it accepts."""
    recipient_id = parse_id(request.GET.get("recipient"))
    recipient = Recipient.objects.filter(pk=recipient_id).first() if recipient_id else None
    if recipient is None:
        raise Http404
    return render(
        request,
        "web/serve_recipient_panel.html",
        {"recipient": recipient, "natures": accepted_natures(recipient)},
    )


@bailiff_required
@require_GET
def hours(request: HttpRequest) -> HttpResponse:
    """F3.3: may this nature be served on this recipient now? Said as soon as it is chosen."""
    recipient = Recipient.objects.filter(pk=parse_id(request.GET.get("recipient")) or 0).first()
    nature = ActNature.objects.filter(pk=parse_id(request.GET.get("nature")) or 0).first()
    if recipient is None or nature is None:
        return render(request, "web/serve_hours.html", {})
    return render(request, "web/serve_hours.html", {"decision": can_serve(recipient, nature)})


@bailiff_required
@require_POST
def add_file(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    error = ""
    if upload is None:
        error = gettext("Choisissez un fichier à ajouter.")
    else:
        try:
            name = clean_file_name(upload.name or "") or "acte"
            drafts.add_file(request.session, upload, name)
        except UploadRefused as refused:
            error = refused.message
    return render(
        request,
        "web/serve_files.html",
        {"files": drafts.files(request.session), "error": error},
        status=400 if error else 200,
    )


@bailiff_required
@require_POST
def remove_file(request: HttpRequest, file_id: str) -> HttpResponse:
    drafts.remove_file(request.session, file_id)
    return render(request, "web/serve_files.html", {"files": drafts.files(request.session)})


def _draft_file(request: HttpRequest, file_id: str) -> drafts.DraftFile:
    """A file of this session's draft; any other id (another session's) is a 404."""
    file = drafts.find(request.session, file_id)
    if file is None:
        raise Http404
    return file


def _preview_or_refusal(
    request: HttpRequest, file: drafts.DraftFile
) -> preview.Preview | HttpResponse:
    """The file's preview, or the page (htmx: the panel) saying in French why there is none."""
    try:
        return preview.preview_of(request.session, file)
    except preview.PreviewFailed as failed:
        return render(
            request, _preview_template(request), {"file": file, "error": failed.message}, status=422
        )


def _preview_template(request: HttpRequest) -> str:
    return (
        "web/serve_preview.html"
        if getattr(request, "htmx", False)
        else "web/serve_preview_page.html"
    )


@bailiff_required
@require_GET
def preview_file(request: HttpRequest, file_id: str) -> HttpResponse:
    """F3.6: the act as the PDF/A it will be served as (htmx panel, or a page without JS)."""
    file = _draft_file(request, file_id)
    shown = _preview_or_refusal(request, file)
    if isinstance(shown, HttpResponse):
        return shown
    return render(request, _preview_template(request), {"file": file, "preview": shown})


@bailiff_required
@require_GET
def preview_pdf(request: HttpRequest, file_id: str) -> HttpResponse:
    file = _draft_file(request, file_id)
    shown = _preview_or_refusal(request, file)
    if isinstance(shown, HttpResponse):
        return shown
    name = f"{file.name.rsplit('.', 1)[0] or 'acte'}-pdfa.pdf"
    return _private_file(shown.pdfa, "application/pdf", name)


@bailiff_required
@require_GET
def preview_page(request: HttpRequest, file_id: str, number: int) -> HttpResponse:
    file = _draft_file(request, file_id)
    shown = _preview_or_refusal(request, file)
    if isinstance(shown, HttpResponse):
        return shown
    image = preview.page_image(shown, number)
    if image is None:
        raise Http404
    return _private_file(image, "image/png", f"page-{number}.png")


def _private_file(path: Path, content_type: str, name: str) -> HttpResponse:
    """A draft's file, shown in the browser (never downloaded by surprise), never cached by
    anyone else: it is an act not yet served."""
    response = FileResponse(path.open("rb"), content_type=content_type, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    # A streamed response; ui.access types views as returning HttpResponse.
    return cast(HttpResponse, response)


def _own(request: HttpRequest, pk: int) -> Signification:
    signification = (
        Signification.objects.select_related("recipient", "nature")
        .filter(pk=pk, practice=bailiff_of(request).practice)
        .first()
    )
    if signification is None:
        raise Http404
    return signification


@bailiff_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    signification = _own(request, pk)
    template = (
        "web/progress_steps.html" if request.headers.get("HX-Request") else "web/progress.html"
    )
    steps = list(signification.steps.exclude(name__in=process.EVENT_STEPS))
    client_side = signification.signing_mode == Signification.SigningMode.CLIENT
    return render(
        request,
        template,
        {
            "signification": signification,
            "steps": steps,
            "finished": _finished(steps),
            "waiting_for_pin": not client_side
            and any(
                s.name == Step.Name.SIGN and s.state in (Step.State.WAITING, Step.State.FAILED)
                for s in steps
            ),
            # Signed by the practice's software: no PIN asked here, ever (issue 13).
            "client_side": client_side,
            "signing_error": request.session.pop("securact_signing_error", ""),
            "poll_seconds": getattr(settings, "SECURACT_PROGRESS_POLL_SECONDS", 1),
        },
    )


def _finished(steps: list[Step]) -> bool:
    """Nothing more will happen without the bailiff: all done, or a step failed."""
    states = {step.state for step in steps}
    return states == {Step.State.DONE} or (
        Step.State.FAILED in states and Step.State.RUNNING not in states
    )


@bailiff_required
@require_POST
def relaunch(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """*Relancer* a failed step; the signing step needs the PIN again (never kept)."""
    signification = _own(request, pk)
    if step not in Step.Name.values:
        raise Http404
    process.retry(signification.pk, step)
    pin = request.POST.get("pin", "")
    if step == Step.Name.SIGN and pin:
        _sign(request, signification, pin)
    record_action(
        request,
        gettext("Étape relancée pour la signification %(ref)s") % {"ref": signification.reference},
    )
    return redirect("web:progress", pk=signification.pk)
