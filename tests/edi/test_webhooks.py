"""Webhooks (issue 13, item 2): a practice's callback receives each new event of its feed,
signed with its secret, in order; while the receiver is down the delivery is retried with
an exponential backoff, and delivered once it is back. The secret is stored encrypted and
never logged."""

from __future__ import annotations

import hashlib
import hmac
import time
from itertools import pairwise

import pytest

from securact.edi import webhook_secrets
from securact.edi.models import FeedEvent, WebhookAttempt, WebhookEndpoint
from securact.edi.webhooks import WebhookRefused, backoff_seconds, register_webhook
from securact.evidence import journal
from securact.evidence.models import JournalEntry
from securact.significations.models import Signification
from tests.conftest import TEST_ROOT
from tests.edi.receiver import Receiver, wait_until
from tests.edi.test_feed import FINGERPRINT, _signification
from tests.processes import free_port


def test_a_secret_is_stored_encrypted_and_read_back_after_a_key_change(settings):
    secret = webhook_secrets.new_secret()
    stored = webhook_secrets.encrypt(secret)
    assert secret.startswith("whsec_") and secret not in stored
    assert webhook_secrets.decrypt(stored) == secret

    old_key, settings.SECRET_KEY = settings.SECRET_KEY, "une-autre-clé-secrète-de-test"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert webhook_secrets.decrypt(stored) == secret


def test_the_signature_is_an_hmac_of_the_timestamp_and_the_body():
    secret, body = "whsec_test", b'{"id":1}'
    header = webhook_secrets.signature_header(secret, body, at=1_800_000_000)
    expected = hmac.new(secret.encode(), b"1800000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1800000000,v1={expected}"
    assert webhook_secrets.verify(secret, body, header, now=1_800_000_100)
    assert not webhook_secrets.verify(secret, body + b" ", header, now=1_800_000_100)
    assert not webhook_secrets.verify("whsec_autre", body, header, now=1_800_000_100)
    assert not webhook_secrets.verify(secret, body, header, now=1_800_000_301)  # a replay


def test_the_backoff_doubles_up_to_its_longest(settings):
    settings.SECURACT_WEBHOOK_RETRY_FIRST_SECONDS = 10
    settings.SECURACT_WEBHOOK_RETRY_MAX_SECONDS = 3600
    assert [backoff_seconds(n) for n in (1, 2, 3, 4, 9, 50)] == [10, 20, 40, 80, 2560, 3600]


@pytest.mark.django_db
def test_a_callback_url_must_be_https_and_carry_no_credentials(declared_bailiff, practice):
    for url in ("http://banque.example/rappel", "ftp://x.example/", "https://u:p@x.example/"):
        with pytest.raises(WebhookRefused) as refused:
            register_webhook(url=url, actor=FINGERPRINT, practice=practice)
        assert refused.value.field == "url"
    assert WebhookEndpoint.objects.count() == 0


@pytest.mark.django_db
def test_a_new_webhook_starts_at_the_feed_s_end_and_is_journaled(declared_bailiff, practice):
    durand = practice.bailiffs.get(full_name="Claire DURAND")
    journal.append(
        "signification.submitted",
        actor=FINGERPRINT,
        signification_id=_signification("R-AVANT", durand).pk,
    )

    endpoint, secret = register_webhook(
        url="https://logiciel.etude.example/securact", actor=FINGERPRINT, practice=practice
    )

    assert endpoint.cursor == FeedEvent.objects.get().pk
    assert secret not in endpoint.secret_encrypted and secret not in repr(endpoint)
    entry = JournalEntry.objects.get(action="edi.webhook.registered")
    assert entry.data["url"] == "https://logiciel.etude.example/securact"
    assert secret not in str(entry.data)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_receiver_down_for_a_while_gets_every_event_once_back_in_order(
    declared_bailiff, practice, caller, workers, settings
):
    settings.SECURACT_WEBHOOK_ALLOW_HTTP = True
    settings.SECRET_KEY = workers.env["SECURACT_SECRET_KEY"]  # one key on every process
    workers.env.update(
        SECURACT_WEBHOOK_ALLOW_HTTP="1",
        SECURACT_EDI_DISPATCH_SECONDS="0.3",
        SECURACT_WEBHOOK_RETRY_FIRST_SECONDS="1",
        SECURACT_WEBHOOK_RETRY_MAX_SECONDS="4",
        SECURACT_WEBHOOK_TIMEOUT="2",
    )
    receiver = Receiver(free_port())  # not listening yet: the receiver is down
    endpoint, secret = register_webhook(url=receiver.url, actor=caller, practice=practice)
    durand = practice.bailiffs.get(full_name="Claire DURAND")
    signification = _signification("R-WEBHOOK", durand)
    for action in ("signification.submitted", "signification.converted", "signification.signed"):
        journal.append(action, actor=FINGERPRINT, signification_id=signification.pk)
    workers.start(1)
    try:
        wait_until(lambda: WebhookAttempt.objects.count() >= 5, timeout=120)
        down = list(WebhookAttempt.objects.order_by("attempted_at"))
        first_event = FeedEvent.objects.order_by("id").first()
        assert {(a.delivered, a.event_id) for a in down} == {(False, first_event.pk)}
        assert all("injoignable" in a.error for a in down)
        waits = [
            (later.attempted_at - earlier.attempted_at).total_seconds()
            for earlier, later in pairwise(down)
        ]
        # 1 s, 2 s, 4 s, then the longest (4 s): each at least its backoff, a little slack
        # for the worker's polling on top.
        for wait, backoff in zip(waits, [1, 2, 4, 4], strict=False):
            assert backoff - 0.2 <= wait <= backoff + 3, waits
        endpoint.refresh_from_db()
        assert endpoint.failures >= 5 and endpoint.cursor < first_event.pk

        receiver.start()  # back
        wait_until(lambda: len(receiver.received) >= 3, timeout=60)
        feed = list(FeedEvent.objects.order_by("id"))
        assert [e["curseur"] for e in receiver.events()] == [str(e.pk) for e in feed]
        assert [e["type"] for e in receiver.events()] == ["soumise", "convertie", "signee"]
        assert all(d.signature_verifies(secret) for d in receiver.received)
        assert receiver.received[0].headers["X-Securact-Event-Id"] == str(feed[0].pk)
        endpoint.refresh_from_db()
        assert (endpoint.cursor, endpoint.failures, endpoint.last_error) == (feed[-1].pk, 0, "")

        # A new event once it is up: delivered at once, no backoff left behind.
        started = time.monotonic()
        journal.append(
            "signification.deposited", actor=FINGERPRINT, signification_id=signification.pk
        )
        wait_until(lambda: len(receiver.received) >= 4, timeout=30)
        assert time.monotonic() - started < 10
        assert receiver.events()[-1]["type"] == "deposee"
        assert len({e["curseur"] for e in receiver.events()}) == 4  # each event once
    finally:
        receiver.stop()
        workers.stop()
    logs = b"".join(path.read_bytes() for path in TEST_ROOT.glob("worker-*.log"))
    assert secret.encode() not in logs
    assert not WebhookEndpoint.objects.filter(secret_encrypted__contains=secret).exists()
    assert Signification.objects.count() == 1


def test_verify_refuses_a_header_without_timestamp():
    assert not webhook_secrets.verify("whsec_x", b"{}", "v1=00")
