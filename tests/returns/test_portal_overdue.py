"""The recipient's list of deposits shows, for each act that expects an answer, its R.211-4
deadline and which answers are overdue (one query for the page, whatever its rows)."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest

from securact.returns.services import submit_return
from tests.portal.conftest import durand, get, holder  # noqa: F401
from tests.returns.conftest import RECIPIENT_ACTOR, SENT, TWO_ACCOUNTS
from tests.web.test_search_support import make_signification


def _row(page: str, reference: str) -> str:
    return page.split(reference, 1)[1].split("</tr>", 1)[0]


@pytest.mark.django_db
def test_deadlines_and_overdue_answers_in_the_list(
    holder: Any,  # noqa: F811
    identities: Any,
    service_dirs: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bailiff = durand(identities)
    now = SENT + timedelta(days=7)  # Tuesday 17 March 2026
    monkeypatch.setattr("securact.core.clock.now", lambda: now)
    make_signification(bailiff, "EN-RETARD", sent_at=SENT)  # due Wednesday 11
    answered = make_signification(bailiff, "REPONDU", sent_at=SENT)
    make_signification(bailiff, "A-TEMPS", sent_at=now - timedelta(hours=1))  # due Wed 18
    make_signification(bailiff, "JUGEMENT", sent_at=SENT, nature_code="signification-jugement")
    submit_return(
        answered.pk,
        recipient=answered.recipient,
        actor=RECIPIENT_ACTOR,
        declaration=TWO_ACCOUNTS,
        at=SENT + timedelta(hours=5),
    )

    page = html.unescape(get(holder("recipient-banque-test"), "/destinataire/").content.decode())

    assert "Réponse attendue" in page
    assert "En retard (au plus tard le 11/03/2026)" in _row(page, "EN-RETARD")
    assert "Répondu le 10/03/2026" in _row(page, "REPONDU")
    assert "Au plus tard le 18/03/2026" in _row(page, "A-TEMPS")
    assert "Au plus tard" not in _row(page, "JUGEMENT") and "—" in _row(page, "JUGEMENT")
