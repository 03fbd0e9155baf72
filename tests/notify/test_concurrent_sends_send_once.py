"""Two workers running the same alert at once: one sends, the other stands back."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from securact.notify.models import Notification
from securact.notify.services import AlertError, AlertTransientError, send_deposit_email
from tests.notify.alerts import email_alert
from tests.notify.doubles import SmtpServer


@pytest.mark.django_db(transaction=True)
def test_a_duplicated_task_running_concurrently_sends_one_email(
    slow_smtp_server: SmtpServer,
) -> None:
    outcomes: list[object] = []
    start = threading.Barrier(2)

    def worker() -> None:
        start.wait()
        try:
            outcomes.append(send_deposit_email(**email_alert()))
        except AlertError as error:
            outcomes.append(error)
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # The server takes a second to accept: the second worker arrives while the first sends.
    assert len(slow_smtp_server.messages) == 1
    errors = [outcome for outcome in outcomes if isinstance(outcome, AlertError)]
    assert len(errors) == 1
    assert isinstance(errors[0], AlertTransientError)
    assert errors[0].message == "Cette alerte est déjà en cours d'envoi par un autre processus."
    record = Notification.objects.get(signification_id=4242, channel="email")
    assert record.status == Notification.Status.SENT
    assert record.attempts == 1
