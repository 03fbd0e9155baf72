"""Every vault action is a POST checked against CSRF: without the page's token it is refused
(403) and nothing changes; with it, it goes through."""

from __future__ import annotations

import re

import pytest

from securact.vault.models import Folder
from tests.vault_pages.conftest import DURAND, get, post, text

pytestmark = pytest.mark.django_db

ACTIONS = [
    "/coffre-fort/dossiers/creer/",
    "/coffre-fort/dossiers/renommer/",
    "/coffre-fort/dossiers/supprimer/",
    "/coffre-fort/fichiers/deplacer/",
    "/coffre-fort/fichiers/transferer/",
    "/coffre-fort/fichiers/deposer/",
    "/coffre-fort/fichiers/1/proprietes/",
    "/coffre-fort/fichiers/1/renommer/",
    "/coffre-fort/fichiers/1/supprimer/",
]


def test_actions_without_the_csrf_token_are_refused(holder):
    client = holder(DURAND, enforce_csrf_checks=True)
    for path in ACTIONS:
        assert post(client, path, {"dossier": "/", "nom": "x"}).status_code == 403, path
    assert not Folder.objects.exists()


def test_the_pages_token_lets_the_action_through(holder):
    client = holder(DURAND, enforce_csrf_checks=True)
    page = text(get(client, "/coffre-fort/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = client.post(
        "/coffre-fort/dossiers/creer/",
        {"dossier": "/", "nom": "Banques", "csrfmiddlewaretoken": token.group(1)},
        secure=True,
        HTTP_REFERER="https://testserver/coffre-fort/",  # HTTPS: Django checks the referer
    )
    assert response.status_code == 303
    assert Folder.objects.filter(path="/Banques/").exists()


def test_actions_refuse_get(holder):
    client = holder(DURAND)
    for path in ACTIONS:
        assert get(client, path).status_code == 405, path
