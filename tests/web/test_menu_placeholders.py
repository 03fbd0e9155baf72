"""The manual's menu entries that are not built yet lead to honest pages, never errors;
they are for bailiffs only."""

from __future__ import annotations

import pytest


@pytest.fixture
def as_holder(client, settings, identities, pki_server, demo_directory):
    from pathlib import Path

    from securact.pki.certificates import parse_certificate, pem_to_der
    from securact.vault.services import declare_vault

    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]

    def sign_in(label: str):
        holder = identities[label]
        declare_vault(parse_certificate(pem_to_der(Path(holder.cert).read_bytes())))
        return lambda path: client.get(
            path,
            HTTP_X_SSL_CLIENT_CERT=holder.escaped_pem,
            HTTP_X_SSL_CLIENT_VERIFY="SUCCESS",
            secure=True,
        )

    return sign_in


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "title"), [("/edi/", "Significations EDI")])
def test_menu_entries_to_come_say_so(as_holder, path, title):
    get = as_holder("bailiff-durand")
    response = get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page
    assert "Bientôt disponible" in page
    assert 'aria-current="page"' in page


@pytest.mark.django_db
def test_recipients_cannot_open_bailiff_pages(as_holder):
    get = as_holder("recipient-banque-test")
    response = get("/edi/")
    assert response.status_code == 403
    assert "réservée aux commissaires de justice" in response.content.decode()
