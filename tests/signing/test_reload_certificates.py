"""*Recharger les certificats*: the token lists the signing certificates it holds a key
for, and only with the right PIN."""

from __future__ import annotations

import pytest

from securact.signing.errors import TokenPinIncorrect
from securact.signing.token import list_signing_certificates
from tests.signing.conftest import Bailiff


def test_token_lists_its_signing_certificate(durand: Bailiff) -> None:
    found = list_signing_certificates(durand.token_label, durand.pin)
    assert [cert.sha256 for cert in found] == [durand.cert.sha256]


def test_listing_needs_the_right_pin(durand: Bailiff) -> None:
    with pytest.raises(TokenPinIncorrect):
        list_signing_certificates(durand.token_label, "0" * len(durand.pin) + "9")
