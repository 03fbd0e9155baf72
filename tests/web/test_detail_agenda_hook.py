"""*Passer en vue dans l'agenda* is the dashboard's action: the detail shows the button only
when that URL exists (``views_search.AGENDA_URL_NAME``), and only on the bailiff's own
significations (the dashboard's notices are the author's)."""

from __future__ import annotations

import pytest

from securact.web import views_search
from tests.web.test_search_support import bailiff_named, declare, get, make_signification


@pytest.mark.django_db
def test_the_button_follows_the_dashboard_url(signed_in, identities, monkeypatch):
    client = signed_in("bailiff-durand")
    mine = make_signification(bailiff_named("DURAND"), "A-MOI", sent_at=None)
    theirs = make_signification(declare(identities, "bailiff-martin"), "A-MARTIN", sent_at=None)

    monkeypatch.setattr(views_search, "AGENDA_URL_NAME", "web:progress")  # any URL taking an id
    with_url = get(client, f"/significations/{mine.pk}/").content.decode()
    colleague = get(client, f"/significations/{theirs.pk}/").content.decode()
    monkeypatch.setattr(views_search, "AGENDA_URL_NAME", "web:pas-de-tableau-de-bord")
    without_url = get(client, f"/significations/{mine.pk}/").content.decode()

    assert f'action="/significations/{mine.pk}/progression/"' in with_url
    assert "Passer en vue dans l'agenda" in with_url
    assert "Passer en vue dans l'agenda" not in colleague
    assert "Passer en vue dans l'agenda" not in without_url
