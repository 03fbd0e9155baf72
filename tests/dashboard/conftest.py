"""Dashboard fixtures: significations with their notices, made quickly (no service
process), and a bailiff signed in in-process (proxy mode, as tests/web does)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from securact.dashboard.models import Category, DashboardNotice
from securact.dashboard.services import notify
from securact.directory.models import ActNature, Bailiff, Recipient
from securact.significations.models import Act, Signification
from tests.factories import ActNatureFactory, BailiffFactory, RecipientFactory

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Notices:
    """``notices.make(bailiff, 3)`` → three significations deposited one hour apart, each
    with its notice of the given category."""

    def __init__(self) -> None:
        self.count = 0
        self._nature: ActNature | None = None

    def nature(self) -> ActNature:
        if self._nature is None:
            self._nature = ActNatureFactory()
        return self._nature

    def signification(
        self,
        bailiff: Bailiff,
        *,
        reference: str | None = None,
        recipient: Recipient | None = None,
        files: int = 1,
        sent_at: datetime | None = None,
    ) -> Signification:
        self.count += 1
        reference = reference or f"REF-{self.count:04d}"
        sent_at = sent_at or START + timedelta(hours=self.count)
        signification = Signification.objects.create(
            practice=bailiff.practice,
            bailiff=bailiff,
            recipient=recipient or RecipientFactory(),
            nature=self.nature(),
            reference=reference,
            actor_fingerprint="a" * 64,
            signing_certificate=b"",
            signing_token_label="t",
            sent_at=sent_at,
        )
        stamp = sent_at.strftime("%Y%m%d_%H%M%S")
        Act.objects.bulk_create(
            Act(
                signification=signification,
                position=position,
                original_name=f"acte-{position}.pdf",
                kind="pdf",
                upload_path="/nonexistent",
                size=1,
                deposited_name=f"{bailiff.practice.code}_{reference}_{stamp}_{position}.pdf",
            )
            for position in range(1, files + 1)
        )
        return signification

    def make(
        self, bailiff: Bailiff, count: int = 1, category: str = Category.AWAITING, **kwargs: Any
    ) -> list[DashboardNotice]:
        return [notify(self.signification(bailiff, **kwargs), category) for _ in range(count)]


@pytest.fixture
def notices(db: None) -> Notices:
    return Notices()


@pytest.fixture
def bailiff(db: None) -> Bailiff:
    return BailiffFactory()


@pytest.fixture
def signed_in_bailiff(
    client: Any, settings: Any, identities: Any, pki_server: Any, demo_directory: None
) -> Callable[[str], tuple[Any, Bailiff | None]]:
    """``client, bailiff = signed_in_bailiff("bailiff-durand")``: the test client now sends
    that holder's certificate as nginx forwards it; its vault is declared."""
    from securact.pki.certificates import parse_certificate, pem_to_der
    from securact.vault.services import declare_vault

    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]

    def sign_in(label: str) -> tuple[Any, Bailiff | None]:
        holder = identities[label]
        bailiff = None
        if holder.record["role"] in ("bailiff", "recipient"):
            info = parse_certificate(pem_to_der(Path(holder.cert).read_bytes()))
            bailiff = declare_vault(info).bailiff
        client.defaults.update(
            HTTP_X_SSL_CLIENT_CERT=holder.escaped_pem,
            HTTP_X_SSL_CLIENT_VERIFY="SUCCESS",
        )
        return client, bailiff

    return sign_in


HTMX = {"HTTP_HX_REQUEST": "true"}
