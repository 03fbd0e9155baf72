"""The bailiff links the mainlevée he served to the seizure it releases, from the
mainlevée's detail (``/significations/<id>/mainlevee/``): the seizure's section 4 then says
no answer is expected, and the bank's return is refused. Only the mainlevée's author reaches
the page."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest

from securact.returns.errors import ReturnRefused
from securact.returns.models import SeizureRelease
from securact.returns.services import submit_return
from tests.returns.conftest import ANSWERED, RECIPIENT_ACTOR, SENT, TWO_ACCOUNTS
from tests.web.conftest import signed_in  # noqa: F401 - the signed-in client fixture
from tests.web.test_search_support import bailiff_named, declare, get, make_signification


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_link_then_the_return_is_refused(signed_in: Any) -> None:  # noqa: F811
    client = signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    seizure = make_signification(durand, "SAISIE-1", sent_at=SENT)
    mainlevee = make_signification(
        durand, "MAINLEVEE-1", nature_code="mainlevee", sent_at=SENT + timedelta(hours=2)
    )
    url = f"/significations/{mainlevee.pk}/mainlevee/"

    assert url in _page(get(client, f"/significations/{mainlevee.pk}/"))
    form = _page(get(client, url))
    assert "SAISIE-1 — signifiée le 10/03/2026 à 10:30:00 (heure de Paris)" in form

    wrong = client.post(url, {"seizure": "999999"}, secure=True)
    assert wrong.status_code == 400
    assert "Choisissez la saisie que cette mainlevée lève, dans la liste." in _page(wrong)

    done = client.post(url, {"seizure": str(seizure.pk)}, secure=True)
    assert done.status_code == 303
    assert SeizureRelease.objects.filter(release=mainlevee, seizure=seizure).exists()
    assert "SAISIE-1" in _page(get(client, url)).split("Rattacher une saisie")[0]

    four = _page(get(client, f"/significations/{seizure.pk}/")).split('id="section-4"')[1]
    assert "Mainlevée signifiée : aucune réponse n'est plus attendue" in four.split("</section>")[0]
    with pytest.raises(ReturnRefused) as refused:
        submit_return(
            seizure.pk,
            recipient=seizure.recipient,
            actor=RECIPIENT_ACTOR,
            declaration=TWO_ACCOUNTS,
            at=ANSWERED,
        )
    assert "a signifié la mainlevée de cette saisie le 10/03/2026 à 12:30:00" in (
        refused.value.message
    )


@pytest.mark.django_db
def test_only_the_author_of_a_mainlevee_reaches_the_page(
    signed_in: Any,  # noqa: F811
    identities: Any,
) -> None:
    signed_in("bailiff-durand")
    durand = bailiff_named("DURAND")
    mainlevee = make_signification(durand, "MAINLEVEE-2", nature_code="mainlevee", sent_at=SENT)
    seizure = make_signification(durand, "SAISIE-2", sent_at=SENT)
    declare(identities, "bailiff-martin")
    colleague = signed_in("bailiff-martin")
    assert get(colleague, f"/significations/{mainlevee.pk}/mainlevee/").status_code == 404
    assert "/mainlevee/" not in _page(get(colleague, f"/significations/{mainlevee.pk}/"))
    author = signed_in("bailiff-durand")
    assert get(author, f"/significations/{seizure.pk}/mainlevee/").status_code == 404
