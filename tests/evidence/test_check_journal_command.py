"""``securact check_journal`` says the journal is intact, with its tree, and exits 0 when it is."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from securact.evidence import journal, tree
from securact.evidence.models import EMPTY_ROOT


@pytest.mark.django_db
def test_intact_journal_prints_its_size_in_french() -> None:
    for _ in range(3):
        journal.append("alert.sent", actor="platform", signification_id=1)
    head = tree.tree_head()
    out = StringIO()

    call_command("check_journal", stdout=out)  # returns: exit status 0

    assert out.getvalue().splitlines() == [
        "Journal intègre : 3 entrées",
        f"Arbre de Merkle : 3 feuilles, racine {head.root_hash.hex()}",
    ]


@pytest.mark.django_db
def test_empty_journal_is_intact() -> None:
    out = StringIO()

    call_command("check_journal", stdout=out)

    assert out.getvalue().splitlines() == [
        "Journal intègre : 0 entrées",
        f"Arbre de Merkle : 0 feuilles, racine {EMPTY_ROOT.hex()}",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("table", ["evidence_journalentry", "evidence_journalleaf"])
def test_a_missing_trigger_fails_the_check(table: str) -> None:
    journal.append("alert.sent", actor="platform")
    with connection.cursor() as cursor:  # rolled back with the test
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {table}_no_update")
        else:
            cursor.execute(f"DROP TRIGGER {table}_append_only ON {table}")
    err = StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("check_journal", stdout=StringIO(), stderr=err)

    assert exit_info.value.code == 1
    assert "déclencheurs manquants" in err.getvalue()
