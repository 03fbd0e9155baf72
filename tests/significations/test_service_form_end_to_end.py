"""F3.7 + F4 through the web form: the bailiff's request holds the PIN while real workers
convert, the token signs, and the process ends; the progress page then shows six steps done."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from securact.directory.models import ActNature, Recipient
from securact.significations.models import Signification, Step

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_form_serves_a_pdf_and_a_docx_and_the_progress_page_shows_them_done(
    client, settings, declared_bailiff, acts, workers
):
    settings.SECURACT_CLIENT_CERT_SOURCE, settings.SECURACT_TRUSTED_PROXIES = "proxy", ["127.0.0.1"]
    client.defaults.update(
        HTTP_X_SSL_CLIENT_CERT=declared_bailiff.escaped_pem, HTTP_X_SSL_CLIENT_VERIFY="SUCCESS"
    )
    workers.start(1)
    for act in acts[:2]:
        added = client.post(
            "/signifier/actes/",
            {"file": SimpleUploadedFile(Path(act).name, Path(act).read_bytes())},
            secure=True,
        )
        assert added.status_code == 200, added.content.decode()
    page = client.get("/signifier/", secure=True).content.decode()
    key = page.split('name="certificate">', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        "/signifier/",
        {
            "reference": "WEB-0001",
            "recipient": Recipient.objects.get(name="BANQUE TEST").pk,
            "nature": ActNature.objects.get(code="mainlevee").pk,
            "certificate": key,
            "pin": declared_bailiff.record["pin"],
        },
        secure=True,
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    signification = Signification.objects.get(reference="WEB-0001")
    assert answer["Location"] == f"/significations/{signification.pk}/progression/"
    from securact.significations.services import wait_until_finished

    assert wait_until_finished(signification.pk, 120)
    progress = client.get(answer["Location"], secure=True).content.decode()
    assert progress.count("state-done") == 6
    assert "hx-trigger" not in progress  # finished: the page stops polling
    assert set(signification.steps.values_list("state", flat=True)) == {Step.State.DONE}
    assert signification.acts.count() == 2
