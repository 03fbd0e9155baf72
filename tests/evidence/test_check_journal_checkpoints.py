"""``securact check_journal`` also checks the signed checkpoints: intact, it exits 0."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from securact.evidence import checkpoints, journal


@pytest.mark.django_db
def test_an_intact_journal_with_signed_checkpoints_passes() -> None:
    for _ in range(3):
        journal.append("alert.sent", actor="platform")
    checkpoints.publish_checkpoint(force=True)
    journal.append("alert.sent", actor="platform")
    checkpoints.publish_checkpoint(force=True)
    out = StringIO()

    call_command("check_journal", stdout=out)

    assert "Journal intègre : 4 entrées" in out.getvalue()
