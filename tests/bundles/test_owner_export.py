"""« Demander un export complet » on the vault's account page: the request is journaled in
the owner's vault journal, built in the background by a task that takes its id (run here
in-process) and is idempotent; its progress and then its download are shown to the owner
only."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from securact.bundles.export_requests import REQUESTED, run_export
from securact.bundles.models import ExportRequest
from securact.evidence.models import JournalEntry
from securact.vault.models import VaultOperation
from tests.bundles.conftest import bagit_validate

pytestmark = pytest.mark.django_db


def test_the_owner_asks_follows_and_downloads_his_export(sample, signed_in, tmp_path):
    client = signed_in("bailiff-durand")
    account = client.get(reverse("vault_pages:account"))
    assert "Demander un export complet" in account.content.decode()

    asked = client.post(reverse("vault_pages:export-request"))
    assert asked.status_code == 303
    row = ExportRequest.objects.get()
    assert (row.scope, row.owner_vault, row.state) == ("bailiff", sample.bailiff_vault, "pending")
    entry = JournalEntry.objects.get(sequence=row.journal_sequence)
    assert entry.action == REQUESTED and entry.actor == sample.bailiff_vault.certificate_fingerprint
    assert VaultOperation.objects.filter(journal_sequence=entry.sequence).exists()
    again = client.post(reverse("vault_pages:export-request"))
    assert again.status_code == 409 and "déjà en cours" in again.content.decode()
    pending = client.get(reverse("vault_pages:exports")).content.decode()
    assert 'hx-trigger="every 2s"' in pending

    done = run_export(row.pk)
    assert done is not None and done.state == "done" and done.files == 2
    assert run_export(row.pk) is None  # done: nothing more
    listed = client.get(reverse("vault_pages:exports")).content.decode()
    assert "prêt" in listed and "every 2s" not in listed

    url = reverse("vault_pages:export-download", args=[row.pk])
    response = client.get(url)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        archive.extractall(tmp_path / "unzipped")
    (bag,) = (tmp_path / "unzipped").iterdir()
    assert bagit_validate(bag).returncode == 0
    assert signed_in("bailiff-martin").get(url).status_code == 404
    assert signed_in("recipient-banque-test").get(url).status_code == 404


def test_a_run_whose_worker_died_is_taken_up_again(sample):
    from securact.bundles.export_requests import request_export
    from securact.bundles.export_scope import recipient_scope

    row = request_export(recipient_scope("99999001300016"), actor="platform")
    ExportRequest.objects.filter(pk=row.pk).update(
        state="running", claimed_by="elsewhere:1", heartbeat_at=timezone.now()
    )
    assert run_export(row.pk) is None  # alive elsewhere: not taken
    ExportRequest.objects.filter(pk=row.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    done = run_export(row.pk)
    assert done is not None and done.state == "done" and done.attempts == 1


def test_an_operator_asks_for_a_practices_export_in_the_admin(sample, client, settings, identities):
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]
    client.defaults.update(
        HTTP_X_SSL_CLIENT_CERT=identities["operator"].escaped_pem,
        HTTP_X_SSL_CLIENT_VERIFY="SUCCESS",
    )
    listing = client.get("/admin/bundles/exportrequest/", secure=True)
    assert listing.status_code == 200 and "Nouvel export" in listing.content.decode()
    refused = client.post("/admin/bundles/exportrequest/nouveau/", {}, secure=True)
    assert refused.status_code == 400
    asked = client.post("/admin/bundles/exportrequest/nouveau/", {"practice": "9991"}, secure=True)
    assert asked.status_code == 302
    row = ExportRequest.objects.get()
    assert row.scope == "practice" and row.owner_vault is None
    run_export(row.pk)
    download = client.get(f"/admin/bundles/exportrequest/{row.pk}/telecharger/", secure=True)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
