"""The recipient pulls its data messages by API, signed in with its certificate: the owner
gets the sealed XML (journaled), anyone else a 404 that says nothing of whether it exists, a
bailiff a 403; the list gives what was deposited since a time, paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from securact.api import datamessage as api
from securact.datamessage.models import DataMessage
from securact.datamessage.services import DOWNLOADED
from securact.directory.models import Recipient
from securact.evidence.journal import entries_for
from securact.significations import work_store
from securact.significations.models import Signification
from tests.datamessage.deposits import served_garnishment, with_data_message
from tests.web.test_search_support import declare

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 1, 17, 13, tzinfo=UTC)
LIST = "/api/destinataire/messages-donnees/"


def _url(pk: int) -> str:
    return f"/api/destinataire/significations/{pk}/message-donnees.xml"


@dataclass
class Served:
    sign_in: Any  # signed_in("label") → the client, now with that certificate
    signification: Signification
    recorded: DataMessage
    work: Path


@pytest.fixture
def served(signed_in, identities, settings, tmp_path, pki_server) -> Served:
    """A garnishment served on BANQUE TEST, with its data message."""
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    signed_in("recipient-banque-test")  # the recipient's vault declared before the deposit
    durand = declare(identities, "bailiff-durand")
    bank = Recipient.objects.get(name="BANQUE TEST")
    work = settings.SECURACT_WORK_DIR = tmp_path / "work"
    signification = served_garnishment(durand, bank, "SA-API-1", SENT, work)
    return Served(signed_in, signification, with_data_message(signification), work)


def test_the_owner_downloads_the_sealed_message_and_it_is_journaled(served: Served) -> None:
    client = served.sign_in("recipient-banque-test")

    answer = client.get(_url(served.signification.pk), secure=True)

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/xml"
    assert served.recorded.stored_file.name in answer["Content-Disposition"]
    body = b"".join(answer.streaming_content)
    sealed = work_store.key_for(served.signification.pk, served.recorded.stored_file.name)
    assert body == work_store.local_copy(sealed).read_bytes()
    assert b"<MessageDonnees" in body and b"ds:Signature" in body
    assert entries_for(served.signification.pk).filter(action=DOWNLOADED).count() == 1


def test_another_recipient_gets_the_same_404_as_for_nothing(served: Served) -> None:
    other = served.sign_in("recipient-credit-demo")

    theirs = other.get(_url(served.signification.pk), secure=True)
    nothing = other.get(_url(999999), secure=True)
    listed = other.get(LIST, secure=True).json()

    assert theirs.status_code == nothing.status_code == 404
    assert theirs.content == nothing.content
    assert "Aucun message de données" in theirs.json()["erreur"]
    assert listed["total"] == 0
    assert not entries_for(served.signification.pk).filter(action=DOWNLOADED).exists()


def test_a_bailiff_is_refused(served: Served) -> None:
    bailiff = served.sign_in("bailiff-durand")

    for url in (_url(served.signification.pk), LIST):
        answer = bailiff.get(url, secure=True)
        assert answer.status_code == 403
        assert "réservé aux destinataires" in answer.json()["erreur"]


def test_the_list_gives_what_was_deposited_since_a_time(served: Served) -> None:
    client = served.sign_in("recipient-banque-test")
    deposited = served.recorded.deposited_at

    everything = client.get(LIST, secure=True).json()
    since_before = client.get(
        LIST, {"depuis": (deposited - timedelta(seconds=1)).isoformat()}, secure=True
    ).json()
    since_after = client.get(
        LIST, {"depuis": (deposited + timedelta(seconds=1)).isoformat()}, secure=True
    ).json()

    assert everything["total"] == since_before["total"] == 1
    assert since_after["total"] == 0
    (item,) = since_before["resultats"]
    assert item["signification"] == served.signification.pk
    assert item["reference"] == "SA-API-1"
    assert item["nature"] == "saisie-attribution"
    assert item["message"]["nom"] == served.recorded.stored_file.name
    assert item["message"]["sha256"] == served.recorded.stored_file.sha256
    assert item["message"]["url"].endswith(_url(served.signification.pk))


def test_the_list_is_paged(served: Served, identities, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(api, "PAGE_SIZE", 1)
    durand = declare(identities, "bailiff-durand")
    bank = Recipient.objects.get(name="BANQUE TEST")
    second = served_garnishment(durand, bank, "SA-API-2", SENT, served.work)
    with_data_message(second)
    client = served.sign_in("recipient-banque-test")

    first_page = client.get(LIST, secure=True).json()
    second_page = client.get(LIST, {"page": 2}, secure=True).json()
    beyond = client.get(LIST, {"page": 3}, secure=True)

    assert (first_page["pages"], first_page["page_suivante"]) == (2, 2)
    assert [r["reference"] for r in first_page["resultats"] + second_page["resultats"]] == [
        "SA-API-1",
        "SA-API-2",
    ]
    assert second_page["page_suivante"] is None
    assert beyond.status_code == 400


@pytest.mark.parametrize(
    ("depuis", "message"),
    [
        ("hier", "doit être une date ISO 8601"),
        ("2026-01-17T13:00:00", "doit préciser son fuseau horaire"),
    ],
)
def test_a_bad_since_is_said_in_french(served: Served, depuis: str, message: str) -> None:
    client = served.sign_in("recipient-banque-test")

    answer = client.get(LIST, {"depuis": depuis}, secure=True)

    assert answer.status_code == 400
    assert message in answer.json()["erreur"]


def test_an_unencoded_plus_in_since_is_understood(served: Served) -> None:
    client = served.sign_in("recipient-banque-test")

    answer = client.get(f"{LIST}?depuis=2026-01-01T00:00:00+01:00", secure=True)

    assert answer.status_code == 200
    assert answer.json()["total"] == 1
