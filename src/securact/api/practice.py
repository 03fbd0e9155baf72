"""The practice side of the API for one signification (issue 13, items 2–3;
docs/edi-api.md): its state and documents, and client-side signing.

Who calls: a bailiff with his own certificate, or the practice's EDI software (a certificate
registered on the *EDI* page, ``vault.edi_certificates``), which acts for the practice's
bailiffs. Either sees the practice's significations (as the bailiff's search and detail
do); another practice's, or a missing one, is the same 404.

* ``GET /significations/{id}``: state, steps, acts (with their SHA-256) and the documents
  made so far, each with its download address;
* ``GET /significations/{id}/documents/{file_id}``: one of them, fixity-checked (from the
  signing bailiff's vault: a bailiff downloads only from his own, the practice's software
  from the author's, for whom it acts);
* ``GET /significations/{id}/a-signer`` and ``POST /significations/{id}/signatures``:
  client-side signing (``significations.client_signing``; the PIN never reaches us).
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any, cast

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from ninja import Router, Schema, Status
from pydantic import Field

from securact.api.auth import CertificateAuth, caller
from securact.api.errors import ApiRefusal, error_responses, not_found, register_refusal
from securact.api.idempotency import idempotent
from securact.directory.models import Practice
from securact.significations import client_signing, downloads
from securact.significations.models import Signification
from securact.ui.detail import practice_signification
from securact.vault.models import StoredFile, Vault
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

register_refusal(client_signing.UnknownSignification, 404)
register_refusal(client_signing.WrongSigningMode, 409)
register_refusal(client_signing.RoundNotReady, 409)
register_refusal(client_signing.SignatureNotVerified, 422)
register_refusal(client_signing.ClientSigningRefused, 422)

ERRORS = error_responses(403, 404, 422, 429)
DOCUMENT_KINDS = {
    StoredFile.Kind.DEPOSIT_CERTIFICATE: "certificat_depot",
    StoredFile.Kind.ARCHIVE: "archive",
    StoredFile.Kind.DELIVERY_CERTIFICATE: "certificat_remise",
    StoredFile.Kind.ACT_RETURN: "retour",
}


class Etape(Schema):
    nom: str = Field(description="convert, sign, deposit, alert, certificate, archive, …")
    etat: str = Field(description="pending, running, waiting, done, failed")
    erreur: str = Field(description="La raison d'un échec, en français ; vide sinon.")


class ActeEtude(Schema):
    id: int
    position: int
    nom: str = Field(description="Le nom du fichier envoyé par l'étude.")
    nom_depose: str = Field(description="Le nom du PDF signé déposé ; vide avant le dépôt.")
    sha256: str = Field(description="SHA-256 du PDF signé ; vide avant la signature.")


class Document(Schema):
    type: str = Field(description="certificat_depot, archive, certificat_remise ou retour")
    nom: str
    sha256: str
    url: str


class SignificationOut(Schema):
    id: int
    reference: str
    canal: str = Field(description="web, edi ou cli")
    mode_signature: str = Field(description="remote (jeton de la plateforme) ou client")
    etat: str = Field(description="in_progress, done ou failed")
    destinataire_siret: str
    nature: str
    commissaire: str
    cree_le: datetime
    envoye_le: datetime | None
    etapes: list[Etape]
    actes: list[ActeEtude]
    documents: list[Document]
    liens: dict[str, str | None] = Field(
        description="L'adresse de chaque document par type (null : pas encore fait)."
    )


class ASigner(Schema):
    acte: int = Field(description="L'identifiant de l'acte.")
    position: int
    nom: str
    type: str = Field(description="pades (1er tour) puis cades (2e tour)")
    attributs_signes: str = Field(
        description="Base64 du DER des attributs signés CMS (SignedAttributes) à signer."
    )
    empreinte_sha256: str = Field(description="SHA-256 de ces attributs, en hexadécimal.")
    algorithme: str = Field(description="sha256WithRSAEncryption (RSA PKCS#1 v1.5, SHA-256)")


class ASignerPage(Schema):
    resultats: list[ASigner] = Field(
        description="Ce qui est à signer maintenant ; vide pendant que la plateforme prépare "
        "un tour, ou quand tout est signé."
    )


class Valeur(Schema):
    acte: int
    type: str = Field(description="pades ou cades")
    valeur: str = Field(description="La valeur de signature RSA, en base64.")


class SignaturesIn(Schema):
    signatures: list[Valeur] = Field(min_length=1, max_length=2000)


class SignaturesOut(Schema):
    enregistrees: int = Field(description="Valeurs vérifiées et enregistrées par cet appel.")
    deja_recues: int = Field(description="Valeurs déjà enregistrées auparavant (sans effet).")
    restantes: int = Field(description="Signatures de ce tour encore attendues.")


def _practice(identity: Identity) -> Practice:
    practice = identity.practice
    if practice is None:  # pragma: no cover - both standings have a practice
        raise not_found()
    return practice


def _signification(request: HttpRequest, pk: int) -> Signification:
    try:
        return practice_signification(_practice(caller(request)), pk)
    except Signification.DoesNotExist as error:
        raise not_found(gettext("Aucune signification de ce numéro pour votre étude.")) from error


def _vault_of(identity: Identity, signification: Signification) -> Vault | None:
    """The vault the caller downloads from: a bailiff's own; the software's author's."""
    if identity.standing is Standing.BAILIFF:
        return identity.vault
    return Vault.objects.filter(bailiff_id=signification.bailiff_id).first()


def _document_url(request: HttpRequest, pk: int, file_id: int) -> str:
    path = reverse("api-v1:practice-document", kwargs={"pk": pk, "file_id": file_id})
    return request.build_absolute_uri(path)


def _documents(request: HttpRequest, signification: Signification) -> list[dict[str, Any]]:
    vault = _vault_of(caller(request), signification)
    if vault is None:
        return []
    stored = StoredFile.objects.filter(
        vault=vault, signification_id=signification.pk, kind__in=list(DOCUMENT_KINDS)
    ).order_by("pk")
    return [
        {
            "type": DOCUMENT_KINDS[StoredFile.Kind(row.kind)],
            "nom": row.name,
            "sha256": row.sha256,
            "url": request.build_absolute_uri(
                reverse(
                    "api-v1:practice-document", kwargs={"pk": signification.pk, "file_id": row.pk}
                )
            ),
        }
        for row in stored
    ]


@router.get(
    "/significations/{pk}",
    response={200: SignificationOut, **ERRORS},
    url_name="practice-signification",
    summary="Lire une signification",
)
def signification(request: HttpRequest, pk: int) -> dict[str, Any]:
    """L'état d'une signification de votre étude, ses étapes, ses actes et les documents
    déjà faits (certificat de dépôt, archive ZIP, certificat de remise, retour d'acte)."""
    found = _signification(request, pk)
    documents = _documents(request, found)
    links: dict[str, str | None] = dict.fromkeys(DOCUMENT_KINDS.values())
    for document in documents:
        links[document["type"]] = document["url"]
    return {
        "id": found.pk,
        "reference": found.reference,
        "canal": found.source,
        "mode_signature": found.signing_mode,
        "etat": found.state,
        "destinataire_siret": found.recipient.siret,
        "nature": found.nature.code,
        "commissaire": found.bailiff.full_name,
        "cree_le": found.created_at,
        "envoye_le": found.sent_at,
        "etapes": [
            {"nom": step.name, "etat": step.state, "erreur": step.error}
            for step in found.steps.order_by("position")
        ],
        "actes": [
            {
                "id": act.pk,
                "position": act.position,
                "nom": act.original_name,
                "nom_depose": act.deposited_name or "",
                "sha256": act.signed_sha256 or "",
            }
            for act in found.acts.order_by("position")
        ],
        "documents": documents,
        "liens": links,
    }


@router.get(
    "/significations/{pk}/documents/{file_id}",
    response={200: None, 409: Any, **ERRORS},
    url_name="practice-document",
    summary="Télécharger un document de la signification",
)
def document(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """Le fichier, tel que conservé au coffre-fort, après contrôle de son empreinte (409 si
    elle ne correspond plus)."""
    found = _signification(request, pk)
    vault = _vault_of(caller(request), found)
    stored = StoredFile.objects.filter(
        pk=file_id, vault=vault, signification_id=found.pk, kind__in=list(DOCUMENT_KINDS)
    ).first()
    if vault is None or stored is None:
        raise not_found(gettext("Aucun document de ce numéro pour cette signification."))
    handle = downloads.open_verified(stored)  # FileDamaged: 409 (api.recipient registers it)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=stored.name,
        content_type=downloads.content_type(stored.name),
    )
    return cast(HttpResponse, response)


@router.get(
    "/significations/{pk}/a-signer",
    response={200: ASignerPage, 409: Any, **ERRORS},
    url_name="to-sign",
    summary="Ce qui est à signer (signature côté étude)",
)
def to_sign(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Pour une signification déposée avec ``"signature": "client"`` : les attributs signés
    de chaque acte du tour en cours (PAdES, puis CAdES), à signer sur le jeton de l'étude.
    Voir docs/client-side-signing.md."""
    found = _signification(request, pk)
    items = client_signing.signatures_to_provide(found.pk)
    return {
        "resultats": [
            {
                "acte": item.act_id,
                "position": item.position,
                "nom": item.name,
                "type": item.kind,
                "attributs_signes": base64.b64encode(item.signed_attributes).decode("ascii"),
                "empreinte_sha256": item.digest_hex,
                "algorithme": item.algorithm,
            }
            for item in items
        ]
    }


@router.post(
    "/significations/{pk}/signatures",
    response={200: SignaturesOut, 409: Any, **ERRORS},
    url_name="signatures",
    summary="Remettre les valeurs de signature (signature côté étude)",
)
@idempotent
def signatures(request: HttpRequest, pk: int, payload: SignaturesIn) -> Status[dict[str, Any]]:
    """Chaque valeur est vérifiée avec le certificat de signature du commissaire avant que
    rien ne soit enregistré : si l'une ne se vérifie pas, aucune de l'appel n'est retenue
    (422, les actes en cause nommés) et les actes restent en attente."""
    found = _signification(request, pk)
    values: dict[tuple[int, str], bytes] = {}
    for position, given in enumerate(payload.signatures):
        try:
            values[(given.acte, given.type)] = base64.b64decode(given.valeur, validate=True)
        except (binascii.Error, ValueError) as error:
            raise ApiRefusal(
                422,
                gettext("Valeur de signature illisible : du base64 est attendu."),
                field=f"signatures.{position}.valeur",
            ) from error
    provided = client_signing.provide_client_signatures(found.pk, values)
    return Status(
        200,
        {
            "enregistrees": len(provided.stored),
            "deja_recues": len(provided.already),
            "restantes": provided.remaining,
        },
    )
