"""``securact check_journal`` says the journal is intact and exits 0 when it is."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from securact.evidence import journal


@pytest.mark.django_db
def test_intact_journal_prints_its_size_in_french() -> None:
    for _ in range(3):
        journal.append("alert.sent", actor="platform", signification_id=1)
    out = StringIO()

    call_command("check_journal", stdout=out)  # returns: exit status 0

    assert out.getvalue().strip() == "Journal intègre : 3 entrées"


@pytest.mark.django_db
def test_empty_journal_is_intact() -> None:
    out = StringIO()

    call_command("check_journal", stdout=out)

    assert out.getvalue().strip() == "Journal intègre : 0 entrées"


@pytest.mark.django_db
def test_a_missing_trigger_fails_the_check() -> None:
    journal.append("alert.sent", actor="platform")
    with connection.cursor() as cursor:  # rolled back with the test
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER evidence_journalentry_no_update")
        else:
            cursor.execute(
                "DROP TRIGGER evidence_journalentry_append_only ON evidence_journalentry"
            )
    err = StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("check_journal", stdout=StringIO(), stderr=err)

    assert exit_info.value.code == 1
    assert "déclencheurs manquants" in err.getvalue()
