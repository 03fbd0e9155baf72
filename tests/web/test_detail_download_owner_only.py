"""Files are served only from the signed-in bailiff's own vault (locked to its owner's
certificate) and only under their own signification: a colleague's file, another
practice's, or a file id put under another signification in the URL is a 404. A colleague
sees the names on the detail, not the download links."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from securact.vault.models import Vault
from tests.factories import BailiffFactory, PracticeFactory
from tests.web.test_search_support import (
    archive,
    bailiff_named,
    declare,
    get,
    make_signification,
)

SENT = datetime(2026, 1, 17, 13, tzinfo=UTC)


@pytest.mark.django_db
def test_only_the_owner_downloads_and_only_under_its_signification(
    signed_in, identities, settings, tmp_path
):
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    martin = declare(identities, "bailiff-martin")
    mine = make_signification(durand, "A-MOI", sent_at=SENT)
    other_of_mine = make_signification(durand, "AUSSI-A-MOI", sent_at=SENT)
    colleague = make_signification(martin, "A-MARTIN", sent_at=SENT)
    my_files = archive(mine, tmp_path / "work")
    martin_files = archive(colleague, tmp_path / "work")

    assert (
        get(client, f"/significations/{mine.pk}/fichiers/{my_files.archive.pk}/").status_code == 200
    )
    for url in (
        f"/significations/{colleague.pk}/fichiers/{martin_files.archive.pk}/",
        f"/significations/{colleague.pk}/fichiers/{martin_files.certificate.pk}/",
        f"/significations/{mine.pk}/fichiers/{martin_files.archive.pk}/",
        f"/significations/{other_of_mine.pk}/fichiers/{my_files.archive.pk}/",
        f"/significations/{mine.pk}/fichiers/999999/",
    ):
        response = get(client, url)
        assert response.status_code == 404, url
        assert "Introuvable" in response.content.decode()

    detail = get(client, f"/significations/{colleague.pk}/").content.decode()
    assert martin_files.archive.name in detail
    assert "/fichiers/" not in detail
    assert "seul son titulaire peut les télécharger" in detail


@pytest.mark.django_db
def test_another_practice_file_is_not_found(signed_in, settings, tmp_path):
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    client = signed_in("bailiff-durand")
    stranger = BailiffFactory(practice=PracticeFactory(code="7777", name="Étude voisine"))
    Vault.objects.create(owner_kind=Vault.OwnerKind.BAILIFF, bailiff=stranger)
    theirs = make_signification(stranger, "VOISIN", sent_at=SENT)
    files = archive(theirs, tmp_path / "work")

    response = get(client, f"/significations/{theirs.pk}/fichiers/{files.archive.pk}/")

    assert response.status_code == 404
