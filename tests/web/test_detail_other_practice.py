"""Another practice's signification is a 404 that reveals nothing: the same page as for an
id that does not exist. A colleague's (same practice) opens."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import BailiffFactory, PracticeFactory
from tests.web.test_search_support import declare, get, make_signification


def _main(response) -> str:
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.django_db
def test_another_practice_signification_is_not_found(signed_in, identities):
    client = signed_in("bailiff-durand")
    stranger = BailiffFactory(practice=PracticeFactory(code="7777", name="Étude voisine"))
    theirs = make_signification(
        stranger, "SECRET-VOISIN", sent_at=datetime(2026, 1, 17, 13, tzinfo=UTC)
    )
    colleague = make_signification(declare(identities, "bailiff-martin"), "DE-MARTIN", sent_at=None)

    hidden = get(client, f"/significations/{theirs.pk}/")
    missing = get(client, "/significations/999999/")
    shared = get(client, f"/significations/{colleague.pk}/")

    assert hidden.status_code == 404
    assert missing.status_code == 404
    assert _main(hidden) == _main(missing)  # the same words (only the CSRF token differs)
    assert "Introuvable" in hidden.content.decode()
    assert "SECRET-VOISIN" not in hidden.content.decode()
    assert shared.status_code == 200
    assert "DE-MARTIN" in shared.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/significations/0/",
        "/significations/99999999999999999999999/",
        "/significations/1/fichiers/99999999999999999999999/",
        "/significations/99999999999999999999999/fichiers/1/",
    ],
)
def test_an_absurd_id_is_not_found(signed_in, path):
    client = signed_in("bailiff-durand")
    response = get(client, path)
    assert response.status_code == 404
    assert "introuvable" in response.content.decode().lower()  # the French 404 page
