"""Lists are paged by an opaque cursor: walking ``suivant`` gives every row once, in order,
even when rows are added meanwhile; filters hold across pages; the events feed is read
again from ``dernier`` without skipping or repeating; the data messages' list too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from securact.directory.models import Recipient
from tests.api.conftest import BANK, DEPOSITS, V1, get, integrate, post
from tests.datamessage.deposits import served_garnishment, with_data_message
from tests.web.test_search_support import declare

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def _walk(client: Client, path: str, params: dict[str, Any]) -> list[list[Any]]:
    pages, cursor = [], None
    while True:
        answer = get(client, path, {**params, **({"curseur": cursor} if cursor else {})})
        assert answer.status_code == 200, answer.content
        data = answer.json()
        pages.append(data["resultats"])
        cursor = data["suivant"]
        if cursor is None:
            return pages
        assert len(pages) < 50


def test_walking_the_cursor_gives_every_deposit_once_in_order(holder, deposits) -> None:
    made = [deposits.make(f"REF-P{i}", SENT + timedelta(hours=i)) for i in range(5)]
    made += [deposits.make(f"REF-Q{i}", SENT + timedelta(hours=9)) for i in range(2)]  # a tie
    bank = holder(BANK)

    pages = _walk(bank, DEPOSITS, {"limite": 2})

    assert [len(p) for p in pages] == [2, 2, 2, 1]
    assert [row["id"] for page in pages for row in page] == [s.pk for s in made]


def test_a_deposit_added_while_walking_is_neither_skipped_nor_repeated(holder, deposits) -> None:
    first = [deposits.make(f"REF-A{i}", SENT + timedelta(hours=i)) for i in range(3)]
    bank = holder(BANK)
    page_one = get(bank, DEPOSITS, {"limite": 2}).json()
    later = deposits.make("REF-LATER", SENT + timedelta(days=1))

    page_two = get(bank, DEPOSITS, {"limite": 2, "curseur": page_one["suivant"]}).json()

    ids = [row["id"] for row in page_one["resultats"] + page_two["resultats"]]
    assert ids == [first[0].pk, first[1].pk, first[2].pk, later.pk]
    assert page_two["suivant"] is None


def test_filters_hold_across_pages(holder, deposits, monkeypatch) -> None:
    for i in range(4):
        deposits.make(f"REF-F{i}", SENT + timedelta(hours=i))
    deposits.make("AUTRE-1", SENT + timedelta(hours=5))
    bank = holder(BANK)

    by_reference = _walk(bank, DEPOSITS, {"reference": "ref-f", "limite": 3})
    since = _walk(bank, DEPOSITS, {"depuis": "2026-03-10T12:30:00+01:00", "limite": 1})
    paris = _walk(bank, DEPOSITS, {"depuis": "2026-03-10T12:30:00", "limite": 10})

    assert [r["reference"] for p in by_reference for r in p] == [f"REF-F{i}" for i in range(4)]
    assert [r["reference"] for p in since for r in p] == ["REF-F2", "REF-F3", "AUTRE-1"]
    assert [r["reference"] for p in paris for r in p] == ["REF-F2", "REF-F3", "AUTRE-1"]
    unopened = get(bank, DEPOSITS, {"etat": "non-ouvert"}).json()["resultats"]
    assert len(unopened) == 5
    assert get(bank, DEPOSITS, {"etat": "personne"}).json()["resultats"] == []
    assert get(bank, DEPOSITS, {"nature": "inconnue"}).json()["resultats"] == []


def test_the_events_feed_is_read_again_from_its_last_cursor(holder, deposits) -> None:
    one = deposits.make("REF-E1", SENT)
    bank = holder(BANK)
    integrate()
    everything = get(bank, f"{V1}/destinataire/evenements").json()
    assert everything["suivant"] is None and everything["resultats"]

    pages, cursor = [], None
    while True:
        params = {"limite": 1, **({"depuis": cursor} if cursor else {})}
        data = get(bank, f"{V1}/destinataire/evenements", params).json()
        pages += data["resultats"]
        if data["suivant"] is None:
            last = data["dernier"]
            break
        cursor = data["suivant"]
    assert pages == everything["resultats"]

    post(bank, f"{DEPOSITS}/{one.pk}/accuse-reception")
    two = deposits.make("REF-E2", SENT + timedelta(hours=1))
    integrate()
    news = get(bank, f"{V1}/destinataire/evenements", {"depuis": last}).json()["resultats"]

    assert news[0]["evenement"] == "deposit.acknowledged" and news[0]["depot"] == one.pk
    assert {event["depot"] for event in news[1:]} == {two.pk}
    seen = {event["numero"] for event in pages}
    assert not seen & {event["numero"] for event in news}
    other = holder("recipient-credit-demo")
    assert get(other, f"{V1}/destinataire/evenements").json()["resultats"] == []


def test_the_data_messages_are_paged_by_cursor(
    holder, identities, settings, tmp_path, pki_server
) -> None:
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    bank = holder(BANK)
    durand = declare(identities, "bailiff-durand")
    recipient = Recipient.objects.get(name="BANQUE TEST")
    work = settings.SECURACT_WORK_DIR = tmp_path / "work"
    served = [
        served_garnishment(durand, recipient, f"SA-CUR-{i}", SENT + timedelta(hours=i), work)
        for i in range(2)
    ]
    recorded = [with_data_message(signification) for signification in served]

    pages = _walk(bank, f"{V1}/destinataire/messages-donnees", {"limite": 1})

    assert [[row["depot"] for row in page] for page in pages] == [[s.pk] for s in served]
    row = pages[0][0]
    assert row["sha256"] == recorded[0].stored_file.sha256
    download = get(bank, row["url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/xml"
    detail = get(bank, f"{DEPOSITS}/{served[0].pk}").json()
    assert detail["message_donnees"]["url"] == row["url"]


def test_any_offset_python_reads_is_answered(holder, deposits) -> None:
    """PostgreSQL takes offsets up to ±15:59, Python up to ±23:59: a time is compared in
    UTC (found by schemathesis: a 500 on PostgreSQL)."""
    deposits.make("REF-TZ", SENT)
    bank = holder(BANK)

    far_east = get(bank, DEPOSITS, {"depuis": "2026-03-11T04:00:00+18:50"})
    far_west = get(bank, DEPOSITS, {"depuis": "1986-01-17T19:12:06-23:59"})

    assert [r["reference"] for r in far_east.json()["resultats"]] == ["REF-TZ"]
    assert [r["reference"] for r in far_west.json()["resultats"]] == ["REF-TZ"]
    assert get(bank, DEPOSITS, {"depuis": "1899-12-31T23:00:00+00:00"}).status_code == 422
