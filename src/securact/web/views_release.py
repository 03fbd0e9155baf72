"""The bailiff links a mainlevée he served to the seizure it releases
(``significations/<id>/mainlevee/``, ``web:release``): from the moment that mainlevée is
served, the recipient's answer to the seizure is no longer expected (``returns.releases``,
``docs/act-returns.md``). Only the mainlevée's author reaches the page; anything else is the
detail's 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from securact.core import clock
from securact.core.history import record_action
from securact.returns import releases
from securact.returns.errors import ReleaseRefused
from securact.returns.forms import ReleaseForm
from securact.significations.models import Signification
from securact.ui.access import bailiff_of, bailiff_required, identity_of


def _page(
    request: HttpRequest,
    release: Signification,
    form: ReleaseForm,
    seizures: list[Signification],
    status: int = 200,
) -> HttpResponse:
    context = {
        "signification": release,
        "released": list(releases.released_seizures(release)),
        "form": form,
        "has_choices": bool(seizures),
    }
    return render(request, "web/release.html", context, status=status)


@bailiff_required
@require_http_methods(["GET", "HEAD", "POST"])
def release(request: HttpRequest, pk: int) -> HttpResponse:
    bailiff = bailiff_of(request)
    try:
        mainlevee = releases.bailiff_release(bailiff, pk)
    except ReleaseRefused:
        return render(request, "web/detail_not_found.html", status=404)
    seizures = releases.releasable_seizures(mainlevee)
    if request.method != "POST":
        return _page(request, mainlevee, ReleaseForm(seizures=seizures), seizures)
    form = ReleaseForm(request.POST, seizures=seizures)
    if not form.is_valid():
        return _page(request, mainlevee, form, seizures, status=400)
    try:
        link = releases.record_release(
            mainlevee.pk,
            form.cleaned_data["seizure"],
            bailiff=bailiff,
            actor=identity_of(request).certificate.fingerprint,
            at=clock.now(),
        )
    except ReleaseRefused as refused:
        form.add_error(None, refused.message)
        return _page(request, mainlevee, form, seizures, status=400)
    record_action(
        request,
        gettext("Mainlevée %(release)s rattachée à la saisie %(seizure)s")
        % {"release": mainlevee.reference, "seizure": link.seizure.reference},
    )
    response = redirect("web:release", pk=pk)
    response.status_code = 303
    return response
