"""The recipient's pages (F8): its deposits, a deposit's detail, the download of its acts,
its settings. Thin: what is shown and done is decided in ``ui.deposits`` and ``consent``.

URLs (namespace ``portal``, under ``/destinataire/``)
    ``""`` (``deposits``): the list; ``?nature=&du=&au=&etude=&etat=&lignes=&page=``.
    ``depots/<id>/`` (``deposit``): the detail; ``depots/<id>/actes/<act>/`` (``download``).
    ``parametres/`` (``settings``) and its POST actions (``contacts``, ``accept``,
    ``withdraw``, ``add-window``, ``remove-window``).

Only a signed-in recipient reaches them (a bailiff or operator gets a French 403 that
points back to its own side). Another recipient's deposit is the same 404 page as a missing
one, after the same single owner-filtered query."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST, require_safe
from django_tables2 import RequestConfig

from securact.core import clock
from securact.core.history import record_action
from securact.datamessage.models import DataMessage
from securact.directory.models import Recipient
from securact.pki.pages import refusal_page
from securact.portal import consent
from securact.portal.forms import (
    AcceptNatureForm,
    ContactsForm,
    DepositFilter,
    WindowForm,
    accepted_for,
)
from securact.portal.tables import DepositTable, HistoryTable
from securact.significations.downloads import FileDamaged
from securact.significations.models import Signification
from securact.ui import deposits as services
from securact.ui.access import identity_of
from securact.ui.tables import BoundedPaginator
from securact.vault.models import Vault
from securact.vault.services import Standing

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]
# Hooks for the parts built by other items of issue 5: when a URL of that name exists
# (argument: the deposit's id), the detail page shows the action.
REPLY_URL_NAME = "portal:reply"  # act return (F6.4): « Répondre »
PER_PAGE_CHOICES = (10, 25, 50)


def per_page(value: Any) -> int:
    """10, 25 or 50 rows (anything else: 10)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return PER_PAGE_CHOICES[0]
    return number if number in PER_PAGE_CHOICES else PER_PAGE_CHOICES[0]


def recipient_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        identity = identity_of(request)
        if identity.standing is not Standing.RECIPIENT or identity.recipient is None:
            return refusal_page(
                request,
                gettext("Cet espace est réservé aux destinataires des significations."),
                gettext(
                    "Vous êtes connecté avec le certificat d'une étude ou de l'exploitation : "
                    "retournez à votre tableau de bord (menu Accueil)."
                ),
            )
        return view(request, *args, **kwargs)

    return wrapper


def _recipient(request: HttpRequest) -> Recipient:
    recipient = identity_of(request).recipient
    if recipient is None:  # pragma: no cover - recipient_required guarantees it
        raise PermissionError("not a recipient")
    return recipient


def _vault(request: HttpRequest) -> Vault:
    vault = identity_of(request).vault
    if vault is None:  # pragma: no cover - a signed-in recipient has a vault
        raise PermissionError("no vault")
    return vault


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/not_found.html", status=404)


def _kept(request: HttpRequest, *dropped: str) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, values in request.GET.lists()
        if name not in dropped
        for value in values
    ]


def _data_message_url(signification: Signification) -> str | None:
    """The deposit's data message (F8.3), when its nature called for one."""
    if not DataMessage.objects.filter(signification=signification).exists():
        return None
    return reverse("api:download", args=[signification.pk])


def _url_if_any(name: str, pk: int) -> str | None:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


# --- deposits --------------------------------------------------------------------------------


@recipient_required
@require_safe
def deposits(request: HttpRequest) -> HttpResponse:
    recipient = _recipient(request)
    filterset = DepositFilter(request.GET, queryset=services.recipient_deposits(recipient))
    rows = per_page(request.GET.get("lignes"))
    context: dict[str, Any] = {
        "form": filterset.form,
        "table": None,
        "per_page": rows,
        "per_page_choices": PER_PAGE_CHOICES,
        "kept_parameters": _kept(request, "lignes", "page"),
    }
    if filterset.is_valid():  # no query runs on criteria that are not
        table = DepositTable(filterset.qs)
        RequestConfig(
            request, paginate={"per_page": rows, "paginator_class": BoundedPaginator}
        ).configure(table)
        context["table"] = table
    return render(request, "portal/deposits.html", context)


@recipient_required
@require_safe
def deposit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        info = services.deposit_detail(_recipient(request), pk)
    except services.DepositNotFound:
        return _not_found(request)
    history = HistoryTable(services.filter_history(info.history, request.GET.get("hfiltre", "")))
    RequestConfig(
        request, paginate={"per_page": 10, "paginator_class": BoundedPaginator}
    ).configure(history)
    return render(
        request,
        "portal/deposit.html",
        {
            "info": info,
            "signification": info.signification,
            "history": history,
            "history_filter": request.GET.get("hfiltre", "")[: services.FILTER_MAX_LENGTH],
            "kept_parameters": _kept(request, "hfiltre", "hpage"),
            "reply_url": _url_if_any(REPLY_URL_NAME, pk),
            "data_message_url": _data_message_url(info.signification),
        },
    )


@recipient_required
@require_GET
def download(request: HttpRequest, pk: int, act_id: int) -> HttpResponse:
    """The signed act, fixity-checked; the download (first: the opening) recorded first.
    GET only: a HEAD (a link checker, a proxy) must not count as the opening."""
    identity = identity_of(request)
    try:
        served = services.download_act(
            _vault(request), pk, act_id, actor=identity.certificate.fingerprint, at=clock.now()
        )
    except services.DepositNotFound:
        return _not_found(request)
    except FileDamaged as damaged:
        return render(
            request,
            "portal/file_damaged.html",
            {"message": damaged.message, "signification_id": pk},
            status=409,
        )
    name = served.act.deposited_name
    record_action(request, gettext("Téléchargement de %(name)s") % {"name": name})
    response = FileResponse(
        served.handle,
        as_attachment=True,
        filename=name,
        content_type=services.content_type(name),
    )
    response["Cache-Control"] = "no-store, private"
    return cast(HttpResponse, response)


# --- settings --------------------------------------------------------------------------------


def _settings_page(request: HttpRequest, status: int = 200, **bound: Any) -> HttpResponse:
    recipient = _recipient(request)
    record = consent.consent_record(recipient)
    window_forms = {accepted.pk: WindowForm(accepted=accepted) for accepted in record.natures}
    if (failed := bound.get("window_form")) is not None:
        window_forms[failed.accepted.pk] = failed
    context = {
        "record": record,
        "natures": [(accepted, window_forms[accepted.pk]) for accepted in record.natures],
        "contacts_form": bound.get("contacts_form")
        or ContactsForm(instance=consent.contacts_instance(recipient)),
        "accept_form": bound.get("accept_form") or AcceptNatureForm(recipient=recipient),
    }
    return render(request, "portal/settings.html", context, status=status)


def _back(anchor: str) -> HttpResponse:
    response = redirect(f"{reverse('portal:settings')}#{anchor}")
    response.status_code = 303
    return response


def _actor(request: HttpRequest) -> str:
    return identity_of(request).certificate.fingerprint


@recipient_required
@require_safe
def settings_page(request: HttpRequest) -> HttpResponse:
    return _settings_page(request)


@recipient_required
@require_POST
def contacts(request: HttpRequest) -> HttpResponse:
    recipient = _recipient(request)
    form = ContactsForm(request.POST, instance=consent.contacts_instance(recipient))
    if not form.is_valid():
        return _settings_page(request, 400, contacts_form=form)
    if consent.change_contacts(
        recipient,
        email=form.cleaned_data["email"],
        mobile=form.cleaned_data["mobile"] or "",
        actor=_actor(request),
    ):
        record_action(request, gettext("Modification des contacts d'alerte"))
    return _back("contacts")


@recipient_required
@require_POST
def accept(request: HttpRequest) -> HttpResponse:
    recipient = _recipient(request)
    form = AcceptNatureForm(request.POST, recipient=recipient)
    if form.is_valid():
        try:
            accepted = consent.accept_nature(
                recipient, form.cleaned_data["nature"], actor=_actor(request)
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            record_action(
                request,
                gettext("Nature d'acte acceptée : %(nature)s") % {"nature": accepted.nature},
            )
            return _back(f"nature-{accepted.pk}")
    return _settings_page(request, 400, accept_form=form)


@recipient_required
@require_POST
def withdraw(request: HttpRequest, accepted_id: int) -> HttpResponse:
    try:
        nature = consent.withdraw_nature(_recipient(request), accepted_id, actor=_actor(request))
    except consent.SettingNotFound:
        return _not_found(request)
    record_action(request, gettext("Nature d'acte retirée : %(nature)s") % {"nature": nature})
    return _back("natures")


@recipient_required
@require_POST
def add_window(request: HttpRequest, accepted_id: int) -> HttpResponse:
    recipient = _recipient(request)
    accepted = accepted_for(recipient, accepted_id)
    if accepted is None:
        return _not_found(request)
    form = WindowForm(request.POST, accepted=accepted)
    if form.is_valid():
        data = form.cleaned_data
        try:
            consent.add_window(
                recipient,
                accepted_id,
                data["weekday"],
                data["start"],
                data["end"],
                actor=_actor(request),
            )
        except consent.SettingNotFound:
            return _not_found(request)
        except ValidationError as refused:  # a concurrent change
            form.add_error(None, refused)
        else:
            record_action(
                request,
                gettext("Plage horaire ajoutée : %(nature)s, %(window)s")
                % {
                    "nature": accepted.nature,
                    "window": consent.window_text(data["weekday"], data["start"], data["end"]),
                },
            )
            return _back(f"nature-{accepted_id}")
    return _settings_page(request, 400, window_form=form)


@recipient_required
@require_POST
def remove_window(request: HttpRequest, window_id: int) -> HttpResponse:
    try:
        window = consent.remove_window(_recipient(request), window_id, actor=_actor(request))
    except consent.SettingNotFound:
        return _not_found(request)
    record_action(
        request,
        gettext("Plage horaire retirée : %(window)s")
        % {"window": consent.window_text(window.weekday, window.start, window.end)},
    )
    return _back(f"nature-{window.accepted_nature_id}")
