"""A bank with the reference client (issue 13, item 4 and "Done when"): ``securact-edi fetch``
downloads its new deposits over real mutual TLS (gunicorn) — the first download is the
opening that decides *remise à personne*, as on the portal — checks each file's SHA-256 and
acknowledges the deposit, so that the next fetch finds nothing; ``securact-edi answer`` posts
its act return, which the bailiff's page then shows."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from securact.pki.certificates import parse_certificate, pem_to_der
from securact.returns.models import ActReturn
from securact.significations.models import DeliveryState
from securact.vault.services import declare_vault
from tests.api.test_bank_flow import DECLARATION
from tests.portal.conftest import Deposits
from tests.processes import BIN
from tests.returns.conftest import recipient_pdf

pytestmark = [pytest.mark.slow, pytest.mark.tls, pytest.mark.django_db(transaction=True)]


def server_authorities(demo_layout, folder: Path) -> Path:
    """The demo PKI's root and intermediates: what a client needs to check the server."""
    bundle = folder / "autorites.pem"
    trust = demo_layout.trust
    bundle.write_bytes(
        (trust / "roots.pem").read_bytes() + (trust / "intermediates.pem").read_bytes()
    )
    return bundle


def edi_command(live_site: str, identity, demo_layout, folder: Path) -> list[str]:
    return [
        str(BIN / "securact-edi"),
        "--url",
        live_site,
        "--cert",
        identity.cert,
        "--key",
        identity.key,
        "--ca",
        str(server_authorities(demo_layout, folder)),
    ]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def test_a_bank_fetches_and_answers_with_the_reference_client(
    live_site, identities, service_dirs, demo_layout, settings, tmp_path
):
    bank = identities["recipient-banque-test"]
    declare_vault(parse_certificate(pem_to_der(Path(bank.cert).read_bytes())))
    deposits = Deposits(identities, service_dirs.work / "seeded")
    sent = timezone.now() - timedelta(minutes=5)
    signification = deposits.make("REF-EDI-FETCH", sent, files=("acte.pdf", "annexe.pdf"))
    acts = list(signification.acts.order_by("position"))
    client = edi_command(live_site, bank, demo_layout, tmp_path)

    out = tmp_path / "depots"
    fetched = _run(*client, "fetch", "--out", str(out))
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert "REF-EDI-FETCH" in fetched.stdout
    for act in acts:
        path = out / str(signification.pk) / act.deposited_name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == act.stored_file.sha256
    signification.refresh_from_db()
    assert signification.opened_at is not None
    assert signification.delivery_state == DeliveryState.IN_PERSON
    assert json.loads((out / str(signification.pk) / "depot.json").read_text())["id"] == (
        signification.pk
    )

    # Acknowledged: the next fetch has nothing new.
    again = _run(*client, "fetch", "--out", str(tmp_path / "encore"))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "REF-EDI-FETCH" not in again.stdout

    declaration = tmp_path / "declaration.json"
    declaration.write_text(json.dumps(DECLARATION), encoding="utf-8")
    pdf = recipient_pdf(tmp_path / "reponse-banque.pdf", pages=1)
    command = [*client, "answer", str(signification.pk), "--pdf", str(pdf)]
    answered = _run(*command, "--declaration", str(declaration))
    assert answered.returncode == 0, answered.stdout + answered.stderr
    made = ActReturn.objects.get(signification=signification)
    assert made.uploaded_name == "reponse-banque.pdf"
    assert made.declaration.accounts.count() == 2
    # Sent again (a client retry): the same answer, no second return.
    replay = _run(*command, "--declaration", str(declaration))
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert ActReturn.objects.filter(signification=signification).count() == 1

    # The bailiff's page shows the opening and the answer.
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]
    bailiff = Client(
        HTTP_X_SSL_CLIENT_CERT=identities["bailiff-durand"].escaped_pem,
        HTTP_X_SSL_CLIENT_VERIFY="SUCCESS",
    )
    page = bailiff.get(f"/significations/{signification.pk}/", secure=True).content.decode()
    assert "emis à personne" in page
    assert made.name in page
