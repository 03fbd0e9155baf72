"""The practice side of the API for bulk submission (issue 13, item 2; docs/edi-api.md):
uploads, batches, the events feed and the webhooks. Thin: the rules are the ``edi`` app's
services (``edi.uploads``, ``edi.batches``, ``edi.feed``, ``edi.webhooks``).

* ``POST /fichiers``: one act, checked by content as the form checks it;
* ``POST /lots``, ``GET /lots``, ``GET /lots/{id}``: a batch of up to 1,000 significations
  served through the one serve call, each refusal on its item; ``"signature": "client"``
  (the practice's software signs: ``api.practice``'s ``a-signer`` and ``signatures``) or
  ``"distante"`` with ``code_pin`` (the bailiff's key on the platform's token: the PIN is
  checked before anything is recorded, held only in this request's memory, left out of the
  idempotency record's digest, and the request returns once the acts are signed);
* ``GET /evenements``: the practice's events, by cursor;
* ``POST /webhooks``, ``GET /webhooks``, ``DELETE /webhooks/{id}``: callbacks signed with a
  secret shown once.

Who calls: a bailiff with his own certificate, or the practice's EDI software certificate.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, cast

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile as NinjaUploadedFile
from pydantic import Field

from securact.api.auth import CertificateAuth, caller
from securact.api.errors import ApiRefusal, error_responses, not_found
from securact.api.idempotency import idempotent, idempotent_without
from securact.api.pagination import decode_cursor, encode_cursor, page_size
from securact.core.errors import Refusal
from securact.directory.models import Practice
from securact.documents.services import UploadRefused
from securact.edi.batch_signing import (
    SignerFactory,
    Signers,
    client_side_signers,
    remote_signers,
)
from securact.edi.batch_status import BatchState, BatchStatus, ItemState, batch_status
from securact.edi.batches import BatchRefused, ItemRequest, find_bailiff, submit_batch
from securact.edi.feed import practice_events
from securact.edi.models import Batch, WebhookEndpoint
from securact.edi.uploads import receive_upload
from securact.edi.webhooks import WebhookRefused, register_webhook
from securact.signing.errors import SigningRefused
from securact.vault.services import Identity, Standing

router = Router(
    auth=CertificateAuth(
        Standing.BAILIFF,
        Standing.EDI,
        refusal=gettext_lazy(
            "Ce service est réservé aux études : certificat d'un commissaire de justice ou "
            "certificat EDI enregistré par l'étude."
        ),
    ),
    tags=["Études"],
)

ERRORS = error_responses(403, 404, 409, 422, 429)
ITEM_STATES = {
    ItemState.RECEIVED: "recue",
    ItemState.REFUSED: "refusee",
    ItemState.IN_PROGRESS: "en_cours",
    ItemState.AWAITING_SIGNATURE: "attente_signature",
    ItemState.DONE: "terminee",
    ItemState.FAILED: "echec",
}
BATCH_STATES = {
    BatchState.RECEIVED: "recu",
    BatchState.IN_PROGRESS: "en_cours",
    BatchState.DONE: "termine",
    BatchState.DONE_WITH_ERRORS: "termine_avec_erreurs",
}
# The services' field names, as the API names them.
FIELDS = {
    "recipient_siret": "siret",
    "bailiff": "commissaire",
    "files": "fichiers",
    "signing_certificate": "certificat_signature",
    "items": "significations",
    "pin": "code_pin",
}
ELEMENT_FIELDS_PREFIX = "elements."


def _field(name: str, known: frozenset[str] = frozenset()) -> str | None:
    if not name:
        return None
    if name in FIELDS:
        return FIELDS[name]
    if name in ("reference", "nature", "url") or name in known:
        return name
    return ELEMENT_FIELDS_PREFIX + name  # the act's essential elements (F8.3)


# --- schemas ---------------------------------------------------------------------------------


class FichierOut(Schema):
    id: str = Field(description="L'identifiant à donner dans « fichiers » d'une signification.")
    nom: str
    type: str = Field(description="pdf, doc, docx ou odt (d'après le contenu)")
    taille: int
    sha256: str
    expire_le: datetime = Field(description="Après cette date, le fichier est effacé.")


class SignificationIn(Schema):
    reference: str = Field(
        max_length=200,
        description="La référence de dépôt de l'étude : l'ancre d'idempotence de l'élément "
        "(une référence déjà signifiée par l'étude ne l'est jamais deux fois).",
    )
    siret: str = Field(max_length=30, description="Le SIRET du destinataire.")
    nature: str = Field(max_length=60, description="Le code de la nature de l'acte.")
    commissaire: str | int = Field(
        description="Le commissaire de justice qui signe : son nom complet (ou son numéro)."
    )
    certificat_signature: str | None = Field(
        None,
        max_length=20000,
        description="Son certificat de signature (PEM) : obligatoire en signature côté "
        "étude ; en signature distante, pour choisir parmi ses certificats.",
    )
    fichiers: list[str] = Field(description="Les identifiants des fichiers téléversés.")
    elements: dict[str, Any] | None = Field(
        None, description="Les données de l'acte, pour une nature avec message de données."
    )


class LotIn(Schema):
    reference: str = Field(max_length=200, description="La référence du lot, propre à l'étude.")
    signature: Literal["client", "distante"] = Field(
        description="client : le logiciel de l'étude signe ; distante : la clé du "
        "commissaire sur le jeton de la plateforme, avec code_pin."
    )
    code_pin: str | None = Field(
        None,
        max_length=64,
        description="Signature distante seulement : gardé dans la mémoire de cette requête, "
        "jamais enregistré.",
    )
    significations: list[SignificationIn] = Field(min_length=1)


class ElementLot(Schema):
    position: int
    reference: str
    etat: str = Field(description="recue, refusee, en_cours, attente_signature, terminee ou echec")
    signification: int | None = Field(description="Le numéro de la signification créée.")
    erreur: str | None = Field(description="Le motif du refus, en français.")
    champ: str | None = Field(description="Le champ en cause.")
    erreur_signature: str | None = Field(
        description="Signature distante : le refus du jeton ; la signification attend sa "
        "signature (renvoyez le lot avec le bon code PIN)."
    )


class LotResume(Schema):
    id: int
    reference: str
    etat: str = Field(description="recu, en_cours, termine ou termine_avec_erreurs")
    cree_le: datetime
    compteurs: dict[str, int]


class LotOut(LotResume):
    significations: list[ElementLot]


class LotsPage(Schema):
    resultats: list[LotResume]
    suivant: str | None


class EvenementEtude(Schema):
    curseur: str = Field(description="Sa place dans le flux : redonnez-la en « curseur ».")
    type: str = Field(
        description="soumise, convertie, signee, deposee, message_donnees_depose, alertee, "
        "alerte_echec, certificat_depot, archivee, ouverte, remise_a_personne, "
        "remise_a_domicile, certificat_remise, retour_recu, retour_depose"
    )
    signification: int
    reference: str
    etude: str
    destinataire_siret: str
    date: datetime
    entree_journal: int = Field(description="Le numéro de l'entrée du journal des preuves.")
    donnees: dict[str, Any]


class EvenementsEtudePage(Schema):
    resultats: list[EvenementEtude]
    suivant: str | None = Field(description="Le curseur de la page suivante ; null : à jour.")
    dernier: str | None = Field(description="Le curseur à redonner à la prochaine interrogation.")


class EvenementsEtudeFiltres(Schema):
    curseur: str | None = Field(None, max_length=30)
    limite: int | None = Field(None, ge=1, le=1000)


class WebhookIn(Schema):
    url: str = Field(max_length=500, description="Une adresse https://.")


class WebhookOut(Schema):
    id: int
    url: str
    actif: bool
    dernier_evenement_remis: int
    echecs: int = Field(description="Échecs consécutifs de remise.")
    prochain_essai: datetime | None
    derniere_erreur: str


class WebhookCree(WebhookOut):
    secret: str = Field(description="Montré cette seule fois : il signe chaque rappel.")


class WebhooksPage(Schema):
    resultats: list[WebhookOut]
    suivant: str | None


# --- helpers ---------------------------------------------------------------------------------


def _practice(identity: Identity) -> Practice:
    practice = identity.practice
    if practice is None:  # pragma: no cover - both standings have a practice
        raise not_found()
    return practice


def _item(status: Any) -> dict[str, Any]:
    refused = status.state == ItemState.REFUSED
    return {
        "position": status.position,
        "reference": status.reference,
        "etat": ITEM_STATES[status.state],
        "signification": status.signification_id,
        "erreur": status.refusal_message if refused else None,
        "champ": _field(status.refusal_field) if refused else None,
        "erreur_signature": status.signing_error or None,
    }


def _summary(status: BatchStatus) -> dict[str, Any]:
    return {
        "id": status.batch.pk,
        "reference": status.batch.client_reference,
        "etat": BATCH_STATES[status.state],
        "cree_le": status.batch.created_at,
        "compteurs": {
            "total": status.counts["total"],
            **{ITEM_STATES[state]: status.counts[state] for state in ITEM_STATES},
        },
    }


def _lot(status: BatchStatus) -> dict[str, Any]:
    return {**_summary(status), "significations": [_item(item) for item in status.items]}


def _webhook(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.pk,
        "url": endpoint.url,
        "actif": endpoint.active,
        "dernier_evenement_remis": endpoint.cursor,
        "echecs": endpoint.failures,
        "prochain_essai": endpoint.next_attempt_at,
        "derniere_erreur": endpoint.last_error,
    }


# --- uploads ---------------------------------------------------------------------------------


@router.post(
    "/fichiers",
    response={201: FichierOut, **error_responses(403, 409, 413, 422, 429)},
    url_name="edi-upload",
    summary="Téléverser un acte",
)
@idempotent
def upload(request: HttpRequest, fichier: File[NinjaUploadedFile]) -> Status[dict[str, Any]]:
    """Un acte (multipart/form-data, champ ``fichier``), reçu en flux et vérifié d'après son
    contenu comme par le formulaire (PDF, DOC, DOCX ou ODT ; taille ; ni chiffré, ni
    endommagé, ni actif). Gardé jusqu'à ``expire_le`` pour le lot qui le signifie."""
    identity = caller(request)
    given = cast(UploadedFile, fichier)
    try:
        kept = receive_upload(
            _practice(identity), identity.certificate.fingerprint, given, given.name or ""
        )
    except UploadRefused as refused:
        raise ApiRefusal(422, refused.message, "fichier") from refused
    return Status(
        201,
        {
            "id": str(kept.pk),
            "nom": kept.name,
            "type": kept.kind,
            "taille": kept.size,
            "sha256": kept.sha256,
            "expire_le": kept.expires_at,
        },
    )


# --- batches ---------------------------------------------------------------------------------


def _own_bailiff(identity: Identity) -> int | None:
    """A bailiff's certificate submits in his name only; the EDI software, for any."""
    if identity.standing is Standing.BAILIFF and identity.vault is not None:
        return identity.vault.bailiff_id
    return None


def _signers(practice: Practice, payload: LotIn) -> Signers:
    """The batch's signers. Remote signing: each bailiff's PIN checked now, before anything
    is recorded (a wrong PIN refuses the request: the client corrects it and sends again)."""
    factory: SignerFactory
    if payload.signature == "distante":
        if not payload.code_pin:
            raise ApiRefusal(
                422, gettext("Indiquez le code PIN du commissaire de justice."), "code_pin"
            )
        factory = remote_signers(payload.code_pin)
    else:
        if payload.code_pin:
            raise ApiRefusal(
                422,
                gettext(
                    "Pas de code PIN en signature côté étude : il ne quitte jamais votre logiciel."
                ),
                "code_pin",
            )
        factory = client_side_signers
    signers = Signers(factory)
    if payload.signature == "distante":
        for given in payload.significations:
            try:
                bailiff = find_bailiff(practice, given.commissaire)
                certificate = (given.certificat_signature or "").encode() or None
                signers.of(bailiff, certificate)
            except SigningRefused as refused:
                raise ApiRefusal(422, refused.message, "code_pin") from refused
            except Refusal:
                continue  # refused on its item
    return signers


@router.post(
    "/lots",
    response={201: LotOut, **ERRORS},
    url_name="edi-batch-submit",
    summary="Déposer un lot de significations",
)
@idempotent_without("code_pin")
def submit(request: HttpRequest, payload: LotIn) -> Status[dict[str, Any]]:
    """Un lot de 1 à 1 000 significations, chacune signifiée par le service unique (horloge
    légale, consentement et horaires du destinataire, référence, données de l'acte,
    fichiers) ; un refus est indiqué sur son élément (``etat`` refusee, ``erreur``,
    ``champ``) sans arrêter les autres. Le même lot renvoyé (même référence, mêmes
    significations) ne crée rien de nouveau et rend l'état de ses éléments."""
    identity = caller(request)
    practice = _practice(identity)
    signers = _signers(practice, payload)
    items = [
        ItemRequest(
            reference=given.reference,
            recipient_siret=given.siret,
            nature=given.nature,
            bailiff=given.commissaire,
            uploads=given.fichiers,
            elements=given.elements,
            signing_certificate=given.certificat_signature,
        )
        for given in payload.significations
    ]
    try:
        status = submit_batch(
            practice,
            identity.certificate.fingerprint,
            payload.reference,
            items,
            signers.factory,
            signers=signers,
            only_bailiff=_own_bailiff(identity),
        )
    except BatchRefused as refused:
        raise ApiRefusal(422, refused.message, _field(refused.field) or "") from refused
    return Status(201, _lot(status))


@router.get(
    "/lots",
    response={200: LotsPage, **ERRORS},
    url_name="edi-batches",
    summary="Les lots de l'étude",
)
def batches(request: HttpRequest, curseur: str | None = None, limite: int | None = None) -> Any:
    """Les lots de l'étude, du plus récent au plus ancien, avec leur état et leurs
    compteurs."""
    practice = _practice(caller(request))
    after = decode_cursor(curseur, (int,))
    limit = page_size(limite)
    rows = Batch.objects.filter(practice=practice).order_by("-pk")
    if after is not None:
        rows = rows.filter(pk__lt=after[0])
    found = list(rows[: limit + 1])
    shown = found[:limit]
    return {
        "resultats": [_summary(batch_status(batch)) for batch in shown],
        "suivant": encode_cursor((shown[-1].pk,)) if len(found) > limit else None,
    }


@router.get(
    "/lots/{pk}",
    response={200: LotOut, **ERRORS},
    url_name="edi-batch",
    summary="Un lot et l'état de chacune de ses significations",
)
def batch(request: HttpRequest, pk: int) -> Any:
    """Le lot, son état, et l'état de chaque élément : refusé (avec son motif), ou celui de
    sa signification (en cours, en attente de signature, terminée, en échec)."""
    found = Batch.objects.filter(practice=_practice(caller(request)), pk=pk).first()
    if found is None:
        raise not_found(gettext("Aucun lot de ce numéro pour votre étude."))
    return _lot(batch_status(found))


# --- events ----------------------------------------------------------------------------------


def _since(curseur: str | None) -> int:
    if not curseur:
        return 0
    if not curseur.isdigit():
        raise ApiRefusal(
            422,
            gettext(
                "Curseur invalide : reprenez la valeur « suivant » de la page précédente, "
                "telle quelle."
            ),
            "curseur",
        )
    return int(curseur)


@router.get(
    "/evenements",
    response={200: EvenementsEtudePage, **ERRORS},
    url_name="edi-events",
    summary="Les événements de l'étude",
)
def events(request: HttpRequest, filtres: Query[EvenementsEtudeFiltres]) -> Any:
    """Les événements des significations de l'étude, dans l'ordre : soumise, convertie,
    signee, deposee, alertee, certificat_depot, archivee, ouverte, remise_a_personne ou
    remise_a_domicile, retour_recu… Interrogez avec ``curseur`` = le « dernier » reçu (ou le
    ``curseur`` du dernier événement traité) : aucun n'est sauté ni répété. Les mêmes
    événements sont envoyés aux webhooks."""
    since = _since(filtres.curseur)
    found = practice_events(
        _practice(caller(request)), since=since, limit=page_size(filtres.limite)
    )
    return {
        "resultats": found.events,
        "suivant": str(found.cursor) if found.has_more else None,
        "dernier": str(found.cursor) if found.cursor else None,
    }


# --- webhooks --------------------------------------------------------------------------------


@router.post(
    "/webhooks",
    response={201: WebhookCree, **ERRORS},
    url_name="edi-webhook-register",
    summary="Enregistrer un webhook",
)
@idempotent
def register(request: HttpRequest, payload: WebhookIn) -> Status[dict[str, Any]]:
    """Chaque nouvel événement de l'étude est envoyé (POST, JSON : l'événement tel que
    ``/evenements`` le donne) à cette adresse, dans l'ordre, au moins une fois, réessayé avec
    un délai croissant tant qu'elle ne répond pas 2xx. En-tête ``X-Securact-Signature:
    t=<heure Unix>,v1=<HMAC-SHA256 hexadécimal de "<t>.<corps>" avec le secret>``. Le secret
    n'est montré qu'ici."""
    identity = caller(request)
    try:
        endpoint, secret = register_webhook(
            url=payload.url,
            actor=identity.certificate.fingerprint,
            practice=_practice(identity),
        )
    except WebhookRefused as refused:
        raise ApiRefusal(422, refused.message, "url") from refused
    return Status(201, {**_webhook(endpoint), "secret": secret})


@router.get(
    "/webhooks",
    response={200: WebhooksPage, **ERRORS},
    url_name="edi-webhooks",
    summary="Les webhooks de l'étude",
)
def webhooks(request: HttpRequest) -> Any:
    """Les webhooks de l'étude et l'état de leurs remises (sans leur secret)."""
    rows = WebhookEndpoint.objects.filter(practice=_practice(caller(request))).order_by("pk")
    return {"resultats": [_webhook(row) for row in rows], "suivant": None}


@router.delete(
    "/webhooks/{pk}",
    response={204: None, **ERRORS},
    url_name="edi-webhook",
    summary="Désactiver un webhook",
)
def deactivate(request: HttpRequest, pk: int) -> Status[None]:
    """Plus aucun événement n'est envoyé à cette adresse."""
    done = WebhookEndpoint.objects.filter(practice=_practice(caller(request)), pk=pk).update(
        active=False
    )
    if not done:
        raise not_found(gettext("Aucun webhook de ce numéro pour votre étude."))
    return Status(204, None)
