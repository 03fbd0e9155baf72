"""Who reaches which side: the portal is the recipients' (a bailiff or an operator gets a
French 403 pointing back to its side); the bailiff's pages refuse a recipient in French; a
recipient's first sign-in declares its vault through the bailiff's declaration flow; every
POST needs the CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client

from securact.directory.models import AcceptedNature
from securact.vault.models import Vault
from tests.portal.conftest import BANK, bank_recipient, get, post


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["bailiff-durand", "operator"])
@pytest.mark.parametrize(
    "path", ["/destinataire/", "/destinataire/parametres/", "/destinataire/depots/1/"]
)
def test_a_bailiff_or_operator_is_refused_on_the_portal(holder, label, path):
    response = get(holder(label, declare=label != "operator"), path)
    assert response.status_code == 403
    page = response.content.decode()
    assert "réservé aux destinataires des significations" in page
    assert "retournez à votre tableau de bord" in page


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/rechercher/", "/signifier/", "/significations/1/"])
def test_a_recipient_is_refused_on_the_bailiffs_pages_in_french(bank, path):
    response = get(bank, path)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Cette page est réservée aux commissaires de justice." in page
    assert "/destinataire/" in page


@pytest.mark.django_db
def test_first_sign_in_declares_the_vault_then_lands_on_the_portal(holder):
    client = holder(BANK, declare=False)
    assert get(client, "/destinataire/")["Location"] == "/declaration/"
    assert not Vault.objects.filter(recipient=bank_recipient()).exists()
    confirmed = post(client, "/declaration/")
    assert confirmed.status_code == 302
    assert Vault.objects.get(recipient=bank_recipient()).certificate_fingerprint
    landing = get(client, confirmed["Location"])
    assert landing["Location"] == "/destinataire/"
    assert "Bienvenue, BANQUE TEST." in get(client, "/destinataire/").content.decode()


@pytest.mark.django_db
def test_posts_need_the_csrf_token(holder):
    holder(BANK)
    from tests.conftest import Identity  # noqa: F401 - the fixture's type

    strict = Client(enforce_csrf_checks=True)
    strict.defaults.update(holder(BANK).defaults)
    accepted = AcceptedNature.objects.filter(recipient=bank_recipient()).first()
    for path, data in [
        ("/destinataire/parametres/contacts/", {"email": "x@example.org", "mobile": ""}),
        ("/destinataire/parametres/natures/", {"accepter-nature": "1"}),
        (f"/destinataire/parametres/natures/{accepted.pk}/retirer/", {}),
        (f"/destinataire/parametres/natures/{accepted.pk}/plages/", {}),
        ("/destinataire/parametres/plages/1/retirer/", {}),
    ]:
        assert strict.post(path, data, secure=True).status_code == 403, path
    assert AcceptedNature.objects.filter(pk=accepted.pk).exists()
    # GET only on the pages: a POST there is refused.
    assert post(holder(BANK), "/destinataire/").status_code == 405
