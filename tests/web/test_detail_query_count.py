"""The detail page costs a fixed number of queries, whatever its acts and events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.web.test_search_support import (
    archive,
    bailiff_named,
    get,
    make_signification,
    record_history,
)


@pytest.mark.django_db
def test_detail_query_count(signed_in, settings, tmp_path, django_assert_max_num_queries):
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    client = signed_in("bailiff-durand")
    signification = make_signification(
        bailiff_named("DURAND"),
        "NOMBREUX",
        sent_at=datetime(2026, 1, 17, 13, tzinfo=UTC),
        files=tuple(f"acte-{n}.pdf" for n in range(8)),
    )
    record_history(signification, archive(signification, tmp_path / "work"))
    get(client, "/rechercher/")  # sign-in and session set up once

    with django_assert_max_num_queries(8):
        response = get(client, f"/significations/{signification.pk}/")
    assert response.status_code == 200
