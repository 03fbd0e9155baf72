from __future__ import annotations

import pytest

from securact.vault.models import StoredFile
from tests.vault_pages.conftest import BANK, DURAND, get, text, vault_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("label", [DURAND, BANK])
def test_every_page_answers(holder, identities, put, label):
    client = holder(label)
    vault = vault_of(identities, label)
    stored = put(vault, "acte.pdf", kind=StoredFile.Kind.ACT, folder="/2026/")
    for path in [
        "/coffre-fort/",
        "/coffre-fort/?dossier=/2026/",
        f"/coffre-fort/fichiers/{stored.pk}/",
        "/coffre-fort/recherche/",
        "/coffre-fort/recherche/?texte=acte",
        "/coffre-fort/journal/",
        "/coffre-fort/compte/",
        "/coffre-fort/aide/",
    ]:
        response = get(client, path)
        assert response.status_code == 200, (path, text(response)[:3000])
