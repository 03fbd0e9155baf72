"""The detail lists the six steps of the process with their state (F4 legend) and, for a
failed one, its French reason."""

from __future__ import annotations

import pytest

from tests.web.test_search_support import bailiff_named, get, make_signification


@pytest.mark.django_db
def test_a_failed_step_shows_its_reason(signed_in):
    client = signed_in("bailiff-durand")
    signification = make_signification(
        bailiff_named("DURAND"),
        "ECHEC-SIGNATURE",
        sent_at=None,
        failed_step=("sign", "Le jeton de signature a refusé le code PIN."),
    )

    page = get(client, f"/significations/{signification.pk}/").content.decode()
    steps = page.split('id="steps-title"', 1)[1].split("</section>", 1)[0]

    assert steps.count('class="step-row') == 6
    assert (
        '<li class="step-row state-done">\n      <span class="step-badge">terminée</span>' in steps
    )
    assert (
        '<li class="step-row state-failed">\n      <span class="step-badge">en échec</span>'
        in steps
    )
    assert "Signature qualifiée des actes" in steps
    assert '<p class="step-error">Le jeton de signature a refusé le code PIN.</p>' in steps
    assert steps.count("en attente") == 4
    assert "Étape en échec : Signature qualifiée des actes." in page  # summary at the top
    assert "Non déposé : la signification a échoué avant le dépôt" in page


@pytest.mark.django_db
def test_a_done_alert_step_shows_its_pending_alert(signed_in):
    """Issue 10, item 8: an email the SMTP server could not take yet never fails the
    signification; the bailiff's detail says the alert is pending."""
    from securact.significations.models import Step

    client = signed_in("bailiff-durand")
    signification = make_signification(bailiff_named("DURAND"), "ALERTE-ATTENTE")
    waiting = "Alerte en attente (courriel) : Serveur de courriel injoignable."
    Step.objects.filter(signification=signification, name="alert").update(
        state=Step.State.DONE, error=waiting
    )

    page = get(client, f"/significations/{signification.pk}/").content.decode()
    steps = page.split('id="steps-title"', 1)[1].split("</section>", 1)[0]

    assert f'<p class="step-error">{waiting}</p>' in steps
