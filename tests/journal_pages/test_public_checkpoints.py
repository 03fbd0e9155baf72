"""The journal's checkpoints are public (docs/evidence-log.md §2): answered without a client
certificate, with nothing personal in them; every other page still asks for one."""

from __future__ import annotations

import json
import re

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.test import Client

from securact.evidence import checkpoints, journal_signer
from securact.evidence.checkpoint_models import Checkpoint
from securact_verifier import merkle, note
from tests.evidence.checkpoint_helpers import journal_of


@pytest.fixture
def published(db: None) -> list[Checkpoint]:
    journal_of(3)
    first = checkpoints.publish_checkpoint(force=True)
    journal_of(4)
    second = checkpoints.publish_checkpoint(force=True)
    assert first is not None and second is not None
    return [first, second]


def test_the_latest_checkpoint_is_served_as_text_without_a_certificate(
    client: Client, published: list[Checkpoint]
) -> None:
    response = client.get("/journal/checkpoint")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text == published[-1].note
    body, _signatures = note.split_note(text)
    assert note.parse_checkpoint(body).size == 7
    assert note.verify_note(text, journal_signer.journal_public_key(), body.split("\n")[0])


def test_each_checkpoint_its_timestamp_and_its_consistency_proof(
    client: Client, published: list[Checkpoint]
) -> None:
    first, second = published
    assert client.get("/journal/checkpoints/3").content.decode() == first.note
    tsr = client.get("/journal/checkpoints/7.tsr")
    assert tsr["Content-Type"] == "application/timestamp-reply"
    assert tsr.content == bytes(second.timestamp_response)
    proof = client.get("/journal/checkpoints/7/consistency")
    assert proof["Content-Type"] == "application/json"
    document = json.loads(proof.content)
    assert document["format"] == "securact-consistency-proof/1"
    assert (document["old_size"], document["new_size"]) == (3, 7)
    merkle.verify_consistency(
        3,
        7,
        bytes.fromhex(document["old_root"]),
        bytes.fromhex(document["new_root"]),
        [bytes.fromhex(h) for h in document["hashes"]],
    )
    assert client.get("/journal/checkpoints/5").status_code == 404
    assert client.get("/journal/checkpoints/5.tsr").status_code == 404


def test_the_key_is_served_with_its_certificate_chain(client: Client, db: None) -> None:
    response = client.get("/journal/key.pem")

    assert response.status_code == 200
    pem = response.content
    public = serialization.load_pem_public_key(pem)
    assert public == journal_signer.journal_public_key()
    chain = x509.load_pem_x509_certificates(pem)
    assert [c.subject for c in chain] == [
        c.subject for c in journal_signer.journal_certificate_chain()
    ]


def test_the_history_page_lists_the_checkpoints_in_french(
    client: Client, published: list[Checkpoint]
) -> None:
    page = client.get("/journal/checkpoints/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Points de contrôle du journal des preuves" in html
    assert "Point de contrôle signé 7" in html and "Point de contrôle signé 3" in html
    assert 'href="/journal/checkpoints/7.tsr"' in html
    assert "Preuve de cohérence 3" in html
    assert published[-1].root_hex in html
    assert html.index("signé 7") < html.index("signé 3")  # the most recent first


def test_the_history_is_paginated(client: Client, db: None) -> None:
    for _ in range(52):
        journal_of(1)
        checkpoints.publish_checkpoint(force=True)

    first = client.get("/journal/checkpoints/").content.decode()
    second = client.get("/journal/checkpoints/?page=2").content.decode()

    assert "Page 1 sur 2" in first and "Page suivante" in first
    assert "Point de contrôle signé 52" in first and "Point de contrôle signé 2<" not in first
    assert "Point de contrôle signé 2<" in second and "Page précédente" in second


def test_without_checkpoint_the_latest_is_a_plain_404(client: Client, db: None) -> None:
    response = client.get("/journal/checkpoint")
    assert response.status_code == 404
    assert "Aucun point de contrôle publié" in response.content.decode()
    assert "Aucun point de contrôle publié" in client.get("/journal/checkpoints/").content.decode()


@pytest.mark.parametrize(
    "path", ["/journal/", "/journal/checkpoints/7/autre", "/journal/key.pem/", "/"]
)
def test_other_paths_still_ask_for_a_certificate(client: Client, db: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 403
    assert "Aucun certificat" in response.content.decode()


def test_only_reading_is_allowed(client: Client, published: list[Checkpoint]) -> None:
    assert client.post("/journal/checkpoint").status_code in (403, 405)


@pytest.mark.tls
@pytest.mark.django_db(transaction=True)
def test_over_tls_without_a_client_certificate(gunicorn_server: str, demo_layout) -> None:
    journal_of(2)
    published = checkpoints.publish_checkpoint(force=True)
    assert published is not None
    roots = str(demo_layout.trust / "roots.pem")
    with requests.Session() as browser:
        browser.verify, browser.trust_env = roots, False
        latest = browser.get(gunicorn_server + "/journal/checkpoint", timeout=30)
        history = browser.get(gunicorn_server + "/journal/checkpoints/", timeout=30)
        home = browser.get(gunicorn_server + "/", timeout=30, allow_redirects=False)
    assert latest.status_code == 200 and latest.text == published.note
    assert history.status_code == 200
    assert re.search(r"Point de contrôle signé 2\b", history.text)
    assert home.status_code == 403
