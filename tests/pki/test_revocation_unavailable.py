"""F1.1 revocation and key usage: what happens when the CA's OCSP/CRL services do not answer
(SECURACT_REVOCATION_MODE), and when the certificate presented is not one for client
authentication (a bailiff's qualified signing certificate).

In-process (Django test client), certificate forwarded by a trusted proxy.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from securact.vault.models import Vault

REVOCATION_UNKNOWN = "L'état de révocation de votre certificat n'a pas pu être vérifié."


@pytest.fixture(autouse=True)
def behind_proxy(settings) -> None:
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]


def _presenting(pem_path: str) -> dict[str, Any]:
    escaped = quote(Path(pem_path).read_text(encoding="ascii"), safe="")
    return {"HTTP_X_SSL_CLIENT_CERT": escaped, "HTTP_X_SSL_CLIENT_VERIFY": "SUCCESS"}


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_hard_fail_refuses_when_revocation_cannot_be_checked(
    client, settings, identities, demo_directory, pki_down
):
    settings.SECURACT_REVOCATION_MODE = "hard-fail"
    response = client.get("/", secure=True, **_presenting(identities["bailiff-durand"].cert))
    assert response.status_code == 403
    page = _page(response)
    assert REVOCATION_UNKNOWN in page
    assert "Réessayez dans quelques minutes." in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_soft_fail_lets_the_bailiff_in_when_revocation_cannot_be_checked(
    client, settings, identities, demo_directory, pki_down
):
    settings.SECURACT_REVOCATION_MODE = "soft-fail"
    response = client.get("/", secure=True, **_presenting(identities["bailiff-durand"].cert))
    assert response.status_code == 302
    assert response["Location"] == "/declaration/"


@pytest.mark.django_db
def test_soft_fail_still_refuses_a_certificate_the_responder_says_is_revoked(
    client, settings, identities, demo_directory, pki_server
):
    """soft-fail tolerates an unreachable responder, not a revocation."""
    settings.SECURACT_REVOCATION_MODE = "soft-fail"
    response = client.get("/", secure=True, **_presenting(identities["revoked"].cert))
    assert response.status_code == 403
    assert "Votre certificat a été révoqué par son autorité de certification." in _page(response)


@pytest.mark.django_db
def test_a_signing_certificate_does_not_authenticate(
    client, identities, demo_directory, pki_server
):
    """The qualified signing certificate (non-repudiation, no clientAuth) chains to a
    trusted CA, is valid and not revoked, but is not an authentication certificate."""
    sign_cert = identities["bailiff-durand"].record["sign_cert"]
    response = client.get("/", secure=True, **_presenting(sign_cert))
    assert response.status_code == 403
    page = _page(response)
    assert "Ce certificat ne permet pas l'authentification d'un client." in page
    assert "et non votre certificat de signature" in page
    # ... and the declaration cannot be reached with it either.
    posted = client.post("/declaration/", secure=True, **_presenting(sign_cert))
    assert posted.status_code == 403
    assert Vault.objects.count() == 0
