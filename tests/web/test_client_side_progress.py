"""A signification signed by the practice's software (client-side, issue 13): its progress
page asks for no PIN and says who signs; a PIN posted anyway to *Relancer* the signature is
refused in French, and the token is not touched. A remote one still asks for the PIN."""

from __future__ import annotations

import pytest

from securact.significations.models import Signification, Step
from securact.signing.token import logins_made
from tests.web.test_search_support import bailiff_named, get, make_signification


def _waiting_at_sign(reference: str, mode: str) -> Signification:
    signification = make_signification(
        bailiff_named("DURAND"),
        reference,
        sent_at=None,
        state=Signification.State.IN_PROGRESS,
    )
    Signification.objects.filter(pk=signification.pk).update(signing_mode=mode)
    Step.objects.filter(signification=signification, name=Step.Name.CONVERT).update(
        state=Step.State.DONE
    )
    Step.objects.filter(signification=signification, name=Step.Name.SIGN).update(
        state=Step.State.WAITING
    )
    return signification


@pytest.mark.django_db
def test_no_pin_is_asked_nor_used_for_a_client_side_signification(signed_in):
    client = signed_in("bailiff-durand")
    practice = _waiting_at_sign("CS-PAGE-1", Signification.SigningMode.CLIENT)
    remote = _waiting_at_sign("CS-PAGE-2", Signification.SigningMode.REMOTE)

    page = get(client, f"/significations/{practice.pk}/progression/").content.decode()
    assert 'name="pin"' not in page
    assert "signés par le logiciel de votre étude" in page
    assert 'name="pin"' in get(client, f"/significations/{remote.pk}/progression/").content.decode()

    logins = logins_made()
    answer = client.post(
        f"/significations/{practice.pk}/etapes/sign/relancer/", {"pin": "123456"}, secure=True
    )
    assert answer.status_code == 302
    page = get(client, answer["Location"]).content.decode()
    assert "signée par le logiciel de votre étude" in page
    assert logins_made() == logins
    step = Step.objects.get(signification=practice, name=Step.Name.SIGN)
    assert step.state == Step.State.WAITING


@pytest.mark.django_db
def test_a_failed_client_side_signature_is_relaunched_without_a_pin(signed_in):
    client = signed_in("bailiff-durand")
    practice = _waiting_at_sign("CS-PAGE-3", Signification.SigningMode.CLIENT)
    Step.objects.filter(signification=practice, name=Step.Name.SIGN).update(
        state=Step.State.FAILED, error="Horodatage indisponible."
    )
    page = get(client, f"/significations/{practice.pk}/progression/").content.decode()
    assert 'name="pin"' not in page
    assert f"/significations/{practice.pk}/etapes/sign/relancer/" in page
    client.post(f"/significations/{practice.pk}/etapes/sign/relancer/", secure=True)
    step = Step.objects.get(signification=practice, name=Step.Name.SIGN)
    assert step.state == Step.State.PENDING
