"""The deposit certificate (*attestation de dépôt*, F4.5): ``attestation_depot.xml``.

:func:`build_deposit_certificate` writes the XML and checks it against
``schemas/attestation_depot.xsd``; :func:`seal_xml` (from :mod:`.xml_seal`) seals it as
XAdES-T; :func:`sealed_deposit_certificate` does both with the platform's seal and TSA.

Element names are French, like the document itself (it is read by French courts); the
namespace is ``urn:securact:attestation-depot:1``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.utils.translation import gettext as _
from lxml import etree
from stdnum.fr import siret as stdnum_siret

from securact.evidence.seal import platform_timestamper
from securact.evidence.xml_seal import VerifiedSeal, seal_xml, verify_sealed_xml

__all__ = [
    "ETSI_EVENT",
    "FILE_NAME",
    "NAMESPACE",
    "ActNatureInfo",
    "CertificateIdentity",
    "DepositCertificateData",
    "DepositedFile",
    "InvalidDepositCertificate",
    "PracticeInfo",
    "RecipientInfo",
    "VerifiedSeal",
    "build_deposit_certificate",
    "seal_xml",
    "sealed_deposit_certificate",
    "validate_deposit_certificate",
    "verify_sealed_xml",
]

NAMESPACE = "urn:securact:attestation-depot:1"
FILE_NAME = "attestation_depot.xml"
ETSI_EVENT = "ContentConsignment"
SCHEMA_PATH = Path(__file__).with_name("schemas") / "attestation_depot.xsd"
PARIS = ZoneInfo("Europe/Paris")
# Names for what RFC 4514 would print as dotted OIDs (the practice code, the function).
_NAME_LABELS = {
    NameOID.ORGANIZATION_IDENTIFIER: "organizationIdentifier",
    NameOID.TITLE: "title",
    NameOID.SERIAL_NUMBER: "serialNumber",
    NameOID.GIVEN_NAME: "givenName",
    NameOID.SURNAME: "surname",
}


class InvalidDepositCertificate(ValueError):
    """The data cannot make a valid deposit certificate; ``str()`` is the French reason."""


@dataclass(frozen=True)
class PracticeInfo:
    code: str
    name: str


@dataclass(frozen=True)
class CertificateIdentity:
    """The bailiff's certificate as the deposit certificate names it."""

    subject: str  # RFC 4514
    serial: str  # uppercase hexadecimal
    issuer: str  # RFC 4514
    sha256: str  # of the DER, lowercase hexadecimal

    @classmethod
    def from_der(cls, der: bytes) -> CertificateIdentity:
        cert = x509.load_der_x509_certificate(der)
        return cls(
            subject=cert.subject.rfc4514_string(_NAME_LABELS),
            serial=format(cert.serial_number, "X"),
            issuer=cert.issuer.rfc4514_string(_NAME_LABELS),
            sha256=hashlib.sha256(der).hexdigest(),
        )


@dataclass(frozen=True)
class RecipientInfo:
    name: str
    siret: str


@dataclass(frozen=True)
class ActNatureInfo:
    code: str
    label: str


@dataclass(frozen=True)
class DepositedFile:
    name: str  # as deposited: {practice}_{reference}_{YYYYMMDD}_{HHMMSS}.pdf
    size: int
    sha256: str
    pdfa_level: str  # "2B", "1B", …


@dataclass(frozen=True)
class DepositCertificateData:
    platform: str
    signification_id: int
    deposit_reference: str
    practice: PracticeInfo
    bailiff_certificate: CertificateIdentity
    recipient: RecipientInfo
    nature: ActNatureInfo
    files: tuple[DepositedFile, ...]
    deposited_at: datetime  # timezone-aware; written to the second
    event: str = ETSI_EVENT


def _element(parent: etree._Element, name: str, text: str | int | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if text is not None:
        child.text = str(text)
    return child


def _group(parent: etree._Element, name: str, **children: str | int) -> None:
    group = _element(parent, name)
    for child, text in children.items():
        _element(group, child, text)


def _times(deposited_at: datetime) -> tuple[str, str]:
    if deposited_at.tzinfo is None:
        raise InvalidDepositCertificate(_("La date de dépôt doit comporter un fuseau horaire."))
    moment = deposited_at.replace(microsecond=0)
    utc = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return utc, moment.astimezone(PARIS).isoformat()


def _tree(data: DepositCertificateData) -> etree._Element:
    root = etree.Element(f"{{{NAMESPACE}}}AttestationDepot", nsmap={None: NAMESPACE})
    root.set("version", "1")
    _element(root, "Plateforme", data.platform)
    _element(root, "Evenement", data.event).set("referentiel", "ETSI EN 319 522")
    _group(
        root,
        "Signification",
        Identifiant=data.signification_id,
        ReferenceDepot=data.deposit_reference,
    )
    _group(root, "Etude", Code=data.practice.code, Nom=data.practice.name)
    cert = data.bailiff_certificate
    _group(
        root,
        "CertificatHuissier",
        Sujet=cert.subject,
        NumeroSerie=cert.serial,
        Emetteur=cert.issuer,
        EmpreinteSHA256=cert.sha256,
    )
    _group(root, "Destinataire", Nom=data.recipient.name, SIRET=data.recipient.siret)
    _group(root, "NatureActe", Code=data.nature.code, Libelle=data.nature.label)
    files = _element(root, "Fichiers")
    for file in data.files:
        _group(
            files,
            "Fichier",
            NomDepose=file.name,
            Taille=file.size,
            SHA256=file.sha256,
            NiveauPDFA=file.pdfa_level,
        )
    utc, paris = _times(data.deposited_at)
    _group(root, "DateDepot", UTC=utc, EuropeParis=paris)
    return root


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def validate_deposit_certificate(document: etree._Element) -> None:
    """Raise InvalidDepositCertificate unless ``document`` follows the XSD."""
    schema = _schema()
    if not schema.validate(document):
        error = schema.error_log.last_error
        raise InvalidDepositCertificate(
            _("Attestation de dépôt invalide (ligne %(line)s) : %(message)s")
            % {"line": error.line, "message": error.message}
        )


def build_deposit_certificate(data: DepositCertificateData) -> bytes:
    """The unsealed ``attestation_depot.xml`` (UTF-8, indented), valid against the XSD."""
    # Luhn keys are beyond an XSD pattern; the directory checked them, check again here.
    if not stdnum_siret.is_valid(data.recipient.siret):
        raise InvalidDepositCertificate(
            _("SIRET du destinataire invalide : %(siret)s") % {"siret": data.recipient.siret}
        )
    root = _tree(data)
    etree.indent(root, space="  ")
    validate_deposit_certificate(root)
    document: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return document


def sealed_deposit_certificate(data: DepositCertificateData) -> bytes:
    """The certificate sealed by the platform and timestamped by ``SECURACT_TSA_URL``.

    Raises SealTransientError when the TSA is unreachable (retry later)."""
    return seal_xml(build_deposit_certificate(data), timestamper=platform_timestamper())
