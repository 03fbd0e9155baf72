"""A bailiff cannot view, mark or open another bailiff's notices: 404 in French, and the
other bailiff's list is untouched."""

from __future__ import annotations

import pytest

from securact.dashboard.models import DashboardNotice
from securact.dashboard.services import NoticeNotFound, mark_signification_viewed, mark_viewed
from tests.dashboard.conftest import HTMX
from tests.factories import BailiffFactory


@pytest.mark.django_db
def test_another_bailiffs_notice_is_not_found(signed_in_bailiff, notices):
    client, _me = signed_in_bailiff("bailiff-durand")
    (theirs,) = notices.make(BailiffFactory(), 1, reference="SECRET-REF")

    for response in [
        client.post(f"/agenda/notifications/{theirs.pk}/vu/", **HTMX),
        client.post(f"/agenda/notifications/{theirs.pk}/vu/"),
        client.post(f"/agenda/significations/{theirs.signification_id}/ouvrir/"),
        client.post("/agenda/notifications/999999999/vu/"),
    ]:
        assert response.status_code == 404
        page = response.content.decode()
        assert "Notification introuvable" in page
        assert "SECRET-REF" not in page

    assert DashboardNotice.objects.get(pk=theirs.pk).viewed_at is None
    assert "SECRET-REF" not in client.get("/?categorie=awaiting").content.decode()


@pytest.mark.django_db
def test_services_refuse_another_bailiffs_notice(notices, bailiff):
    (theirs,) = notices.make(BailiffFactory(), 1)
    with pytest.raises(NoticeNotFound):
        mark_viewed(bailiff, theirs.pk)
    with pytest.raises(NoticeNotFound):
        mark_signification_viewed(bailiff, theirs.signification_id)
    assert DashboardNotice.objects.get(pk=theirs.pk).viewed_at is None
