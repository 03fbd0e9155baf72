"""A recipient's vault receives deposits before its first connection; declaring the
certificate then binds that same vault, keeping what it holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from securact.directory.models import Recipient
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.vault.models import StoredFile, Vault
from securact.vault.services import declare_vault, deposit_file, recipient_vault


@pytest.mark.django_db
def test_declaration_binds_the_vault_deposits_already_filled(
    demo_directory, identities, tmp_path, settings, pki_server
):
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    bank = Recipient.objects.get(name="BANQUE TEST")
    unbound = recipient_vault(bank)
    assert unbound.certificate_fingerprint is None
    act = tmp_path / "acte.pdf"
    act.write_bytes(b"%PDF- act")
    deposit_file(
        unbound, "9991_R_20261126_101010.pdf", act, depositor="b" * 64, deposited_at=timezone.now()
    )
    info = parse_certificate(
        pem_to_der(Path(identities["recipient-banque-test"].cert).read_bytes())
    )
    bound = declare_vault(info)
    assert bound.pk == unbound.pk
    assert bound.certificate_fingerprint == info.fingerprint
    assert Vault.objects.filter(recipient=bank).count() == 1
    assert StoredFile.objects.get().vault_id == bound.pk
    assert recipient_vault(bank).pk == bound.pk
