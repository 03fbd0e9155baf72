"""The banks' pull API (F9.2, issue 13 item 5) under ``/api/v1/destinataire/``: a signed-in
recipient lists its deposits, reads one, downloads its acts and its data message,
acknowledges it, answers it (act return) and follows its events.

Thin: every rule is a service's, the portal's own —

* what a recipient sees and downloads: ``ui.deposits`` (the first download of an act is the
  opening and decides *remise à personne* before the deadline: ``download_act`` →
  ``delivery.services.record_opening``, exactly as the portal's download);
* the data message: ``datamessage.services`` (its download is journaled, it opens nothing);
* the acknowledgment: ``delivery.acknowledgment.acknowledge`` (journaled, decides nothing);
* the act return: ``returns.services.submit_return`` (the portal form's validation, the
  R.211-4 deadline, the mainlevée), multipart: the PDF and/or the declaration as JSON.

Another recipient's deposit, a missing one and one not yet deposited are the same 404.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Literal, cast

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile as NinjaUploadedFile
from pydantic import Field, Json

from securact.api.auth import CertificateAuth, caller
from securact.api.errors import ApiRefusal, Erreur, error_responses, register_refusal
from securact.api.idempotency import idempotent
from securact.api.pagination import after_key, decode_cursor, encode_cursor, page, page_size
from securact.api.recipient_schemas import (
    AccuseReception,
    Declaration,
    DepotDetail,
    DepotsPage,
    EvenementsPage,
    MessagesDonneesPage,
    RetourDepose,
)
from securact.api.types import Cursor, Id, Moment, Text
from securact.core import clock
from securact.datamessage.models import DataMessage
from securact.datamessage.services import (
    recipient_data_message,
    recipient_messages_since,
    record_download,
)
from securact.delivery.acknowledgment import NotAcknowledgeable, acknowledge
from securact.directory.models import Recipient
from securact.returns import declaration as declarations
from securact.returns import services as returns
from securact.returns import status as answers
from securact.returns.errors import (
    DeclarationInvalid,
    ReturnNotFound,
    ReturnRefused,
    ReturnUnavailable,
)
from securact.returns.models import ActReturn
from securact.significations.downloads import FileDamaged, open_verified
from securact.significations.models import Signification
from securact.ui import deposits
from securact.vault.models import Vault
from securact.vault.services import Identity, Standing

logger = logging.getLogger(__name__)

router = Router(
    auth=CertificateAuth(
        Standing.RECIPIENT,
        refusal=gettext_lazy("Ce service est réservé aux destinataires, avec leur certificat."),
    ),
    tags=["Destinataires"],
)

register_refusal(ReturnNotFound, 404)
register_refusal(ReturnUnavailable, 503)
register_refusal(FileDamaged, 409)

NOT_FOUND = error_responses(403, 404, 422, 429)
FILE_DAMAGED = gettext_lazy("Le fichier ne correspond plus à son empreinte : il n'est pas servi.")


def _recipient(identity: Identity) -> tuple[Recipient, Vault]:
    if identity.recipient is None or identity.vault is None:  # pragma: no cover - auth's
        raise ApiRefusal(403, gettext("Ce service est réservé aux destinataires."))
    return identity.recipient, identity.vault


def _no_deposit() -> ApiRefusal:
    return ApiRefusal(404, gettext("Aucun dépôt de ce numéro pour votre organisme."))


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return request.build_absolute_uri(reverse(f"api-v1:{name}", kwargs=kwargs))


# --- the list and the detail -----------------------------------------------------------------


class DepotsFiltres(Schema):
    depuis: Moment | None = Field(
        None,
        description="Dépôts envoyés à partir de cette date (ISO 8601 ; sans fuseau : heure "
        "de Paris ; une date seule : minuit).",
    )
    etat: Literal["non-ouvert", "personne", "domicile"] | None = Field(
        None, description="non-ouvert, personne (remis à personne) ou domicile."
    )
    nature: Text | None = Field(None, max_length=50, description="Code de la nature de l'acte.")
    reference: Text | None = Field(
        None, max_length=100, description="Tout ou partie de la référence de dépôt."
    )
    acquitte: bool | None = Field(
        None, description="true : déjà acquittés ; false : pas encore acquittés."
    )
    curseur: Cursor | None = Field(
        None, description="Le « suivant » de la page précédente, tel quel."
    )
    limite: int | None = Field(None, ge=1, le=200, description="Dépôts par page (50 par défaut).")


def _acknowledged_at(signification: Signification) -> datetime | None:
    try:
        return signification.acknowledgment.acknowledged_at
    except Signification.acknowledgment.RelatedObjectDoesNotExist:
        return None


def _links(targets: dict[str, dict[str, str]]) -> dict[str, Any]:
    """OpenAPI links from the 200 answer (the stateful clients follow them)."""
    return {
        "responses": {
            200: {
                "links": {
                    target: {"operationId": target, "parameters": parameters}
                    for target, parameters in targets.items()
                }
            }
        }
    }


_FIRST_DEPOSIT = {"pk": "$response.body#/resultats/0/id"}
LIST_LINKS = _links(
    {
        "lireDepot": _FIRST_DEPOSIT,
        "accuserReception": _FIRST_DEPOSIT,
        "deposerRetour": _FIRST_DEPOSIT,
        "telechargerMessageDonnees": _FIRST_DEPOSIT,
    },
)
DETAIL_LINKS = _links(
    {"telechargerActe": {"pk": "$response.body#/id", "act_id": "$response.body#/actes/0/id"}},
)


def _deposit(request: HttpRequest, signification: Signification) -> dict[str, Any]:
    sent_at = signification.sent_at
    if sent_at is None:  # pragma: no cover - a deposit is sent
        raise _no_deposit()
    return {
        "id": signification.pk,
        "reference": signification.reference,
        "nature": {"code": signification.nature.code, "libelle": signification.nature.label},
        "etude": {"code": signification.practice.code, "nom": signification.practice.name},
        "commissaire": signification.bailiff.full_name,
        "envoye_le": sent_at,
        "delai_remise": signification.delivery_deadline,
        "etat": signification.delivery_state,
        "etat_libelle": deposits.state_label(signification),
        "ouvert_le": signification.opened_at,
        "remis_le": signification.delivered_at,
        "acquitte_le": _acknowledged_at(signification),
        "debiteur": deposits.debtor_name(signification),
        "nombre_actes": len(signification.acts.all()),
        "url": _url(request, "deposit", pk=signification.pk),
    }


@router.get(
    "/depots",
    response={200: DepotsPage, **NOT_FOUND},
    url_name="deposits",
    operation_id="listerDepots",
    openapi_extra=LIST_LINKS,
    summary="Lister ses dépôts",
)
def list_deposits(request: HttpRequest, filtres: Query[DepotsFiltres]) -> dict[str, Any]:
    """Les dépôts faits à votre organisme, du plus ancien envoi au plus récent, par pages
    (curseur). Pour ne relever que les nouveaux : ``acquitte=false``, puis accusez
    réception de chacun une fois pris en charge ; ou ``depuis`` la date de la dernière
    relève."""
    recipient, _vault = _recipient(caller(request))
    criteria = deposits.PullCriteria(
        since=filtres.depuis,
        state=filtres.etat or "",
        nature=filtres.nature or "",
        reference=filtres.reference or "",
        acknowledged=filtres.acquitte,
    )
    after = decode_cursor(filtres.curseur, (datetime, int))
    limit = page_size(filtres.limite)
    rows = list(
        deposits.deposits_in_order(recipient, criteria).filter(after_key(("sent_at", "pk"), after))[
            : limit + 1
        ]
    )
    return page(
        rows,
        limit,
        key=lambda row: (row.sent_at, row.pk),
        item=lambda row: _deposit(request, row),
    )


def _data_message(request: HttpRequest, recorded: DataMessage | None) -> dict[str, Any] | None:
    if recorded is None:
        return None
    stored = recorded.stored_file
    return {
        "nom": stored.name,
        "taille": stored.size,
        "sha256": stored.sha256,
        "depose_le": recorded.deposited_at,
        "url": _url(request, "data-message", pk=recorded.signification_id),
    }


def _answer(request: HttpRequest, signification: Signification) -> dict[str, Any] | None:
    status = answers.answer_status(signification, at=clock.now())
    if status is None:
        return None
    made: ActReturn | None = answers.existing_return(signification)
    return {
        "echeance": status.deadline,
        "due_avant": status.due_at,
        "leve": status.released,
        "depose_le": made.created_at if made else None,
        "nom": made.name if made else None,
        "dans_les_delais": made.on_time if made else None,
        "scelle": bool(made and made.stored_file_id),
        "url": _url(request, "reply", pk=signification.pk),
    }


@router.get(
    "/depots/{pk}",
    response={200: DepotDetail, **NOT_FOUND},
    url_name="deposit",
    operation_id="lireDepot",
    openapi_extra=DETAIL_LINKS,
    summary="Lire un dépôt",
)
def deposit(request: HttpRequest, pk: Id) -> dict[str, Any]:
    """Le dépôt, ses actes (nom, taille, SHA-256), son message de données et la réponse
    attendue. Le lire n'ouvre pas le dépôt : seul le téléchargement d'un acte l'ouvre."""
    recipient, _vault = _recipient(caller(request))
    try:
        signification = (
            deposits.deposits_in_order(recipient, deposits.PullCriteria()).filter(pk=pk).get()
        )
    except Signification.DoesNotExist as missing:
        raise _no_deposit() from missing
    acts = [
        {
            "id": act.pk,
            "nom": act.deposited_name,
            "taille": act.stored_file.size,
            "sha256": act.stored_file.sha256,
            "url": _url(request, "act", pk=pk, act_id=act.pk),
        }
        for act in deposits.deposit_acts(signification)
        if act.stored_file is not None
    ]
    return {
        **_deposit(request, signification),
        "actes": acts,
        "message_donnees": _data_message(request, recipient_data_message(recipient, pk)),
        "retour": _answer(request, signification),
        "accuse_reception_url": _url(request, "acknowledge", pk=pk),
    }


# --- downloads -------------------------------------------------------------------------------


def _file_response(handle: Any, name: str, content_type: str) -> HttpResponse:
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)


def _binary(media_type: str, description: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/depots/{pk}/actes/{act_id}",
    response={409: Erreur, **NOT_FOUND},
    url_name="act",
    operation_id="telechargerActe",
    summary="Télécharger un acte",
    openapi_extra=_binary("application/pdf", "L'acte signé (PDF), tel que déposé."),
)
def download_act(request: HttpRequest, pk: Id, act_id: Id) -> HttpResponse:
    """L'acte signé, vérifié contre son empreinte. **Le premier téléchargement d'un acte du
    dépôt est son ouverture** (art. 663 CPC) : avant l'échéance de la remise, il décide la
    *remise à personne*, exactement comme sur le portail ; les suivants sont journalisés."""
    identity = caller(request)
    _owner, vault = _recipient(identity)
    try:
        served = deposits.download_act(
            vault, pk, act_id, actor=identity.certificate.fingerprint, at=clock.now()
        )
    except deposits.DepositNotFound as missing:
        raise _no_deposit() from missing
    name = served.act.deposited_name
    return _file_response(served.handle, name, deposits.content_type(name))


@router.get(
    "/depots/{pk}/message-donnees",
    response={409: Erreur, **NOT_FOUND},
    url_name="data-message",
    operation_id="telechargerMessageDonnees",
    summary="Télécharger le message de données",
    openapi_extra=_binary("application/xml", "Le message de données XML scellé (F8.3)."),
)
def download_data_message(request: HttpRequest, pk: Id) -> HttpResponse:
    """Le message de données de l'acte (XML scellé), depuis votre coffre, vérifié ; son
    téléchargement est journalisé et n'ouvre pas le dépôt."""
    identity = caller(request)
    recipient, _vault = _recipient(identity)
    recorded = recipient_data_message(recipient, pk)
    if recorded is None:
        raise ApiRefusal(404, gettext("Aucun message de données pour cette signification."))
    handle = open_verified(recorded.stored_file)  # FileDamaged: a 409, nothing recorded
    record_download(recorded, identity.certificate.fingerprint)
    return _file_response(handle, recorded.stored_file.name, "application/xml")


class MessagesFiltres(Schema):
    depuis: Moment | None = Field(
        None,
        description="Messages déposés à partir de cette date (ISO 8601 ; sans fuseau : "
        "heure de Paris).",
    )
    curseur: Cursor | None = Field(None, description="Le « suivant » reçu, tel quel.")
    limite: int | None = Field(None, ge=1, le=200, description="Messages par page.")


@router.get(
    "/messages-donnees",
    response={200: MessagesDonneesPage, **NOT_FOUND},
    url_name="data-messages",
    operation_id="listerMessagesDonnees",
    summary="Lister ses messages de données",
)
def list_data_messages(request: HttpRequest, filtres: Query[MessagesFiltres]) -> dict[str, Any]:
    """Vos messages de données, du plus ancien dépôt au plus récent, par pages (curseur)."""
    recipient, _vault = _recipient(caller(request))
    after = decode_cursor(filtres.curseur, (datetime, int))
    limit = page_size(filtres.limite)
    rows = list(
        recipient_messages_since(recipient, filtres.depuis).filter(
            after_key(("deposited_at", "pk"), after)
        )[: limit + 1]
    )

    def item(recorded: DataMessage) -> dict[str, Any]:
        signification = recorded.signification
        return {
            **(_data_message(request, recorded) or {}),
            "depot": signification.pk,
            "reference": signification.reference,
            "etude": signification.practice.code,
            "nature": signification.nature.code,
            "envoye_le": signification.sent_at,
        }

    return page(rows, limit, key=lambda row: (row.deposited_at, row.pk), item=item)


# --- acknowledging and answering -------------------------------------------------------------


@router.post(
    "/depots/{pk}/accuse-reception",
    response={
        201: AccuseReception,
        200: AccuseReception,
        **error_responses(400, 409),
        **NOT_FOUND,
    },
    url_name="acknowledge",
    operation_id="accuserReception",
    summary="Accuser réception d'un dépôt",
)
@idempotent
def acknowledge_deposit(request: HttpRequest, pk: Id) -> Status[dict[str, Any]]:
    """Dit que votre système a pris le dépôt en charge (journalisé). Le premier accusé
    compte (201) ; un nouvel appel rend le même (200). Il n'ouvre pas le dépôt et ne décide
    pas la remise : seul le téléchargement d'un acte le fait."""
    identity = caller(request)
    recipient, _vault = _recipient(identity)
    try:
        made, created = acknowledge(
            pk, recipient=recipient, actor=identity.certificate.fingerprint, at=clock.now()
        )
    except NotAcknowledgeable as missing:
        raise _no_deposit() from missing
    body = {"depot": pk, "acquitte_le": made.acknowledged_at}
    return Status(201 if created else 200, body)


_ACCOUNT_FIELDS = {"kind": "type", "number": "numero", "balance": "solde", "direction": "sens"}
_DECLARATION_FIELDS = {
    "protected_balance": "solde_insaisissable",
    "prior_encumbrances": "saisies_anterieures",
    "accounts": "comptes",
}


def _api_field(key: str) -> str:
    """The service's field key (``accounts.2.number``) as the contract names it."""
    parts = key.split(".")
    if parts[0] == "accounts" and len(parts) == 3:
        return f"declaration.comptes.{parts[1]}.{_ACCOUNT_FIELDS.get(parts[2], parts[2])}"
    return f"declaration.{_DECLARATION_FIELDS.get(key, key)}"


def _declaration(given: Declaration) -> declarations.Declaration:
    return declarations.Declaration(
        debtor_is_individual=given.debiteur == "personne_physique",
        accounts=tuple(
            declarations.AccountLine(
                kind=account.type,
                number=account.numero,
                balance=account.solde,
                direction=account.sens,
            )
            for account in given.comptes
        ),
        protected_balance=given.solde_insaisissable,
        prior_encumbrances=given.saisies_anterieures,
    )


def _return_answer(act_return: ActReturn) -> dict[str, Any]:
    return {
        "depot": act_return.signification_id,
        "nom": act_return.name,
        "depose_le": act_return.created_at,
        "echeance": act_return.deadline,
        "dans_les_delais": act_return.on_time,
        "scelle": act_return.stored_file_id is not None,
    }


@router.post(
    "/depots/{pk}/retour",
    response={201: RetourDepose, **error_responses(400, 409, 413, 503), **NOT_FOUND},
    url_name="reply",
    operation_id="deposerRetour",
    # The PDF, the declaration, or both: at least one.
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {"anyOf": [{"required": ["pdf"]}, {"required": ["declaration"]}]}
                }
            }
        }
    },
    summary="Déposer la réponse (retour d'acte)",
)
@idempotent
def reply(
    request: HttpRequest,
    pk: Id,
    pdf: File[NinjaUploadedFile | None] = None,
    declaration: Form[Json[Declaration] | None] = None,
) -> Status[dict[str, Any]]:
    """La réponse du destinataire (F6.4) : un PDF (champ ``pdf``) et/ou la déclaration du
    tiers saisi (champ ``declaration``, un texte JSON), en multipart/form-data. Les mêmes
    règles que le formulaire du portail : délai R.211-4, une seule réponse, pas de réponse
    après la mainlevée, PDF vérifié ; converti en PDF/A, scellé et déposé dans le coffre de
    l'étude."""
    identity = caller(request)
    recipient, _vault = _recipient(identity)
    upload = cast(UploadedFile | None, pdf)
    if upload is None and declaration is None:
        raise ApiRefusal(
            422,
            gettext(
                "Joignez votre réponse au format PDF ou remplissez la déclaration des comptes."
            ),
            "pdf",
        )
    try:
        act_return = returns.submit_return(
            pk,
            recipient=recipient,
            actor=identity.certificate.fingerprint,
            pdf=upload,
            declaration=_declaration(declaration) if declaration is not None else None,
            at=clock.now(),
        )
    except ReturnNotFound as missing:
        raise _no_deposit() from missing
    except DeclarationInvalid as invalid:
        key, messages = next(iter(invalid.errors.items()))
        raise ApiRefusal(422, " ".join(messages), _api_field(key)) from invalid
    except ReturnRefused:
        raise
    logger.info("signification %s: act return received through the API", pk)
    return Status(201, _return_answer(act_return))


# --- the events ------------------------------------------------------------------------------


class EvenementsFiltres(Schema):
    depuis: Cursor | None = Field(
        None,
        description="Le curseur « dernier » de l'interrogation précédente ; absent : depuis "
        "le début.",
    )
    limite: int | None = Field(None, ge=1, le=200, description="Événements par page.")


@router.get(
    "/evenements",
    response={200: EvenementsPage, **NOT_FOUND},
    url_name="events",
    operation_id="suivreEvenements",
    summary="Suivre ses événements",
)
def events(request: HttpRequest, filtres: Query[EvenementsFiltres]) -> dict[str, Any]:
    """Les événements de vos dépôts, dans l'ordre du journal des preuves : dépôts reçus,
    alertes, ouvertures et téléchargements, remises, accusés de réception, réponses reçues
    et scellées, messages de données. Interrogez-le avec ``depuis`` = le « dernier » reçu :
    aucun événement n'est sauté ni répété."""
    recipient, _vault = _recipient(caller(request))
    cursor = decode_cursor(filtres.depuis, (int,))
    after = cursor[0] if cursor else None
    limit = page_size(filtres.limite)
    rows = deposits.recipient_events(recipient, after=after, limit=limit + 1)
    answer = page(
        rows,
        limit,
        key=lambda event: (event.position,),
        item=lambda event: {
            "numero": event.entry.sequence,
            "evenement": event.entry.action,
            "depot": event.entry.signification_id,
            "reference": event.reference,
            "date": event.entry.recorded_at,
            "message": event.message,
        },
    )
    shown = rows[:limit]
    answer["dernier"] = encode_cursor((shown[-1].position,)) if shown else (filtres.depuis or None)
    return answer
