"""F2.3 the eye: the notice is viewed and leaves the list; the counts drop (htmx: the table
comes back without it and the counts out of band; without JavaScript: back to the page)."""

from __future__ import annotations

import pytest

from securact.dashboard.models import DashboardNotice
from securact.dashboard.services import mark_viewed, unviewed_counts
from tests.dashboard.conftest import HTMX


@pytest.mark.django_db
def test_eye_with_htmx_returns_the_table_without_the_notice(signed_in_bailiff, notices):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    kept, gone = notices.make(bailiff, 2)

    response = client.post(
        f"/agenda/notifications/{gone.pk}/vu/",
        {"page": "1", "lignes": "10", "tri": "-date", "filtre": ""},
        **HTMX,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert kept.reference in page and gone.reference not in page
    assert "1-1 sur 1" in page
    assert '<span hx-swap-oob="true" id="count-awaiting"' in page
    assert 'id="count-awaiting" class="dash-count">1</span>' in page
    assert DashboardNotice.objects.get(pk=gone.pk).viewed_at is not None
    assert unviewed_counts(bailiff)["awaiting"] == 1
    full = client.get("/?categorie=awaiting").content.decode()
    table = full[full.index("<table") : full.index("</table>")]
    assert kept.reference in table and gone.reference not in table
    assert f"Notification passée en vue : {gone.reference}" in full  # the session history


@pytest.mark.django_db
def test_eye_without_javascript_goes_back_to_the_open_category(signed_in_bailiff, notices):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    (notice,) = notices.make(bailiff, 1)

    response = client.post(
        f"/agenda/notifications/{notice.pk}/vu/", {"page": "1", "lignes": "25", "tri": "reference"}
    )

    assert response.status_code == 303
    assert (
        response["Location"] == "/?categorie=awaiting&page=1&lignes=25&tri=reference#cat-awaiting"
    )
    assert DashboardNotice.objects.get(pk=notice.pk).viewed_at is not None


@pytest.mark.django_db
def test_marking_viewed_twice_is_harmless(notices, bailiff):
    (notice,) = notices.make(bailiff, 1)
    first = mark_viewed(bailiff, notice.pk).viewed_at
    assert mark_viewed(bailiff, notice.pk).viewed_at == first
