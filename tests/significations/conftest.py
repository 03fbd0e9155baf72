"""The significations tests' own fixture; the real components around a signification (SMTP,
SMS gateway, LibreOffice, workers) are shared from ``tests/service_fixtures.py``."""

from __future__ import annotations

import pytest

from securact.directory.models import ActNature
from securact.significations.models import Signification
from tests.factories import BailiffFactory, RecipientFactory


@pytest.fixture
def signification(db) -> Signification:
    bailiff = BailiffFactory()
    return Signification.objects.create(
        practice=bailiff.practice,
        bailiff=bailiff,
        recipient=RecipientFactory(),
        nature=ActNature.objects.get(code="saisie-attribution"),
        reference="REF-1",
        actor_fingerprint="a" * 64,
        signing_certificate=b"",
        signing_token_label="t",
    )
