from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def signed_in(client, settings, identities, pki_server, demo_directory) -> Callable[..., Any]:
    """``signed_in("bailiff-durand")`` declares that holder's vault and returns a client whose
    requests carry the certificate as nginx forwards it (proxy mode, in-process)."""
    from securact.pki.certificates import parse_certificate, pem_to_der
    from securact.vault.services import declare_vault

    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]

    def sign_in(label: str):
        holder = identities[label]
        declare_vault(parse_certificate(pem_to_der(Path(holder.cert).read_bytes())))
        client.defaults.update(
            HTTP_X_SSL_CLIENT_CERT=holder.escaped_pem, HTTP_X_SSL_CLIENT_VERIFY="SUCCESS"
        )
        return client

    return sign_in
