"""The data message XML (F8.3): built with lxml from plain data, checked against
``schemas/message_donnees.xsd`` before it is sealed, sealed like the deposit certificate
(``evidence.xml_seal.seal_xml``: enveloped XAdES-T by the platform's key on its token).

Element names are French like the deposit certificate's (banks' and courts' vocabulary);
the namespace is ``urn:securact:message-donnees:1``. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from securact.core.legal_calendar import PARIS
from securact.evidence.seal import platform_timestamper
from securact.evidence.xml_seal import seal_xml

NAMESPACE = "urn:securact:message-donnees:1"
SCHEMA_PATH = Path(__file__).with_name("schemas") / "message_donnees.xsd"
SUFFIX = "_DONNEES.xml"
CENTS = Decimal("0.01")


class InvalidDataMessage(ValueError):
    """The data cannot make a valid data message; ``str()`` is the French reason."""


@dataclass(frozen=True)
class ServedAct:
    name: str  # as deposited: {practice}_{reference}_{YYYYMMDD}_{HHMMSS}.pdf
    size: int
    sha256: str  # of the signed PDF/A


@dataclass(frozen=True)
class Person:
    surname: str
    given_names: str
    birth_date: date
    birth_place: str


@dataclass(frozen=True)
class Company:
    name: str
    siren: str


@dataclass(frozen=True)
class Title:
    kind: str  # TitleKind value
    issuer: str
    date: date
    reference: str


@dataclass(frozen=True)
class Amounts:
    principal: Decimal
    interest: Decimal
    costs: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.costs


@dataclass(frozen=True)
class DataMessageData:
    platform: str
    signification_id: int
    deposit_reference: str
    practice_code: str
    practice_name: str
    nature_code: str
    nature_label: str
    recipient_name: str
    recipient_siret: str
    sent_at: datetime  # timezone-aware; written to the second
    acts: tuple[ServedAct, ...]
    debtor: Person | Company
    creditor_name: str
    creditor_siren: str  # "" when not given
    title: Title
    amounts: Amounts


def message_name(first_act_name: str) -> str:
    """``9991_REF_20260127_101500.pdf`` → ``9991_REF_20260127_101500_DONNEES.xml``: beside
    the act it describes, sorted with it, and telling what it is."""
    return first_act_name.removesuffix(".pdf") + SUFFIX


def _element(parent: etree._Element, name: str, text: object = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if text is not None:
        child.text = str(text)
    return child


def _group(parent: etree._Element, name: str, **children: object) -> etree._Element:
    group = _element(parent, name)
    for child, text in children.items():
        _element(group, child, text)
    return group


def _amount(value: Decimal) -> str:
    """Euros with exactly two decimals; more precision than cents is refused, not rounded."""
    if value != value.quantize(CENTS):
        raise InvalidDataMessage(_("Montant au-delà des centimes : %(v)s") % {"v": value})
    return f"{value.quantize(CENTS):f}"


def _instant(moment: datetime) -> dict[str, str]:
    if moment.tzinfo is None:
        raise InvalidDataMessage(_("L'heure d'envoi doit comporter un fuseau horaire."))
    moment = moment.replace(microsecond=0)
    return {
        "UTC": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "EuropeParis": moment.astimezone(PARIS).isoformat(),
    }


def _signification(root: etree._Element, data: DataMessageData) -> None:
    group = _group(
        root,
        "Signification",
        Identifiant=data.signification_id,
        ReferenceDepot=data.deposit_reference,
    )
    _group(group, "Etude", Code=data.practice_code, Nom=data.practice_name)
    _group(group, "NatureActe", Code=data.nature_code, Libelle=data.nature_label)
    _group(group, "Destinataire", Nom=data.recipient_name, SIRET=data.recipient_siret)
    _group(group, "DateEnvoi", **_instant(data.sent_at))
    acts = _element(group, "Actes")
    for act in data.acts:
        _group(acts, "Acte", NomDepose=act.name, Taille=act.size, SHA256=act.sha256)


def _debtor(root: etree._Element, debtor: Person | Company) -> None:
    group = _element(root, "Debiteur")
    if isinstance(debtor, Company):
        _group(group, "PersonneMorale", Denomination=debtor.name, SIREN=debtor.siren)
        return
    _group(
        group,
        "PersonnePhysique",
        Nom=debtor.surname,
        Prenoms=debtor.given_names,
        DateNaissance=debtor.birth_date.isoformat(),
        LieuNaissance=debtor.birth_place,
    )


def _tree(data: DataMessageData) -> etree._Element:
    root = etree.Element(f"{{{NAMESPACE}}}MessageDonnees", nsmap={None: NAMESPACE})
    root.set("version", "1")
    _element(root, "Plateforme", data.platform)
    _signification(root, data)
    _debtor(root, data.debtor)
    creditor = _group(root, "Creancier", Nom=data.creditor_name)
    if data.creditor_siren:
        _element(creditor, "SIREN", data.creditor_siren)
    title = data.title
    _group(
        root,
        "TitreExecutoire",
        Type=title.kind,
        Emetteur=title.issuer,
        Date=title.date.isoformat(),
        Reference=title.reference,
    )
    amounts = data.amounts
    _group(
        root,
        "Montants",
        Principal=_amount(amounts.principal),
        Interets=_amount(amounts.interest),
        Frais=_amount(amounts.costs),
        Total=_amount(amounts.total),
    ).set("devise", "EUR")
    return root


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def validate_data_message(document: etree._Element) -> None:
    """Raise InvalidDataMessage unless ``document`` follows the XSD."""
    schema = _schema()
    if not schema.validate(document):
        error = schema.error_log.last_error
        raise InvalidDataMessage(
            _("Message de données invalide (ligne %(line)s) : %(message)s")
            % {"line": error.line, "message": error.message}
        )


def _check_keys(data: DataMessageData) -> None:
    """Luhn keys are beyond an XSD pattern: the forms checked them, check again here."""
    sirens = [data.creditor_siren] if data.creditor_siren else []
    if isinstance(data.debtor, Company):
        sirens.append(data.debtor.siren)
    if not stdnum_siret.is_valid(data.recipient_siret):
        raise InvalidDataMessage(_("SIRET du destinataire invalide."))
    if not all(stdnum_siren.is_valid(number) for number in sirens):
        raise InvalidDataMessage(_("SIREN invalide dans le message de données."))


def build_data_message(data: DataMessageData) -> bytes:
    """The unsealed data message (UTF-8, indented), valid against the XSD."""
    _check_keys(data)
    root = _tree(data)
    etree.indent(root, space="  ")
    validate_data_message(root)
    document: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return document


def sealed_data_message(data: DataMessageData) -> bytes:
    """The data message sealed by the platform and timestamped by ``SECURACT_TSA_URL``.

    Raises SealTransientError when the TSA is unreachable (retry later)."""
    return seal_xml(build_data_message(data), timestamper=platform_timestamper())
