"""The recipient's answer to a deposit (*retour d'acte*, F6.4, F8.1): ``depots/<id>/repondre/``
(``portal:reply``, the hook the deposit page links to as « Répondre »).

GET shows the R.211-4 deadline and the form (the PDF, the garnishee's declaration and its
accounts) — or the return already deposited, or why no answer is expected. POST hands the
forms' values to ``returns.services.submit_return`` (the rules live there) and shows its
French refusals on the forms; a deposited return redirects to the same page (303), which then
shows it. Another recipient's deposit is the portal's ordinary 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from securact.core import clock
from securact.core.history import record_action
from securact.portal.views import recipient_required
from securact.returns import services
from securact.returns import status as answers
from securact.returns.errors import ReturnNotFound, ReturnRefused, ReturnUnavailable
from securact.returns.forms import ReturnForms
from securact.significations.models import Signification
from securact.ui.access import identity_of

# Blank account rows offered; ``?lignes=N`` shows more (no script needed).
DEFAULT_ROWS = 3
MAX_ROWS = 30


def _rows(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("lignes", DEFAULT_ROWS)), MAX_ROWS))
    except ValueError:
        return DEFAULT_ROWS


def _page(
    request: HttpRequest,
    signification: Signification,
    forms: ReturnForms | None,
    status: int = 200,
) -> HttpResponse:
    now = clock.now()
    refusal = ""
    try:
        answers.require_answerable(signification, now)
    except ReturnRefused as refused:
        refusal = refused.message
    context: dict[str, Any] = {
        "signification": signification,
        "answer": answers.answer_status(signification, at=now),
        "now": now,
        "act_return": answers.existing_return(signification),
        "refusal": refusal,
        "forms": forms if forms is not None and not refusal else None,
        "more_rows": min(_rows(request) + 5, MAX_ROWS),
    }
    return render(request, "portal/return_form.html", context, status=status)


@recipient_required
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    identity = identity_of(request)
    try:
        if identity.recipient is None:  # pragma: no cover - recipient_required guarantees it
            raise ReturnNotFound("")
        signification = answers.recipient_signification(pk, identity.recipient)
    except ReturnNotFound:
        return render(request, "portal/not_found.html", status=404)
    if request.method != "POST":
        return _page(request, signification, ReturnForms(account_rows=_rows(request)))
    forms = ReturnForms(request.POST, request.FILES)
    if not forms.is_valid():
        return _page(request, signification, forms, status=400)
    try:
        act_return = services.submit_return(
            pk,
            recipient=signification.recipient,
            actor=identity.certificate.fingerprint,
            pdf=forms.pdf(),
            declaration=forms.declaration(),
            at=clock.now(),
        )
    except ReturnNotFound:
        return render(request, "portal/not_found.html", status=404)
    except ReturnRefused as refused:
        forms.show_refusal(refused)
        status = 503 if isinstance(refused, ReturnUnavailable) else 400
        return _page(request, signification, forms, status=status)
    record_action(request, gettext("Retour d'acte déposé : %(name)s") % {"name": act_return.name})
    response = redirect("portal:reply", pk=pk)
    response.status_code = 303
    return response
