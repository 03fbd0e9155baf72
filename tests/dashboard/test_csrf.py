"""The eye and the magnifier are POSTs protected by CSRF: htmx sends the token in the
X-CSRFToken header (from the body's hx-headers), the forms in a hidden field."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from securact.dashboard.models import DashboardNotice
from tests.dashboard.conftest import HTMX


@pytest.mark.django_db
def test_eye_needs_the_csrf_token(signed_in_bailiff, notices):
    client, bailiff = signed_in_bailiff("bailiff-durand")
    (notice,) = notices.make(bailiff, 1)
    strict = Client(enforce_csrf_checks=True, **client.defaults)
    page = strict.get("/", secure=True).content.decode()
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page)
    assert token is not None
    url = f"/agenda/notifications/{notice.pk}/vu/"
    origin = {"HTTP_REFERER": "https://testserver/", "HTTP_ORIGIN": "https://testserver"}

    assert strict.post(url, secure=True, **HTMX, **origin).status_code == 403
    assert DashboardNotice.objects.get(pk=notice.pk).viewed_at is None

    response = strict.post(url, secure=True, **HTMX, **origin, HTTP_X_CSRFTOKEN=token.group(1))
    assert response.status_code == 200
    assert DashboardNotice.objects.get(pk=notice.pk).viewed_at is not None
