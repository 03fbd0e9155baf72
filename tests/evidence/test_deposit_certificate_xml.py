"""attestation_depot.xml holds what F4.5 requires and follows its XSD; bad data is refused."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from lxml import etree

from securact.evidence.deposit_certificate import (
    SCHEMA_PATH,
    DepositCertificateData,
    DepositedFile,
    InvalidDepositCertificate,
    RecipientInfo,
    build_deposit_certificate,
    validate_deposit_certificate,
)

NS = {"a": "urn:securact:attestation-depot:1"}


def test_certificate_is_valid_against_the_xsd_in_the_repository(
    deposit_data: DepositCertificateData,
) -> None:
    document = etree.fromstring(build_deposit_certificate(deposit_data))

    schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))  # lxml, independently
    assert schema.validate(document), schema.error_log


def test_certificate_carries_every_required_fact(deposit_data: DepositCertificateData) -> None:
    document = etree.fromstring(build_deposit_certificate(deposit_data))

    def text(path: str) -> str | None:
        return document.findtext(path, namespaces=NS)

    assert text("a:Plateforme") == "SECURACT"
    assert text("a:Evenement") == "ContentConsignment"
    assert text("a:Signification/a:Identifiant") == "42"
    assert text("a:Signification/a:ReferenceDepot") == "REF-2025-0042"
    assert text("a:Etude/a:Code") == "9991"
    assert text("a:CertificatHuissier/a:EmpreinteSHA256") == (
        deposit_data.bailiff_certificate.sha256
    )
    assert "CN=Claire DURAND" in (text("a:CertificatHuissier/a:Sujet") or "")
    assert "Signature Qualifiée" in (text("a:CertificatHuissier/a:Emetteur") or "")
    assert text("a:Destinataire/a:SIRET") == "99999001300016"
    assert text("a:NatureActe/a:Code") == "saisie-attribution"
    files = document.findall("a:Fichiers/a:Fichier", NS)
    assert [f.findtext("a:NomDepose", namespaces=NS) for f in files] == [
        "9991_REF-2025-0042_20250314_102653.pdf",
        "9991_REF-2025-0042_20250314_102653_2.pdf",
    ]
    assert files[0].findtext("a:Taille", namespaces=NS) == "48213"
    assert files[0].findtext("a:SHA256", namespaces=NS) == "1f" * 32
    assert files[0].findtext("a:NiveauPDFA", namespaces=NS) == "2B"
    assert text("a:DateDepot/a:UTC") == "2025-03-14T09:26:53Z"
    assert text("a:DateDepot/a:EuropeParis") == "2025-03-14T10:26:53+01:00"


def test_summer_deposit_time_is_utc_plus_two_in_paris(deposit_data: DepositCertificateData) -> None:
    summer = dataclasses.replace(deposit_data, deposited_at=datetime(2025, 7, 1, 6, 0, tzinfo=UTC))

    document = etree.fromstring(build_deposit_certificate(summer))

    assert document.findtext("a:DateDepot/a:EuropeParis", namespaces=NS) == (
        "2025-07-01T08:00:00+02:00"
    )


def _replace(data: DepositCertificateData, **changes: object) -> DepositCertificateData:
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


BAD: dict[str, dict[str, object]] = {
    "SIRET too short": {"recipient": RecipientInfo("BANQUE TEST", "9999900130001")},
    "SIRET wrong key": {"recipient": RecipientInfo("BANQUE TEST", "99999001300017")},
    "empty recipient": {"recipient": RecipientInfo("", "99999001300016")},
    "no file": {"files": ()},
    "uppercase hash": {"files": (DepositedFile("a.pdf", 1, "1F" * 32, "2B"),)},
    "short hash": {"files": (DepositedFile("a.pdf", 1, "1f" * 31, "2B"),)},
    "negative size": {"files": (DepositedFile("a.pdf", -1, "1f" * 32, "2B"),)},
    "unknown PDF/A level": {"files": (DepositedFile("a.pdf", 1, "1f" * 32, "2X"),)},
    "naive time": {"deposited_at": datetime(2025, 3, 14, 9, 26, 53)},
    "other event": {"event": "ContentHandover"},
    "zero id": {"signification_id": 0},
}


@pytest.mark.parametrize("case", BAD)
def test_invalid_data_is_refused_in_french(deposit_data: DepositCertificateData, case: str) -> None:
    with pytest.raises(InvalidDepositCertificate) as refused:
        build_deposit_certificate(_replace(deposit_data, **BAD[case]))

    assert any(word in str(refused.value) for word in ("invalide", "fuseau"))


def test_the_xsd_itself_refuses_a_13_digit_siret(deposit_data: DepositCertificateData) -> None:
    document = etree.fromstring(build_deposit_certificate(deposit_data))
    siret = document.find("a:Destinataire/a:SIRET", NS)
    assert siret is not None
    siret.text = "9999900130001"

    with pytest.raises(InvalidDepositCertificate, match="SIRET"):
        validate_deposit_certificate(document)
