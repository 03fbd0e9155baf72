"""The same on the S3 backend (moto): the bundle and the export read the vault through the
storage API, a removed object is reported, and the owner's export waits in the work store
on S3 and is streamed from there."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from securact.bundles.bundle import build_bundle
from securact.bundles.export import write_export
from securact.bundles.export_requests import run_export
from securact.bundles.export_scope import practice_scope
from securact.bundles.models import ExportRequest
from securact.significations import work_store
from tests.bundles.conftest import bagit_validate, make_sample, manifest_ok, members_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def s3_sample(s3_vault, demo_directory, identities, tmp_path, pki_server, service_dirs, settings):
    settings.SECURACT_WORK_STORAGE = "s3"
    return s3_vault, make_sample(tmp_path, identities)


def test_bundle_and_export_on_s3(s3_sample, tmp_path, signed_in):
    s3_vault, sample = s3_sample
    out = tmp_path / "dossier.zip"
    build_bundle(sample.signification.pk, out)
    members = members_of(out.read_bytes())
    manifest_ok(members)
    name = sample.signification.acts.get().deposited_name
    assert members[f"actes/{name}.p7s"] == sample.p7s

    s3_vault.remove(sample.deposit_certificate.sha256)
    report = write_export(practice_scope("9991"), tmp_path / "export")
    assert [(p.file_id, p.state) for p in report.problems] == [
        (sample.deposit_certificate.pk, "introuvable")
    ]
    assert bagit_validate(tmp_path / "export").returncode == 0

    client = signed_in("bailiff-durand")
    assert client.post(reverse("vault_pages:export-request")).status_code == 303
    row = run_export(ExportRequest.objects.get().pk)
    assert row is not None and row.state == "done" and row.problems == 1
    assert not work_store.is_local()
    response = client.get(reverse("vault_pages:export-download", args=[row.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert any(n.endswith("data/rapport.json") for n in archive.namelist())
