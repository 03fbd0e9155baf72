"""Operators see the vaults over quota (issue 11 item 8): the admin's occupation list."""

# ruff: noqa: F401, F811 (fixtures imported from ops_fixtures)

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from securact.vault.models import StoredFile
from tests.vault.ops_fixtures import (
    bank_vault,
    deposit,
    practice,
    vault,
    vault_dir,
)

LIST_URL = "/admin/vault/vaultoccupation/"
CERTIFICATE_MIDDLEWARE = "securact.ui.sign_in.ClientCertificateMiddleware"

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client: Client, settings) -> Client:
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != CERTIFICATE_MIDDLEWARE]
    user = get_user_model().objects.create(
        username="operateur", is_staff=True, is_superuser=True, is_active=True
    )
    client.force_login(user)
    return client


def test_operators_see_which_vaults_are_over_quota_and_since_when(
    operator, vault, bank_vault, deposit
):
    vault.quota_bytes = 100
    vault.save()
    deposit(vault, "1.pdf", b"x" * 150, kind=StoredFile.Kind.ACT)  # served anyway
    deposit(bank_vault, "2.pdf", b"y" * 10, kind=StoredFile.Kind.ACT)

    page = operator.get(LIST_URL).content.decode()
    assert "150 octets" in page and "100 octets" in page and "150 %" in page
    assert str(vault.bailiff) in page and str(bank_vault.recipient) in page

    over = operator.get(LIST_URL, {"quota": "over"}).content.decode()
    assert str(vault.bailiff) in over and str(bank_vault.recipient) not in over
    assert re.search(r"field-last_exceeded_display[^>]*>\d+ \w+ \d{4} ", over)  # when it crossed
    within = operator.get(LIST_URL, {"quota": "within"}).content.decode()
    assert str(bank_vault.recipient) in within and str(vault.bailiff) not in within
    assert operator.get(f"{LIST_URL}add/").status_code == 403
