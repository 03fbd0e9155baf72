"""F2.3 the magnifier: every notice of the signification is viewed, then its detail opens
(POST, then 303 to the detail page). *Passer en vue dans l'agenda* uses the same service."""

from __future__ import annotations

import pytest

from securact.dashboard.models import Category, DashboardNotice
from securact.dashboard.services import mark_signification_viewed, notify


@pytest.mark.django_db
def test_magnifier_marks_the_significations_notices_and_opens_the_detail(
    signed_in_bailiff, notices
):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    (notice,) = notices.make(bailiff, 1)
    notify(notice.signification, Category.ACT_RETURN)
    (other,) = notices.make(bailiff, 1)

    response = client.post(f"/agenda/significations/{notice.signification_id}/ouvrir/")

    assert response.status_code == 303
    assert response["Location"] == f"/significations/{notice.signification_id}/"
    assert not DashboardNotice.objects.filter(
        signification_id=notice.signification_id, viewed_at__isnull=True
    ).exists()
    assert DashboardNotice.objects.get(pk=other.pk).viewed_at is None
    page = client.get("/").content.decode()
    assert 'id="count-awaiting">1</span>' in page
    assert 'id="count-act_return">0</span>' in page


@pytest.mark.django_db
def test_table_rows_carry_the_magnifier_form(signed_in_bailiff, notices):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    (notice,) = notices.make(bailiff, 1)
    page = client.get("/?categorie=awaiting").content.decode()
    assert f'action="/agenda/significations/{notice.signification_id}/ouvrir/"' in page
    assert f'aria-label="Voir le détail de la signification {notice.reference}"' in page


@pytest.mark.django_db
def test_passer_en_vue_service_is_idempotent(notices, bailiff):
    (notice,) = notices.make(bailiff, 1)
    mark_signification_viewed(bailiff, notice.signification_id)
    mark_signification_viewed(bailiff, notice.signification_id)
    assert DashboardNotice.objects.get(pk=notice.pk).viewed_at is not None
