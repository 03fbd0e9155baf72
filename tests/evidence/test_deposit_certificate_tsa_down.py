"""With the TSA unreachable, sealing fails with SealTransientError (the engine retries)."""

from __future__ import annotations

import pytest
from django.conf import LazySettings

from securact.evidence.deposit_certificate import (
    DepositCertificateData,
    sealed_deposit_certificate,
)
from securact.evidence.errors import SealTransientError


@pytest.mark.usefixtures("pki_down")
def test_tsa_down_is_a_transient_error_in_french(deposit_data: DepositCertificateData) -> None:
    with pytest.raises(SealTransientError, match="service d'horodatage"):
        sealed_deposit_certificate(deposit_data)


def test_unknown_tsa_host_is_transient_too(
    deposit_data: DepositCertificateData, settings: LazySettings
) -> None:
    settings.SECURACT_TSA_URL = "http://localhost:9/no-tsa-here"  # nothing listens on port 9

    with pytest.raises(SealTransientError):
        sealed_deposit_certificate(deposit_data)
