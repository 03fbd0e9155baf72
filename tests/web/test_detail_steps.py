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
