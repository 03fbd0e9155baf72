"""``Idempotency-Key``: the same key and request give the same answer and no second effect;
the same key with another request is a 409; a refused first use keeps nothing; two first
uses at once never both run; a multipart body is compared by its content, not its bytes."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.client import encode_multipart

from securact.api import idempotency, recipient
from securact.api.models import IdempotencyRecord
from securact.delivery.models import Acknowledgment
from securact.evidence import journal
from securact.evidence.models import JournalEntry
from securact.returns.models import ActReturn
from tests.api.conftest import BANK, DEPOSITS, error, post
from tests.api.test_bank_flow import DECLARATION
from tests.returns.conftest import recipient_pdf

SENT = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr("securact.core.clock.now", lambda: moment)


def _received(signification: Any) -> int:
    return JournalEntry.objects.filter(
        signification_id=signification.pk, action=journal.Action.ACT_RETURN_RECEIVED
    ).count()


@pytest.mark.django_db
def test_the_same_key_and_body_give_the_same_answer_and_one_return(
    holder, deposits, service_dirs, monkeypatch, tmp_path
) -> None:
    signification = deposits.make("REF-IDEM-1", SENT)
    bank = holder(BANK)
    url = f"{DEPOSITS}/{signification.pk}/retour"
    _at(monkeypatch, SENT + timedelta(hours=2))
    pdf = recipient_pdf(tmp_path / "reponse.pdf", pages=1)

    def send(key: str, declaration: dict[str, Any]) -> Any:
        with pdf.open("rb") as handle:
            data = {"pdf": handle, "declaration": json.dumps(declaration)}
            return post(bank, url, data, HTTP_IDEMPOTENCY_KEY=key)

    first = send("cle-1", DECLARATION)
    _at(monkeypatch, SENT + timedelta(hours=3))  # a retry, later
    again = send("cle-1", DECLARATION)

    assert first.status_code == again.status_code == 201
    assert again.content == first.content  # the kept answer, byte for byte
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert ActReturn.objects.filter(signification=signification).count() == 1
    assert _received(signification) == 1

    other_body = send("cle-1", {**DECLARATION, "solde_insaisissable": "1.00"})
    answer = error(other_body, 409)
    assert answer["champ"] == "Idempotency-Key" and "autre requête" in answer["erreur"]

    # Without the key, the second answer is the service's own refusal (already answered).
    assert error(send("cle-2", DECLARATION), 422)["erreur"]
    assert _received(signification) == 1


@pytest.mark.django_db
def test_the_key_belongs_to_its_caller_and_its_address(holder, deposits, identities) -> None:
    ours = deposits.make("REF-IDEM-2", SENT)
    theirs = deposits.make("REF-IDEM-3", SENT, recipient=_other_recipient(identities))
    bank, other = holder(BANK), holder("recipient-credit-demo")

    assert (
        post(bank, f"{DEPOSITS}/{ours.pk}/accuse-reception", HTTP_IDEMPOTENCY_KEY="k").status_code
        == 201
    )
    # Another caller's same key is its own.
    mine = post(other, f"{DEPOSITS}/{theirs.pk}/accuse-reception", HTTP_IDEMPOTENCY_KEY="k")
    assert mine.status_code == 201 and "Idempotent-Replayed" not in mine
    # The same key on another address is another request.
    assert error(
        post(bank, f"{DEPOSITS}/{theirs.pk}/accuse-reception", HTTP_IDEMPOTENCY_KEY="k"), 409
    )
    assert Acknowledgment.objects.count() == 2


def _other_recipient(identities: Any) -> Any:
    from securact.directory.models import Recipient

    return Recipient.objects.get(siret=identities["recipient-credit-demo"].record["siret"])


@pytest.mark.django_db
def test_a_refused_first_use_keeps_nothing(holder, deposits) -> None:
    bank = holder(BANK)

    missing = post(bank, f"{DEPOSITS}/999999/accuse-reception", HTTP_IDEMPOTENCY_KEY="k-404")
    error(missing, 404)
    assert not IdempotencyRecord.objects.exists()

    signification = deposits.make("REF-IDEM-4", SENT)
    url = f"{DEPOSITS}/{signification.pk}/accuse-reception"
    # The key is free again: it may serve for another request.
    assert post(bank, url, HTTP_IDEMPOTENCY_KEY="k-404").status_code == 201
    assert IdempotencyRecord.objects.get(key="k-404").state == IdempotencyRecord.State.DONE


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "é", "a b", "x" * 256])
def test_a_malformed_key_is_a_422(holder, key: str) -> None:
    answer = error(
        post(holder(BANK), f"{DEPOSITS}/1/accuse-reception", HTTP_IDEMPOTENCY_KEY=key), 422
    )
    assert answer["champ"] == "Idempotency-Key"


def test_a_multipart_body_is_compared_by_its_content() -> None:
    factory = RequestFactory()

    def digest(boundary: str, text: str = "{}") -> str:
        content = encode_multipart(boundary, {"declaration": text, "a": "1"})
        request = factory.post(
            "/api/v1/x", content, content_type=f"multipart/form-data; boundary={boundary}"
        )
        return idempotency.request_digest(request)

    assert digest("AAAA") == digest("BBBB")
    assert digest("AAAA") != digest("AAAA", text='{"x": 1}')


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("wait", [idempotency.WAIT_SECONDS, 0.2])
def test_two_first_uses_at_once_never_both_run(holder, deposits, monkeypatch, wait: float) -> None:
    """Two requests with one key at once: one runs the service; the other waits for its
    answer (the same), or, past its wait, gets the 409 « en cours »."""
    signification = deposits.make("REF-IDEM-5", SENT)
    url = f"{DEPOSITS}/{signification.pk}/accuse-reception"
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", wait)
    runs: list[int] = []
    real = recipient.acknowledge

    def slow(*args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        time.sleep(1.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(recipient, "acknowledge", slow)
    clients = [holder(BANK), holder(BANK)]
    answers: list[Any] = [None, None]

    def call(index: int) -> None:
        try:
            answers[index] = post(clients[index], url, HTTP_IDEMPOTENCY_KEY="ensemble")
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.3)  # the first has its key by now
    for thread in threads:
        thread.join(timeout=30)

    assert len(runs) == 1
    first, second = answers
    assert first.status_code == 201
    if wait >= 1.5:
        assert second.status_code == 201 and second.content == first.content
        assert second["Idempotent-Replayed"] == "true"
    else:
        answer = error(second, 409)
        assert "en cours" in answer["erreur"] and second["Retry-After"] == "1"
    assert Acknowledgment.objects.count() == 1
