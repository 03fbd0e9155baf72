"""The events feed (issue 13, item 2): journal entries of a practice's significations named
as events, in order, read by cursor; a recipient sees its own from the deposit on; an entry
that commits late is never skipped by a cursor (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from securact.directory.models import ActNature, Bailiff, Practice, Recipient
from securact.edi.feed import index_journal, practice_events, recipient_events
from securact.edi.models import FeedEvent, FeedState
from securact.evidence import journal
from securact.significations.models import Signification
from tests.edi.conftest import BANQUE_TEST
from tests.factories import BailiffFactory

FINGERPRINT = "a" * 64

# Every action the feed follows, in a signification's order, and its event.
HISTORY = [
    ("signification.submitted", "soumise", {"reference": "R", "files": [{"name": "a.pdf"}]}),
    ("signification.converted", "convertie", {"files": [{"position": 1, "sha256": "0" * 64}]}),
    ("signification.signed", "signee", {"files": [{"position": 1, "sha256": "1" * 64}]}),
    ("signification.deposited", "deposee", {"file": "X_01.pdf", "sha256": "2" * 64}),
    ("data_message.deposited", "message_donnees_depose", {"file": "X.xml"}),
    ("alert.email.sent", "alertee", {"to": "banque@example.org", "provider_id": "m"}),
    ("alert.sms.failed", "alerte_echec", {"error": "refusé"}),
    ("deposit_certificate.created", "certificat_depot", {"file": "attestation.xml"}),
    ("signification.archived", "archivee", {"file": "X.zip"}),
    ("act.downloaded", None, {"file": "X_01.pdf"}),  # every download: not an event of the feed
    ("act.opened", "ouverte", {"file": "X_01.pdf"}),
    ("delivery.in_person", "remise_a_personne", {}),
    ("delivery_certificate.created", "certificat_remise", {"file": "X_REMISE.pdf"}),
    ("act_return.received", "retour_recu", {}),
    ("act_return.deposited", "retour_depose", {"file": "X_RETOUR.pdf"}),
]
RECIPIENT_SEES = {
    "deposee",
    "message_donnees_depose",
    "alertee",
    "certificat_depot",
    "ouverte",
    "remise_a_personne",
    "retour_recu",
    "retour_depose",
}


def _signification(reference: str, bailiff: Bailiff, siret: str = BANQUE_TEST) -> Signification:
    return Signification.objects.create(
        practice=bailiff.practice,
        bailiff=bailiff,
        recipient=Recipient.objects.get(siret=siret),
        nature=ActNature.objects.get(code="mainlevee"),
        reference=reference,
        source=Signification.Source.EDI,
        actor_fingerprint=FINGERPRINT,
        signing_certificate=b"",
        signing_token_label="t",
    )


def _history(signification: Signification) -> None:
    for action, _event, data in HISTORY:
        journal.append(action, actor=FINGERPRINT, signification_id=signification.pk, data=data)


def _events(page) -> list[tuple[str, str]]:
    return [(e["reference"], e["type"]) for e in page.events]


@pytest.mark.django_db
def test_each_followed_action_is_an_event_in_the_journal_s_order(declared_bailiff):
    durand = Bailiff.objects.get(full_name="Claire DURAND")
    first, second = _signification("R-1", durand), _signification("R-2", durand)
    _history(first)
    journal.append("vault.file.renamed", actor=FINGERPRINT, data={"file": 1})  # no signification
    _history(second)

    page = practice_events(Practice.objects.get(code="9991"))

    expected = [event for _action, event, _data in HISTORY if event]
    assert _events(page) == [("R-1", e) for e in expected] + [("R-2", e) for e in expected]
    assert str(page.cursor) == page.events[-1]["curseur"] and not page.has_more
    deposited = next(e for e in page.events if e["type"] == "deposee")
    assert deposited == {
        "curseur": deposited["curseur"],
        "type": "deposee",
        "signification": first.pk,
        "reference": "R-1",
        "etude": "9991",
        "destinataire_siret": BANQUE_TEST,
        "date": deposited["date"],
        "entree_journal": deposited["entree_journal"],
        "donnees": {"fichier": "X_01.pdf", "sha256": "2" * 64},
    }
    alerted = next(e for e in page.events if e["type"] == "alertee")
    assert alerted["donnees"] == {"canal": "email"}  # never the address
    sequences = [e["entree_journal"] for e in page.events]
    assert sequences == sorted(sequences)


@pytest.mark.django_db
def test_the_cursor_pages_through_the_feed_without_loss_or_repeat(declared_bailiff):
    durand = Bailiff.objects.get(full_name="Claire DURAND")
    practice = durand.practice
    _history(_signification("R-1", durand))
    everything = _events(practice_events(practice, limit=1000))

    seen, cursor, pages = [], 0, 0
    while True:
        page = practice_events(practice, since=cursor, limit=4)
        seen += _events(page)
        pages += 1
        if not page.has_more:
            break
        cursor = page.cursor
    assert seen == everything and pages == 4  # 14 events, 4 a page

    last = practice_events(practice, since=page.cursor)
    assert (last.events, last.cursor, last.has_more) == ([], page.cursor, False)
    # New events come after the cursor already handed out.
    _history(_signification("R-2", durand))
    assert _events(practice_events(practice, since=page.cursor, limit=2)) == [
        ("R-2", "soumise"),
        ("R-2", "convertie"),
    ]


@pytest.mark.django_db
def test_a_recipient_sees_its_own_events_from_the_deposit_and_a_practice_only_its_own(
    declared_bailiff,
):
    durand = Bailiff.objects.get(full_name="Claire DURAND")
    other = BailiffFactory()
    _history(_signification("R-BANQUE", durand))
    _history(_signification("R-CREDIT", durand, siret="99999002100019"))
    _history(_signification("R-AUTRE", other))

    bank = recipient_events(Recipient.objects.get(siret=BANQUE_TEST), limit=1000)
    mine = practice_events(durand.practice, limit=1000)
    theirs = practice_events(other.practice, limit=1000)

    assert {ref for ref, _e in _events(bank)} == {"R-BANQUE", "R-AUTRE"}
    assert {event for _ref, event in _events(bank)} == RECIPIENT_SEES
    assert {ref for ref, _e in _events(mine)} == {"R-BANQUE", "R-CREDIT"}
    assert {ref for ref, _e in _events(theirs)} == {"R-AUTRE"}


@pytest.mark.django_db(transaction=True)
def test_an_entry_committed_late_comes_after_the_cursor_already_given(declared_bailiff, settings):
    """PostgreSQL numbers an entry when it is appended; it is seen when its transaction
    commits. An entry numbered before one already read, but committed after, must still
    reach a client that follows the cursor."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite numbers entries under its write lock: no late commit")
    durand = Bailiff.objects.get(full_name="Claire DURAND")
    practice = durand.practice
    early, late = _signification("R-TOT", durand), _signification("R-TARD", durand)
    # The feed has read the journal so far (the numbers earlier tests took are no gaps).
    FeedState.objects.create(pk=1, scanned=journal.next_number())
    appended, release = threading.Event(), threading.Event()

    def slow_transaction() -> None:
        try:
            with transaction.atomic():
                journal.append(
                    "signification.submitted", actor=FINGERPRINT, signification_id=late.pk
                )
                appended.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_transaction)
    thread.start()
    assert appended.wait(30)
    journal.append("signification.submitted", actor=FINGERPRINT, signification_id=early.pk)

    first = practice_events(practice)
    assert _events(first) == [("R-TOT", "soumise")]
    in_flight = first.events[0]["entree_journal"] - 1
    assert FeedState.objects.get().gaps.keys() == {str(in_flight)}

    release.set()
    thread.join(30)
    then = practice_events(practice, since=first.cursor)
    assert _events(then) == [("R-TARD", "soumise")]
    assert then.events[0]["entree_journal"] == in_flight
    assert int(then.events[0]["curseur"]) > int(first.events[0]["curseur"])
    assert FeedState.objects.get().gaps == {}

    # A rolled-back append leaves a gap that is given up after SECURACT_FEED_GAP_SECONDS.
    settings.SECURACT_FEED_GAP_SECONDS = 0
    try:
        with transaction.atomic():
            journal.append("signification.submitted", actor=FINGERPRINT, signification_id=late.pk)
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    journal.append("signification.archived", actor=FINGERPRINT, signification_id=late.pk)
    index_journal()
    index_journal()
    assert FeedState.objects.get().gaps == {}
    assert FeedEvent.objects.filter(signification=late).count() == 2
