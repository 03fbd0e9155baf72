"""A batch served end to end (issue 13, item 2): real workers, the bailiff's SoftHSM token
(remote signing, the PIN in the request's memory), a real webhook receiver. One item is
refused (unknown SIRET), one outside the recipient's hours; the others are served; the
events feed and the webhook follow each signification in order; submitting the batch again
serves nothing twice."""

from __future__ import annotations

import pytest

from securact.edi.batch_status import BatchState, ItemState, batch_status
from securact.edi.batches import ItemRequest, submit_batch
from securact.edi.feed import practice_events, recipient_events
from securact.edi.models import Batch
from securact.edi.webhooks import register_webhook
from securact.evidence.models import JournalEntry
from securact.significations.models import Signification, Step
from securact.significations.services import wait_until_finished
from securact.signing.services import (
    intermediate_certificates,
    trust_roots,
    validate_pades_offline,
)
from securact.vault.models import StoredFile
from securact.vault.storage import open_blob
from tests.edi.conftest import BANQUE_TEST, UNKNOWN_SIRET, close_service_hours
from tests.edi.receiver import Receiver, wait_until
from tests.processes import free_port

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Each served signification's events, in order (a mainlevée: no data message).
SERVED_EVENTS = [
    "soumise",
    "convertie",
    "signee",
    "deposee",
    "alertee",
    "alertee",
    "certificat_depot",
    "archivee",
]


def test_a_batch_is_served_item_by_item_and_followed_by_its_feed_and_webhook(
    practice, durand, caller, upload, remote_signers, workers, settings, tmp_path
):
    settings.SECURACT_WEBHOOK_ALLOW_HTTP = True
    settings.SECRET_KEY = workers.env["SECURACT_SECRET_KEY"]  # one key on every process
    workers.env.update(SECURACT_WEBHOOK_ALLOW_HTTP="1", SECURACT_EDI_DISPATCH_SECONDS="0.3")
    receiver = Receiver(free_port())
    receiver.start()
    endpoint, secret = register_webhook(url=receiver.url, actor=caller, practice=practice)
    close_service_hours(BANQUE_TEST, "saisie-vente")
    first, second = str(upload("acte-1.pdf").pk), str(upload("acte-2.pdf").pk)
    items = [
        ItemRequest("LOT7-A", BANQUE_TEST, "mainlevee", durand.pk, [first]),
        ItemRequest("LOT7-B", UNKNOWN_SIRET, "mainlevee", durand.pk, [second]),
        ItemRequest("LOT7-C", BANQUE_TEST, "saisie-vente", durand.pk, [second]),
        ItemRequest("LOT7-D", BANQUE_TEST, "mainlevee", durand.pk, [second, first]),
    ]
    workers.start(2)
    try:
        status = submit_batch(
            practice, caller, "LOT-2026-07", items, remote_signers, signing_seconds=240
        )

        assert [(i.reference, i.state in (ItemState.REFUSED,)) for i in status.items] == [
            ("LOT7-A", False),
            ("LOT7-B", True),
            ("LOT7-C", True),
            ("LOT7-D", False),
        ]
        assert (status.items[1].refusal_field, status.items[2].refusal_field) == (
            "recipient_siret",
            "nature",
        )
        served = {s.reference: s for s in Signification.objects.all()}
        assert sorted(served) == ["LOT7-A", "LOT7-D"]
        # The request signed them (the PIN never left it): their sign steps are over.
        for signification in served.values():
            sign = signification.steps.get(name=Step.Name.SIGN)
            assert sign.state == Step.State.DONE
            assert wait_until_finished(signification.pk, 240)
        done = batch_status(Batch.objects.get())
        assert done.state == BatchState.DONE_WITH_ERRORS
        assert (done.counts[ItemState.DONE], done.counts[ItemState.REFUSED]) == (2, 2)

        # Each act verifies as the web path's do (PAdES B-LTA offline).
        for stored in StoredFile.objects.filter(kind=StoredFile.Kind.ACT):
            signed = tmp_path / f"{stored.sha256}.pdf"
            with open_blob(stored.sha256) as blob:
                signed.write_bytes(blob.read())
            report = validate_pades_offline(signed, trust_roots(), intermediate_certificates())
            assert report.ok, report.detail
        assert StoredFile.objects.filter(kind=StoredFile.Kind.ACT).count() == 3

        # The feed: each signification's events in order, by cursor.
        feed = practice_events(practice, limit=1000).events
        for reference in served:
            mine = [e["type"] for e in feed if e["reference"] == reference]
            deposits = 2 if reference == "LOT7-D" else 1
            assert mine == _expected(deposits)
        bank = recipient_events(served["LOT7-A"].recipient, limit=1000).events
        assert {e["type"] for e in bank} == {
            "deposee",
            "alertee",
            "certificat_depot",
        }

        # The webhook: every event of the feed, in its order, each signature verifying.
        wait_until(lambda: len(receiver.received) >= len(feed), timeout=120)
        assert [e["curseur"] for e in receiver.events()] == [e["curseur"] for e in feed]
        assert receiver.events() == feed
        assert all(delivery.signature_verifies(secret) for delivery in receiver.received)
        assert not any(delivery.signature_verifies("whsec_autre") for delivery in receiver.received)
        endpoint.refresh_from_db()
        assert (endpoint.cursor, endpoint.failures) == (int(feed[-1]["curseur"]), 0)

        # Submitting the same batch again serves nothing twice.
        submitted = JournalEntry.objects.filter(action="signification.submitted").count()
        again = submit_batch(
            practice, caller, "LOT-2026-07", items, remote_signers, signing_seconds=60
        )
        assert again.items == done.items
        assert Signification.objects.count() == 2
        assert JournalEntry.objects.filter(action="signification.submitted").count() == submitted
    finally:
        receiver.stop()


def _expected(deposits: int) -> list[str]:
    position = SERVED_EVENTS.index("deposee")
    return [
        *SERVED_EVENTS[:position],
        *["deposee"] * deposits,
        *SERVED_EVENTS[position + 1 :],
    ]
