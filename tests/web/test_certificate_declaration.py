"""F1.2 first connection: an undeclared certificate is shown, then confirmed, which creates
the holder's vault locked to that certificate's SHA-256 fingerprint (F1.3: another
certificate of the same holder is sent to the renewal page instead).

In-process (Django test client), certificate forwarded by a trusted proxy.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from securact.directory.models import Bailiff, Practice, Recipient
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.vault.models import Vault
from securact.vault.services import declare_vault, recipient_vault

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def behind_proxy(settings) -> None:
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]


def _as(identity) -> dict[str, Any]:
    return {"HTTP_X_SSL_CLIENT_CERT": identity.escaped_pem, "HTTP_X_SSL_CLIENT_VERIFY": "SUCCESS"}


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _fingerprint(identity) -> str:
    return hashlib.sha256(pem_to_der(Path(identity.cert).read_bytes())).hexdigest()


def _facts(page: str) -> dict[str, str]:
    """The declaration's <dl class="facts"> as {label: value}."""
    block = re.search(r'<dl class="facts">(.*?)</dl>', page, re.S)
    assert block is not None
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block.group(1), re.S)
    return {label: re.sub(r"<[^>]+>", "", value).strip() for label, value in pairs}


def _declare(client: Client, identity) -> None:
    assert client.get("/declaration/", secure=True, **_as(identity)).status_code == 200
    confirmed = client.post("/declaration/", secure=True, **_as(identity))
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/"


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pki_server")]


def test_an_undeclared_bailiff_is_sent_to_the_declaration(client, identities, demo_directory):
    response = client.get("/", secure=True, **_as(identities["bailiff-durand"]))
    assert response.status_code == 302
    assert response["Location"] == "/declaration/"


def test_the_declaration_shows_what_the_certificate_says(client, identities, demo_directory):
    durand = identities["bailiff-durand"]
    response = client.get("/declaration/", secure=True, **_as(durand))
    assert response.status_code == 200
    page = _page(response)
    assert "<h1>Déclaration de votre certificat</h1>" in page
    facts = _facts(page)
    info = parse_certificate(pem_to_der(Path(durand.cert).read_bytes()))
    assert facts["Numéro de série"] == str(info.serial_number) == "4098"  # 0x1002
    assert facts["Détenteur du certificat"] == "Claire DURAND"
    assert facts["Fonction du détenteur"] == "Commissaire de justice"
    assert facts["Émetteur du certificat"] == "AC Securact Démo Classe 3+"
    start, end = (moment.astimezone(PARIS) for moment in (info.not_before, info.not_after))
    assert facts["Date de validité"] == f"Valide du {start:%d/%m/%Y} au {end:%d/%m/%Y}"
    assert re.fullmatch(r"Valide du \d\d/\d\d/\d{4} au \d\d/\d\d/\d{4}", facts["Date de validité"])
    assert facts["Empreinte SHA-256"] == _fingerprint(durand)
    assert "Confirmer la déclaration" in page
    assert Vault.objects.count() == 0  # reading the certificate creates nothing


def test_confirming_creates_one_vault_bound_to_the_fingerprint(client, identities, demo_directory):
    durand = identities["bailiff-durand"]
    _declare(client, durand)
    vault = Vault.objects.get()
    assert vault.certificate_fingerprint == _fingerprint(durand)
    assert vault.owner_kind == Vault.OwnerKind.BAILIFF
    assert vault.recipient is None
    assert vault.bailiff is not None
    assert vault.bailiff.full_name == "Claire DURAND"
    assert vault.bailiff.practice.code == "9991"
    assert vault.certificate_der is not None
    assert bytes(vault.certificate_der) == pem_to_der(Path(durand.cert).read_bytes())
    home = client.get("/", secure=True, **_as(durand))
    assert home.status_code == 200
    assert "Bienvenue, Maître Claire DURAND." in _page(home)
    assert "Étude 9991 — SCP Durand & Martin" in _page(home)


def test_a_second_confirmation_creates_nothing_more(client, identities, demo_directory):
    durand = identities["bailiff-durand"]
    _declare(client, durand)
    again = client.post("/declaration/", secure=True, **_as(durand))
    assert again.status_code == 302
    assert again["Location"] == "/"
    assert Vault.objects.count() == 1
    assert Bailiff.objects.filter(full_name="Claire DURAND").count() == 1


def test_declaring_twice_through_the_service_returns_the_same_vault(identities, demo_directory):
    info = parse_certificate(pem_to_der(Path(identities["bailiff-durand"].cert).read_bytes()))
    first = declare_vault(info)
    second = declare_vault(info)
    assert first.pk == second.pk
    assert Vault.objects.count() == 1


def test_another_bailiffs_certificate_does_not_open_that_vault(identities, demo_directory):
    _declare(Client(), identities["bailiff-durand"])
    durand_vault = Vault.objects.get()
    martin = identities["bailiff-martin"]
    other = Client()
    first = other.get("/", secure=True, **_as(martin))
    assert first.status_code == 302
    assert first["Location"] == "/declaration/"
    page = _page(other.get("/declaration/", secure=True, **_as(martin)))
    assert _facts(page)["Détenteur du certificat"] == "Paul MARTIN"
    assert "Claire DURAND" not in page
    _declare(other, martin)
    assert Vault.objects.count() == 2
    martin_vault = Vault.objects.get(certificate_fingerprint=_fingerprint(martin))
    assert martin_vault.pk != durand_vault.pk
    assert martin_vault.bailiff is not None
    assert martin_vault.bailiff.full_name == "Paul MARTIN"
    durand_vault.refresh_from_db()
    assert durand_vault.certificate_fingerprint == _fingerprint(identities["bailiff-durand"])


def test_a_recipient_certificate_declares_the_recipient_vault(client, identities, demo_directory):
    bank = identities["recipient-banque-test"]
    assert client.get("/", secure=True, **_as(bank))["Location"] == "/declaration/"
    page = _page(client.get("/declaration/", secure=True, **_as(bank)))
    assert "Votre organisme ne possède pas à ce jour de coffre-fort SECURACT." in page
    assert _facts(page)["Détenteur du certificat"] == "BANQUE TEST"
    _declare(client, bank)
    vault = Vault.objects.get()
    assert vault.owner_kind == Vault.OwnerKind.RECIPIENT
    assert vault.bailiff is None
    assert vault.recipient == Recipient.objects.get(siret="99999001300016")
    assert vault.certificate_fingerprint == _fingerprint(bank)
    home = client.get("/", secure=True, **_as(bank))
    assert home.status_code == 302
    assert home["Location"] == "/destinataire/"  # the recipient's portal
    assert "Bienvenue, BANQUE TEST." in _page(
        client.get(home["Location"], secure=True, **_as(bank))
    )


def test_a_recipient_vault_filled_before_the_first_connection_is_the_one_declared(
    client, identities, demo_directory
):
    bank = identities["recipient-banque-test"]
    unbound = recipient_vault(Recipient.objects.get(siret="99999001300016"))
    assert unbound.certificate_fingerprint is None
    assert client.get("/", secure=True, **_as(bank))["Location"] == "/declaration/"
    _declare(client, bank)
    assert Vault.objects.count() == 1
    unbound.refresh_from_db()
    assert unbound.certificate_fingerprint == _fingerprint(bank)
    assert client.get("/destinataire/", secure=True, **_as(bank)).status_code == 200


def test_a_bailiff_of_a_practice_not_in_the_directory_is_refused(client, identities):
    assert not Practice.objects.filter(code="9991").exists()
    for path in ("/", "/declaration/"):
        response = client.get(path, secure=True, **_as(identities["bailiff-durand"]))
        assert response.status_code == 403
        page = _page(response)
        assert "Votre étude n'est pas inscrite au service SECURACT." in page
        assert "faire inscrire votre étude" in page
    posted = client.post("/declaration/", secure=True, **_as(identities["bailiff-durand"]))
    assert posted.status_code == 403
    assert Vault.objects.count() == 0
    assert Bailiff.objects.count() == 0


def test_a_recipient_not_in_the_directory_is_refused(client, identities):
    response = client.get("/", secure=True, **_as(identities["recipient-banque-test"]))
    assert response.status_code == 403
    assert "Votre organisme n'est pas inscrit comme destinataire SECURACT." in _page(response)


@pytest.fixture
def vault_bound_to_an_older_certificate(identities, demo_directory) -> Vault:
    """Claire DURAND's vault, bound to another (say, her previous) certificate."""
    info = parse_certificate(pem_to_der(Path(identities["bailiff-durand"].cert).read_bytes()))
    vault = declare_vault(info)
    vault.certificate_fingerprint = "0" * 64
    vault.save(update_fields=["certificate_fingerprint"])
    return vault


def test_a_renewed_certificate_is_sent_to_the_renewal_page(
    client, identities, vault_bound_to_an_older_certificate
):
    durand = identities["bailiff-durand"]
    home = client.get("/", secure=True, **_as(durand))
    assert home.status_code == 302
    assert home["Location"] == "/declaration/renouvellement/"
    declaration = client.get("/declaration/", secure=True, **_as(durand))
    assert declaration.status_code == 302  # no declaration form for this holder
    assert declaration["Location"] == "/declaration/renouvellement/"
    page = client.get("/declaration/renouvellement/", secure=True, **_as(durand))
    assert page.status_code == 200
    text = _page(page)
    assert "Un coffre-fort existe déjà à votre nom" in text
    assert "Vos archives sont conservées." in text
    assert _fingerprint(durand) in text


def test_confirming_a_declaration_with_a_renewed_certificate_creates_nothing(
    client, identities, vault_bound_to_an_older_certificate
):
    durand = identities["bailiff-durand"]
    client.get("/", secure=True, **_as(durand))
    response = client.post("/declaration/", secure=True, **_as(durand))
    assert response.status_code == 302
    assert Vault.objects.count() == 1
    assert Vault.objects.get().certificate_fingerprint == "0" * 64
    assert Bailiff.objects.count() == 1
