"""A wrong PIN is refused with a French message, and the token keeps working: the form
can be resubmitted with the right PIN.

Locking is not tested: SoftHSM 2.6 never locks a PIN (checked: fifteen wrong PINs in a
row, then the right one still logs in), so ``TokenLocked`` cannot be produced by a real
token here; it is raised on CKR_PIN_LOCKED or when the token reports USER_PIN_LOCKED.
"""

from __future__ import annotations

import pytest
from asn1crypto import algos
from pyhanko_certvalidator.sig_validate import DefaultSignatureValidator

from securact.signing.errors import SigningRefused, TokenPinIncorrect
from tests.signing.conftest import Bailiff


def _with_wrong_pin(bailiff: Bailiff) -> Bailiff:
    wrong = "0" * len(bailiff.pin) if set(bailiff.pin) != {"0"} else "1" * len(bailiff.pin)
    return Bailiff(bailiff.token_label, wrong, bailiff.cert)


def test_wrong_pin_is_refused_in_french(durand: Bailiff) -> None:
    with pytest.raises(TokenPinIncorrect) as refused:
        _with_wrong_pin(durand).sign([b"acte"])
    assert isinstance(refused.value, SigningRefused)
    assert refused.value.message.startswith("Code PIN incorrect.")
    assert durand.pin not in refused.value.message


def test_token_signs_with_the_right_pin_after_wrong_ones(durand: Bailiff) -> None:
    for _ in range(3):
        with pytest.raises(TokenPinIncorrect):
            _with_wrong_pin(durand).sign([b"acte"])
    [signature] = durand.sign([b"acte"])
    DefaultSignatureValidator().validate_signature(  # raises if it does not verify
        signature,
        b"acte",
        durand.cert.public_key,
        algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"}),
    )
