"""Every new deposit carries the TSA's RFC 3161 token over the content's SHA-256, asked for
before the deposit's transaction; a TSA outage refuses the deposit (to be retried) and
leaves nothing behind."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from asn1crypto import cms, tsp
from django.db import transaction
from django.utils import timezone

from securact.evidence.errors import SealTransientError
from securact.evidence.models import JournalEntry
from securact.vault.models import StoredFile, Vault
from securact.vault.services import deposit_file, store_content
from tests.factories import BailiffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vault(settings, tmp_path, pki_server) -> Vault:
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    bailiff = BailiffFactory()
    return Vault.objects.create(
        owner_kind=Vault.OwnerKind.BAILIFF, bailiff=bailiff, certificate_fingerprint="c" * 64
    )


def _imprint(token: bytes) -> tuple[str, bytes]:
    signed_data = cms.ContentInfo.load(token)["content"]
    info = tsp.TSTInfo.load(signed_data["encap_content_info"]["content"].parsed.dump())
    imprint = info["message_imprint"]
    return imprint["hash_algorithm"]["algorithm"].native, imprint["hashed_message"].native


def test_a_new_deposit_carries_a_token_over_its_sha256(vault, tmp_path: Path) -> None:
    source = tmp_path / "acte.pdf"
    source.write_bytes(b"%PDF-1.7 timestamped")
    stored = deposit_file(
        vault, "acte.pdf", source, depositor="f" * 64, deposited_at=timezone.now()
    )
    stored.refresh_from_db()
    token = bytes(stored.deposit_timestamp)
    assert _imprint(token) == ("sha256", hashlib.sha256(b"%PDF-1.7 timestamped").digest())


def test_a_deposit_inside_a_transaction_was_timestamped_before_it(vault, tmp_path: Path) -> None:
    source = tmp_path / "a.xml"
    source.write_bytes(b"<a/>")
    content = store_content(source)  # what a step does before its atomic block
    with transaction.atomic():
        stored = deposit_file(
            vault, "a.xml", content, depositor="f" * 64, deposited_at=timezone.now()
        )
    assert bytes(stored.deposit_timestamp) == content.deposit_timestamp
    assert _imprint(content.deposit_timestamp)[1] == bytes.fromhex(stored.sha256)


def test_tsa_down_refuses_the_deposit_in_french_and_keeps_nothing(
    vault, tmp_path: Path, pki_down
) -> None:
    source = tmp_path / "b.pdf"
    source.write_bytes(b"%PDF-1.7 no timestamp")
    entries = JournalEntry.objects.count()
    with pytest.raises(SealTransientError) as refused:
        deposit_file(vault, "b.pdf", source, depositor="f" * 64, deposited_at=timezone.now())
    assert "horodatage" in refused.value.message.lower()
    assert not StoredFile.objects.filter(name="b.pdf").exists()
    assert JournalEntry.objects.count() == entries


def test_depositing_again_needs_no_tsa(vault, tmp_path: Path, pki_server) -> None:
    source = tmp_path / "c.pdf"
    source.write_bytes(b"%PDF-1.7 again")
    first = deposit_file(vault, "c.pdf", source, depositor="f" * 64, deposited_at=timezone.now())
    pki_server.stop()
    try:
        again = deposit_file(
            vault, "c.pdf", source, depositor="f" * 64, deposited_at=timezone.now()
        )
    finally:
        pki_server.start()
    assert again.pk == first.pk
