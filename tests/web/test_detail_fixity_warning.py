"""The owner sees a failed fixity audit on the file itself: the signification's detail page
says, next to the deposited file, what the last audit found (issue 11, item 5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from securact.vault.audit import audit_vaults
from securact.vault.models import StoredFile
from tests.vault.storage_tampering import flip_byte, local_vault
from tests.web.test_search_support import archive, bailiff_named, get, make_signification


def _section(page: str, number: str) -> str:
    return page.split(f'id="section-{number}"', 1)[1].split("</section>", 1)[0]


@pytest.mark.django_db
def test_the_detail_page_shows_an_altered_archive(signed_in, settings, tmp_path):
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    client = signed_in("bailiff-durand")
    signification = make_signification(
        bailiff_named("DURAND"), "REF-CONTROLE", sent_at=datetime(2026, 1, 17, 13, tzinfo=UTC)
    )
    archived = archive(signification, tmp_path / "work")
    page = get(client, f"/significations/{signification.pk}/").content.decode()
    assert "fixity-warning" not in page  # never checked, nothing to say

    flip_byte(local_vault(), archived.archive.sha256, offset=30)
    assert not audit_vaults().intact

    page = get(client, f"/significations/{signification.pk}/").content.decode()
    two = _section(page, "2")
    assert "Intégrité en défaut" in two
    assert "le contenu de ce fichier ne correspond plus à l&#x27;empreinte" in two
    assert two.count('class="fixity-warning"') == 1  # the certificate is intact
    assert StoredFile.objects.get(pk=archived.certificate.pk).fixity_state == "intact"
