"""Operators see the delivery certificates (still to make, and why) read-only in the admin."""

from __future__ import annotations

from datetime import timedelta

from securact.delivery.services import decide_at_deadline
from securact.significations.models import Step
from tests.delivery.conftest import SENT, Deposits


def test_operator_lists_certificates_read_only(
    client, settings, identities, pki_server, demo_directory, deposits: Deposits
) -> None:
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]
    operator = identities["operator"]
    headers = {
        "HTTP_X_SSL_CLIENT_CERT": operator.escaped_pem,
        "HTTP_X_SSL_CLIENT_VERIFY": "SUCCESS",
    }
    signification = deposits.make(SENT)
    decide_at_deadline(signification.pk, now=SENT + timedelta(days=1))
    Step.objects.filter(signification=signification, name=Step.Name.DELIVERY).update(
        error="Horodatage indisponible"
    )

    page = client.get("/admin/delivery/deliverycertificate/", secure=True, **headers)

    assert page.status_code == 200
    text = page.content.decode()
    assert "_REMISE.pdf" in text
    assert "Horodatage indisponible" in text
    add = client.get("/admin/delivery/deliverycertificate/add/", secure=True, **headers)
    assert add.status_code == 403
