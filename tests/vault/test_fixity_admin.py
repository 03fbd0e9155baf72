"""Operators see the audits and the files in trouble in the admin, read-only."""

from __future__ import annotations

import pytest

from securact.vault.audit import audit_vaults
from tests.vault.fixity_support import two_vaults
from tests.vault.storage_tampering import local_vault


@pytest.fixture
def operator(client, settings, identities, pki_server, demo_directory):
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]
    client.defaults.update(
        HTTP_X_SSL_CLIENT_CERT=identities["operator"].escaped_pem,
        HTTP_X_SSL_CLIENT_VERIFY="SUCCESS",
    )
    return client


@pytest.mark.django_db
def test_operators_list_audits_and_files_in_trouble_read_only(operator, settings, tmp_path):
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    files = two_vaults(tmp_path / "work")
    local_vault().remove(files.note.sha256)
    report = audit_vaults()

    audits = operator.get("/admin/vault/fixityaudit/", secure=True)
    assert audits.status_code == 200
    assert f"/admin/vault/fixityaudit/{report.audit.pk}/" in audits.content.decode()
    in_trouble = operator.get("/admin/vault/fixityaudit/?resultat=probleme", secure=True)
    assert f"/admin/vault/fixityaudit/{report.audit.pk}/" in in_trouble.content.decode()

    problems = operator.get("/admin/vault/storedfile/?integrite=probleme", secure=True)
    assert problems.status_code == 200
    text = problems.content.decode()
    assert "note.txt" in text and "contenu introuvable" in text
    assert "acte.pdf" not in text
    intact = operator.get("/admin/vault/storedfile/?integrite=intact", secure=True)
    assert "acte.pdf" in intact.content.decode()

    for url in ("/admin/vault/fixityaudit/add/", "/admin/vault/storedfile/add/"):
        assert operator.get(url, secure=True).status_code == 403
    detail = operator.get(f"/admin/vault/storedfile/{files.note.pk}/change/", secure=True)
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()


@pytest.mark.django_db
def test_an_operator_puts_a_legal_hold_with_a_reason_then_lifts_it(
    operator, identities, settings, tmp_path
):
    from securact.vault.deletion import DeletionRefused, delete_file
    from securact.vault.journaling import VaultAction
    from tests.vault.fixity_support import entries
    from tests.vault_pages.conftest import fingerprint_of

    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    files = two_vaults(tmp_path / "work")
    url = f"/admin/vault/storedfile/{files.note.pk}/gel-juridique/"
    change = operator.get(f"/admin/vault/storedfile/{files.note.pk}/change/", secure=True)
    assert url in change.content.decode()

    refused = operator.post(url, {"gel": "on", "motif": ""}, secure=True)
    assert refused.status_code == 400
    assert "Indiquez le motif du gel juridique" in refused.content.decode()
    held = operator.post(url, {"gel": "on", "motif": "Réquisition du parquet 26/123"}, secure=True)
    assert held.status_code == 302
    files.note.refresh_from_db()
    assert files.note.legal_hold and files.note.legal_hold_reason == "Réquisition du parquet 26/123"
    [entry] = entries(VaultAction.HOLD_SET)
    assert entry.actor == fingerprint_of(identities, "operator")
    with pytest.raises(DeletionRefused, match="gel juridique"):
        delete_file(files.note, actor="platform", reason="ménage")

    operator.post(url, {"motif": "Mainlevée du 5 décembre"}, secure=True)
    files.note.refresh_from_db()
    assert not files.note.legal_hold
    assert len(entries(VaultAction.HOLD_RELEASED)) == 1
