"""The *EDI* page (F9.1, issue 13): a bailiff registers the practice's software certificate,
which then identifies as the practice's EDI software (the API only, never the pages); its
registration and withdrawal are journal entries naming the bailiff; bad files and
certificates that are not the practice's software are refused in French, leaving nothing.

In-process (Django test client), certificates forwarded by a trusted proxy, validated
against the demo PKI's real CRLs and OCSP (``pki_server``)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from securact.evidence.models import JournalEntry
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.vault.edi_certificates import REGISTERED, WITHDRAWN
from securact.vault.models import EdiCertificate
from securact.vault.services import Standing, declare_vault, identify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def behind_proxy(settings, pki_server, demo_directory) -> None:
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]


def _as(identity) -> dict[str, Any]:
    return {
        "HTTP_X_SSL_CLIENT_CERT": identity.escaped_pem,
        "HTTP_X_SSL_CLIENT_VERIFY": "SUCCESS",
        "secure": True,
    }


def _info(identity):
    return parse_certificate(pem_to_der(Path(identity.cert).read_bytes()))


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def durand(identities):
    declare_vault(_info(identities["bailiff-durand"]))
    return identities["bailiff-durand"]


def _upload(client: Client, bailiff, content: bytes, name: str = "logiciel.pem"):
    return client.post("/edi/", {"certificate": SimpleUploadedFile(name, content)}, **_as(bailiff))


def test_a_bailiff_registers_then_withdraws_the_practices_software(client, identities, durand):
    software = identities["edi-durand-martin"]
    fingerprint = _info(software).fingerprint
    assert identify(_info(software)).standing is Standing.TO_DECLARE  # not yet bound

    registered = _upload(client, durand, Path(software.cert).read_bytes())
    assert registered.status_code == 303
    page = _page(client.get("/edi/", **_as(durand)))
    assert "Logiciel EDI SCP Durand & Martin" in page
    assert fingerprint in page
    assert "par Claire DURAND" in page

    identity = identify(_info(software))
    assert identity.standing is Standing.EDI
    assert identity.practice is not None and identity.practice.code == "9991"
    entry = JournalEntry.objects.get(action=REGISTERED)
    assert entry.actor == _info(durand).fingerprint
    assert entry.data["fingerprint"] == fingerprint
    assert entry.data["registered_by"] == "Claire DURAND"

    # The same file again: nothing new, no second entry.
    assert _upload(client, durand, Path(software.cert).read_bytes()).status_code == 303
    assert EdiCertificate.objects.count() == 1
    assert JournalEntry.objects.filter(action=REGISTERED).count() == 1

    certificate = EdiCertificate.objects.get()
    withdrawn = client.post("/edi/", {"withdraw": str(certificate.pk)}, **_as(durand))
    assert withdrawn.status_code == 303
    assert "Retiré le" in _page(client.get("/edi/", **_as(durand)))
    assert JournalEntry.objects.get(action=WITHDRAWN).data["fingerprint"] == fingerprint
    after = identify(_info(software))
    assert after.standing is Standing.UNKNOWN and after.reason == "edi_withdrawn"
    # Withdrawn for good: registering it again is refused.
    again = _upload(client, durand, Path(software.cert).read_bytes())
    assert again.status_code == 400
    assert "déjà été enregistré puis retiré" in _page(again)


def test_the_software_certificate_opens_no_page(client, identities, durand):
    software = identities["edi-durand-martin"]
    assert _upload(client, durand, Path(software.cert).read_bytes()).status_code == 303
    response = client.get("/", **_as(software))
    assert response.status_code == 403
    assert "logiciel EDI de votre étude" in _page(response)


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("recipient-banque-test", "n'est pas délivré à votre étude"),
        ("revoked", "révoqué"),
        ("bailiff-martin", None),  # a person's certificate once he has a vault
    ],
)
def test_certificates_that_cannot_act_for_the_practice_are_refused(
    client, identities, durand, label, message
):
    other = identities[label]
    if label == "bailiff-martin":
        declare_vault(_info(other))
        message = "celui d'une personne"
    response = _upload(client, durand, Path(other.cert).read_bytes())
    assert response.status_code == 400
    assert message in _page(response).lower() or message in _page(response)
    assert not EdiCertificate.objects.exists()
    assert not JournalEntry.objects.filter(action=REGISTERED).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 not a certificate", "n'est pas un certificat X.509"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "certificat"),
        (b"\x00" * (70 * 1024), "trop volumineux"),
    ],
)
def test_files_that_are_not_certificates_are_refused(client, durand, content, message):
    response = _upload(client, durand, content)
    assert response.status_code == 400
    assert message in _page(response)
    assert not EdiCertificate.objects.exists()


def test_another_practices_certificate_cannot_be_withdrawn(client, identities, durand):
    response = client.post("/edi/", {"withdraw": "999999"}, **_as(durand))
    assert response.status_code == 400
    assert "n'existe pas pour votre étude" in _page(response)


def test_recipients_cannot_open_the_edi_page(client, identities):
    recipient = identities["recipient-banque-test"]
    declare_vault(_info(recipient))
    response = client.get("/edi/", **_as(recipient))
    assert response.status_code == 403
    assert "réservée aux commissaires de justice" in _page(response)
