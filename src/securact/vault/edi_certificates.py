"""A practice's EDI software certificates (F9.1, issue 13): the certificate with which the
practice's own software calls the API, bound to the practice by one of its bailiffs.

Why a binding and not a vault: the software is nobody's person, owns no vault and signs
nothing (each act is signed by the bailiff the submission names, with his own key). It is
only *who calls*: ``identify`` (``services``) answers ``Standing.EDI`` for an active binding,
and the API lets it act for the practice's bailiffs. A bailiff registers it, and may withdraw
it; both are journal entries (``edi.certificate_registered`` / ``edi.certificate_withdrawn``)
whose actor is the bailiff's authentication certificate, so that a court can see who let
which software act for the practice, from when to when.

The certificate must validate as any client certificate (chain to the trusted roots, dates,
revocation: ``pki.services.validate_client_certificate``) and carry the practice's code
(organizationIdentifier ``CJFR-<code>``, docs/certificates.md); a certificate already bound
to a vault or an operator is refused (one certificate, one role).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from securact.core.errors import Refusal
from securact.directory.models import Bailiff
from securact.evidence import journal
from securact.pki.certificates import MalformedCertificate, parse_certificate, pem_to_der
from securact.pki.models import OperatorCertificate
from securact.pki.services import refusal_text, validate_client_certificate
from securact.vault.models import EdiCertificate, Vault

REGISTERED = "edi.certificate_registered"
WITHDRAWN = "edi.certificate_withdrawn"
MAX_CERTIFICATE_BYTES = 64 * 1024


class EdiCertificateRefused(Refusal):
    """The certificate cannot be registered (or withdrawn); ``message`` says why, in French."""


@dataclass(frozen=True)
class Registration:
    certificate: EdiCertificate
    created: bool  # False: this certificate was already registered for this practice


def _der(data: bytes) -> bytes:
    if not data.strip():
        raise EdiCertificateRefused(gettext("Choisissez le fichier du certificat du logiciel."))
    if len(data) > MAX_CERTIFICATE_BYTES:
        raise EdiCertificateRefused(
            gettext("Ce fichier est trop volumineux pour être un certificat (64 Ko au plus).")
        )
    try:
        der = pem_to_der(data)
        parse_certificate(der)  # garbage is said to be garbage, not "refused by the PKI"
    except MalformedCertificate as error:
        raise EdiCertificateRefused(
            gettext("Ce fichier n'est pas un certificat X.509 (PEM ou DER).")
        ) from error
    return der


def register(data: bytes, *, by: Bailiff, actor: str) -> Registration:
    """Bind the certificate in ``data`` (PEM or DER) to ``by``'s practice; idempotent for a
    certificate already bound to that practice. ``actor``: the bailiff's certificate
    fingerprint, the journal entry's actor."""
    verdict = validate_client_certificate(_der(data))
    if not verdict.accepted or verdict.info is None:
        problem, _advice = refusal_text(verdict.refusal or "malformed")
        raise EdiCertificateRefused(problem)
    info = verdict.info
    practice = by.practice
    if info.practice_code != practice.code:
        raise EdiCertificateRefused(
            gettext(
                "Ce certificat n'est pas délivré à votre étude (code %(code)s) : il ne peut "
                "pas agir pour elle."
            )
            % {"code": practice.code}
        )
    existing = EdiCertificate.objects.filter(fingerprint=info.fingerprint).first()
    if existing is not None:
        if existing.practice_id != practice.pk or not existing.active:
            raise EdiCertificateRefused(
                gettext("Ce certificat a déjà été enregistré puis retiré ; il ne peut plus servir.")
            )
        return Registration(existing, created=False)
    if (
        Vault.objects.filter(certificate_fingerprint=info.fingerprint).exists()
        or OperatorCertificate.objects.filter(fingerprint=info.fingerprint).exists()
    ):
        raise EdiCertificateRefused(
            gettext(
                "Ce certificat est celui d'une personne (coffre-fort ou exploitant) : le "
                "logiciel de l'étude doit avoir son propre certificat."
            )
        )
    try:
        with transaction.atomic():
            certificate = EdiCertificate.objects.create(
                practice=practice,
                fingerprint=info.fingerprint,
                der=info.der,
                holder=info.holder,
                serial=info.serial_hex,
                issuer=info.issuer,
                not_after=info.not_after,
                registered_at=timezone.now(),
                registered_by=by,
            )
            journal.append(
                REGISTERED,
                actor=actor,
                data={
                    "practice": practice.code,
                    "fingerprint": info.fingerprint,
                    "holder": info.holder,
                    "serial": info.serial_hex,
                    "issuer": info.issuer,
                    "not_after": info.not_after.isoformat(),
                    "registered_by": by.full_name,
                },
            )
    except IntegrityError:  # the same certificate registered at the same moment
        return Registration(EdiCertificate.objects.get(fingerprint=info.fingerprint), False)
    return Registration(certificate, created=True)


def withdraw(certificate_id: int, *, by: Bailiff, actor: str) -> EdiCertificate:
    """Withdraw one of ``by``'s practice's certificates (idempotent: a withdrawn one stays
    as it was)."""
    with transaction.atomic():
        certificate = (
            EdiCertificate.objects.select_for_update()
            .filter(pk=certificate_id, practice_id=by.practice_id)
            .first()
        )
        if certificate is None:
            raise EdiCertificateRefused(gettext("Ce certificat EDI n'existe pas pour votre étude."))
        if not certificate.active:
            return certificate
        certificate.withdrawn_at = timezone.now()
        certificate.withdrawn_by = by
        certificate.save(update_fields=["withdrawn_at", "withdrawn_by"])
        journal.append(
            WITHDRAWN,
            actor=actor,
            data={
                "practice": by.practice.code,
                "fingerprint": certificate.fingerprint,
                "holder": certificate.holder,
                "withdrawn_by": by.full_name,
            },
        )
    return certificate


def practice_certificates(bailiff: Bailiff) -> list[EdiCertificate]:
    """The practice's EDI certificates, the active ones first, newest first."""
    rows = EdiCertificate.objects.filter(practice_id=bailiff.practice_id).select_related(
        "registered_by", "withdrawn_by"
    )
    return sorted(rows, key=lambda c: (not c.active, -c.registered_at.timestamp()))


def registered_certificate(fingerprint: str) -> EdiCertificate | None:
    """The binding of this certificate, active or withdrawn, or None."""
    return EdiCertificate.objects.select_related("practice").filter(fingerprint=fingerprint).first()
